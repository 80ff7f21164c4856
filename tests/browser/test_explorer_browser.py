"""The explorer in a real headless Chromium, offline: the sample graph and a hostile note.

What the sample page must show is counted with SPARQL over the built store, not read from the
page's own data.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from confkg.outputs.explorer import explorer_data, write_explorer
from confkg.pipeline import HTML_FILE, STORE_DIR
from confkg.store import GraphStore
from confkg.vocab import CKG, ID

pytestmark = pytest.mark.browser

TYPES = ("Person", "Organization", "Event", "Talk", "Paper", "Artifact", "Topic")
VALUES_TYPES = " ".join(f"ckg:{t}" for t in TYPES)
ILYA = ID + "person/ilya-sutskever"
# The relations the explorer draws: the ontology's properties between two entities.
RELATIONS = (
    "ckg:speaker ckg:panelist ckg:moderator ckg:author ckg:affiliation ckg:creator ckg:developer "
    "ckg:partOf ckg:session ckg:subEventOf ckg:editionOf ckg:about"
)

HOSTILE_MD = """\
---
title: "<script>alert(1)</script> NeurIPS 2019"
---
# <img src=x onerror=alert(1)> Keynote - Ilya Sutskever, OpenAI

Ilya Sutskever said <script>alert(1)</script> at NeurIPS 2019 about reinforcement learning.
See [the slides](javascript:alert(1)) and <img src=x onerror=alert(1)> from Google.

## Talk by <b onmouseover=alert(1)>Geoffrey Hinton</b>

Geoffrey Hinton works at Google. "<script>alert(1)</script>" is a paper by Hinton et al.
"""
HOSTILE_TXT = """\
NeurIPS 2019 <script>alert(1)</script>

