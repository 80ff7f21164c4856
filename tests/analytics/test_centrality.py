"""Centrality: a star and a path whose answers are known by hand, an event's part of a graph, and
the sample graph."""

from __future__ import annotations

import networkx as nx
import pytest

from confkg.analytics.metrics import Centrality, central, centrality, top_nodes
from confkg.analytics.projection import AnalyticsError, build_graph


def star() -> nx.Graph:
    entities = {"hub": ("Person", "Hub")} | {f"leaf{i}": ("Organization", f"Leaf {i}") for i in range(5)}
    return build_graph(entities, [("hub", "affiliation", f"leaf{i}") for i in range(5)])


def path5() -> nx.Graph:
    names = "abcde"
    return build_graph({n: ("Person", n.upper()) for n in names},
                       [(x, "mentions", y) for x, y in zip(names, names[1:], strict=False)])


@pytest.mark.parametrize("by", ["pagerank", "betweenness", "degree"])
def test_the_hub_of_a_star_is_most_central(by: str) -> None:
    g = star()
    scores = centrality(g, by)
    assert top_nodes(g, scores, top=1) == ["hub"]
    leaves = {round(scores[f"leaf{i}"], 9) for i in range(5)}
    assert len(leaves) == 1  # all leaves alike


def test_star_scores_by_hand() -> None:
    g = star()
    assert centrality(g, "degree") == pytest.approx({"hub": 1.0} | {f"leaf{i}": 0.2 for i in range(5)})
    assert centrality(g, "betweenness") == pytest.approx({"hub": 1.0} | {f"leaf{i}": 0.0 for i in range(5)})
    assert sum(centrality(g, "pagerank").values()) == pytest.approx(1.0)


def test_path_betweenness_by_hand() -> None:
    # on a-b-c-d-e, c lies on 4 of the 6 pairs of the others: (a,d) (a,e) (b,d) (b,e); b on 3
    scores = centrality(path5(), "betweenness")
    assert scores == pytest.approx({"a": 0.0, "b": 0.5, "c": 4 / 6, "d": 0.5, "e": 0.0})
    pr = centrality(path5(), "pagerank")
    assert pr["a"] == pytest.approx(pr["e"]) and pr["b"] == pytest.approx(pr["d"])


def test_type_filter_top_and_ties() -> None:
    g = star()
    scores = centrality(g, "degree")
    assert top_nodes(g, scores, type_="Organization", top=3) == ["leaf0", "leaf1", "leaf2"]  # ties: by label
    with pytest.raises(AnalyticsError, match="unknown type"):
        top_nodes(g, scores, type_="Robot")
    with pytest.raises(AnalyticsError, match="unknown measure"):
        centrality(g, "closeness")
    rows = Centrality("degree", g, scores).ranking(top=2)
    assert [r["label"] for r in rows] == ["Hub", "Leaf 0"] and rows[0]["neighbours"] == 5


def two_events(h) -> None:  # noqa: ANN001
    h.entity("Conf 2017", "Event", year=2017)
    h.entity("Conf 2020", "Event", year=2020)
    for talk, person, event in (("Old talk", "Ann", "Conf 2017"), ("New talk", "Ben", "Conf 2020"),
                                ("Other new talk", "Cy", "Conf 2020")):
        h.entity(talk, "Talk")
        h.entity(person, "Person")
        h.relate(talk, "partOf", event)
        h.relate(talk, "speaker", person)
    h.entity("Ann's lab", "Organization")
    h.relate("Ann", "affiliation", "Ann's lab")


def test_central_within_an_event(hand) -> None:
    store, h = hand(two_events)
    whole = central(store, "degree")
    assert h.iri("Ann") in whole.scores
    at_2020 = central(store, "degree", event="conf 2020")
    assert set(at_2020.scores) == {h.iri(n) for n in ("Conf 2020", "New talk", "Other new talk")}
    assert at_2020.ranking(top=1)[0]["label"] == "Conf 2020"
    assert "at conf 2020" in at_2020.table().title
    with pytest.raises(AnalyticsError, match="no event named 'Conf 1999'"):
        central(store, event="Conf 1999")


def test_central_people_of_the_sample_graph(sample_store, sample_graph) -> None:
    result = central(sample_store, "pagerank", graph=sample_graph)
    people = result.ranking(type_="Person", top=5)
    assert len(people) == 5 and {r["type"] for r in people} == {"Person"}
    assert people == central(sample_store, "pagerank", graph=sample_graph).ranking(type_="Person", top=5)
    at = central(sample_store, "degree", event="ScaledML 2020", graph=sample_graph)
    labels = [r["label"] for r in at.ranking(type_="Person", top=10)]
    assert "Ilya Sutskever" in labels and "Ian Goodfellow" not in labels
    socml = central(sample_store, "degree", event="SOCML", graph=sample_graph)
    assert "Ian Goodfellow" in [r["label"] for r in socml.ranking(type_="Person", top=20)]
    assert sample_graph.number_of_nodes() > socml.graph.number_of_nodes() > 0  # the whole graph is untouched
