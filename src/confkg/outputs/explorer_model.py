"""What the HTML graph explorer shows, read from the RDF graph with SPARQL.

This module decides *what* is drawn (which entities, which edges, their colours, sizes and
positions); ``explorer.py`` decides *how* it is written as a page. Keeping the two apart lets
the tests check the model without parsing HTML, and lets other outputs reuse the layout.

Everything here is deterministic: the queries' rows are sorted before use, ties are broken
by IRI, and the layout is seeded, so the same graph always gives the same model and hence a
byte-identical page.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal as TypingLiteral

import networkx as nx
import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from confkg.model import ENTITY_TYPES
from confkg.vocab import NS

# Okabe & Ito's palette, chosen to stay distinguishable under the common forms of colour
# blindness; each type also gets its own shape so that colour is never the only cue.
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    # type: (colour, vis shape, legend glyph)
    "Person": ("#0072B2", "dot", "\u25cf"),
    "Organization": ("#E69F00", "square", "\u25a0"),
    "Event": ("#009E73", "diamond", "\u25c6"),
    "Talk": ("#CC79A7", "triangle", "\u25b2"),
    "Paper": ("#D55E00", "triangleDown", "\u25bc"),
    "Artifact": ("#56B4E9", "star", "\u2605"),
    "Topic": ("#F0E442", "hexagon", "\u2b22"),
}

# Above this many nodes the spring layout runs on the most connected nodes only: networkx
# switches to a scipy-only sparse solver at 500 nodes (scipy is not a dependency), and the
# dense solver is quadratic, so everything else is placed next to its neighbours instead.
LAYOUT_CORE = 450
LAYOUT_ITERATIONS = 50
MAX_NOTES_PER_NODE = 12
MAX_EVIDENCE_PER_EDGE = 3
MAX_LABEL_CHARS = 48

EdgeKind = TypingLiteral["relation", "comention"]

_PREFIXES = """\
PREFIX ckg: <https://w3id.org/confkg/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# The queries are deliberately small basic graph patterns joined in Python: rdflib's SPARQL
# engine answers those in linear time, whereas OPTIONAL and UNION with a VALUES join turned
# out quadratic (a 2,000-entity graph took 90 s in one query, against 0.3 s split up).

# The seven entity classes, ranked: an entity typed twice is drawn as its first type.
_Q_ENTITIES = (
    _PREFIXES
    + """
SELECT ?e ?rank WHERE {
  VALUES (?type ?rank) {
    (ckg:Person 0) (ckg:Organization 1) (ckg:Event 2) (ckg:Talk 3)
    (ckg:Paper 4) (ckg:Artifact 5) (ckg:Topic 6)
  }
  ?e a ?type .
  FILTER(isIRI(?e))
}
"""
)

_Q_LABELS = _PREFIXES + "SELECT ?e ?label WHERE { ?e rdfs:label ?label }"

_Q_ALIASES = _PREFIXES + "SELECT ?e ?alias WHERE { ?e skos:altLabel ?alias }"

# A note names an entity either directly (ckg:mentions) or through a Mention node.
_Q_NOTE_LINKS = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?note WHERE {
  { ?note ckg:mentions ?e } UNION { ?m ckg:refersTo ?e ; ckg:inNote ?note }
}
"""
)

_Q_NOTE_TITLES = _PREFIXES + "SELECT ?note ?title WHERE { ?note dcterms:title ?title }"

_Q_NOTE_PATHS = _PREFIXES + "SELECT ?note ?path WHERE { ?note ckg:path ?path }"

# The relations between entities. The list is explicit (the ontology's "relations between
# entities") so that each one is an index lookup rather than a scan of every triple; both
# ends are then checked to be entities, which rules out sections and notes.
_Q_RELATIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p {
    ckg:partOf ckg:subEventOf ckg:editionOf ckg:speaker ckg:panelist ckg:moderator
    ckg:affiliation ckg:author ckg:creator ckg:developer ckg:about
  }
  ?s ?p ?o .
}
"""
)

