"""Markdown sections: what is kept, what is left out, and where links and blocks land."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from confkg.ingest import load_note
from confkg.model import Note


def _note(tmp_path: Path, text: str, name: str = "n.md") -> Note:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    note = load_note(path, tmp_path)
    _check(note)
    return note


def _check(note: Note) -> None:
    """Every piece is verbatim and every word maps back to itself."""
    for s in note.sections:
        for p in s.offsets.pieces:
            assert (
                s.text[p.clean_start : p.clean_start + p.length]
                == note.source[p.source_start : p.source_start + p.length]
            )
        for m in re.finditer(r"\S+", s.text):
            a, b = s.source_span(m.start(), m.end())
            assert note.source[a:b] == m.group()


def _texts(note: Note) -> list[str]:
    return [s.text for s in note.sections]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("plain *em* **strong** _u_ ~~gone~~ text", "plain em strong u gone text"),
        ("starred (\\*) and a\\_b", "starred ( *) and a _b"),
        ("inline `pandas` code", "inline pandas code"),
        ("```python\nimport x\n```\n\nafter", "after"),
        ("text\n\n    indented code\n\nafter", "text\nafter"),
        ("see ![alt text](img.png) here", "see here"),
        ('![History]({{ "/img/a.png" | absolute_url}})\n\nafter', "after"),
        ("Hi {{ site.name }} there {% include x.html %} end", "Hi there end"),
        ("{% highlight python %}\nx = 1\n{% endhighlight %}\n\nafter", "after"),
        ("math $$p(y|x)$$ and $a+b$ but $5 and $10", "math and but $5 and $10"),
        ("$$\nE = mc^2\n$$\n\nafter", "after"),
        ("a lot of $$", "a lot of"),
        ('<iframe src="https://youtube.com/x"></iframe>\n\nafter', "after"),
        ("a <span>b</span> c<br>d", "a b c d"),
        ("go to http://example.com/x. Then www.foo.org, and g.co/tpu!", "go to . Then , and !"),
        ("[ursalabs.org](http://ursalabs.org) - goal", "ursalabs.org - goal"),
        ("[https://a.b/c](https://a.b/c)", ""),
        ("note[^1] here\n\n[^1]: the footnote", "note here\nthe footnote"),
        ("inline^[a *side* note] here", "inline a side note here"),
        ("R&amp;D &nbsp;x", "R&amp;D x"),
        ("line one\nline two  \nline three", "line one\nline two\nline three"),
        ("> quoted *text*\n> more", "quoted text\nmore"),
        ("| a | b \\| c |\n|---|---|\n| `x` | [y](z) |", "a\nb | c\nx\ny"),
        ("[broken](http://x.com/a b) link", "broken link"),
    ],
)
def test_clean_text(tmp_path: Path, source: str, expected: str) -> None:
    note = _note(tmp_path, source)
    assert "\n".join(_texts(note)) == expected


def test_headings_start_sections(tmp_path: Path) -> None:
    note = _note(tmp_path, "intro\n\n# One\n\ntext\n\n## Two *x*\n\n### Three\nSetext\n---\n")
    assert [(s.index, s.heading, s.level) for s in note.sections] == [
        (0, None, 0),
        (1, "One", 1),
        (2, "Two x", 2),
        (3, "Three", 3),
        (4, "Setext", 2),
    ]
    one = note.sections[1]
    assert one.text == "One\ntext"
    blocks = [(b.kind, one.text[b.start : b.end]) for b in one.blocks]
    assert blocks == [("heading", "One"), ("paragraph", "text")]


def test_no_section_zero_when_the_note_starts_with_a_heading(tmp_path: Path) -> None:
    note = _note(tmp_path, "## Overview\ntext\n")
    assert [s.heading for s in note.sections] == ["Overview"]
    assert note.title == "Overview"


def test_nested_lists_with_spaces_and_tabs(tmp_path: Path) -> None:
    source = "- top\n    - second\n        - third\n\t* tab level\n- again\n\n1. first\n2. second\n"
    (section,) = _note(tmp_path, source).sections
    got = [(b.kind, b.depth, section.text[b.start : b.end]) for b in section.blocks]
    assert got == [
        ("list_item", 1, "top"),
        ("list_item", 2, "second"),
        ("list_item", 3, "third"),
        ("list_item", 2, "tab level"),
        ("list_item", 1, "again"),
        ("list_item", 1, "first"),
        ("list_item", 1, "second"),
    ]


def test_blocks_of_each_kind(tmp_path: Path) -> None:
    source = "para\n\n> quote\n\n- item\n\n| h |\n|---|\n| c |\n"
    (section,) = _note(tmp_path, source).sections
    assert [b.kind for b in section.blocks] == ["paragraph", "quote", "list_item", "table_cell", "table_cell"]
    assert all(0 <= b.start < b.end <= len(section.text) for b in section.blocks)


def test_links_anchor_text_and_bare_urls(tmp_path: Path) -> None:
    source = (
        "Check [ScaledML videos](https://info.example.com/archive) and <https://auto.example.org>.\n"
        "Code: https//github.com/x/y and arxiv.org/abs/1910.06302 end\n"
    )
    (section,) = _note(tmp_path, source).sections
    assert section.text == "Check ScaledML videos and .\nCode: and end"
    links = [(section.text[lk.start : lk.end], lk.start == lk.end, lk.url) for lk in section.links]
    assert links == [
        ("ScaledML videos", False, "https://info.example.com/archive"),
        ("", True, "https://auto.example.org"),
        ("", True, "https://github.com/x/y"),
        ("", True, "http://arxiv.org/abs/1910.06302"),
    ]


def test_a_link_around_an_image_keeps_its_url(tmp_path: Path) -> None:
    note = _note(tmp_path, "text\n\n[![img](i.png)](http://target.example)\n")
    assert [lk.url for lk in note.sections[0].links] == ["http://target.example"]


def test_footnote_definition_stays_in_its_section(tmp_path: Path) -> None:
    source = "# A\n\nuses[^n]\n\n[^n]: defined here\n\n# B\n\nlater\n"
    note = _note(tmp_path, source)
    assert _texts(note) == ["A\nuses\ndefined here", "B\nlater"]


def test_offsets_point_at_the_source(tmp_path: Path) -> None:
    source = "---\ntitle: t\n---\n## Talk - *Speaker*\n\n- **Bold** [link](http://x.y) `code`\n"
    note = _note(tmp_path, source)
    (section,) = note.sections
    for word in ("Talk", "Speaker", "Bold", "link", "code"):
        start = section.text.index(word)
        s, e = section.source_span(start, start + len(word))
        assert note.source[s:e] == word
        assert note.line_of(s) == (4 if word in ("Talk", "Speaker") else 6)


def test_crlf_and_lone_cr_line_breaks(tmp_path: Path) -> None:
    note = _note(tmp_path, "# H\r\nline one\r\nline two\r\n\r\nnext\rpara\r")
    assert _texts(note) == ["H\nline one\nline two\nnext\npara"]
