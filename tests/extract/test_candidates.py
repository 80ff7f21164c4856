from __future__ import annotations

from confkg.extract.candidates import (
    PRIORITY_GAZETTEER,
    PRIORITY_NER,
    PRIORITY_RULE,
    PRIORITY_STRUCTURE,
    Candidate,
    merge_candidates,
)


def c(start: int, end: int, type_: str, priority: int) -> Candidate:
    return Candidate(start, end, type_, 0.5, "test", priority)


def test_higher_priority_wins_overlap() -> None:
    kept = merge_candidates([c(0, 10, "Organization", PRIORITY_NER), c(0, 6, "Artifact", PRIORITY_GAZETTEER)])
    assert [(k.start, k.end, k.type) for k in kept] == [(0, 6, "Artifact")]


def test_longer_span_wins_at_same_priority() -> None:
    kept = merge_candidates([c(0, 4, "Event", PRIORITY_RULE), c(0, 9, "Event", PRIORITY_RULE)])
    assert [(k.start, k.end) for k in kept] == [(0, 9)]


def test_titles_are_a_layer_that_keeps_rules_but_not_ner_inside() -> None:
    kept = merge_candidates([
        c(0, 40, "Paper", PRIORITY_STRUCTURE),
        c(5, 12, "Artifact", PRIORITY_GAZETTEER),
        c(20, 30, "Organization", PRIORITY_NER),
    ])
    assert [(k.start, k.type) for k in kept] == [(0, "Paper"), (5, "Artifact")]