# The reified copies of those relations carry the confidence, the sentence and the note.
_Q_ASSERTIONS = (
    _PREFIXES
    + "SELECT ?a ?s ?p ?o WHERE { ?a a ckg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"
)
_Q_ASSERTION_CONFIDENCE = _PREFIXES + "SELECT ?a ?v WHERE { ?a a ckg:Assertion ; ckg:confidence ?v }"
_Q_ASSERTION_SENTENCE = _PREFIXES + "SELECT ?a ?v WHERE { ?a a ckg:Assertion ; ckg:sentence ?v }"
_Q_ASSERTION_NOTE = _PREFIXES + "SELECT ?a ?v WHERE { ?a a ckg:Assertion ; ckg:inNote ?v }"

_Q_COMENTION_MEMBERS = _PREFIXES + "SELECT ?c ?e WHERE { ?c a ckg:CoMention ; ckg:coMentioned ?e }"
_Q_COMENTION_WEIGHT = _PREFIXES + "SELECT ?c ?v WHERE { ?c a ckg:CoMention ; ckg:weight ?v }"
_Q_COMENTION_CONFIDENCE = _PREFIXES + "SELECT ?c ?v WHERE { ?c a ckg:CoMention ; ckg:confidence ?v }"

_prepared: dict[str, Query] = {}


def _query(graph: rdflib.Graph, text: str) -> Iterable[rdflib.query.ResultRow]:
    """Run one of this module's constant queries, parsing each only once per process."""
    q = _prepared.get(text)
    if q is None:
        q = _prepared[text] = prepareQuery(text)
    return graph.query(q)  # type: ignore[return-value]


def _pairs(graph: rdflib.Graph, text: str) -> Iterable[tuple[str, rdflib.term.Node]]:
    """Rows of a two-column query whose first column is a resource, keyed by its IRI."""
    for row in _query(graph, text):
        yield str(row[0]), row[1]


# ------------------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A note an entity was read from, as the tooltip names it."""

    iri: str
    title: str
    path: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reified assertion behind a relation edge: where it was read and how sure we are."""

    note_title: str
    sentence: str
    confidence: float | None


@dataclass(frozen=True, slots=True)
class ExplorerNode:
    """An entity as drawn: ``id`` is its IRI, ``x``/``y`` are fixed positions in pixels."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...]
    notes: tuple[NoteRef, ...]
    more_notes: int
    degree: int
    color: str
    shape: str
    size: float
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class ExplorerEdge:
    """An asserted relation (directed, labelled) or a co-mention (undirected, weighted)."""

    id: str
    source: str
    target: str
    kind: EdgeKind
    label: str
    predicate: str
    confidence: float | None
    weight: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    type: str
    color: str
    shape: str
    glyph: str
    count: int


@dataclass(frozen=True, slots=True)
class ExplorerCounts:
    """What was read and what was left out, so the page can say so."""

    entities: int
    nodes: int
    relations: int
    comentions: int
    low_confidence_dropped: int
    capped_nodes: int


@dataclass(frozen=True, slots=True)
class ExplorerData:
    nodes: tuple[ExplorerNode, ...]
    edges: tuple[ExplorerEdge, ...]
    legend: tuple[LegendEntry, ...]
    counts: ExplorerCounts


# ------------------------------------------------------------------------------ helpers


def _number(term: object) -> float | None:
    """A finite float from a literal, or None: a malformed confidence must not crash a page."""
    if not isinstance(term, rdflib.Literal):
        return None
    try:
        value = float(term.toPython())
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _local_name(iri: str) -> str:
    """The readable tail of an IRI: the predicate name for edge labels, a fallback label."""
    if iri.startswith(NS):
        return iri[len(NS) :]
    tail = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return tail or iri


def node_size(degree: int) -> float:
    """Strictly increasing in degree but logarithmic, so hubs do not swallow the picture."""
    return round(8.0 + 4.0 * math.log2(1 + degree), 2)


def short_label(label: str) -> str:
    """The label drawn on the canvas; the tooltip keeps the whole text."""
    label = " ".join(label.split())
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "\u2026"


# ------------------------------------------------------------------------------ reading


def _read_entities(graph: rdflib.Graph) -> dict[str, tuple[str, str]]:
    """IRI -> (type, label) for every entity of the seven types."""
    rank: dict[str, int] = {}
    for row in _query(graph, _Q_ENTITIES):
        iri = str(row[0])
        rank[iri] = min(rank.get(iri, 99), int(row[1]))
    labels: dict[str, set[str]] = defaultdict(set)
    for iri, label in _pairs(graph, _Q_LABELS):
        if iri in rank and str(label).strip():
            labels[iri].add(str(label))
    out: dict[str, tuple[str, str]] = {}
    for iri, r in rank.items():
        # Several labels: the shortest, then the alphabetically first; stable and readable.
        best = min(labels.get(iri, ()), key=lambda s: (len(s), s), default=None)
        out[iri] = (ENTITY_TYPES[r], best if best is not None else _local_name(iri))
    return out


