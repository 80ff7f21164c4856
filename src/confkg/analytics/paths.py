"""How two entities are connected (``confkg path``): the cheapest path in the projection, each hop
explained by the note and sentence behind it.

An edge with an asserted relation costs ``ASSERTED_COST`` (a talk's ``mentions`` alone
``MENTION_COST``), a co-mention alone ``COMENTION_COST`` (``confkg.analytics.projection``), so a path
goes through what the notes assert and falls back to "named in the same section" only where that
saves several hops. A relation's evidence is its
``ckg:Assertion`` (note, line, sentence); a talk's ``mentions`` is read from the talk's section;
a co-mention's from a section naming both, preferring one sentence naming both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import networkx as nx
from rdflib import URIRef

from confkg.analytics.projection import AnalyticsError, EdgeKind, label, project
from confkg.explain import find_entities
from confkg.store import GraphStore
from confkg.vocab import NS, comention_iri

ASSERTION = """
SELECT ?s ?p ?o ?path ?line ?sentence ?confidence WHERE {
  ?a a ckg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     ckg:inNote/ckg:path ?path ; ckg:line ?line ; ckg:sentence ?sentence ; ckg:confidence ?confidence .
} ORDER BY DESC(?confidence) ?path ?line"""

TALK_MENTION = """
SELECT ?s ?o ?path ?line ?sentence ?heading WHERE {
  ?s ckg:coveredBy ?section .
  ?m ckg:refersTo ?o ; ckg:inSection ?section ; ckg:inNote/ckg:path ?path ; ckg:line ?line ; ckg:sentence ?sentence .
  OPTIONAL { ?section ckg:heading ?heading }
} ORDER BY ?path ?line"""

COMENTION = """
SELECT ?c ?a ?b ?path ?heading ?lineA ?sentenceA ?lineB ?sentenceB WHERE {
  ?c ckg:coMentioned ?a, ?b ; ckg:inSection ?section .
  ?section ckg:sectionOf/ckg:path ?path .
  OPTIONAL { ?section ckg:heading ?heading }
  ?ma ckg:refersTo ?a ; ckg:inSection ?section ; ckg:line ?lineA ; ckg:sentence ?sentenceA .
  ?mb ckg:refersTo ?b ; ckg:inSection ?section ; ckg:line ?lineB ; ckg:sentence ?sentenceB .
}"""

# asserted relations shown first on a hop; a talk's "mentions" only says its section names the entity
_PREDICATE_ORDER = ("speaker", "panelist", "moderator", "author", "creator", "developer", "affiliation", "partOf",
                    "subEventOf", "editionOf", "session", "about", "mentions")


@dataclass
class Evidence:
    """Where a hop was read: note path, line(s), sentence(s), section heading."""

    note: str
    lines: list[int]
    sentences: list[str]
    heading: str | None = None

    def to_text(self) -> str:
        where = f"{self.note}:{','.join(str(n) for n in self.lines)}"
        if self.heading:
            where += f" [{self.heading}]"
        quoted = " / ".join(f'"{" ".join(s.split())}"' for s in self.sentences)
        return f"{where}  {quoted}"


@dataclass
class Hop:
    """One step of a path, ``source`` -> ``target`` in path order. For a relation, ``forward``
    says whether it reads ``source predicate target`` (else ``target predicate source``)."""

    source: str
    target: str
    source_label: str
    target_label: str
    target_type: str
    kind: str  # "asserted" or "comention"
    predicate: str
    forward: bool = True
    also: list[str] = field(default_factory=list)
    comentions: int = 0  # sections naming both
    evidence: Evidence | None = None

    def to_text(self) -> str:
        if self.kind == "comention":
            times = f"{self.comentions} section{'s' if self.comentions != 1 else ''}"
            link = f"~~co-mentioned ({times})~~"
        elif self.forward:
            link = f"--{self.predicate}-->"
        else:
            link = f"<--{self.predicate}--"
        also = f"  (also {', '.join(self.also)})" if self.also else ""
        return f"{self.source_label} {link} {self.target_label} ({self.target_type}){also}"


@dataclass
class ExplainedPath:
    source: str
    target: str
    source_label: str
    target_label: str
    cost: float
    hops: list[Hop]

    def to_text(self) -> str:
        n = len(self.hops)
        lines = [f"{self.source_label} -> {self.target_label}: {n} hop{'s' if n != 1 else ''} (cost {self.cost:g})"]
        for i, hop in enumerate(self.hops, 1):
            lines.append(f"{i}. {hop.to_text()}")
            if hop.evidence is not None:
                lines.append(f"   {hop.evidence.to_text()}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def as_dict(self) -> dict:
        return asdict(self)


def resolve_name(store: GraphStore, g: nx.Graph, name: str) -> list[str]:
    """IRIs of the entities in ``g`` named ``name`` (label or alias, folded like ``find_entities``);
    an IRI is taken as it is."""
    if name in g:
        return [name]
    found = sorted({iri for iri, _, _ in find_entities(store, name) if iri in g})
    if not found:
        raise AnalyticsError(f"no entity named '{name}'")
    return found


def shortest_path(g: nx.Graph, sources: list[str], targets: list[str]) -> tuple[float, list[str]]:
    """Cheapest path (by ``cost``) from any of ``sources`` to any of ``targets``; ties go to fewer
    hops, then labels."""
    best: tuple[float, int, list[str], list[str]] | None = None
    for target in targets:
        try:
            cost, nodes = nx.multi_source_dijkstra(g, set(sources), target=target, weight="cost")
        except nx.NetworkXNoPath:
            continue
        key = (cost, len(nodes), [label(g, n) for n in nodes], nodes)
        if best is None or key < best:
            best = key
    if best is None:
        raise nx.NetworkXNoPath
    return best[0], best[3]


def find_path(store: GraphStore, a: str, b: str, *, edges: EdgeKind | str = "both",
              graph: nx.Graph | None = None) -> ExplainedPath:
    """The explained shortest path between the entities named ``a`` and ``b``."""
    g = graph if graph is not None else project(store, edges)
    sources, targets = resolve_name(store, g, a), resolve_name(store, g, b)
    try:
        cost, nodes = shortest_path(g, sources, targets)
    except nx.NetworkXNoPath:
        raise AnalyticsError(f"'{a}' and '{b}' are not connected in the graph ({edges} edges)") from None
    hops = [explain_hop(store, g, u, v) for u, v in zip(nodes, nodes[1:], strict=False)]
    return ExplainedPath(nodes[0], nodes[-1], label(g, nodes[0]), label(g, nodes[-1]), cost, hops)


def explain_hop(store: GraphStore, g: nx.Graph, u: str, v: str) -> Hop:
    data = g.edges[u, v]
    hop = Hop(u, v, label(g, u), label(g, v), g.nodes[v].get("type", ""), "comention", "coMentioned",
              comentions=data.get("comention", 0))
    relations = sorted(data.get("relations", ()), key=lambda r: (_rank(r[1]), r))
    if relations:
        s, p, o = relations[0]
        hop.kind, hop.predicate, hop.forward = "asserted", p, s == u
        hop.also = sorted({r[1] for r in relations[1:]} - {p}, key=_rank)
        hop.evidence = relation_evidence(store, s, p, o)
    else:
        hop.evidence = comention_evidence(store, u, v)
    return hop


def _rank(predicate: str) -> int:
    return _PREDICATE_ORDER.index(predicate) if predicate in _PREDICATE_ORDER else len(_PREDICATE_ORDER)


def relation_evidence(store: GraphStore, s: str, p: str, o: str) -> Evidence | None:
    binding = {"s": URIRef(s), "o": URIRef(o)}
    rows = store.query(ASSERTION, {**binding, "p": URIRef(NS + p)}).rows
    if rows:
        _, _, _, path, line, sentence, _ = rows[0]
        return Evidence(path, [int(line)], [sentence])
    if p == "mentions":
        rows = store.query(TALK_MENTION, binding).rows
        if rows:
            _, _, path, line, sentence, heading = rows[0]
            return Evidence(path, [int(line)], [sentence], heading)
    return None


def comention_evidence(store: GraphStore, a: str, b: str) -> Evidence | None:
    binding = {"c": comention_iri(a, b), "a": URIRef(a), "b": URIRef(b)}
    rows = store.query(COMENTION, binding).rows
    if not rows:
        return None

    def key(row: tuple) -> tuple:
        _, _, _, path, heading, line_a, sent_a, line_b, sent_b = row
        return (sent_a != sent_b, abs(int(line_a) - int(line_b)), path, int(line_a), int(line_b))

    _, _, _, path, heading, line_a, sent_a, line_b, sent_b = min(rows, key=key)
    if sent_a == sent_b:
        return Evidence(path, [int(line_a)], [sent_a], heading)
    lines = [int(line_a)] if line_a == line_b else [int(line_a), int(line_b)]  # line i holds sentence i
    return Evidence(path, lines, [sent_a, sent_b], heading)
