"""The HTML explorer's model and page: offline, escaped, faithful to the graph, reproducible,
written atomically. The page's behaviour in a browser is tested in tests/browser/."""

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
from confkg.outputs.explorer import (
    explorer_data,
    page_data,
    render_explorer,
    utf16_offset,
    write_explorer,
    write_explorer_from_store,
)
from confkg.outputs.explorer_model import (
    TYPE_STYLE,
    clip_sentence,
    layout,
    locate_mention,
    node_size,
    pagerank,
)
from confkg.store import GraphStore
from confkg.vocab import CKG, ID

SCRIPT_ALERT = "<script>alert(1)</script>"
IMG_ALERT = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"
# Not XSD itself at module level: pytest probes module attributes and XSD warns on unknown names.
DECIMAL, INTEGER = rdflib.XSD.decimal, rdflib.XSD.integer


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


ADA, ALAN, EVIL = iri("person/ada"), iri("person/alan"), iri("person/evil")
DEEPMIND, NEURIPS = iri("organization/deepmind"), iri("event/neurips-2019")
KEYNOTE, PAPER = iri("talk/keynote"), iri("paper/attention")
PYTORCH, RL = iri("artifact/pytorch"), iri("topic/rl")
DAY1, BAD_NOTE = iri("note/day1"), iri("note/evil")
SECTION = iri("note/day1/section/0")

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
ADA_SENTENCE = "\U0001f680 Then Ada Lovelace spoke."  # an astral character before the mention
HOSTILE_SENTENCE = f"{SCRIPT_ALERT} was said by {IMG_ALERT} at {JS_URL}"


Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]


def _mention(t: list[Triple], name: str, entity: URIRef, note: URIRef, sentence: str, exact: str, line: int) -> None:
    """A Mention as the pipeline writes it: file offsets, and the sentence's own start."""
    m = iri(f"note/x/mention/{name}")
    sentence_start = 1000 + 100 * line
    at = sentence.index(exact)
    t += [
        (m, RDF.type, CKG.Mention),
        (m, CKG.refersTo, entity),
        (m, CKG.inNote, note),
        (m, CKG.line, Literal(line)),
        (m, CKG.start, Literal(sentence_start + at)),
        (m, CKG.end, Literal(sentence_start + at + len(exact))),
        (m, CKG.sentenceStart, Literal(sentence_start)),
        (m, CKG.sentenceEnd, Literal(sentence_start + len(sentence))),
        (m, CKG.sentence, Literal(sentence)),
        (m, CKG.exact, Literal(exact)),
        (m, CKG.confidence, Literal("0.9", datatype=DECIMAL)),
    ]


def _triples() -> list[Triple]:
    """A small graph in the shape the pipeline writes, with one hostile note in it."""
    t: list[Triple] = []
    for e, (type_, label) in ENTITIES.items():
        t += [(e, RDF.type, CKG[type_]), (e, RDFS.label, Literal(label))]
    t += [(ADA, SKOS.altLabel, Literal("A. Lovelace")), (EVIL, SKOS.altLabel, Literal(JS_URL))]
    t += [(PAPER, CKG.arxivId, Literal("1706.03762")), (KEYNOTE, CKG.kind, Literal("invited talk"))]
    for note, title, path in ((DAY1, "Day 1", "notes/day1.md"), (BAD_NOTE, SCRIPT_ALERT, "notes/<evil>.md")):
        t += [
            (note, RDF.type, CKG.Note),
            (note, DCTERMS.title, Literal(title)),
            (note, CKG.path, Literal(path)),
        ]
    t.append((DAY1, CKG.event, NEURIPS))
    for e in (ADA, ALAN, DEEPMIND, NEURIPS, KEYNOTE, PAPER, PYTORCH, RL):
        t.append((DAY1, CKG.mentions, e))
    _mention(t, "ada", ADA, DAY1, ADA_SENTENCE, "Ada Lovelace", 3)
    _mention(t, "evil", EVIL, BAD_NOTE, HOSTILE_SENTENCE, IMG_ALERT, 7)
    t += [(SECTION, RDF.type, CKG.Section), (SECTION, CKG.sectionOf, DAY1), (SECTION, CKG.heading, Literal("Morning"))]

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
                (a, CKG.line, Literal(len(t))),
                (a, CKG.sentence, Literal(sentence)),
                (a, CKG.start, Literal(500)),
                (a, CKG.end, Literal(500 + len(sentence))),
                (a, CKG.sentenceStart, Literal(500)),
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
        t += [(c, CKG.weight, Literal(w, datatype=INTEGER)), (c, CKG.inSection, SECTION)]
        t.append((c, CKG.confidence, Literal("0.3", datatype=DECIMAL)))
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


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("explorer-store") / "store"
    g = iri("graph/day1")
    with GraphStore.build(directory, ((s, p, o, g) for s, p, o in _triples())):
        pass
    s = GraphStore.open(directory)
    yield s
    s.close()


