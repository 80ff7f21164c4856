"""The RDF -> networkx projection and ``graph_stats``, on a hand-made graph and on the sample graph."""

from __future__ import annotations

import pytest

from confkg.analytics.metrics import graph_stats
from confkg.analytics.projection import (
    ASSERTED_COST,
    ASSERTED_WEIGHT,
    COMENTION_COST,
    MENTION_COST,
    AnalyticsError,
    project,
)


def small(h) -> None:  # noqa: ANN001
    h.entity("Ada", "Person")
    h.entity("Bob", "Person")
    h.entity("Acme", "Organization")
    h.entity("Keynote", "Talk")
    h.entity("deep learning", "Topic")
    h.entity("Loner", "Artifact")
    h.relate("Ada", "affiliation", "Acme")
    h.relate("Keynote", "speaker", "Ada")
    h.relate("Keynote", "mentions", "Ada")
    h.relate("Keynote", "mentions", "deep learning")
    h.comention("Ada", "Bob", 2)
    h.comention("Ada", "Acme", 1)


def test_both_merges_relations_and_comentions_into_typed_weighted_edges(hand) -> None:
    store, h = hand(small)
    g = project(store, "both")
    assert g.number_of_nodes() == 6  # the isolated artifact is kept
    assert g.nodes[h.iri("Ada")] == {"type": "Person", "label": "Ada"}
    ada_acme = g.edges[h.iri("Ada"), h.iri("Acme")]
    assert ada_acme["relations"] == [(h.iri("Ada"), "affiliation", h.iri("Acme"))]
    assert (ada_acme["asserted"], ada_acme["comention"]) == (1, 1)
    assert ada_acme["weight"] == ASSERTED_WEIGHT + 1 and ada_acme["cost"] == ASSERTED_COST
    talk = g.edges[h.iri("Keynote"), h.iri("Ada")]
    assert sorted(p for _, p, _ in talk["relations"]) == ["mentions", "speaker"]
    assert talk["cost"] == ASSERTED_COST
    assert g.edges[h.iri("Keynote"), h.iri("deep learning")]["cost"] == MENTION_COST
    assert g.edges[h.iri("Ada"), h.iri("Bob")]["cost"] == COMENTION_COST
    assert g.edges[h.iri("Ada"), h.iri("Bob")]["weight"] == 2


def test_asserted_and_comention_projections(hand) -> None:
    store, h = hand(small)
    asserted = project(store, "asserted")
    assert not asserted.has_edge(h.iri("Ada"), h.iri("Bob"))
    assert asserted.number_of_edges() == 3
    comention = project(store, "comention")
    assert sorted(map(sorted, comention.edges())) == sorted([sorted([h.iri("Ada"), h.iri("Bob")]),
                                                             sorted([h.iri("Ada"), h.iri("Acme")])])
    with pytest.raises(AnalyticsError, match="unknown edge kind"):
        project(store, "all")


def test_stats_of_the_hand_graph(hand) -> None:
    store, h = hand(small)
    s = graph_stats(project(store))
    assert s.types == {"Person": 2, "Organization": 1, "Talk": 1, "Artifact": 1, "Topic": 1}
    assert s.predicates == {"mentions": 2, "affiliation": 1, "speaker": 1}
    assert s.comention_edges == 2 and s.edges == 4
    # degrees: Ada 3 (Acme, Bob, Keynote), Keynote 2, Acme 1, Bob 1, deep learning 1, Loner 0
    assert s.degrees == {"0": 1, "1": 3, "2": 1, "3-4": 1}
    assert s.components == [5, 1]
    texts = [t.to_text() for t in s.tables()]
    assert "Connected components" in texts[3] and "isolated entities" in texts[3]


def test_projection_of_the_sample_graph_has_every_entity(sample_store, sample_graph) -> None:
    entities = sample_store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t ; rdfs:label ?l . VALUES ?t { "
                                  "ckg:Person ckg:Organization ckg:Event ckg:EventSeries ckg:Talk ckg:Paper "
                                  "ckg:Artifact ckg:Topic } }").rows[0][0]
    g = project(sample_store)
    assert g.number_of_nodes() == int(entities)
    s = graph_stats(g)
    assert sum(s.components) == g.number_of_nodes() == sum(s.degrees.values()) == sum(s.types.values())
    assert s.predicates["speaker"] > 0 and s.comention_edges > s.predicates["speaker"]
    assert s.components[0] > 0.9 * g.number_of_nodes()
