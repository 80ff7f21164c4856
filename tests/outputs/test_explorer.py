"""The HTML explorer: offline, escaped, faithful to the graph, reproducible, written atomically."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
from html import unescape
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from confkg.outputs import explorer as explorer_mod
from confkg.outputs import explorer_model
from confkg.outputs.explorer import explorer_data, render_explorer, write_explorer
from confkg.outputs.explorer_model import TYPE_STYLE, layout, node_size
from confkg.vocab import CKG, ID

SCRIPT_ALERT = "<script>alert(1)</script>"
IMG_ALERT = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"
CHROMIUM = Path("/usr/bin/chromium")
# Not XSD itself at module level: pytest probes module attributes and XSD warns on unknown names.
DECIMAL, INTEGER = rdflib.XSD.decimal, rdflib.XSD.integer


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


ADA, ALAN, EVIL = iri("person/ada"), iri("person/alan"), iri("person/evil")
DEEPMIND, NEURIPS = iri("organization/deepmind"), iri("event/neurips-2019")
KEYNOTE, PAPER = iri("talk/keynote"), iri("paper/attention")
PYTORCH, RL = iri("artifact/pytorch"), iri("topic/rl")
DAY1, BAD_NOTE = iri("note/day1"), iri("note/evil")

ENTITIES = {
    ADA: ("Person", "Ada Lovelace"),
    ALAN: ("Person", "Alan Turing"),
    EVIL: ("Person", IMG_ALERT),
    DEEPMIND: ("Organization", "DeepMind"),
    NEURIPS: ("Event", "NeurIPS 2019"),
    KEYNOTE: ("Talk", "Keynote on learning"),
    PAPER: ("Paper", "Attention Is All You Need"),
    PYTORCH: ("Artifact", "PyTorch"),
    RL: ("Topic", "reinforcement learning"),
}


def _triples() -> list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
    """A small graph in the shape the pipeline writes, with one hostile note in it."""
    t: list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]] = []
    for e, (type_, label) in ENTITIES.items():
        t += [(e, RDF.type, CKG[type_]), (e, RDFS.label, Literal(label))]
    t += [(ADA, SKOS.altLabel, Literal("A. Lovelace")), (EVIL, SKOS.altLabel, Literal(JS_URL))]
    for note, title, path in ((DAY1, "Day 1", "notes/day1.md"), (BAD_NOTE, SCRIPT_ALERT, "notes/<evil>.md")):
        t += [
            (note, RDF.type, CKG.Note),
            (note, DCTERMS.title, Literal(title)),
            (note, CKG.path, Literal(path)),
        ]
    for e in (ADA, ALAN, DEEPMIND, NEURIPS, KEYNOTE, PAPER, PYTORCH, RL):
        t.append((DAY1, CKG.mentions, e))
    mention = iri("note/evil/mention/0-5-person")
    t += [
        (mention, RDF.type, CKG.Mention),
        (mention, CKG.refersTo, EVIL),
        (mention, CKG.inNote, BAD_NOTE),
        (mention, CKG.start, Literal(0)),
        (mention, CKG.end, Literal(5)),
        (mention, CKG.exact, Literal(IMG_ALERT)),
        (mention, CKG.confidence, Literal("0.9", datatype=DECIMAL)),
    ]

    def relation(s: URIRef, p: URIRef, o: URIRef, conf: str | None, note: URIRef, sentence: str) -> None:
        t.append((s, p, o))
        if conf is None:
            return  # a curated fact: no reified assertion
        a = iri(f"note/x/assertion/{len(t)}")
        t.extend(
            [
                (a, RDF.type, CKG.Assertion),
                (a, RDF.subject, s),
                (a, RDF.predicate, p),
                (a, RDF.object, o),
                (a, CKG.confidence, Literal(conf, datatype=DECIMAL)),
                (a, CKG.inNote, note),
                (a, CKG.sentence, Literal(sentence)),
            ]
        )

    relation(KEYNOTE, CKG.speaker, ADA, "0.9", DAY1, "Ada gave the keynote.")
    relation(KEYNOTE, CKG.partOf, NEURIPS, "0.95", DAY1, "The keynote opened NeurIPS 2019.")
    relation(ADA, CKG.affiliation, DEEPMIND, "0.3", DAY1, "Ada may be at DeepMind.")
    relation(PYTORCH, CKG.creator, DEEPMIND, None, DAY1, "")
    relation(PAPER, CKG.about, RL, "0.8", DAY1, "The paper is about RL.")
    relation(EVIL, CKG.affiliation, DEEPMIND, "0.7", BAD_NOTE, "</script><script>alert(1)</script>")
    for n, (a, b, w) in enumerate(((ADA, ALAN, 3), (ALAN, RL, 1))):
        c = iri(f"comention/{n}")
        t += [(c, RDF.type, CKG.CoMention), (c, CKG.coMentioned, a), (c, CKG.coMentioned, b)]
        t.append((c, CKG.weight, Literal(w, datatype=INTEGER)))
    return t


def build_graph(shuffle_seed: int | None = None) -> rdflib.Graph:
    triples = _triples()
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(triples)
    g = rdflib.Graph()
    for triple in triples:
        g.add(triple)
    return g


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return build_graph()


@pytest.fixture(scope="module")
def html(graph: rdflib.Graph) -> str:
    return render_explorer(explorer_data(graph))


def json_block(page: str, block_id: str) -> object:
    m = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.DOTALL)
    assert m, block_id
    return json.loads(m.group(1))


def page_csp(page: str) -> str:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert m
    return unescape(m.group(1))


# ------------------------------------------------------------------------------ offline


def test_page_makes_no_network_request(html: str) -> None:
    lowered = html.lower()
    for needle in (
        'src="http',
        "src='http",
        'href="http',
        "href='http",
        "//cdn",
        "cdnjs",
        "jsdelivr",
        "unpkg",
    ):
        assert needle not in lowered, needle
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert "bootstrap" not in lowered
    # vis-network itself is inlined, not linked.
    assert "vis-network" in html and "DataSet" in html and "new vis.Network(" in html
    assert "default-src 'none'" in page_csp(html)
    assert "unsafe-inline" not in page_csp(html).split(";")[1]


def test_csp_allows_exactly_the_page_scripts(html: str) -> None:
    bodies = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(bodies) == 2  # vis-network and the page's own code
    allowed = re.findall(r"'(sha256-[^']+)'", page_csp(html))
    digests = [f"sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}" for b in bodies]
    assert sorted(allowed) == sorted(digests)


def test_csp_would_block_a_script_smuggled_in_by_data(
    graph: rdflib.Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: with the JSON escaping switched off, the hostile sentence does close
    the data block and open a script, but the CSP hashes come from the template, not the page."""
    monkeypatch.setattr(explorer_mod, "_SCRIPT_ESCAPES", str.maketrans({}))
    page = render_explorer(explorer_data(graph))
    assert "<script>alert(1)</script>" in page  # the smuggled script is there...
    digest = base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode()
    assert f"sha256-{digest}" not in page_csp(page)  # ...but not allowed to run
    assert len(re.findall(r"'sha256-", page_csp(page))) == 2


