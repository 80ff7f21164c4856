"""Front matter, dates and categories: the variants seen in Jekyll notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from confkg.ingest import load_note
from confkg.ingest.frontmatter import date_from_lines, parse_categories, parse_date


@pytest.mark.parametrize(
    ("front", "title", "date", "categories"),
    [
        (
            'title:  "ScaledML 2020 Notes"\ndate:   2020-03-01\ncategories: ml, notes',
            "ScaledML 2020 Notes",
            "2020-03-01",
            ("ml", "notes"),
        ),
        (
            "title: NeurIPS 2019\n#date: 2019-12-15 18:06:0 +0000\ncategories: ML ",
            "NeurIPS 2019",
            None,
            ("ML",),
        ),
        (
            "title:      Self-Organizing\ndate:       2019-1-1\ncategories: conference",
            "Self-Organizing",
            "2019-01-01",
            ("conference",),
        ),
        ("title: T\ndate: 2019-12-15 18:06:00 +0000\ncategories: [a, b, a]", "T", "2019-12-15", ("a", "b")),
        ("title: 2020\ndate: not a date\ncategory: single", "2020", None, ("single",)),
        ("date: 2020-13-45", "Body heading", None, ()),
        ("layout: post", "Body heading", None, ()),
        ("", "Body heading", None, ()),
    ],
)
def test_front_matter_variants(
    tmp_path: Path, front: str, title: str, date: str | None, categories: tuple[str, ...]
) -> None:
    path = tmp_path / "n.md"
    path.write_text(f"---\n{front}\n---\n## Body heading\n\ntext\n", encoding="utf-8")
    note = load_note(path, tmp_path)
    assert (note.title, note.date, note.categories) == (title, date, categories)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-03-01", "2020-03-01"),
        ("2019-1-1", "2019-01-01"),
        ("2019-12-15 18:06:0 +0000", "2019-12-15"),
        ("6 August 2017", "2017-08-06"),
        ("6th Aug 2017", "2017-08-06"),
        ("August 6, 2017", "2017-08-06"),
        ("2017/08/06", "2017-08-06"),
        ("2020-02-30", None),
        ("Spring 2020", None),
        (2020, None),
    ],
)
def test_parse_date(value: object, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ml, notes", ("ml", "notes")),
        ("ML ", ("ML",)),
        (["x", " y "], ("x", "y")),
        (None, ()),
        ("a b", ("a", "b")),
    ],
)
def test_parse_categories(value: object, expected: tuple[str, ...]) -> None:
    assert parse_categories(value) == expected


def test_date_from_lines_reads_a_posted_line() -> None:
    assert date_from_lines(["ICML 2017", "Posted: 6 August 2017"]) == "2017-08-06"
    assert date_from_lines(["Published on March 3, 2018"]) == "2018-03-03"
    assert date_from_lines(["Day 1 - Tutorials"]) is None