def json_block(page: str, block_id: str) -> object:
    m = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.DOTALL)
    assert m, block_id
    return json.loads(m.group(1))


def page_csp(page: str) -> str:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert m
    return unescape(m.group(1))


def node_by_label(data: explorer_model.ExplorerData, label: str) -> explorer_model.ExplorerNode:
    return next(n for n in data.nodes if n.label == label)


# ------------------------------------------------------------------------------ offline


def test_page_makes_no_network_request(html: str) -> None:
    lowered = html.lower()
    for needle in ('src="http', "src='http", 'href="http', "href='http", "//cdn", "cdnjs", "jsdelivr", "unpkg"):
        assert needle not in lowered, needle
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert "sourcemappingurl" not in lowered  # DevTools would fetch the map
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


def test_csp_would_block_a_script_smuggled_in_by_data(graph: rdflib.Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: with the JSON escaping switched off, the hostile sentence does close
    the data block and open a script, but the CSP hashes come from the template, not the page."""
    monkeypatch.setattr(explorer_mod, "_SCRIPT_ESCAPES", str.maketrans({}))
    page = render_explorer(explorer_data(graph))
    assert "<script>alert(1)</script>" in page  # the smuggled script is there...
    digest = base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode()
    assert f"sha256-{digest}" not in page_csp(page)  # ...but not allowed to run
    assert len(re.findall(r"'sha256-", page_csp(page))) == 2


def test_page_script_never_writes_html() -> None:
    """The page's own script builds the DOM from text only."""
    js, _css = explorer_mod.page_assets()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", ".href"):
        assert sink not in js, sink


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
    # 4 data blocks + 2 scripts, nothing injected (vis-network's code holds a "<script>" string).
    page = html.replace(explorer_mod.vis_assets()[1], "")
    assert len(re.findall(r"<script\b", page)) == 6
    assert len(re.findall(r"</script>", page)) == 6


def test_hostile_strings_survive_as_data(html: str) -> None:
    """Escaping changes the bytes, not the meaning: the page's JS reads the exact strings."""
    info = json_block(html, "ckg-info")
    assert isinstance(info, dict)
    evil = next(n for n in info["nodes"] if n["name"] == IMG_ALERT)
    assert evil["aliases"] == [JS_URL]
    # Notes in the order of their names: "<" sorts before letters.
    assert [note[:2] for note in info["notes"]] == [["notes/<evil>.md", SCRIPT_ALERT], ["notes/day1.md", "Day 1"]]
    note, _line, text, a, b, _conf = evil["sources"][0]
    assert info["texts"][text] == HOSTILE_SENTENCE and info["texts"][text][a:b] == IMG_ALERT
    assert info["notes"][note][1] == SCRIPT_ALERT
    sentences = [info["texts"][ev[2]] for r in info["relations"] for ev in r[4]]
    assert "</script><script>alert(1)</script>" in sentences
    titles = [n["title"] for n in json_block(html, "ckg-nodes")]  # type: ignore[union-attr]
    assert f"{IMG_ALERT}\nPerson \u00b7 1 link" in titles


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


def test_store_and_rdflib_give_the_same_page(graph: rdflib.Graph, store: GraphStore, tmp_path: Path) -> None:
    assert explorer_data(store) == explorer_data(graph)
    a = write_explorer(graph, tmp_path / "a.html").read_bytes()
    b = write_explorer_from_store(store, tmp_path / "b.html").read_bytes()
    assert a == b
    with pytest.raises(TypeError):
        explorer_data("not a graph")  # type: ignore[arg-type]


def test_colours_shapes_and_legend_by_type(graph: rdflib.Graph, html: str) -> None:
    data = explorer_data(graph)
    assert len({c for c, _, _ in TYPE_STYLE.values()}) == 7
    for n in data.nodes:
        assert (n.color, n.shape) == TYPE_STYLE[n.type][:2]
    options = json_block(html, "ckg-options")
    groups = options["groups"]  # type: ignore[index]
    assert {t: (g["color"]["background"], g["shape"]) for t, g in groups.items()} == {
        t: s[:2] for t, s in TYPE_STYLE.items()
    }
    assert {n["group"] for n in json_block(html, "ckg-nodes")} == set(TYPE_STYLE)  # type: ignore[union-attr]
    assert {e.type: e.count for e in data.legend}["Person"] == 3
    info = json_block(html, "ckg-info")
    assert [t[0] for t in info["types"]] == list(TYPE_STYLE)  # type: ignore[index]


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
    assert (str(KEYNOTE), "part of", str(NEURIPS)) in rel
    co = {(e.source, e.target): e.weight for e in data.edges if e.kind == "comention"}
    assert co == {(str(ADA), str(ALAN)): 3.0, (str(ALAN), str(RL)): 1.0}
    assert data.counts.relations == 6 and data.counts.comentions == 2
    for e in json_block(html, "ckg-edges"):  # type: ignore[union-attr]
        if e["id"].startswith("c"):
            assert "arrows" not in e and "label" not in e  # the options' defaults: dashed, grey
        else:
            assert e["arrows"] == "to" and e["label"] and e["dashes"] is False
    assert json_block(html, "ckg-options")["edges"]["dashes"] is True  # type: ignore[index]
    widths = {(e["from"], e["to"]): e["width"] for e in json_block(html, "ckg-edges") if e["id"][0] == "c"}  # type: ignore[union-attr]
    assert sorted(widths.values()) == [1.0, round(1 + 1.584962500721156, 2)]


def test_sources_mark_the_mention_in_its_sentence(graph: rdflib.Graph) -> None:
    data = explorer_data(graph)
    ada = node_by_label(data, "Ada Lovelace")
    (src,) = ada.sources
    assert src.sentence == ADA_SENTENCE and src.mark is not None
    assert src.sentence[src.mark[0] : src.mark[1]] == "Ada Lovelace"
    assert data.notes[src.note].path == "notes/day1.md" and src.line == 3 and src.confidence == 0.9
    # The page gets the mark in UTF-16 units, as JS's String.slice counts: the rocket is two.
    info = page_data(data)
    record = info["nodes"][data.nodes.index(ada)]["sources"][0]
    text = info["texts"][record[2]]
    units = text.encode("utf-16-le")
    assert units[2 * record[3] : 2 * record[4]].decode("utf-16-le") == "Ada Lovelace"
    assert record[3] == src.mark[0] + 1


def test_relation_evidence_keeps_note_line_sentence_confidence(graph: rdflib.Graph) -> None:
    data = explorer_data(graph)
    speaker = next(e for e in data.edges if e.label == "speaker")
    (ev,) = speaker.evidence
    assert (data.notes[ev.note].title, ev.sentence, ev.confidence) == ("Day 1", "Ada gave the keynote.", 0.9)
    assert ev.mark == (0, len("Ada gave the keynote.")) and isinstance(ev.line, int)
    creator = next(e for e in data.edges if e.label == "creator")
    assert creator.evidence == () and creator.confidence is None  # curated: no sentence
    co = next(e for e in data.edges if e.kind == "comention")
    assert [(data.notes[s.note].title, s.heading) for s in co.sections] == [("Day 1", "Morning")]


def test_details_data_names_aliases_facts_notes_and_events(graph: rdflib.Graph) -> None:
    data = explorer_data(graph)
    ada = node_by_label(data, "Ada Lovelace")
    assert ada.aliases == ("A. Lovelace",)
    assert [data.notes[i].path for i in ada.notes] == ["notes/day1.md"]
    assert node_by_label(data, "Attention Is All You Need").facts == (("arXiv", "1706.03762"),)
    assert data.events == ((str(NEURIPS), "NeurIPS 2019"),)
    day1 = next(i for i, n in enumerate(data.notes) if n.path == "notes/day1.md")
    assert data.notes[day1].event == str(NEURIPS) and data.notes[1 - day1].event == ""
    # The event a note is about belongs to that note, for the event/note filter.
    assert node_by_label(data, "NeurIPS 2019").notes == (day1,)


def test_locate_mention_trusts_offsets_then_searches() -> None:
    assert locate_mention("Ada met Ada.", 8, "Ada") == (8, 11)
    assert locate_mention("Ada met Ada.", 5, "Ada") == (8, 11)  # offsets off: nearest occurrence
    assert locate_mention("  Ada met", 0, "Ada") == (2, 5)  # a sentence stored trimmed
    assert locate_mention("nothing here", 3, "Ada") is None
    assert locate_mention("Ada", None, "") is None


def test_long_sentences_are_cut_around_the_mention() -> None:
    sentence = "x" * 1000 + "Ada" + "y" * 1000
    clipped, mark = clip_sentence(sentence, (1000, 1003))
    assert len(clipped) <= explorer_model.MAX_SENTENCE_CHARS + 2 and mark is not None
    assert clipped[mark[0] : mark[1]] == "Ada" and clipped[0] == clipped[-1] == "\u2026"
    assert clip_sentence("short", (0, 5)) == ("short", (0, 5))


def test_min_confidence_drops_weak_edges(graph: rdflib.Graph) -> None:
    data = explorer_data(graph, min_confidence=0.5)
    labels = {(e.source, e.label, e.target) for e in data.edges}
    assert (str(ADA), "affiliation", str(DEEPMIND)) not in labels  # 0.3
    assert (str(KEYNOTE), "speaker", str(ADA)) in labels  # 0.9
    assert (str(PYTORCH), "creator", str(DEEPMIND)) in labels  # states no confidence: kept
    assert data.counts.low_confidence_dropped == 3  # the affiliation and both co-mentions (0.3)
    assert len(data.nodes) == len(ENTITIES)  # entities stay; only edges go
    assert {n.id: n.degree for n in data.nodes}[str(ADA)] == 1
    everything = explorer_data(graph, min_confidence=1.0)
    assert [e.label for e in everything.edges] == ["creator"]
    with pytest.raises(ValueError):
        explorer_data(graph, min_confidence=1.5)


# ------------------------------------------------------------------------------ large graphs


def test_pagerank_ranks_hubs_first_and_sums_to_one() -> None:
    nodes = ["a", "b", "c", "d", "e"]
    edges = [("a", "b"), ("a", "c"), ("a", "d"), ("d", "e")]
    pr = pagerank(nodes, edges)
    assert abs(sum(pr.values()) - 1.0) < 1e-9
    assert max(pr, key=pr.__getitem__) == "a" and pr["b"] == pytest.approx(pr["c"])
    assert pagerank([], []) == {} and pagerank(["x"], []) == {"x": 1.0}


def test_nodes_come_most_central_first_and_the_page_opens_on_them(graph: rdflib.Graph) -> None:
    data = explorer_data(graph, open_nodes=3)
    scores = [n.score for n in data.nodes]
    assert scores == sorted(scores, reverse=True) and [n.rank for n in data.nodes] == list(range(len(ENTITIES)))
    assert data.counts.open_nodes == 3 and len(data.nodes) == len(ENTITIES)
    assert page_data(data)["open"] == 3
    assert explorer_data(graph).counts.open_nodes == len(ENTITIES)  # below the threshold: all


def test_max_nodes_keeps_the_most_central(graph: rdflib.Graph) -> None:
    everything = explorer_data(graph)
    data = explorer_data(graph, max_nodes=3)
    assert [n.id for n in data.nodes] == [n.id for n in everything.nodes[:3]]
    kept = {n.id for n in data.nodes}
    assert all(e.source in kept and e.target in kept for e in data.edges)
    assert data.counts.capped_nodes == len(ENTITIES) - 3 and data.counts.nodes == 3
    with pytest.raises(ValueError):
        explorer_data(graph, max_nodes=0)


def test_layout_beyond_the_force_core_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explorer_model, "LAYOUT_CORE", 5)
    nodes = [f"n{i:02d}" for i in range(30)]
    edges = [(nodes[i], nodes[i + 1]) for i in range(19)] + [("n25", "n26")]  # a path, a pair, isolates
    degree = {n: float(sum(n in e for e in edges)) for n in nodes}
    pos = layout(nodes, edges, degree, seed=3)
    assert set(pos) == set(nodes) and len(set(pos.values())) == len(nodes)
    assert layout(list(reversed(nodes)), list(reversed(edges)), degree, seed=3) == pos


