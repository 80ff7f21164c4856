"""Structural rules on lines written for these tests."""

from __future__ import annotations

import pytest

from confkg.extract.structure import paper_candidates, talk_candidates
from confkg.model import Block, Link, OffsetMap, Section, TextPiece


def section(lines: list[tuple[str, str]], links: tuple[Link, ...] = ()) -> Section:
    text = "\n".join(t for _, t in lines)
    blocks, pos = [], 0
    for kind, t in lines:
        blocks.append(Block(kind, pos, pos + len(t), 1 if kind == "list_item" else 0))  # type: ignore[arg-type]
        pos += len(t) + 1
    return Section(0, lines[0][1], 2, text, OffsetMap((TextPiece(0, 0, len(text)),)), tuple(blocks), links)


def talks(line: str, kind: str = "heading", plain: bool = False) -> tuple[list, list]:
    sec = section([(kind, line)])
    res = talk_candidates(sec, plain_text=plain)
    cands = sorted((sec.text[c.start:c.end] if c.canonical is None else c.canonical, c.type) for c in res.candidates)
    rels = sorted((sec.text[r.subject.start:r.subject.end], r.predicate,
                   sec.text[r.obj.start:r.obj.end] if r.obj else r.value) for r in res.relations)
    return cands, rels


@pytest.mark.parametrize(
    ("line", "speakers", "orgs"),
    [
        ("Scaling Graph Search - Maria Lopez", ["Maria Lopez"], []),
        ("Robots in the Kitchen - Tom Baker, Acme Robotics *", ["Tom Baker"], ["Acme Robotics"]),
        ("Fast Databases for ML - Ann Lee & Bob Stone", ["Ann Lee", "Bob Stone"], []),
        ("Vision at Scale - Kim Park & Zeta Team", ["Kim Park"], ["Zeta"]),
    ],
)
def test_title_dash_speaker(line: str, speakers: list[str], orgs: list[str]) -> None:
    cands, rels = talks(line)
    assert sorted(n for n, t in cands if t == "Person") == speakers
    assert sorted(n for n, t in cands if t == "Organization") == orgs
    assert len([r for r in rels if r[1] == "speaker"]) == len(speakers)
    assert len([r for r in rels if r[1] == "affiliation"]) == len(speakers) * len(orgs)


def test_creator_in_parentheses() -> None:
    cands, rels = talks("Columnar Data Today - Jo Smith (creator of Widgetlib), Foo Labs")
    assert ("Widgetlib", "creator", "Jo Smith") in rels
    assert ("Jo Smith", "affiliation", "Foo Labs") in rels


@pytest.mark.parametrize(
    ("line", "title", "speaker"),
    [
        ("Invited Talk by Ada Byron: Engines That Compute.", "Engines That Compute", "Ada Byron"),
        ("Invited Talk: Learning to Walk, Grace Hopper", "Learning to Walk", "Grace Hopper"),
        ("Keynote by Alan Turing - Thinking Machines", "Thinking Machines", "Alan Turing"),
    ],
)
def test_invited_talks(line: str, title: str, speaker: str) -> None:
    cands, rels = talks(line)
    assert (title, "Talk") in cands
    assert (title, "speaker", speaker) in rels


def test_invited_talk_with_only_a_name_is_untitled() -> None:
    cands, rels = talks("Invited Talk: Grace Hopper")
    assert ("Grace Hopper", "Person") in cands
    assert any(t == "Talk" and "Grace Hopper" in n for n, t in cands)


@pytest.mark.parametrize(
    "line",
    ["RBMT > EBMT - old methods", "Results - they were good",
     "Why it matters - a lot of reasons"],
)
def test_non_talk_lines(line: str) -> None:
    cands, _ = talks(line)
    assert not [c for c in cands if c[1] == "Talk"]


def test_panel_line() -> None:
    cands, rels = talks("Shipping Robots Safely - Panel Discussion", kind="list_item")
    assert cands == [("Shipping Robots Safely", "Talk")]
    assert rels == []


