"""What the HTML graph explorer shows, read from the graph with SPARQL.

This module decides *what* is drawn and described (which entities and edges, their colours,
sizes, positions and centrality, the sentences behind them); ``explorer.py`` decides *how* it
is written as a page. Keeping the two apart lets the tests check the model without parsing
HTML, and lets other outputs reuse the layout.

The graph is read either from an ``rdflib.Graph`` or from a confkg ``GraphStore`` (Oxigraph),
through the same constant queries (``explorer_source.py``); the store is much faster on big
graphs. Everything here is deterministic: rows are sorted before use, ties are broken by IRI
and the layout is seeded, so the same graph always gives the same model and hence a
byte-identical page.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal as TypingLiteral

import networkx as nx
import numpy as np

from confkg.model import ENTITY_TYPES
from confkg.outputs.explorer_source import GraphSource, Rows, property_values, rows_reader
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

# The relations between entities drawn as edges: the ontology's object properties whose two
# ends are entities, with the phrase the page uses from each end (subject side, object side).
RELATIONS: dict[str, tuple[str, str]] = {
    "speaker": ("speaker", "speaker of"),
    "panelist": ("panelist", "panelist of"),
    "moderator": ("moderator", "moderator of"),
    "author": ("author", "author of"),
    "affiliation": ("affiliation", "affiliation of"),
    "creator": ("creator", "creator of"),
    "developer": ("developer", "developer of"),
    "partOf": ("part of", "has part"),
    "session": ("in session", "session of"),
    "subEventOf": ("held within", "hosts"),
    "editionOf": ("edition of", "has edition"),
    "about": ("about", "topic of"),
}

# Attributes shown in the details view, in this order, with their names there.
FACTS: dict[str, str] = {
    "kind": "kind",
    "year": "year",
    "location": "location",
    "arxivId": "arXiv",
    "identifier": "identifier",
    "url": "URL",
    "codeRepository": "code",
}

# The force layout is quadratic: above this many nodes it runs on the most central ones
# only, and everything else is placed next to its neighbours instead.
LAYOUT_CORE = 800
LAYOUT_ITERATIONS = 150
LAYOUT_REPULSION = 4.0
LAYOUT_GRAVITY = 0.01
LAYOUT_SPACING = 60.0  # pixels between a node and its nearest neighbour, typically
# Beyond this many entities the page opens on the most central ones, with a "show more".
OPEN_NODES = 1500
MAX_SOURCES_PER_NODE = 12
MAX_EVIDENCE_PER_EDGE = 5
MAX_SECTIONS_PER_EDGE = 6
MAX_LABEL_CHARS = 48
# A sentence longer than this is cut around the mention, keeping CONTEXT_CHARS on each side.
MAX_SENTENCE_CHARS = 400
CONTEXT_CHARS = 180
PAGERANK_DAMPING = 0.85

EdgeKind = TypingLiteral["relation", "comention"]


# ------------------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class NoteInfo:
    """A note of the graph: the filter menu lists them, and every source points at one."""

    iri: str
    path: str
    title: str
    event: str  # IRI of the event the note is about (ckg:event), or ""
    event_label: str

    @property
    def name(self) -> str:
        return self.title or self.path or _local_name(self.iri)


@dataclass(frozen=True, slots=True)
class Source:
    """One place a fact was read: a sentence of a note, with the mention marked in it.

    ``mark`` is the (start, end) of the mention in ``sentence`` in code points, or None when
    the offsets do not match the text (the page then shows the sentence unmarked).
    """

    note: int  # index into ExplorerData.notes
    line: int | None
    sentence: str
    mark: tuple[int, int] | None
    exact: str
    confidence: float | None


@dataclass(frozen=True, slots=True)
class SectionRef:
    """A section of a note, where two entities were co-mentioned."""

    note: int
    heading: str


@dataclass(frozen=True, slots=True)
class ExplorerNode:
    """An entity as drawn: ``id`` is its IRI, ``x``/``y`` are fixed positions in pixels.

    The nodes of ``ExplorerData`` are ordered by ``rank`` (0 = most central by PageRank),
    which is also the order in which a capped page reveals them.
    """

    id: str
    label: str
    type: str
    aliases: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    notes: tuple[int, ...]
    sources: tuple[Source, ...]
    more_sources: int
    degree: int
    rank: int
    score: float
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
    evidence: tuple[Source, ...] = ()
    more_evidence: int = 0
    notes: tuple[int, ...] = ()
    sections: tuple[SectionRef, ...] = ()


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
    open_nodes: int = 0


@dataclass(frozen=True, slots=True)
class ExplorerData:
    nodes: tuple[ExplorerNode, ...]
    edges: tuple[ExplorerEdge, ...]
    legend: tuple[LegendEntry, ...]
    counts: ExplorerCounts
    notes: tuple[NoteInfo, ...] = ()
    events: tuple[tuple[str, str], ...] = ()  # (IRI, label) of the events notes are about


# ------------------------------------------------------------------------------ helpers


def _number(text: str | None) -> float | None:
    """A finite float from a literal's lexical form, or None: bad data must not crash a page."""
    if text is None:
        return None
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _integer(text: str | None) -> int | None:
    value = _number(text)
    return None if value is None or value != int(value) else int(value)


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
    """The label drawn on the canvas; the details view keeps the whole text."""
    label = " ".join(label.split())
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "\u2026"