def _read_aliases(graph: rdflib.Graph, entities: dict[str, tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    aliases: dict[str, set[str]] = defaultdict(set)
    for iri, alias in _pairs(graph, _Q_ALIASES):
        text = str(alias)
        if iri in entities and text.strip() and text != entities[iri][1]:
            aliases[iri].add(text)
    return {iri: tuple(sorted(values)) for iri, values in aliases.items()}


def _first_values(graph: rdflib.Graph, text: str) -> dict[str, str]:
    """Resource -> its alphabetically first value of one property: one value, chosen stably."""
    out: dict[str, str] = {}
    for iri, value in _pairs(graph, text):
        v = str(value)
        if iri not in out or v < out[iri]:
            out[iri] = v
    return out


def _read_sources(
    graph: rdflib.Graph, entities: dict[str, tuple[str, str]], titles: dict[str, str], paths: dict[str, str]
) -> dict[str, list[NoteRef]]:
    """The notes each entity was read from, ordered by title."""
    out: dict[str, list[NoteRef]] = defaultdict(list)
    for row in _query(graph, _Q_NOTE_LINKS):
        iri, note = str(row[0]), str(row[1])
        if iri in entities:
            out[iri].append(NoteRef(note, titles.get(note, ""), paths.get(note, "")))
    for refs in out.values():
        refs.sort(key=lambda r: (r.title or r.path or r.iri, r.path, r.iri))
    return out


def _better(a: float | None, b: float | None) -> float | None:
    """The larger of two optional numbers: an unknown value never beats a known one."""
    if a is None:
        return b
    return a if b is None else max(a, b)


def _read_relations(
    graph: rdflib.Graph,
    entities: dict[str, tuple[str, str]],
    note_names: dict[str, str],
    min_confidence: float,
) -> tuple[list[ExplorerEdge], int]:
    """Relation edges that pass ``min_confidence``, and how many did not.

    A relation's confidence is the best of its reified assertions. A direct triple with no
    assertion that states a confidence was put there without one (a curated fact), so it
    is kept whatever the threshold.
    """
    triples = sorted(
        (str(s), str(p), str(o))
        for s, p, o in _query(graph, _Q_RELATIONS)
        if str(s) in entities and str(o) in entities
    )
    wanted = set(triples)
    spo_of: dict[str, tuple[str, str, str]] = {}
    for row in _query(graph, _Q_ASSERTIONS):
        spo = (str(row[1]), str(row[2]), str(row[3]))
        if spo in wanted:
            spo_of[str(row[0])] = spo
    confidence: dict[str, float | None] = {}
    for a, value in _pairs(graph, _Q_ASSERTION_CONFIDENCE):
        if a in spo_of:
            confidence[a] = _better(confidence.get(a), _number(value))
    sentence = {a: " ".join(s.split()) for a, s in _first_values(graph, _Q_ASSERTION_SENTENCE).items()}
    note = _first_values(graph, _Q_ASSERTION_NOTE)

    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for a, spo in spo_of.items():
        n = note.get(a, "")
        evidence[spo].append(Evidence(note_names.get(n, n), sentence.get(a, ""), confidence.get(a)))

    edges: list[ExplorerEdge] = []
    dropped = 0
    for spo in triples:
        ev = evidence.get(spo, [])
        best: float | None = None
        for e in ev:
            best = _better(best, e.confidence)
        if best is not None and best < min_confidence:
            dropped += 1
            continue
        kept = sorted(
            {e for e in ev if e.confidence is None or e.confidence >= min_confidence},
            key=lambda e: (-(e.confidence or 0.0), e.note_title, e.sentence),
        )
        s, p, o = spo
        edges.append(
            ExplorerEdge(
                id="",
                source=s,
                target=o,
                kind="relation",
                label=_local_name(p),
                predicate=p,
                confidence=best,
                weight=1.0,
                evidence=tuple(kept[:MAX_EVIDENCE_PER_EDGE]),
            )
        )
    return edges, dropped


def _read_comentions(
    graph: rdflib.Graph, entities: dict[str, tuple[str, str]], min_confidence: float
) -> tuple[list[ExplorerEdge], int]:
    """One edge per co-mentioned pair, weights summed over its CoMention nodes.

    Each CoMention node counts once, with its largest stated weight (1 if it states none);
    one that links other than two entities is skipped.
    """
    members: dict[str, set[str]] = defaultdict(set)
    for c, e in _pairs(graph, _Q_COMENTION_MEMBERS):
        members[c].add(str(e))
    weight: dict[str, float | None] = {}
    for c, value in _pairs(graph, _Q_COMENTION_WEIGHT):
        weight[c] = _better(weight.get(c), _number(value))
    conf: dict[str, float | None] = {}
    for c, value in _pairs(graph, _Q_COMENTION_CONFIDENCE):
        conf[c] = _better(conf.get(c), _number(value))

    weights: dict[tuple[str, str], float] = defaultdict(float)
    confs: dict[tuple[str, str], float | None] = {}
    for c in sorted(members):
        ends = sorted(members[c])
        if len(ends) != 2 or ends[0] not in entities or ends[1] not in entities:
            continue
        pair = (ends[0], ends[1])
        w = weight.get(c)
        weights[pair] += 1.0 if w is None else w
        confs[pair] = _better(confs.get(pair), conf.get(c))

    edges: list[ExplorerEdge] = []
    dropped = 0
    for (a, b), w in sorted(weights.items()):
        c_ = confs[(a, b)]
        if c_ is not None and c_ < min_confidence:
            dropped += 1
            continue
        edges.append(
            ExplorerEdge(
                id="",
                source=a,
                target=b,
                kind="comention",
                label="",
                predicate="",
                confidence=c_,
                weight=w,
                evidence=(),
            )
        )
    return edges, dropped


# ------------------------------------------------------------------------------ layout


def layout(
    nodes: list[str], edges: Iterable[tuple[str, str]], degree: dict[str, int], seed: int
) -> dict[str, tuple[int, int]]:
    """Fixed pixel positions, so the page draws at once (physics off) and the same way each time.

    Up to ``LAYOUT_CORE`` nodes get networkx's seeded spring layout. In larger graphs the
    spring layout runs on the ``LAYOUT_CORE`` most connected nodes and the rest are placed,
    ring by ring outwards, near the mean position of their already-placed neighbours (a
    cheap multilevel-like scheme, linear per ring); isolated nodes, and one node of each
    component with no path to the core, go on a spiral around it.
    """
    if not nodes:
        return {}
    ranked = sorted(nodes, key=lambda n: (-degree.get(n, 0), n))
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from(sorted({(a, b) if a <= b else (b, a) for a, b in edges if a != b}))
    core = ranked[:LAYOUT_CORE]
    sub = g.subgraph(core)
    h = nx.Graph()
    h.add_nodes_from(sorted(sub.nodes))
    h.add_edges_from(sorted(sub.edges))
    # Below 500 nodes networkx uses its dense numpy solver (no scipy), in every 3.x version.
    raw = nx.spring_layout(h, seed=seed, iterations=LAYOUT_ITERATIONS, weight=None)
    scale = 100.0 + 80.0 * math.sqrt(len(core))
    step = 2.2 * scale / math.sqrt(len(core))
    pos: dict[str, tuple[float, float]] = {
        n: (float(p[0]) * scale, float(p[1]) * scale) for n, p in raw.items()
    }

    rng = random.Random(seed)
    spiral = 0

    def on_spiral(n: str) -> None:
        """Outside the core, golden-angle steps: evenly spread with no count known up front."""
        nonlocal spiral
        angle = spiral * 2.399963
        radius = scale * 1.25 + step * math.sqrt(spiral + 1)
        pos[n] = (radius * math.cos(angle), radius * math.sin(angle))
        spiral += 1

    rest = ranked[len(core) :]
    for n in rest:
        if not g[n]:
            on_spiral(n)
    waiting = [n for n in rest if n not in pos]  # kept in rank order
    while waiting:
        ring = [n for n in waiting if any(m in pos for m in g[n])]
        if not ring:
            # A component that never touches the placed part starts on the spiral.
            on_spiral(waiting[0])
            waiting = waiting[1:]
            continue
        placed = {}
        for n in ring:
            anchors = [pos[m] for m in sorted(g[n]) if m in pos]
            cx = sum(a[0] for a in anchors) / len(anchors)
            cy = sum(a[1] for a in anchors) / len(anchors)
            angle = rng.random() * 2.0 * math.pi
            radius = step * (0.6 + 0.6 * rng.random())
            placed[n] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        pos.update(placed)
        waiting = [n for n in waiting if n not in placed]
    return {n: (int(round(x)), int(round(y))) for n, (x, y) in pos.items()}


# ------------------------------------------------------------------------------ API


def explorer_data(
    graph: rdflib.Graph, *, min_confidence: float = 0.0, max_nodes: int = 1500, seed: int = 42
) -> ExplorerData:
    """The explorer's nodes, edges, legend and counts for ``graph``.

    ``min_confidence`` drops relation and co-mention edges whose best confidence is below it
    (edges that state no confidence are kept); entities stay, so a node can end up alone.
    Degree (and so size) counts the edges that remain. Beyond ``max_nodes`` entities only the
    ``max_nodes`` of highest degree are kept (ties broken by IRI), with the edges among them.

    For an ``rdflib.Dataset`` of named graphs, pass one built with ``default_union=True``
    (or a merged ``Graph``): SPARQL reads only the default graph otherwise.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be within [0, 1], not {min_confidence}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")

    entities = _read_entities(graph)
    titles = _first_values(graph, _Q_NOTE_TITLES)
    paths = _first_values(graph, _Q_NOTE_PATHS)
    note_names = {**{n: p for n, p in paths.items() if p}, **{n: t for n, t in titles.items() if t}}
    relations, rel_dropped = _read_relations(graph, entities, note_names, min_confidence)
    comentions, co_dropped = _read_comentions(graph, entities, min_confidence)

    degree: dict[str, int] = dict.fromkeys(entities, 0)
    for e in (*relations, *comentions):
        degree[e.source] += 1
        if e.target != e.source:
            degree[e.target] += 1

    ranked = sorted(entities, key=lambda n: (-degree[n], n))
    kept = set(ranked[:max_nodes])
    relations = [e for e in relations if e.source in kept and e.target in kept]
    comentions = [e for e in comentions if e.source in kept and e.target in kept]
    edges = [
        *(_with_id(e, f"r{i}") for i, e in enumerate(relations)),
        *(_with_id(e, f"c{i}") for i, e in enumerate(comentions)),
    ]

    kept_sorted = sorted(kept)
    positions = layout(kept_sorted, ((e.source, e.target) for e in edges), degree, seed)
    aliases = _read_aliases(graph, entities)
    sources = _read_sources(graph, entities, titles, paths)
    nodes: list[ExplorerNode] = []
    for iri in kept_sorted:
        type_, label = entities[iri]
        colour, shape, _glyph = TYPE_STYLE[type_]
        notes = sources.get(iri, [])
        x, y = positions[iri]
        nodes.append(
            ExplorerNode(
                id=iri,
                label=label,
                type=type_,
                aliases=aliases.get(iri, ()),
                notes=tuple(notes[:MAX_NOTES_PER_NODE]),
                more_notes=max(0, len(notes) - MAX_NOTES_PER_NODE),
                degree=degree[iri],
                color=colour,
                shape=shape,
                size=node_size(degree[iri]),
                x=x,
                y=y,
            )
        )

    shown_per_type: dict[str, int] = defaultdict(int)
    for n in nodes:
        shown_per_type[n.type] += 1
    legend = tuple(
        LegendEntry(t, TYPE_STYLE[t][0], TYPE_STYLE[t][1], TYPE_STYLE[t][2], shown_per_type[t])
        for t in ENTITY_TYPES
    )
    counts = ExplorerCounts(
        entities=len(entities),
        nodes=len(nodes),
        relations=len(relations),
        comentions=len(comentions),
        low_confidence_dropped=rel_dropped + co_dropped,
        capped_nodes=len(entities) - len(kept),
    )
    return ExplorerData(tuple(nodes), tuple(edges), legend, counts)


def _with_id(edge: ExplorerEdge, edge_id: str) -> ExplorerEdge:
    return replace(edge, id=edge_id)
