"""Text rules on sentences written for these tests (not taken from the sample notes)."""

from __future__ import annotations

import pytest

from confkg.extract.text_rules import (
    EventName,
    arxiv_ids,
    citation_candidates,
    event_candidates,
    full_year,
    quoted_title_candidates,
    shape_candidates,
    workshop_candidates,
)

NAMES = (
    EventName("NeurIPS", "NeurIPS", "conference", True),
    EventName("NIPS", "NeurIPS", "conference", True),
    EventName("ICLR", "ICLR", "conference", True),
    EventName("Conference on Robot Learning", "CoRL", "conference", False),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We met at NeurIPS 2021 in Sydney.", [("NeurIPS 2021", "NeurIPS 2021", "2021")]),
        ("a poster at NIPS ‘99 on kernels", [("NIPS ‘99", "NeurIPS 1999", "1999")]),
        ("the NIPS'16 workshop", [("NIPS'16", "NeurIPS 2016", "2016")]),
        ("Submitted to ICLR.", [("ICLR", "ICLR", None)]),
        ("the conference on robot learning 2019 was held",
         [("conference on robot learning 2019", "CoRL 2019", "2019")]),
        ("ICLR 42 slides", [("ICLR", "ICLR", None)]),
        ("neurips is lower case here", []),
        ("PICLR is not an event", []),
    ],
)
def test_event_candidates(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    found = event_candidates(text, NAMES)
    got = [(text[c.start:c.end], c.canonical, dict(c.attrs).get("year")) for c in found]
    assert got == expected


@pytest.mark.parametrize(("digits", "apos", "year"), [("2019", False, "2019"), ("93", True, "1993"),
                                                      ("07", True, "2007"), ("42", False, None)])
def test_full_year(digits: str, apos: bool, year: str | None) -> None:
    assert full_year(digits, apos) == year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smith et al. (2019) showed it first.", ["Smith"]),
        ("as shown before (Nakamura et al. 2020)", ["Nakamura"]),
        ("See Garcia and Okafor (2015) for details.", ["Garcia", "Okafor"]),
        ("This et al. is odd", []),
        ("van der Berg et al. reported", ["Berg"]),
    ],
)
def test_citation_candidates(text: str, expected: list[str]) -> None:
    assert [text[c.start:c.end] for c in citation_candidates(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We compared FooNet and BarGAN against ResNet-50.", ["FooNet", "BarGAN", "ResNet-50"]),
        ("Trained on ZZQ-9 with LibXYZ", ["ZZQ-9", "LibXYZ"]),
        ("McDonald went home", []),
        ("GPUs and APIs are plural acronyms", []),
    ],
)
def test_shape_candidates(text: str, expected: list[str]) -> None:
    assert [text[c.start:c.end] for c in shape_candidates(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I went to the Fair Machine Learning in Practice workshop on Friday.", ["Fair Machine Learning in Practice"]),
        ("There was a Workshop on Causal Inference for Robots.", ["Causal Inference for Robots"]),
        ("The workshop was fun.", []),
    ],
)
def test_workshop_candidates(text: str, expected: list[str]) -> None:
    assert [text[c.start:c.end] for c in workshop_candidates(text)] == expected


def test_quoted_title_needs_paper_context() -> None:
    with_ctx = "Their earlier paper “Sparse Attention Beats Dense Attention” was cited."
    without = "He said “Nobody Expects The Spanish Inquisition” loudly."
    assert [with_ctx[c.start:c.end] for c in quoted_title_candidates(with_ctx, [(0, len(with_ctx))])] == [
        "Sparse Attention Beats Dense Attention"
    ]
    assert quoted_title_candidates(without, [(0, len(without))]) == []


def test_arxiv_ids() -> None:
    text = "see https://arxiv.org/abs/2101.00001v2 and arXiv:1801.12345, not arxiv.org/list/cs"
    assert arxiv_ids(text) == ["2101.00001", "1801.12345"]


def test_shape_ignores_lines_in_capitals() -> None:
    assert shape_candidates("MAKE SURE TO READ GPT-2 AND ALSO THE REST.") == []
    assert [c.start for c in shape_candidates("Read GPT-2 AND THEN rest")] == [5]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We used Learned Sparse Retrieval (LSR) at scale.", [("Learned Sparse Retrieval", "LSR")]),
        ("interest in agent-based modeling (ABM) grew", [("agent-based modeling", "ABM")]),
        ("the Bank of Canada (BoC) said", [("Bank of Canada", "BoC")]),
        ("a large model (GPT) was used", []),
    ],
)
def test_acronym_definitions(text: str, expected: list[tuple[str, str]]) -> None:
    from confkg.extract.text_rules import acronym_definitions

    assert [(text[d.start:d.end], d.acronym) for d in acronym_definitions(text)] == expected


def test_defined_acronym_names_the_same_entity_later(extractor) -> None:
    text = "We trained with automatic domain randomization (ADR).\nLater ADR made the hand robust."
    ((_, found),) = list(extractor.extract_texts([("x", text)]))
    adr = [m for m in found if m.text == "ADR"]
    assert adr and all(m.type == "Topic" for m in adr)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He spoke at the International Conference on Learning Representations in May.",
         ["International Conference on Learning Representations"]),
        ("the 2031 Conference on Robot Dreams was fun", ["2031 Conference on Robot Dreams"]),
        ("The conference was fun.", []),
        ("we went to the Robot Ethics (RE) conference", ["Robot Ethics"]),
    ],
)
def test_named_events(text: str, expected: list[str]) -> None:
    from confkg.extract.text_rules import named_event_candidates

    got = [text[c.start:c.end] for c in named_event_candidates(text) + workshop_candidates(text)]
    assert sorted(set(got)) == sorted(expected)


def test_cited_title_is_a_paper() -> None:
    from confkg.extract.text_rules import cited_title_candidates

    text = "Related work includes Sparse Widget Networks (Okafor et al. 2019) and more."
    assert [text[c.start:c.end] for c in cited_title_candidates(text)] == ["Sparse Widget Networks"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grace Hopper and Ferdinand did a great job.", ["Ferdinand"]),
        ("Ferdinand and Grace Hopper did a great job.", ["Ferdinand"]),
        ("Grace Hopper and Alan Turing spoke.", []),
        ("Grace Hopper and Table did it.", []),
    ],
)
def test_coordinated_person(text: str, expected: list[str]) -> None:
    from confkg.extract.candidates import PRIORITY_NER_PERSON, Candidate
    from confkg.extract.text_rules import coordinated_person_candidates

    people = [Candidate(m.start(), m.end(), "Person", 0.7, "x", PRIORITY_NER_PERSON)
              for m in __import__("re").finditer(r"Grace Hopper|Alan Turing", text)]
    got = [text[c.start:c.end] for c in coordinated_person_candidates(text, people, frozenset({"table"}))]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At the 1999 ICLR they met.", [("1999 ICLR", "ICLR 1999")]),
        ("the ICLR conference is in May", [("ICLR conference", "ICLR")]),
    ],
)
def test_event_year_before_and_event_word_after(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[c.start:c.end], c.canonical) for c in event_candidates(text, NAMES)] == expected
