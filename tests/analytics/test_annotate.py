"""Analytics written back into the RDF (named graph id:graph/analytics) and read with SPARQL."""

from __future__ import annotations

import pytest

from confkg.analytics.annotate import ANALYTICS_GRAPH, analytics_triples, write_communities, write_scores
from confkg.analytics.communities import find_communities
from confkg.analytics.metrics import central
from confkg.errors import StoreError
from confkg.store import GraphStore
from confkg.vocab import CKG

BY_PAGERANK = "SELECT ?label ?pr WHERE { ?e ckg:pagerank ?pr ; rdfs:label ?label } ORDER BY DESC(?pr) ?label"


def star(h) -> None:  # noqa: ANN001
    h.entity("Hub", "Person")
    for i in range(4):
        h.entity(f"Org {i}", "Organization")
        h.relate("Hub", "affiliation", f"Org {i}")
        h.comention("Hub", f"Org {i}", 2, section=f"s{i}")


def test_scores_and_communities_in_the_analytics_graph(hand, tmp_path) -> None:
    store, h = hand(star)
    pagerank = central(store, "pagerank").scores
    assert write_scores(store, {"pagerank": pagerank, "degree": central(store, "degree").scores}) == 10
    rows = store.query(BY_PAGERANK).rows
    assert len(rows) == 5 and rows[0][0] == "Hub"
    assert float(rows[0][1]) == pytest.approx(pagerank[h.iri("Hub")], rel=1e-5)
    assert ANALYTICS_GRAPH in store.graphs()

    write_communities(store, find_communities(store))
    q = "SELECT ?label ?c WHERE { ?e ckg:community/rdfs:label ?c ; rdfs:label ?label } ORDER BY ?label"
    assert [r[0] for r in store.query(q).rows] == ["Hub", "Org 0", "Org 1", "Org 2", "Org 3"]

    # writing one measure again replaces only that measure's scores
    write_scores(store, {"pagerank": {h.iri("Hub"): 0.5}})
    assert store.query(BY_PAGERANK).rows == [("Hub", "0.5")]
    predicates = {p for _, p, _ in analytics_triples(store)}
    assert {CKG.degreeCentrality, CKG.community} <= predicates


def test_writing_needs_a_writable_store(hand, tmp_path) -> None:
    store, _ = hand(star)
    store.close()
    read_only = GraphStore.open(tmp_path / "hand-store")
    with pytest.raises(StoreError, match="read-only"):
        write_scores(read_only, {"degree": central(read_only, "degree").scores})