<img src=x onerror=alert(1)> Talk - Yann LeCun, Facebook
Yann LeCun presented javascript:alert(1) and <script>alert(1)</script>PyTorch at NeurIPS 2019.
"""


@pytest.fixture(scope="module")
def store(sample_build: Any) -> Any:
    s = GraphStore.open(sample_build.out_dir / STORE_DIR)
    yield s
    s.close()


@pytest.fixture(scope="module")
def sample_html(sample_build: Any) -> Path:
    return sample_build.out_dir / HTML_FILE


def count(store: Any, where: str) -> int:
    rows = store.query(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} }}").rows
    return int(rows[0][0])


def names_shown(page: Any) -> list[str]:
    return page.evaluate("ckg.visibleNodeIds().map(id => ckg.info.nodes[id].name)")


def types_shown(page: Any) -> set[str]:
    return set(page.evaluate("ckg.visibleNodeIds().map(id => ckg.info.types[ckg.info.nodes[id].type][0])"))


def node_xy(page: Any, node_id: int) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    return tuple(
        page.evaluate(
            """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                      const r = document.getElementById('mynetwork').getBoundingClientRect();
                      return [p.x + r.left, p.y + r.top]; }""",
            node_id,
        )
    )


def zoom_to(page: Any, node: int) -> None:
    page.evaluate(f"network.moveTo({{position: network.getPositions([{node}])[{node}], scale: 1.5}})")
    page.wait_for_timeout(50)


def node_id(page: Any, name: str) -> int:
    return page.evaluate("name => ckg.info.nodes.findIndex(n => n.name === name)", name)


def details(page: Any) -> str:
    return page.inner_text("#details")


def find(page: Any, text: str) -> None:
    page.fill("#search", text)
    page.press("#search", "Enter")
    page.wait_for_timeout(450)  # the zoom animation


# ------------------------------------------------------------------------------ sample graph


def test_sample_page_opens_offline_and_draws_every_entity(open_page: Any, sample_html: Path, store: Any) -> None:
    page, log = open_page(sample_html)
    assert log.problems() == []
    # The page itself is the one request; it loads no script, style, font or image.
    assert log.requests == [sample_html.resolve().as_uri()]
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    typed = store.query(f"SELECT ?e ?t WHERE {{ VALUES ?t {{ {VALUES_TYPES} }} ?e a ?t . FILTER(isIRI(?e)) }}").rows
    type_of: dict[str, str] = {}
    for e, t in sorted(typed, key=lambda row: TYPES.index(row[1].rsplit("#", 1)[1])):
        type_of.setdefault(e, t.rsplit("#", 1)[1])  # an entity typed twice is drawn as its first type
    entities = len(type_of)
    assert entities > 400
    assert page.evaluate("ckg.visibleNodeIds().length") == entities
    assert page.evaluate("network.body.nodeIndices.length") == entities  # what vis-network draws
    drawn = page.evaluate("ckg.visibleNodeIds().map(id => ckg.info.types[ckg.info.nodes[id].type][0])")
    assert Counter(drawn) == Counter(type_of.values())
    triples = store.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {RELATIONS} }} ?s ?p ?o }}").rows
    relations = [t for t in triples if t[0] in type_of and t[2] in type_of]
    assert page.evaluate("ckg.visibleEdgeIds().length") == len(relations) > 100
    # Really painted: a good share of the canvas is not background.
    inked = page.evaluate(
        """() => { const c = document.querySelector('#mynetwork canvas'), g = c.getContext('2d');
                   const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
                   for (let i = 0; i < d.length; i += 4) { if (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240) n++; }
                   return n / (c.width * c.height); }"""
    )
    assert inked > 0.03
    assert log.problems() == []


def test_search_by_surname_selects_and_zooms_to_ilya_sutskever(open_page: Any, sample_html: Path) -> None:
    page, log = open_page(sample_html)
    page.fill("#search", "Sutskever")
    suggestions = page.locator("#suggestions li .name").all_inner_texts()
    assert suggestions[0] == "Ilya Sutskever"
    scale_before = page.evaluate("network.getScale()")
    page.press("#search", "Enter")
    page.wait_for_timeout(450)
    selected = page.evaluate("network.getSelectedNodes()")
    assert len(selected) == 1 and page.evaluate(f"ckg.info.nodes[{selected[0]}].name") == "Ilya Sutskever"
    assert page.inner_text("#details h2 .name") == "Ilya Sutskever"
    assert page.evaluate("network.getScale()") > scale_before  # zoomed in on it...
    x, y = node_xy(page, selected[0])
    box = page.locator("#mynetwork").bounding_box()
    assert box["x"] < x < box["x"] + box["width"] and box["y"] < y < box["y"] + box["height"]  # ...on screen
    # An alias finds its entity too, and says which alias matched.
    page.fill("#search", "Goodfellow")
    assert "Ian Goodfellow" in page.locator("#suggestions li .name").all_inner_texts()
    assert log.problems() == []


def test_person_filter_hides_every_other_type(open_page: Any, sample_html: Path, store: Any) -> None:
    page, log = open_page(sample_html)
    page.hover("#legend li:has(input[data-type=Person])")
    page.click("button[data-only=Person]")
    assert types_shown(page) == {"Person"}
    assert len(names_shown(page)) == count(store, "?e a ckg:Person")
    assert page.evaluate("network.body.nodeIndices.length") == count(store, "?e a ckg:Person")
    # Unticking and ticking boxes gives the same.
    page.click("#types-all")
    for t in TYPES[1:]:
        page.uncheck(f"input[data-type={t}]")
    assert types_shown(page) == {"Person"}
    page.check("input[data-type=Topic]")
    assert types_shown(page) == {"Person", "Topic"}
    assert log.problems() == []


def test_clicking_a_node_shows_its_sentences_marked_and_dims_the_rest(
    open_page: Any, sample_html: Path, store: Any
) -> None:
    page, log = open_page(sample_html)
    ilya = node_id(page, "Ilya Sutskever")
    zoom_to(page, ilya)
    x, y = node_xy(page, ilya)
    page.mouse.click(x, y)
    page.wait_for_timeout(150)
    assert page.inner_text("#details h2 .name") == "Ilya Sutskever"
    text = details(page)
    mentions = store.query(
        f"SELECT ?line ?sentence ?exact WHERE {{ ?m ckg:refersTo <{ILYA}> ; ckg:line ?line ; "
        "ckg:sentence ?sentence ; ckg:exact ?exact }"
    ).rows
    assert mentions
    for line, sentence, _exact in mentions:
        assert f"line {line}" in text
        assert " ".join(sentence.split()) in " ".join(text.split())
    assert set(page.locator("#details mark").all_inner_texts()) == {exact for _, _, exact in mentions}
    assert "speaker of" in text and "Large Scale Generative Models and RL" in text
    # The neighbourhood keeps its colours; everything else is dimmed.
    neighbours = page.evaluate(
        f"""() => {{ const keep = new Set([{ilya}]);
            ckg.visibleEdgeIds().forEach(id => {{ const e = edges.get(id);
              if (e.from === {ilya} || e.to === {ilya}) {{ keep.add(e.from); keep.add(e.to); }} }});
            return Array.from(keep); }}"""
    )
    drawn = page.evaluate("ckg.visibleNodeIds().map(id => [id, network.body.nodes[id].options.color.background])")
    dimmed = {i for i, colour in drawn if colour == "#ededed"}
    assert dimmed == {i for i, _ in drawn} - set(neighbours)
    assert page.evaluate(f"network.body.nodes[{ilya}].options.color.background") == "#0072B2"
    # Clicking the background brings the colours back.
    empty = page.evaluate(
        """() => { const r = document.getElementById('mynetwork').getBoundingClientRect();
            for (let y = 10; y < r.height; y += 15) { for (let x = 10; x < r.width; x += 15) {
              if (network.getNodeAt({x, y}) === undefined && network.getEdgeAt({x, y}) === undefined) {
                return [x + r.left, y + r.top]; } } }
            return null; }"""
    )
    page.mouse.click(*empty)
    page.wait_for_timeout(100)
    assert page.evaluate("ckg.visibleNodeIds().filter(id => ckg.isDimmed(id)).length") == 0
    assert log.problems() == []


def test_clicking_an_edge_shows_its_assertion(open_page: Any, sample_html: Path, store: Any) -> None:
    page, log = open_page(sample_html)
    talk = ID + "talk/large-scale-generative-models-and-rl"
    rows = store.query(
        f"SELECT ?sentence ?line ?conf WHERE {{ ?a rdf:subject <{talk}> ; rdf:predicate ckg:speaker ; "
        f"rdf:object <{ILYA}> ; ckg:sentence ?sentence ; ckg:line ?line ; ckg:confidence ?conf }}"
    ).rows
    assert rows
    # Double-click focuses on Ilya's neighbourhood, so the edge stands clear of other nodes.
    ilya = node_id(page, "Ilya Sutskever")
    zoom_to(page, ilya)
    x, y = node_xy(page, ilya)
    page.mouse.dblclick(x, y)
    page.wait_for_timeout(500)
    shown = page.evaluate("ckg.visibleNodeIds()")
    assert ilya in shown and len(shown) < 10 and page.is_visible("#focus-bar")
    edge = page.evaluate(
        f"""() => ckg.visibleEdgeIds().find(id => {{ const e = edges.get(id);
              return e.to === {ilya} && ckg.info.nodes[e.from].name === 'Large Scale Generative Models and RL'; }})"""
    )
    mid = page.evaluate(
        f"""() => {{ const e = edges.get('{edge}'), p = network.getPositions([e.from, e.to]);
              const m = network.canvasToDOM({{x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2}});
              const r = document.getElementById('mynetwork').getBoundingClientRect();
              return [m.x + r.left, m.y + r.top]; }}"""
    )
    page.mouse.click(*mid)
    page.wait_for_timeout(150)
    assert page.evaluate("network.getSelectedEdges()") == [edge]
    text = " ".join(details(page).split())
    assert "speaker" in text and "Assertions" in text.title()
    for sentence, line, conf in rows:
        assert " ".join(sentence.split()) in text and f"line {line}" in text
        assert f"confidence {float(conf):.2f}" in text
    assert page.locator("#details mark").count() >= 1
    page.click("#unfocus")
    assert len(page.evaluate("ckg.visibleNodeIds()")) > 400
    assert log.problems() == []


def test_links_switch_confidence_slider_and_event_filter(open_page: Any, sample_html: Path, store: Any) -> None:
    page, log = open_page(sample_html)

    def kinds() -> set[str]:
        return {i[0] for i in page.evaluate("ckg.visibleEdgeIds()")}

    assert kinds() == {"r"}
    page.check("input[name=mode][value=comention]")
    assert kinds() == {"c"}
    co = len(page.evaluate("ckg.visibleEdgeIds()"))
    assert co == count(store, "?e a ckg:CoMention")
    page.check("input[name=mode][value=both]")
    assert kinds() == {"r", "c"}
    # Co-mentions are read at confidence 0.3: a threshold above hides them, and weak relations.
    page.fill("#min-confidence", "0.5")
    confidences = page.evaluate(
        "ckg.visibleEdgeIds().map(id => (id[0] === 'r' ? ckg.info.relations : ckg.info.comentions)[+id.slice(1)][3])"
    )
    assert kinds() == {"r"} and all(c is None or c >= 0.5 for c in confidences)
    assert page.inner_text("#min-confidence-value") == "0.50"
    page.fill("#min-confidence", "0")
    # The ScaledML 2020 event: only what its notes mention.
    options = page.locator("#note-filter option").all_inner_texts()
    page.select_option("#note-filter", label=next(o for o in options if o.startswith("ScaledML 2020 (")))
    expected = count(
        store,
        "?n ckg:event ?ev . ?ev rdfs:label 'ScaledML 2020' . "
        f"{{ ?n ckg:mentions ?e }} UNION {{ ?m ckg:refersTo ?e ; ckg:inNote ?n }} UNION {{ ?n ckg:event ?e }} "
        f"?e a ?t . VALUES ?t {{ {VALUES_TYPES} }}",
    )
    names = names_shown(page)
    assert len(names) == expected and "Ilya Sutskever" in names and "Ian Goodfellow" not in names
    page.select_option("#note-filter", value="")
    assert len(names_shown(page)) > 400
    assert log.problems() == []


# ------------------------------------------------------------------------------ large graphs


def synthetic_graph(n: int, seed: int = 5) -> rdflib.Graph:
    """n entities with a few hubs and relations with assertions (a small stand-in for a big graph)."""
    rng = random.Random(seed)
    g = rdflib.Graph()
    ids = [URIRef(f"{ID}person/p{i}") for i in range(n)]
    for i, e in enumerate(ids):
        g.add((e, RDF.type, CKG[TYPES[i % 7]]))
        g.add((e, RDFS.label, Literal(f"Entity {i:04d}")))
    for i in range(1, n):
        j = int(rng.random() ** 3 * i)  # preferential: early nodes become hubs
        g.add((ids[i], CKG.about, ids[j]))
    return g


def test_a_large_graph_opens_on_its_most_central_part(open_page: Any, tmp_path: Path) -> None:
    graph = synthetic_graph(300)
    path = write_explorer(graph, tmp_path / "big.html", open_nodes=100)
    order = [n.label for n in explorer_data(graph).nodes]  # most central first (PageRank)
    page, log = open_page(path)
    assert sorted(names_shown(page)) == sorted(order[:100])
    assert page.is_visible("#more-box")
    page.click("#show-more")
    assert sorted(names_shown(page)) == sorted(order[:200])
    # A search finds an entity that is not shown yet, and shows it.
    find(page, order[250])
    assert order[250] in names_shown(page) and len(names_shown(page)) == 201
    page.click("#show-all")
    assert len(names_shown(page)) == 300
    assert log.problems() == []


# ------------------------------------------------------------------------------ hostile notes


def test_hostile_note_is_shown_as_text_and_runs_nothing(open_page: Any, tmp_path: Path) -> None:
    from confkg.pipeline import build

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "evil <img src=x onerror=alert(2)>.md").write_text(HOSTILE_MD, encoding="utf-8")
    (notes / "plain.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    report = build([notes], tmp_path / "out", html=True)
    page, log = open_page(report.out_dir / HTML_FILE)

    # Go through every node and every link as a click would, and collect what the panel shows.
    seen = page.evaluate(
        """() => { const out = [];
            ckg.info.nodes.forEach((n, id) => { ckg.selectNode(id);
              out.push(document.getElementById('details').innerText); });
            ckg.visibleEdgeIds().concat(ckg.info.comentions.map((c, i) => 'c' + i)).forEach(id => {
              ckg.selectEdge(id); out.push(document.getElementById('details').innerText); });
            return out.join('\\n'); }"""
    )
    page.hover("#mynetwork")
    page.fill("#search", "<script>")
    page.wait_for_timeout(400)  # time for an onerror, a timer or a navigation to happen
    assert "<script>alert(1)</script>" in seen  # the text is there, literally
    assert "javascript:alert(1)" in seen
    options = page.locator("#note-filter option").all_inner_texts()
    assert any("<script>alert(1)</script> NeurIPS 2019" in o for o in options)
    assert any("evil <img src=x onerror=alert(2)>.md" in o for o in options)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, a[href], b').length") == 0
    assert page.evaluate("document.scripts.length") == 6  # 4 JSON blocks, vis-network, the page's
    handlers = page.evaluate(
        """() => Array.from(document.querySelectorAll('*')).flatMap(e =>
              Array.from(e.attributes).filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"""
    )
    assert handlers == []
    assert page.url.startswith("file://")
    assert log.dialogs == []
    assert log.problems() == []