def test_physics_off_and_positions_fixed(html: str) -> None:
    options = json_block(html, "ckg-options")
    assert isinstance(options, dict) and options["physics"] == {"enabled": False}
    nodes = json_block(html, "ckg-nodes")
    assert isinstance(nodes, list)
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)


# ------------------------------------------------------------------------------ escaping


def test_hostile_strings_are_never_live_markup(html: str) -> None:
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "</script><script>" not in html
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", html, re.IGNORECASE)
    # 3 data blocks + 2 scripts, nothing injected (vis-network's code holds a "<script>" string).
    page = html.replace(explorer_mod.vis_assets()[1], "")
    assert len(re.findall(r"<script\b", page)) == 5
    assert len(re.findall(r"</script>", page)) == 5


def test_hostile_strings_survive_as_data(html: str) -> None:
    """Escaping changes the bytes, not the meaning: the page's JS reads the exact strings."""
    nodes = {n["id"]: n for n in json_block(html, "ckg-nodes")}  # type: ignore[union-attr]
    evil = nodes[str(EVIL)]["tip"]
    assert evil["name"] == IMG_ALERT
    assert evil["aliases"] == [JS_URL]
    assert [SCRIPT_ALERT, "notes/<evil>.md"] in evil["notes"]
    edges = json_block(html, "ckg-edges")
    evidence = [ev for e in edges if e["from"] == str(EVIL) for ev in e["tip"]["evidence"]]  # type: ignore[union-attr]
    assert evidence == [[SCRIPT_ALERT, "</script><script>alert(1)</script>", 0.7]]


