"""Explained shortest paths: asserted relations first, co-mentions as the fallback."""

from __future__ import annotations

import pytest

from confkg.analytics.paths import find_path
from confkg.analytics.projection import AnalyticsError


def chain(h, length: int = 4, shortcut: bool = True) -> None:  # noqa: ANN001
    """P0 -> Talk0 <- ... alternating people and talks, each linked by a speaker relation."""
    names = [f"Node {i}" for i in range(length + 1)]
    for i, n in enumerate(names):
        h.entity(n, "Talk" if i % 2 else "Person")
    for i, (a, b) in enumerate(zip(names, names[1:], strict=False)):
        talk, person = (b, a) if i % 2 == 0 else (a, b)
        h.relate(talk, "speaker", person, note="chain.md", line=10 + i, sentence=f"{talk} by {person}.")
    if shortcut:
        h.comention(names[0], names[-1], 1, note="other.md", section="Coffee", line=7,
                    sentence=f"{names[0]} met {names[-1]}.")


def test_asserted_path_with_its_evidence(hand) -> None:
    store, h = hand(chain)
    p = find_path(store, "Node 0", "node 4")  # names folded like explain.find_entities
    assert [hop.target_label for hop in p.hops] == ["Node 1", "Node 2", "Node 3", "Node 4"]
    assert {hop.kind for hop in p.hops} == {"asserted"} and p.cost == 4
    first = p.hops[0]
    assert (first.predicate, first.forward) == ("speaker", False)  # Node 1 (a talk) --speaker--> Node 0
    assert first.evidence.note == "chain.md" and first.evidence.lines == [10]
    assert first.evidence.sentences == ["Node 1 by Node 0."]
    assert p.hops[1].forward and p.hops[1].evidence.lines == [11]
    text = p.to_text()
    assert text.splitlines()[0] == "Node 0 -> Node 4: 4 hops (cost 4)"
    assert "Node 0 <--speaker-- Node 1 (Talk)" in text and 'chain.md:10  "Node 1 by Node 0."' in text


def test_comentions_are_the_fallback(hand) -> None:
    store, h = hand(lambda g: chain(g, length=8))  # 8 asserted hops cost more than one co-mention
    p = find_path(store, "Node 0", "Node 8")
    assert len(p.hops) == 1 and p.hops[0].kind == "comention"
    ev = p.hops[0].evidence
    assert (ev.note, ev.heading, ev.lines, ev.sentences) == ("other.md", "Coffee", [7], ["Node 0 met Node 8."])
    assert "~~co-mentioned (1 section)~~" in p.to_text()


def test_edge_kinds_restrict_the_path(hand) -> None:
    store, h = hand(chain)
    assert len(find_path(store, "Node 0", "Node 4", edges="comention").hops) == 1
    assert len(find_path(store, "Node 0", "Node 4", edges="asserted").hops) == 4


def test_unknown_names_and_unconnected_entities(hand) -> None:
    def two_parts(h) -> None:  # noqa: ANN001
        chain(h, 2, shortcut=False)
        h.entity("Island", "Organization")

    store, _ = hand(two_parts)
    with pytest.raises(AnalyticsError, match="no entity named 'Nobody'"):
        find_path(store, "Nobody", "Node 0")
    with pytest.raises(AnalyticsError, match="not connected"):
        find_path(store, "Node 0", "Island")
    assert find_path(store, "Node 0", "Node 0").hops == []


def test_ilya_sutskever_to_netflix_in_the_sample_graph(sample_store, sample_graph) -> None:
    p = find_path(sample_store, "Ilya Sutskever", "Netflix", graph=sample_graph)
    assert p.source_label == "Ilya Sutskever" and p.target_label == "Netflix"
    assert p.hops and all(hop.kind == "asserted" for hop in p.hops)  # asserted relations are preferred
    assert p.hops[0].predicate == "speaker"
    for hop in p.hops:
        assert hop.evidence is not None and hop.evidence.note.endswith((".md", ".txt"))
        assert hop.evidence.sentences[0].strip()
    assert p.as_dict()["hops"][0]["evidence"]["note"] == p.hops[0].evidence.note
    fallback = find_path(sample_store, "Ilya Sutskever", "Netflix", edges="comention")
    assert all(hop.kind == "comention" and hop.evidence for hop in fallback.hops)