def test_speaker_heading_in_plain_text() -> None:
    cands, rels = talks("Maria Lopez", plain=True)
    assert ("Maria Lopez", "Person") in cands
    assert rels and rels[0][1] == "speaker"
    assert talks("Maria Lopez", plain=False)[0] == []


def test_paper_links_and_lists() -> None:
    lines = [
        ("heading", "Papers I liked"),
        ("list_item", "Sparse Widgets for Everyone - nice results"),
        ("list_item", "Dense Gadgets Considered Harmful - see "),
        ("list_item", "Quantum Spoons at Scale"),
        ("list_item", "I loved this one."),
    ]
    sec = section(lines)
    t = sec.text
    a = t.index("Sparse Widgets")
    b = t.index("see ") + 4
    links = (Link(a, a + len("Sparse Widgets for Everyone"), "https://arxiv.org/abs/2001.01234"),
             Link(b, b, "https://openreview.net/forum?id=abc"))
    sec = section(lines, links)
    res = paper_candidates(sec, in_session=False)
    got = sorted((t[c.start:c.end], dict(c.attrs).get("arxiv")) for c in res.candidates)
    assert got == [("Dense Gadgets Considered Harmful", None), ("Quantum Spoons at Scale", None),
                   ("Sparse Widgets for Everyone", "2001.01234")]


def test_session_headings_are_papers() -> None:
    sec = section([("heading", "Learning Sparse Widgets with Gadgets"), ("paragraph", "They showed it works.")])
    assert [sec.text[c.start:c.end] for c in paper_candidates(sec, in_session=True).candidates] == [
        "Learning Sparse Widgets with Gadgets"
    ]
    assert paper_candidates(sec, in_session=False).candidates == []


def test_speaker_first_form() -> None:
    cands, rels = talks("Maria Lopez - Scaling Graph Search Engines for Everyone")
    assert ("Scaling Graph Search Engines for Everyone", "speaker", "Maria Lopez") in rels


def test_attributed_quote_is_not_a_talk() -> None:
    cands, _ = talks("Worrying about robots is a bit like worrying about weather on Mars - Jane Roe", kind="line")
    assert not [c for c in cands if c[1] == "Talk"]


def test_session_heading_is_a_session() -> None:
    sec = section([("heading", "Session 3 - Deep Learning Theory")])
    res = talk_candidates(sec, plain_text=True)
    assert [(sec.text[c.start:c.end], dict(c.attrs)["kind"]) for c in res.candidates] == [
        ("Session 3 - Deep Learning Theory", "session")
    ]
    assert talks("Session 3 - Deep Learning Theory", kind="list_item")[0] == []


def test_reading_list_entries_with_venues_are_papers() -> None:
    sec = section([("heading", "Papers for further reading"),
                   ("list_item", "Sparse widgets beat dense gadgets, NIPS 2016."),
                   ("list_item", "On the nature of spoons, under review"),
                   ("list_item", "We went home, tired")])
    got = [sec.text[c.start:c.end] for c in paper_candidates(sec, in_session=False).candidates]
    assert got == ["Sparse widgets beat dense gadgets", "On the nature of spoons"]


def test_paper_list_item_with_author_in_parentheses() -> None:
    lines = [("heading", "Papers"), ("list_item", "Sparse Widgets for Everyone"), ("list_item", "Gadget Theory"),
             ("list_item", "Bayesian Spoons (Jane Roe)")]
    sec = section(lines)
    t = sec.text
    links = tuple(Link(t.index(x), t.index(x) + len(x), "https://arxiv.org/abs/2001.0000" + str(i))
                  for i, x in enumerate(["Sparse Widgets for Everyone", "Gadget Theory"]))
    res = paper_candidates(section(lines, links), in_session=False)
    assert "Bayesian Spoons" in [t[c.start:c.end] for c in res.candidates if c.type == "Paper"]
    assert [(t[r.subject.start:r.subject.end], r.predicate, t[r.obj.start:r.obj.end]) for r in res.relations] == [
        ("Bayesian Spoons", "author", "Jane Roe")]
