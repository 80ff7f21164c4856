"""The shape of the entity graph (``confkg stats``) and who is central in it (``confkg central``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from confkg.analytics.projection import (
    ENTITY_TYPES,
    AnalyticsError,
    EdgeKind,
    event_entities,
    label,
    project,
    restrict,
)
from confkg.analytics.table import Table
from confkg.store import GraphStore

Measure = Literal["pagerank", "betweenness", "degree"]
MEASURES: tuple[str, ...] = ("pagerank", "betweenness", "degree")

# Exact betweenness is O(n m): 68 s at 5,000 nodes (MEASURED.md). Above this many nodes it is
# estimated from a seeded sample of source nodes, which keeps it deterministic.
EXACT_BETWEENNESS_MAX_NODES = 1000
BETWEENNESS_SAMPLES = 256
DEGREE_BINS: tuple[tuple[int, int], ...] = ((0, 0), (1, 1), (2, 2), (3, 4), (5, 9), (10, 19), (20, 49), (50, 99),
                                            (100, 10**9))


@dataclass
class GraphStats:
    """Counts of the projected graph."""

    nodes: int
    edges: int
    types: dict[str, int] = field(default_factory=dict)
    predicates: dict[str, int] = field(default_factory=dict)
    comention_edges: int = 0
    degrees: dict[str, int] = field(default_factory=dict)
    components: list[int] = field(default_factory=list)

    def tables(self) -> list[Table]:
        comp = self.components
        isolated = sum(1 for c in comp if c == 1)
        return [
            Table(["type", "entities"], [[t, n] for t, n in self.types.items()] + [["all", self.nodes]],
                  title="Entities by type"),
            Table(["predicate", "edges"],
                  [[p, n] for p, n in self.predicates.items()] + [["co-mention", self.comention_edges],
                                                                    ["all (merged pairs)", self.edges]],
                  title="Links by predicate"),
            Table(["degree", "entities"], [[d, n] for d, n in self.degrees.items()], title="Degree distribution"),
            Table(["components", "largest", "second", "isolated entities"],
                  [[len(comp), comp[0] if comp else 0, comp[1] if len(comp) > 1 else 0, isolated]],
                  title="Connected components"),
        ]

    def as_dict(self) -> dict:
        return {"nodes": self.nodes, "edges": self.edges, "types": self.types, "predicates": self.predicates,
                "comention_edges": self.comention_edges, "degrees": self.degrees, "components": self.components}


def graph_stats(g: nx.Graph) -> GraphStats:
    """Entities by type, relations by predicate, the degree distribution (binned) and the sizes
    of the connected components, largest first."""
    types = Counter(d.get("type", "?") for _, d in g.nodes(data=True))
    predicates: Counter[str] = Counter()
    comention = 0
    for _, _, d in g.edges(data=True):
        predicates.update(p for _, p, _ in d.get("relations", ()))
        comention += bool(d.get("comention"))
    degree_counts = Counter(dict(g.degree()).values())
    degrees = {}
    for lo, hi in DEGREE_BINS:
        n = sum(c for d, c in degree_counts.items() if lo <= d <= hi)
        if n:
            degrees[str(lo) if lo == hi else (f"{lo}+" if hi >= 10**9 else f"{lo}-{hi}")] = n
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    return GraphStats(
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        types=dict(sorted(types.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))),
        predicates=dict(sorted(predicates.items(), key=lambda kv: (-kv[1], kv[0]))),
        comention_edges=comention,
        degrees=degrees,
        components=sorted((len(c) for c in nx.connected_components(g)), reverse=True),
    )


def centrality(g: nx.Graph, by: Measure | str = "pagerank", *, seed: int = 0) -> dict[str, float]:
    """Scores of every node: weighted PageRank, betweenness (shortest paths by ``cost``; sampled
    with ``seed`` on large graphs) or degree centrality (neighbours / (n - 1))."""
    if by not in MEASURES:
        raise AnalyticsError(f"unknown measure '{by}': use {', '.join(MEASURES)}")
    if g.number_of_nodes() == 0:
        return {}
    if by == "pagerank":
        return nx.pagerank(g, weight="weight")
    if by == "degree":
        return nx.degree_centrality(g)
    n = g.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS_MAX_NODES else min(BETWEENNESS_SAMPLES, n)
    return nx.betweenness_centrality(g, k=k, weight="cost", seed=seed)


def top_nodes(g: nx.Graph, scores: dict[str, float], *, type_: str | None = None, top: int = 10) -> list[str]:
    """The ``top`` best-scored nodes (of one type), ties broken by label then IRI."""
    if type_ is not None and type_ not in ENTITY_TYPES:
        raise AnalyticsError(f"unknown type '{type_}': use one of {', '.join(ENTITY_TYPES)}")
    nodes = [n for n in scores if type_ is None or g.nodes[n].get("type") == type_]
    nodes.sort(key=lambda n: (-round(scores[n], 12), label(g, n), n))
    return nodes[:top]


def ranking(g: nx.Graph, scores: dict[str, float], by: str, *, type_: str | None = None,
            top: int = 10) -> list[dict]:
    """The ``top`` entities as records: rank, iri, label, type, score, neighbours."""
    return [{"rank": i, "iri": n, "label": label(g, n), "type": g.nodes[n].get("type", ""), by: round(scores[n], 6),
             "neighbours": g.degree(n)} for i, n in enumerate(top_nodes(g, scores, type_=type_, top=top), 1)]


def ranking_table(records: list[dict], by: str, title: str = "") -> Table:
    rows = [[r["rank"], r["label"], r["type"], r[by], r["neighbours"]] for r in records]
    return Table(["rank", "entity", "type", by, "neighbours"], rows, title=title)


@dataclass
class Centrality:
    """Scores of one measure over a projected graph (the whole graph, or an event's part of it)."""

    by: str
    graph: nx.Graph
    scores: dict[str, float]
    event: str | None = None

    def ranking(self, *, type_: str | None = None, top: int = 10) -> list[dict]:
        return ranking(self.graph, self.scores, self.by, type_=type_, top=top)

    def table(self, *, type_: str | None = None, top: int = 10) -> Table:
        scope = f" at {self.event}" if self.event else ""
        kind = f" ({type_})" if type_ else ""
        title = f"Most central entities{kind}{scope} by {self.by}"
        return ranking_table(self.ranking(type_=type_, top=top), self.by, title=title)


def stats(store: GraphStore, edges: EdgeKind | str = "both") -> GraphStats:
    """``graph_stats`` of the store's projection."""
    return graph_stats(project(store, edges))


def central(store: GraphStore, by: Measure | str = "pagerank", *, event: str | None = None,
            edges: EdgeKind | str = "both", graph: nx.Graph | None = None, seed: int = 0) -> Centrality:
    """Centrality of every entity of the projection, or of the part of it about ``event``
    (``projection.event_entities``: scores are then computed within that part)."""
    if by not in MEASURES:
        raise AnalyticsError(f"unknown measure '{by}': use {', '.join(MEASURES)}")
    g = graph if graph is not None else project(store, edges)
    if event is not None:
        g = restrict(g, event_entities(store, event))
    return Centrality(by, g, centrality(g, by, seed=seed), event)
