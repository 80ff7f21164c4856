"""The RDF graph projected to networkx: entities as nodes, relations and co-mentions as edges.

Nodes are entity IRIs (strings) with their ``type`` (Person, Talk, ...) and ``label``. The
projection is undirected and simple: all that links two entities is merged into one edge with

- ``relations``: the asserted relations, ``(subject IRI, predicate name, object IRI)`` sorted;
- ``asserted``: how many there are; ``comention``: the co-mention weight (sections naming both);
- ``weight``: the strength used by PageRank and Louvain, ``ASSERTED_WEIGHT`` per relation plus
  the co-mention weight;
- ``cost``: the length used by shortest paths and betweenness: ``ASSERTED_COST`` for an edge with
  a relation, ``MENTION_COST`` when the only relation is a talk's ``mentions`` (its section names
  the entity) and ``COMENTION_COST`` for a co-mention alone, so that paths go through what the
  notes assert and fall back to co-mentions only when that saves several hops.

Only entities, relations and co-mentions are read; notes, sections, mentions and assertions stay
in the store, where ``confkg.analytics.paths`` finds the evidence of a hop.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import networkx as nx
from rdflib import URIRef

from confkg.errors import ConfkgError
from confkg.store import GraphStore
from confkg.vocab import NS

EdgeKind = Literal["asserted", "comention", "both"]
EDGE_KINDS: tuple[str, ...] = ("asserted", "comention", "both")

ENTITY_TYPES: tuple[str, ...] = ("Person", "Organization", "Event", "EventSeries", "Talk", "Paper", "Artifact",
                                 "Topic")
RELATIONS: tuple[str, ...] = ("speaker", "panelist", "moderator", "affiliation", "author", "creator", "developer",
                              "about", "partOf", "subEventOf", "editionOf", "session", "mentions")

ASSERTED_WEIGHT = 2.0
ASSERTED_COST = 1.0
MENTION_COST = 1.5
COMENTION_COST = 6.0


class AnalyticsError(ConfkgError):
    """An analytics question that cannot be answered (unknown name, empty graph, bad option)."""


_VALUES_TYPES = " ".join(f"ckg:{t}" for t in ENTITY_TYPES)
_VALUES_RELATIONS = " ".join(f"ckg:{p}" for p in RELATIONS)

ENTITIES = f"""
SELECT ?e ?type ?label WHERE {{
  ?e a ?type ; rdfs:label ?label .
  VALUES ?type {{ {_VALUES_TYPES} }}
}}"""

ASSERTED = f"""
SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o .
  VALUES ?p {{ {_VALUES_RELATIONS} }}
  FILTER(isIRI(?o))
}}"""

COMENTIONS = """
SELECT ?a ?b ?w WHERE {
  ?c a ckg:CoMention ; ckg:coMentioned ?a, ?b ; ckg:weight ?w .
  FILTER(STR(?a) < STR(?b))
}"""


def _local(iri: str) -> str:
    return iri[len(NS):] if iri.startswith(NS) else iri.rsplit("/", 1)[-1]


def check_kind(edges: str) -> None:
    if edges not in EDGE_KINDS:
        raise AnalyticsError(f"unknown edge kind '{edges}': use {', '.join(EDGE_KINDS)}")


def project(store: GraphStore, edges: EdgeKind | str = "both") -> nx.Graph:
    """The entity graph of ``store``: asserted relations, co-mentions or both (see the module doc).

    Entities without any edge of the chosen kind are kept as isolated nodes. Nodes and edges are
    added in sorted order, so that every algorithm sees the same graph on every run.
    """
    check_kind(edges)
    entities: dict[str, tuple[str, str]] = {}
    for iri, type_iri, name in sorted(store.query(ENTITIES).rows):
        # a series may also be typed ckg:Event: the narrower EventSeries wins
        if iri not in entities or _local(type_iri) == "EventSeries":
            entities[iri] = (_local(type_iri), name)
    relations: list[tuple[str, str, str]] = []
    if edges in ("asserted", "both"):
        relations = [(s, _local(p), o) for s, p, o in store.query(ASSERTED).rows]
    comentions: list[tuple[str, str, int]] = []
    if edges in ("comention", "both"):
        comentions = [(a, b, int(w)) for a, b, w in store.query(COMENTIONS).rows]
    return build_graph(entities, relations, comentions)


def build_graph(entities: dict[str, tuple[str, str]], relations: Iterable[tuple[str, str, str]] = (),
                comentions: Iterable[tuple[str, str, int]] = ()) -> nx.Graph:
    """The projection from plain data: ``{iri: (type, label)}``, ``(s, predicate, o)`` relations
    and ``(a, b, weight)`` co-mentions. Edges whose ends are not both entities are ignored."""
    g = nx.Graph()
    for iri in sorted(entities):
        type_, label = entities[iri]
        g.add_node(iri, type=type_, label=label)
    merged: dict[tuple[str, str], dict] = {}
    for s, p, o in sorted(set(relations)):
        if s in entities and o in entities and s != o:
            edge = merged.setdefault(_pair(s, o), {"relations": [], "comention": 0})
            edge["relations"].append((s, p, o))
    for a, b, w in sorted(comentions):
        if a in entities and b in entities and a != b:
            edge = merged.setdefault(_pair(a, b), {"relations": [], "comention": 0})
            edge["comention"] += w
    for (a, b), edge in sorted(merged.items()):
        n = len(edge["relations"])
        g.add_edge(a, b, relations=edge["relations"], asserted=n, comention=edge["comention"],
                   weight=ASSERTED_WEIGHT * n + edge["comention"], cost=_cost(edge["relations"]))
    return g


def _cost(relations: list[tuple[str, str, str]]) -> float:
    if any(p != "mentions" for _, p, _ in relations):
        return ASSERTED_COST
    return MENTION_COST if relations else COMENTION_COST


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def label(g: nx.Graph, node: str) -> str:
    return g.nodes[node].get("label", node)


# ---------------------------------------------------------------------- restricting to an event

EVENT_MATCH = """
SELECT ?e ?name WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  { ?e a ckg:Event } UNION { ?e a ckg:EventSeries }
}"""

EVENT_PARTS = """
SELECT ?part ?event WHERE { ?part ckg:editionOf|ckg:subEventOf ?event }"""

EVENT_ENTITIES = """
SELECT DISTINCT ?x ?event WHERE {
  { ?n ckg:event ?event ; ckg:mentions ?x } UNION { ?x ckg:partOf ?event } UNION { ?x ckg:subEventOf ?event }
}"""


def event_entities(store: GraphStore, name: str) -> set[str]:
    """Entities of an event named ``name`` (names matched like ``confkg.explain.find_entities``):
    the event itself, its editions and sub-events (a series takes in all its editions), every
    entity the notes about them mention and every talk that is part of them."""
    from confkg.extract.names import normalise

    key = normalise(name)
    events = {iri for iri, label_ in store.query(EVENT_MATCH).rows if normalise(label_ or "") == key}
    if not events:
        raise AnalyticsError(f"no event named '{name}'")
    todo = list(events)
    while todo:
        for part, _ in store.query(EVENT_PARTS, {"event": URIRef(todo.pop())}).rows:
            if part not in events:
                events.add(part)
                todo.append(part)
    found = set(events)
    for event in sorted(events):
        found |= {x for x, _ in store.query(EVENT_ENTITIES, {"event": URIRef(event)}).rows}
    return found


def restrict(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """The subgraph induced by ``nodes`` (a copy, so algorithms may annotate it)."""
    return g.subgraph(n for n in nodes if n in g).copy()
