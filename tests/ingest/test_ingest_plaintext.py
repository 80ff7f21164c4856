"""Plain-text notes: headings, bullets and paragraphs recognised from the layout of lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from confkg.ingest import load_note
from confkg.ingest.plaintext import looks_like_heading
from confkg.model import Note


def _note(tmp_path: Path, text: str) -> Note:
    path = tmp_path / "n.txt"
    path.write_text(text, encoding="utf-8", newline="")
    note = load_note(path, tmp_path)
    for s in note.sections:
        for p in s.offsets.pieces:
            assert (
                s.text[p.clean_start : p.clean_start + p.length]
                == note.source[p.source_start : p.source_start + p.length]
            )
    return note


def _outline(note: Note) -> list[tuple[str, int, str]]:
    return [(b.kind, b.depth, s.text[b.start : b.end]) for s in note.sections for b in s.blocks]


def test_title_speaker_headings_and_bullets(tmp_path: Path) -> None:
    text = (
        "Scaled Conference 2017\n\nThe conference took place in March.\n\nAda Lovelace\n\n"
        "- New lab\n - Real-time things\n - o Robust: handles noise\n\u25a0 Square bullet\n\n"
        "Grace Hopper\n\nDemo was really cool\n"
    )
    note = _note(tmp_path, text)
    assert note.title == "Scaled Conference 2017"
    assert [(s.heading, s.level) for s in note.sections] == [
        ("Scaled Conference 2017", 1),
        ("Ada Lovelace", 2),
        ("Grace Hopper", 2),
    ]
    assert _outline(note) == [
        ("heading", 0, "Scaled Conference 2017"),
        ("paragraph", 0, "The conference took place in March."),
        ("heading", 0, "Ada Lovelace"),
        ("list_item", 1, "New lab"),
        ("list_item", 2, "Real-time things"),
        ("list_item", 2, "Robust: handles noise"),
        ("list_item", 1, "Square bullet"),
        ("heading", 0, "Grace Hopper"),
        ("paragraph", 0, "Demo was really cool"),
    ]


def test_day_session_and_talk_title_lines(tmp_path: Path) -> None:
    text = (
        "ICML 2017\n\nPosted: 6 August 2017\n\nDay 1 - Tutorials\n\nThere were tutorials.\n\n"
        "Session 4 - Deep Learning 4\n\nLearning to learn without gradient descent by gradient descent\n\n"
        "Goal of this paper.\n\nInvited Talk by Some One: A Title With a Question? And a Period.\n\n"
        "Text.\n\nCode: https://github.com/x/y\n\nIdea -> Offline -> Online\n"
    )
    note = _note(tmp_path, text)
    assert note.date == "2017-08-06"
    assert [s.heading for s in note.sections] == [
        "ICML 2017",
        "Day 1 - Tutorials",
        "Session 4 - Deep Learning 4",
        "Learning to learn without gradient descent by gradient descent",
        "Invited Talk by Some One: A Title With a Question? And a Period.",
    ]
    last = note.sections[-1]
    assert last.text.splitlines()[-2:] == ["Code:", "Idea -> Offline -> Online"]
    assert [lk.url for lk in last.links] == ["https://github.com/x/y"]


def test_bullets_numbers_and_continuation_lines(tmp_path: Path) -> None:
    text = (
        "Intro line that is long enough to be a paragraph, it ends with a period.\n"
        "  \u2022 first\n    \u2022 nested\n  1. numbered\n"
        "- wrapped item that goes on\n between lines\n- next\n"
    )
    note = _note(tmp_path, text)
    assert _outline(note) == [
        ("paragraph", 0, "Intro line that is long enough to be a paragraph, it ends with a period."),
        ("list_item", 1, "first"),
        ("list_item", 2, "nested"),
        ("list_item", 1, "numbered"),
        ("list_item", 1, "wrapped item that goes on\nbetween lines"),
        ("list_item", 1, "next"),
    ]


def test_short_capitalised_lines_become_line_blocks(tmp_path: Path) -> None:
    text = "Prose first, so no title here, as it ends with a comma,\n\nAlpha paper\nBeta paper\n"
    note = _note(tmp_path, text)
    assert _outline(note)[1:] == [("line", 0, "Alpha paper"), ("line", 0, "Beta paper")]
    assert note.title is None


def test_crlf_text_note(tmp_path: Path) -> None:
    note = _note(tmp_path, "Title\r\n\r\nfirst line\r\nsecond line\r\n")
    assert [s.text for s in note.sections] == ["Title\nfirst line\nsecond line"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ion Stoica", True),
        ("Interpretable Machine Learning", True),
        ("Deep Tensor Convolution (on multicores)", True),
        ("MAKE SURE I GO THROUGH THE SPOTLIGHTS", True),
        ("Day 5 - Workshops", True),
        ("Panel", True),
        ("Matroid demo was really cool", False),
        ("Posted: 6 August 2017", False),
        ("Code: TF Magenta Repository, RL Tuner", False),
        ("Examples on nal.ai/vpn", False),
        ("I like this idea.", False),
        ("Why are we talking about CPU?", False),
        ("\u201cAll models are false\u201d - George Box", False),
        ("Idea -> Offline Experiment -> Online A/B Test", False),
    ],
)
def test_looks_like_heading(line: str, expected: bool) -> None:
    assert looks_like_heading(line) is expected