def _better(a: float | None, b: float | None) -> float | None:
    """The larger of two optional numbers: an unknown value never beats a known one."""
    if a is None:
        return b
    return a if b is None else max(a, b)


def _first(values: Mapping[str, list[str]], key: str) -> str | None:
    """The alphabetically first value of one property: one value, chosen stably."""
    found = values.get(key)
    return min(found) if found else None


def locate_mention(sentence: str, offset: int | None, exact: str | None) -> tuple[int, int] | None:
    """Where the mention is in its sentence, in code points.

    ``offset`` is ``ckg:start - ckg:sentenceStart``. The offsets are trusted when the text
    there is ``exact``; otherwise (a sentence stored trimmed or normalised) the occurrence of
    ``exact`` nearest to ``offset`` is taken, and with no occurrence nothing is marked.
    """
    if not exact:
        return None
    if offset is not None and offset >= 0 and sentence[offset : offset + len(exact)] == exact:
        return offset, offset + len(exact)
    found: list[int] = []
    i = sentence.find(exact)
    while i >= 0:
        found.append(i)
        i = sentence.find(exact, i + 1)
    if not found:
        return None
    best = min(found, key=lambda j: (abs(j - (offset or 0)), j))
    return best, best + len(exact)


def clip_sentence(sentence: str, mark: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    """A long sentence cut to the mention and ``CONTEXT_CHARS`` around it, with ellipses."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence, mark
    a, b = mark if mark is not None else (0, 0)
    lo = max(0, a - CONTEXT_CHARS)
    hi = min(len(sentence), max(b + CONTEXT_CHARS, lo + MAX_SENTENCE_CHARS - 2 * CONTEXT_CHARS))
    prefix = "\u2026" if lo > 0 else ""
    suffix = "\u2026" if hi < len(sentence) else ""
    clipped = prefix + sentence[lo:hi] + suffix
    if mark is None:
        return clipped, None
    shift = len(prefix) - lo
    return clipped, (a + shift, b + shift)


def pagerank(nodes: list[str], edges: Iterable[tuple[str, str]], iterations: int = 100) -> dict[str, float]:
    """PageRank of an undirected graph (each edge counts once per end), by power iteration.

    numpy, not networkx (whose PageRank needs scipy); deterministic: the sums run in the
    order of ``nodes`` and ``edges``, and dangling nodes spread their rank evenly.
    """
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in edges if a != b and a in index and b in index]
    src = np.array([a for a, b in pairs] + [b for a, b in pairs], dtype=np.int64)
    dst = np.array([b for a, b in pairs] + [a for a, b in pairs], dtype=np.int64)
    out_degree = np.bincount(src, minlength=n).astype(np.float64)
    dangling = out_degree == 0
    share = np.divide(1.0, out_degree, out=np.zeros(n), where=~dangling)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        spread = PAGERANK_DAMPING * rank[dangling].sum() / n
        new = np.bincount(dst, weights=(PAGERANK_DAMPING * rank * share)[src], minlength=n).astype(np.float64)
        new += (1.0 - PAGERANK_DAMPING) / n + spread
        done = float(np.abs(new - rank).sum()) < 1e-12 * n
        rank = new
        if done:
            break
    return {node: float(rank[i]) for node, i in index.items()}


# ------------------------------------------------------------------------------ queries

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
_Q_NOTES = _PREFIXES + "SELECT ?note WHERE { ?note a ckg:Note }"
_Q_ASSERTIONS = (
    _PREFIXES
    + "SELECT ?a ?s ?p ?o WHERE { ?a a ckg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"
)
_Q_COMENTIONS = _PREFIXES + "SELECT ?c ?e WHERE { ?c a ckg:CoMention ; ckg:coMentioned ?e }"
_Q_RELATIONS = (
    _PREFIXES
    + "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { "
    + " ".join(f"ckg:{name}" for name in RELATIONS)
    + " } ?s ?p ?o . }"
)

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_DCT_TITLE = "http://purl.org/dc/terms/title"


@dataclass(slots=True)
class _Raw:
    """What the queries returned, as strings."""

    rank: dict[str, int]
    labels: dict[str, list[str]]
    aliases: dict[str, list[str]]
    facts: dict[str, dict[str, list[str]]]
    notes: list[str]
    prov: dict[str, dict[str, list[str]]]  # provenance property -> subject -> values
    note_mentions: dict[str, list[str]]  # note -> entities (ckg:mentions)
    refers: dict[str, list[str]]  # mention -> entities
    assertions: list[tuple[str, str, str, str]]
    relations: list[tuple[str, str, str]]
    comentions: dict[str, set[str]]
    weights: dict[str, list[str]]
    in_section: dict[str, list[str]]
    section_of: dict[str, list[str]]
    headings: dict[str, list[str]]


def _read(rows: Rows) -> _Raw:
    rank: dict[str, int] = {}
    for e, r in rows(_Q_ENTITIES):
        if e is not None and r is not None:
            rank[e] = min(rank.get(e, 99), int(r))
    prov = {
        name: property_values(rows, NS + name)
        for name in ("inNote", "line", "start", "end", "sentenceStart", "sentence", "exact", "confidence")
    }
    comentions: dict[str, set[str]] = defaultdict(set)
    for c, e in rows(_Q_COMENTIONS):
        if c is not None and e is not None:
            comentions[c].add(e)
    return _Raw(
        rank=rank,
        labels=property_values(rows, _RDFS_LABEL),
        aliases=property_values(rows, _SKOS_ALT),
        facts={name: property_values(rows, NS + name) for name in FACTS},
        notes=sorted({n for (n,) in rows(_Q_NOTES) if n is not None}),
        prov=prov,
        note_mentions=property_values(rows, NS + "mentions"),
        refers=property_values(rows, NS + "refersTo"),
        assertions=sorted(
            (a, s, p, o) for a, s, p, o in rows(_Q_ASSERTIONS) if None not in (a, s, p, o)  # type: ignore[misc]
        ),
        relations=sorted((s, p, o) for s, p, o in rows(_Q_RELATIONS) if None not in (s, p, o)),  # type: ignore[misc]
        comentions=comentions,
        weights=property_values(rows, NS + "weight"),
        in_section=property_values(rows, NS + "inSection"),
        section_of=property_values(rows, NS + "sectionOf"),
        headings=property_values(rows, NS + "heading"),
    )


def _with_titles(rows: Rows) -> dict[str, dict[str, list[str]]]:
    return {
        "titles": property_values(rows, _DCT_TITLE),
        "paths": property_values(rows, NS + "path"),
        "note_events": property_values(rows, NS + "event"),
    }


# ------------------------------------------------------------------------------ layout


def force_layout(n: int, pairs: list[tuple[int, int]], seed: int, iterations: int = LAYOUT_ITERATIONS) -> np.ndarray:
    """Positions of ``n`` nodes linked by ``pairs``: a ForceAtlas2-like model in numpy.

    Repulsion between every two nodes in proportion to (degree + 1) of both, over distance
    (hubs push each other apart); attraction along edges grows with the log of their length
    (LinLog: clusters separate clearly); a gravity towards the centre, also in proportion to
    degree + 1, keeps small components close. Each step moves a node by at most a temperature
    that cools linearly. The start is seeded, so the result is the same for the same input.
    O(n^2) per step in float32; 1,000 nodes take about a second.
    """
    rng = np.random.default_rng(seed)
    spread = math.sqrt(n) * 10.0
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * spread
    if n < 2:
        return np.zeros((n, 2))
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    mass = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n) + 1.0
    pair_mass = (LAYOUT_REPULSION * mass[:, None] * mass[None, :]).astype(np.float32)
    np.fill_diagonal(pair_mass, 0.0)
    for step in range(iterations):
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        push = dx * dx
        push += dy * dy
        np.maximum(push, 1e-2, out=push)
        np.divide(pair_mass, push, out=push)
        force = np.stack([(push * dx).sum(1, dtype=np.float64), (push * dy).sum(1, dtype=np.float64)], 1)
        if len(src):
            d = pos[src] - pos[dst]
            length = np.sqrt((d**2).sum(1)) + 1e-9
            d *= (np.log1p(length) / length)[:, None]
            for k in (0, 1):
                force[:, k] += np.bincount(dst, d[:, k], n) - np.bincount(src, d[:, k], n)
        force -= LAYOUT_GRAVITY * mass[:, None] * pos
        size = np.sqrt((force**2).sum(1)) + 1e-9
        temperature = spread * (1.0 - step / iterations) + 0.1
        pos += force * (np.minimum(size, temperature) / size)[:, None]
    return pos


def _nearest_distance(pos: np.ndarray) -> float:
    """The median distance from a node to its nearest neighbour (1 for fewer than two nodes)."""
    if len(pos) < 2:
        return 1.0
    x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
    d2 = (x[:, None] - x[None, :]) ** 2 + (y[:, None] - y[None, :]) ** 2
    np.fill_diagonal(d2, np.inf)
    return max(float(np.median(np.sqrt(d2.min(1)))), 1e-6)


def layout(
    nodes: list[str], edges: Iterable[tuple[str, str]], priority: Mapping[str, float], seed: int
) -> dict[str, tuple[int, int]]:
    """Fixed pixel positions, so the page draws at once (physics off) and the same way each time.

    Up to ``LAYOUT_CORE`` nodes get ``force_layout``. In larger graphs it runs on the
    ``LAYOUT_CORE`` nodes of highest ``priority`` (centrality) and the rest are placed, ring by
    ring outwards, near the mean position of their already-placed neighbours (a cheap
    multilevel-like scheme, linear per ring); isolated nodes, and one node of each component
    with no path to the core, go on a spiral around it. Positions are scaled so that a node's
    nearest neighbour is typically ``LAYOUT_SPACING`` pixels away.
    """
    if not nodes:
        return {}
    ranked = sorted(nodes, key=lambda n: (-priority.get(n, 0), n))
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from(sorted({(a, b) if a <= b else (b, a) for a, b in edges if a != b}))
    core = sorted(ranked[:LAYOUT_CORE])
    index = {n: i for i, n in enumerate(core)}
    pairs = sorted((index[a], index[b]) for a, b in g.subgraph(core).edges)
    raw = force_layout(len(core), pairs, seed)
    scale = LAYOUT_SPACING / _nearest_distance(raw)
    pos = {n: (float(raw[i, 0]) * scale, float(raw[i, 1]) * scale) for n, i in index.items()}
    step = LAYOUT_SPACING * 1.5
    radius0 = max(math.hypot(x, y) for x, y in pos.values()) + step

    rng = random.Random(seed)
    spiral = 0

    def on_spiral(n: str) -> None:
        """Outside the core, golden-angle steps: evenly spread with no count known up front."""
        nonlocal spiral
        angle = spiral * 2.399963
        radius = radius0 + step * math.sqrt(spiral + 1)
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


# ------------------------------------------------------------------------------ building


class _Builder:
    """Turns the raw rows into nodes and edges; one instance per ``explorer_data`` call."""

    def __init__(self, raw: _Raw, extra: dict[str, dict[str, list[str]]], min_confidence: float) -> None:
        self.raw = raw
        self.min_confidence = min_confidence
        self.entities = self._entities()
        titles, paths, events = extra["titles"], extra["paths"], extra["note_events"]
        notes: list[NoteInfo] = []
        for iri in raw.notes:
            event = _first(events, iri) or ""
            if event in self.entities:
                event_label = self.entities[event][1]
            else:
                event_label = (_first(raw.labels, event) or _local_name(event)) if event else ""
            notes.append(NoteInfo(iri, _first(paths, iri) or "", _first(titles, iri) or "", event, event_label))
        notes.sort(key=lambda n: (n.name.casefold(), n.path, n.iri))
        self.notes = notes
        self.note_index = {n.iri: i for i, n in enumerate(notes)}

    def _entities(self) -> dict[str, tuple[str, str]]:
        """IRI -> (type, label); with several labels the shortest, then the first, is shown."""
        out: dict[str, tuple[str, str]] = {}
        for iri, r in self.raw.rank.items():
            labels = [s for s in self.raw.labels.get(iri, ()) if s.strip()]
            best = min(labels, key=lambda s: (len(s), s), default=None)
            out[iri] = (ENTITY_TYPES[r], best if best is not None else _local_name(iri))
        return out

    def source(self, subject: str) -> Source | None:
        """The provenance of a mention or assertion, if it names a known note."""
        prov = self.raw.prov
        note = _first(prov["inNote"], subject)
        if note is None or note not in self.note_index:
            return None
        sentence = _first(prov["sentence"], subject) or ""
        exact = _first(prov["exact"], subject) or ""
        start, s_start = _integer(_first(prov["start"], subject)), _integer(_first(prov["sentenceStart"], subject))
        end = _integer(_first(prov["end"], subject))
        if not exact and start is not None and end is not None and s_start is not None:
            exact = sentence[start - s_start : end - s_start] if 0 <= start - s_start <= end - s_start else ""
        offset = None if start is None or s_start is None else start - s_start
        mark = locate_mention(sentence, offset, exact)
        sentence, mark = clip_sentence(sentence, mark)
        confidence = None
        for value in prov["confidence"].get(subject, ()):
            confidence = _better(confidence, _number(value))
        return Source(
            self.note_index[note], _integer(_first(prov["line"], subject)), sentence, mark, exact, confidence
        )

    def _source_key(self, s: Source) -> tuple[object, ...]:
        return (self.notes[s.note].name.casefold(), s.line or 0, s.sentence, s.mark or (0, 0), s.exact)

    def mentions(self) -> tuple[dict[str, list[Source]], dict[str, set[int]]]:
        """Per entity: where it was read (deduplicated, in note and line order) and from which notes."""
        sources: dict[str, set[Source]] = defaultdict(set)
        notes: dict[str, set[int]] = defaultdict(set)
        for m, targets in self.raw.refers.items():
            src = self.source(m)
            for e in targets:
                if e in self.entities and src is not None:
                    sources[e].add(src)
                    notes[e].add(src.note)
        for note, targets in self.raw.note_mentions.items():
            if note in self.note_index:
                for e in targets:
                    if e in self.entities:
                        notes[e].add(self.note_index[note])
        for i, n in enumerate(self.notes):
            if n.event in self.entities:
                notes[n.event].add(i)
        return {e: sorted(s, key=self._source_key) for e, s in sources.items()}, notes

    def relations(self) -> tuple[list[ExplorerEdge], int]:
        """Relation edges that pass ``min_confidence``, and how many did not.

        A relation's confidence is the best of its reified assertions. A direct triple with
        no assertion that states a confidence was put there without one (a curated fact), so
        it is kept whatever the threshold.
        """
        triples = [(s, p, o) for s, p, o in self.raw.relations if s in self.entities and o in self.entities]
        wanted = set(triples)
        evidence: dict[tuple[str, str, str], set[Source]] = defaultdict(set)
        for a, s, p, o in self.raw.assertions:
            if (s, p, o) in wanted:
                src = self.source(a)
                if src is not None:
                    evidence[(s, p, o)].add(src)
        edges: list[ExplorerEdge] = []
        dropped = 0
        for spo in triples:
            found = evidence.get(spo, set())
            best: float | None = None
            for e in found:
                best = _better(best, e.confidence)
            if best is not None and best < self.min_confidence:
                dropped += 1
                continue
            kept = sorted(
                (e for e in found if e.confidence is None or e.confidence >= self.min_confidence),
                key=lambda e: (-(e.confidence or 0.0), *self._source_key(e)),
            )
            s, p, o = spo
            name = _local_name(p)
            edges.append(
                ExplorerEdge(
                    id=f"r{len(edges)}",
                    source=s,
                    target=o,
                    kind="relation",
                    label=RELATIONS.get(name, (name, ""))[0],
                    predicate=p,
                    confidence=best,
                    weight=1.0,
                    evidence=tuple(kept[:MAX_EVIDENCE_PER_EDGE]),
                    more_evidence=max(0, len(kept) - MAX_EVIDENCE_PER_EDGE),
                    notes=tuple(sorted({e.note for e in kept})),
                )
            )
        return edges, dropped

    def comentions(self) -> tuple[list[ExplorerEdge], int]:
        """One edge per co-mentioned pair, weights summed over its CoMention nodes.

        Each CoMention node counts once, with its largest stated weight (1 if it states none);
        one that links other than two entities is skipped.
        """
        prov = self.raw.prov
        weights: dict[tuple[str, str], float] = defaultdict(float)
        confs: dict[tuple[str, str], float | None] = {}
        sections: dict[tuple[str, str], set[SectionRef]] = defaultdict(set)
        for c in sorted(self.raw.comentions):
            ends = sorted(self.raw.comentions[c])
            if len(ends) != 2 or ends[0] not in self.entities or ends[1] not in self.entities:
                continue
            pair = (ends[0], ends[1])
            w: float | None = None
            for value in self.raw.weights.get(c, ()):
                w = _better(w, _number(value))
            weights[pair] += 1.0 if w is None else w
            conf = None
            for value in prov["confidence"].get(c, ()):
                conf = _better(conf, _number(value))
            confs[pair] = _better(confs.get(pair), conf)
            for sec in self.raw.in_section.get(c, ()):
                note = _first(self.raw.section_of, sec)
                if note in self.note_index:
                    sections[pair].add(SectionRef(self.note_index[note], _first(self.raw.headings, sec) or ""))
        edges: list[ExplorerEdge] = []
        dropped = 0
        for (a, b), w in sorted(weights.items()):
            conf = confs[(a, b)]
            if conf is not None and conf < self.min_confidence:
                dropped += 1
                continue
            secs = sorted(sections.get((a, b), ()), key=lambda s: (self.notes[s.note].name.casefold(), s.heading))
            edges.append(
                ExplorerEdge(
                    id=f"c{len(edges)}",
                    source=a,
                    target=b,
                    kind="comention",
                    label="",
                    predicate="",
                    confidence=conf,
                    weight=w,
                    notes=tuple(sorted({s.note for s in secs})),
                    sections=tuple(secs[:MAX_SECTIONS_PER_EDGE]),
                )
            )
        return edges, dropped

    def facts(self, iri: str) -> tuple[tuple[str, str], ...]:
        out: list[tuple[str, str]] = []
        for name, shown in FACTS.items():
            for value in sorted(set(self.raw.facts[name].get(iri, ()))):
                if value.strip():
                    out.append((shown, value))
        return tuple(out)

    def aliases(self, iri: str) -> tuple[str, ...]:
        label = self.entities[iri][1]
        return tuple(sorted({a for a in self.raw.aliases.get(iri, ()) if a.strip() and a != label}))


# ------------------------------------------------------------------------------ API


def explorer_data(
    source: GraphSource,
    *,
    min_confidence: float = 0.0,
    max_nodes: int | None = None,
    open_nodes: int = OPEN_NODES,
    seed: int = 42,
) -> ExplorerData:
    """The explorer's nodes, edges, notes, legend and counts for ``source``.

    ``source`` is an ``rdflib.Graph`` or a ``confkg.store.GraphStore``. ``min_confidence``
    drops relation and co-mention edges whose best confidence is below it (edges that state no
    confidence are kept); entities stay, so a node can end up alone. Degree (and so size) and
    PageRank count the edges that remain. Nodes are ordered by PageRank, highest first; the page
    opens on the first ``open_nodes`` of them and can show the rest. ``max_nodes``, when given,
    leaves out everything beyond the ``max_nodes`` most central entities (and their edges).

    For an ``rdflib.Dataset`` of named graphs, pass one built with ``default_union=True``
    (or a merged ``Graph``): SPARQL reads only the default graph otherwise.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be within [0, 1], not {min_confidence}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    if open_nodes < 1:
        raise ValueError(f"open_nodes must be at least 1, not {open_nodes}")

    rows = rows_reader(source)
    raw = _read(rows)
    b = _Builder(raw, _with_titles(rows), min_confidence)
    entities = b.entities
    relations, rel_dropped = b.relations()
    comentions, co_dropped = b.comentions()

    all_iris = sorted(entities)
    pairs = [(e.source, e.target) for e in (*relations, *comentions)]
    score = pagerank(all_iris, pairs)
    ranked = sorted(all_iris, key=lambda n: (-score[n], n))
    kept = set(ranked if max_nodes is None else ranked[:max_nodes])
    if len(kept) < len(all_iris):  # capped: the edges left are numbered afresh
        relations = [e for e in relations if e.source in kept and e.target in kept]
        comentions = [e for e in comentions if e.source in kept and e.target in kept]
        relations = [replace(e, id=f"r{i}") for i, e in enumerate(relations)]
        comentions = [replace(e, id=f"c{i}") for i, e in enumerate(comentions)]
    edges = [*relations, *comentions]
    degree: dict[str, int] = dict.fromkeys(kept, 0)
    for e in edges:
        degree[e.source] += 1
        if e.target != e.source:
            degree[e.target] += 1

    order = [n for n in ranked if n in kept]
    positions = layout(order, ((e.source, e.target) for e in edges), score, seed)
    sources, note_sets = b.mentions()
    nodes: list[ExplorerNode] = []
    for rank, iri in enumerate(order):
        type_, label = entities[iri]
        colour, shape, _glyph = TYPE_STYLE[type_]
        found = sources.get(iri, [])
        x, y = positions[iri]
        nodes.append(
            ExplorerNode(
                id=iri,
                label=label,
                type=type_,
                aliases=b.aliases(iri),
                facts=b.facts(iri),
                notes=tuple(sorted(note_sets.get(iri, ()))),
                sources=tuple(found[:MAX_SOURCES_PER_NODE]),
                more_sources=max(0, len(found) - MAX_SOURCES_PER_NODE),
                degree=degree[iri],
                rank=rank,
                score=score[iri],
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
        LegendEntry(t, TYPE_STYLE[t][0], TYPE_STYLE[t][1], TYPE_STYLE[t][2], shown_per_type[t]) for t in ENTITY_TYPES
    )
    events = sorted({(n.event, n.event_label) for n in b.notes if n.event}, key=lambda e: (e[1].casefold(), e[0]))
    counts = ExplorerCounts(
        entities=len(entities),
        nodes=len(nodes),
        relations=len(relations),
        comentions=len(comentions),
        low_confidence_dropped=rel_dropped + co_dropped,
        capped_nodes=len(entities) - len(kept),
        open_nodes=min(open_nodes, len(nodes)),
    )
    return ExplorerData(tuple(nodes), tuple(edges), legend, counts, tuple(b.notes), tuple(events))
