"""Groups of entities the notes name together (``confkg communities``): Louvain on the co-mention
graph, seeded so the same graph always gives the same groups, each named by its top topics and
entities (most strongly tied inside the group first)."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from confkg.analytics.projection import label, project
from confkg.analytics.table import Table
from confkg.store import GraphStore

SEED = 42
NAME_TOPICS = 3
NAME_ENTITIES = 3


@dataclass
class Community:
    """One group: members ordered by their weighted degree inside the group."""

    index: int
    members: list[str]
    topics: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def name(self) -> str:
        return ", ".join(self.topics or self.entities)

    def as_dict(self) -> dict:
        return {"index": self.index, "size": self.size, "name": self.name, "topics": self.topics,
                "entities": self.entities, "members": self.members}


def detect_communities(g: nx.Graph, *, weight: str = "weight", seed: int = SEED,
                       resolution: float = 1.0) -> list[Community]:
    """Louvain communities of ``g`` (isolated nodes left out), largest first, numbered from 1."""
    core = g.subgraph(n for n in g if g.degree(n) > 0)
    if core.number_of_nodes() == 0:
        return []
    groups = nx.community.louvain_communities(core, weight=weight, resolution=resolution, seed=seed)
    found = [_describe(core, group, weight) for group in groups]
    found.sort(key=lambda c: (-c.size, c.name, c.members[0]))
    for i, c in enumerate(found, 1):
        c.index = i
    return found


def _describe(g: nx.Graph, group: set[str], weight: str) -> Community:
    inner = g.subgraph(group)
    strength = dict(inner.degree(weight=weight))
    members = sorted(group, key=lambda n: (-strength[n], label(g, n), n))
    topics = [label(g, n) for n in members if g.nodes[n].get("type") == "Topic"][:NAME_TOPICS]
    others = [label(g, n) for n in members if g.nodes[n].get("type") != "Topic"][:NAME_ENTITIES]
    return Community(0, members, topics, others)


def communities_table(found: list[Community], *, top: int = 10, min_size: int = 3) -> Table:
    shown = [c for c in found if c.size >= min_size][:top]
    rows = [[c.index, c.size, ", ".join(c.topics), ", ".join(c.entities)] for c in shown]
    hidden = len(found) - len(shown)
    note = f"({len(found)} communities; {hidden} not shown: smaller than {min_size} or beyond --top)" if hidden else ""
    return Table(["#", "size", "top topics", "top entities"], rows, title="Communities (Louvain, co-mentions)",
                 note=note)


def find_communities(store: GraphStore, *, seed: int = SEED, resolution: float = 1.0) -> list[Community]:
    """Louvain communities of the store's co-mention graph (weighted by sections naming both)."""
    return detect_communities(project(store, "comention"), seed=seed, resolution=resolution)