def test_script_json_escapes_what_could_break_out() -> None:
    out = str(explorer_mod.script_json({"k": "</script><!-- & \u2028\u2029 >"}))
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in out
    assert json.loads(out) == {"k": "</script><!-- & \u2028\u2029 >"}


def test_heading_is_autoescaped(graph: rdflib.Graph) -> None:
    page = render_explorer(explorer_data(graph), title=SCRIPT_ALERT)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ------------------------------------------------------------------------------ faithful


def test_one_node_per_entity(graph: rdflib.Graph, html: str) -> None:
    data = explorer_data(graph)
    assert {n.id for n in data.nodes} == {str(e) for e in ENTITIES}
    assert len(json_block(html, "ckg-nodes")) == len(ENTITIES) == data.counts.entities  # type: ignore[arg-type]
    assert {n.id: (n.type, n.label) for n in data.nodes} == {str(k): v for k, v in ENTITIES.items()}


def test_colours_and_shapes_by_type(graph: rdflib.Graph, html: str) -> None:
    data = explorer_data(graph)
    assert len({c for c, _, _ in TYPE_STYLE.values()}) == 7
    for n in data.nodes:
        assert (n.color, n.shape) == TYPE_STYLE[n.type][:2]
    by_id = {n["id"]: n for n in json_block(html, "ckg-nodes")}  # type: ignore[union-attr]
    assert by_id[str(DEEPMIND)]["color"]["background"] == TYPE_STYLE["Organization"][0]
    for entry in data.legend:
        assert f"color: {entry.color}" in html and f'data-type="{entry.type}"' in html
    assert {e.type: e.count for e in data.legend}["Person"] == 3


def test_sizes_grow_with_degree(graph: rdflib.Graph) -> None:
    data = explorer_data(graph)
    degree = {n.id: n.degree for n in data.nodes}
    # DeepMind: affiliation x2 + creator; Ada: speaker + affiliation + co-mention.
    assert degree[str(DEEPMIND)] == 3 and degree[str(ADA)] == 3 and degree[str(NEURIPS)] == 1
    pairs = sorted((n.degree, n.size) for n in data.nodes)
    for (d1, s1), (d2, s2) in zip(pairs, pairs[1:], strict=False):
        assert s1 < s2 if d1 < d2 else s1 == s2
    sizes = [node_size(d) for d in range(200)]
    assert sizes == sorted(set(sizes))


def test_relations_and_comentions_are_distinct_edges(graph: rdflib.Graph, html: str) -> None:
    data = explorer_data(graph)
    rel = {(e.source, e.label, e.target) for e in data.edges if e.kind == "relation"}
    assert (str(KEYNOTE), "speaker", str(ADA)) in rel and (str(PYTORCH), "creator", str(DEEPMIND)) in rel
    co = {(e.source, e.target): e.weight for e in data.edges if e.kind == "comention"}
    assert co == {(str(ADA), str(ALAN)): 3.0, (str(ALAN), str(RL)): 1.0}
    assert data.counts.relations == 6 and data.counts.comentions == 2
    for e in json_block(html, "ckg-edges"):  # type: ignore[union-attr]
        if e["kind"] == "comention":
            assert e["dashes"] is True and "arrows" not in e and "label" not in e
        else:
            assert e["arrows"] == "to" and e["label"] and "dashes" not in e
    edges = json_block(html, "ckg-edges")
    widths = {(e["from"], e["to"]): e["width"] for e in edges if e["kind"] == "comention"}  # type: ignore[union-attr]
    assert widths[(str(ADA), str(ALAN))] > widths[(str(ALAN), str(RL))]


def test_tooltip_data_names_aliases_and_notes(graph: rdflib.Graph) -> None:
    ada = next(n for n in explorer_data(graph).nodes if n.id == str(ADA))
    assert ada.aliases == ("A. Lovelace",)
    assert [(r.title, r.path) for r in ada.notes] == [("Day 1", "notes/day1.md")]


def test_min_confidence_drops_weak_edges(graph: rdflib.Graph) -> None:
    data = explorer_data(graph, min_confidence=0.5)
    labels = {(e.source, e.label, e.target) for e in data.edges}
    assert (str(ADA), "affiliation", str(DEEPMIND)) not in labels  # 0.3
    assert (str(KEYNOTE), "speaker", str(ADA)) in labels  # 0.9
    assert (str(PYTORCH), "creator", str(DEEPMIND)) in labels  # states no confidence: kept
    assert data.counts.low_confidence_dropped == 1
    assert len(data.nodes) == len(ENTITIES)  # entities stay; only edges go
    assert {n.id: n.degree for n in data.nodes}[str(ADA)] == 2
    everything = explorer_data(graph, min_confidence=1.0)
    assert {e.kind for e in everything.edges} == {"relation", "comention"}
    assert all(e.confidence is None for e in everything.edges)
    with pytest.raises(ValueError):
        explorer_data(graph, min_confidence=1.5)


