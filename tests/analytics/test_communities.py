"""Louvain communities: two cliques joined by one weak co-mention, and the sample graph."""

from __future__ import annotations

import itertools

from confkg.analytics.communities import communities_table, detect_communities, find_communities
from confkg.analytics.projection import project

LEFT = [("reinforcement learning", "Topic"), ("robotics", "Topic"), ("Ann", "Person"), ("OpenAI", "Organization")]
RIGHT = [("databases", "Topic"), ("Ben", "Person"), ("Cy", "Person"), ("Arrow", "Artifact")]


def two_cliques(h) -> None:  # noqa: ANN001
    for group in (LEFT, RIGHT):
        for name, type_ in group:
            h.entity(name, type_)
        for (a, _), (b, _) in itertools.combinations(group, 2):
            h.comention(a, b, 3, section=f"{a}/{b}")
    h.comention("Ann", "Ben", 1, section="bridge")


def test_two_cliques_are_two_named_communities(hand) -> None:
    store, h = hand(two_cliques)
    found = find_communities(store)
    assert [c.size for c in found] == [4, 4]
    assert {frozenset(c.members) for c in found} == {frozenset(h.iri(n) for n, _ in g) for g in (LEFT, RIGHT)}
    by_topic = {c.topics[0]: c for c in found}
    assert set(by_topic) == {"reinforcement learning", "databases"}
    # members most tied inside first: Ann (3 x 3 inside) before the other entities of her clique, ties by label
    assert by_topic["reinforcement learning"].entities == ["Ann", "OpenAI"]
    assert by_topic["reinforcement learning"].name == "reinforcement learning, robotics"
    assert [c.index for c in found] == [1, 2]


def test_communities_are_deterministic_and_leave_out_isolated_nodes(hand) -> None:
    def with_loner(h) -> None:  # noqa: ANN001
        two_cliques(h)
        h.entity("Loner", "Person")

    store, h = hand(with_loner)
    g = project(store, "comention")
    first = [c.as_dict() for c in detect_communities(g)]
    assert first == [c.as_dict() for c in detect_communities(g)]
    assert all(h.iri("Loner") not in c["members"] for c in first)
    table = communities_table(detect_communities(g), min_size=5)
    assert table.rows == [] and "2 not shown" in table.note


def test_sample_communities(sample_store) -> None:
    g = project(sample_store, "comention")
    found = detect_communities(g)
    assert [c.as_dict() for c in found] == [c.as_dict() for c in find_communities(sample_store)]
    members = [m for c in found for m in c.members]
    assert len(members) == len(set(members)) == sum(1 for n in g if g.degree(n) > 0)
    assert len(found) >= 5 and found[0].size >= found[-1].size
    assert all(c.name for c in found if c.size >= 3)
    rl = next(c for c in found if any(g.nodes[m]["label"] == "reinforcement learning" for m in c.members))
    assert rl.size >= 3 and rl.topics