def test_layout_keeps_linked_nodes_closer_than_strangers() -> None:
    """Two cliques joined by one edge: the force layout puts each clique together."""
    a = [f"a{i}" for i in range(8)]
    b = [f"b{i}" for i in range(8)]
    edges = [(x, y) for group in (a, b) for i, x in enumerate(group) for y in group[i + 1 :]] + [("a0", "b0")]
    pos = layout(a + b, edges, {}, seed=1)

    def dist(p: str, q: str) -> float:
        return ((pos[p][0] - pos[q][0]) ** 2 + (pos[p][1] - pos[q][1]) ** 2) ** 0.5

    within = max(dist(x, y) for group in (a, b) for x in group for y in group)
    between = min(dist(x, y) for x in a[1:] for y in b[1:])
    assert within < between * 2.5 and sum(dist(x, y) for x in a for y in a) < sum(dist(x, y) for x in a for y in b)


# ------------------------------------------------------------------------------ reproducible


def test_same_graph_gives_byte_identical_page(tmp_path: Path) -> None:
    first = write_explorer(build_graph(), tmp_path / "a.html").read_bytes()
    again = write_explorer(build_graph(), tmp_path / "b.html").read_bytes()
    shuffled = write_explorer(build_graph(shuffle_seed=7), tmp_path / "c.html").read_bytes()
    assert first == again == shuffled
    other_seed = write_explorer(build_graph(), tmp_path / "d.html", seed=1).read_bytes()
    assert other_seed != first


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


def test_utf16_offsets() -> None:
    assert utf16_offset("abc", 2) == 2
    assert utf16_offset("\U0001f680abc", 2) == 3