def test_max_nodes_keeps_the_most_connected(graph: rdflib.Graph) -> None:
    data = explorer_data(graph, max_nodes=3)
    assert [n.id for n in data.nodes] == sorted([str(ADA), str(DEEPMIND), str(ALAN)])
    kept = {n.id for n in data.nodes}
    assert all(e.source in kept and e.target in kept for e in data.edges)
    assert data.counts.capped_nodes == len(ENTITIES) - 3 and data.counts.nodes == 3
    with pytest.raises(ValueError):
        explorer_data(graph, max_nodes=0)


# ------------------------------------------------------------------------------ reproducible


def test_same_graph_gives_byte_identical_page(tmp_path: Path) -> None:
    first = write_explorer(build_graph(), tmp_path / "a.html").read_bytes()
    again = write_explorer(build_graph(), tmp_path / "b.html").read_bytes()
    shuffled = write_explorer(build_graph(shuffle_seed=7), tmp_path / "c.html").read_bytes()
    assert first == again == shuffled
    other_seed = write_explorer(build_graph(), tmp_path / "d.html", seed=1).read_bytes()
    assert other_seed != first


def test_layout_beyond_the_spring_core_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explorer_model, "LAYOUT_CORE", 5)
    nodes = [f"n{i:02d}" for i in range(30)]
    edges = [(nodes[i], nodes[i + 1]) for i in range(19)] + [("n25", "n26")]  # a path, a pair, isolates
    degree = {n: sum(n in e for e in edges) for n in nodes}
    pos = layout(nodes, edges, degree, seed=3)
    assert set(pos) == set(nodes) and len(set(pos.values())) == len(nodes)
    assert layout(list(reversed(nodes)), list(reversed(edges)), degree, seed=3) == pos


# ------------------------------------------------------------------------------ atomic write


def test_write_is_atomic(graph: rdflib.Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "out" / "graph.html"
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(explorer_mod.os, "replace", spy)
    assert write_explorer(graph, dest) == dest
    assert replaced and Path(replaced[0][0]).parent == dest.parent and replaced[0][1] == str(dest)
    assert dest.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in dest.parent.iterdir()) == ["graph.html"]

    # A failure half-way leaves the previous page whole and no temporary file behind.
    dest.write_text("previous page", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(explorer_mod.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_explorer(graph, dest)
    assert dest.read_text(encoding="utf-8") == "previous page"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["graph.html"]


# ------------------------------------------------------------------------------ in a browser


@pytest.mark.browser
def test_page_renders_offline_in_chromium(graph: rdflib.Graph, tmp_path: Path) -> None:
    """Every request but file:// and data: is aborted; the page must still draw every node."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")
    page_path = write_explorer(graph, tmp_path / "graph.html")
    console_errors: list[str] = []
    failed: list[str] = []
    dialogs: list[str] = []
    blocked: list[str] = []

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(("file://", "data:")):
            r.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(url)
            r.abort()  # type: ignore[attr-defined]

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.route("**/*", route)
            page.goto(page_path.as_uri())
            # The scripts are inline and synchronous: by the load event the network exists.
            # (No wait_for_function: Playwright polls with eval, which the page's CSP forbids.)
            assert page.evaluate("typeof network") == "object"
            assert page.evaluate("network.body.data.nodes.length") == len(ENTITIES)
            assert page.evaluate("network.body.data.edges.length") == 8
            # Hover and click the hostile node: its tooltip and details must stay text.
            x, y = page.evaluate(
                """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                          const r = document.getElementById('mynetwork').getBoundingClientRect();
                          return [p.x + r.left, p.y + r.top]; }""",
                str(EVIL),
            )
            page.mouse.move(x, y)
            page.mouse.click(x, y)
            page.wait_for_timeout(400)
            assert IMG_ALERT in page.inner_text("#details")
            assert page.evaluate("document.querySelectorAll('img, a[href]').length") == 0
        finally:
            browser.close()
    assert console_errors == []
    assert failed == []
    assert blocked == []
    assert dialogs == []
