"""Finding and loading note files: discovery rules, note fields and one-line error messages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from confkg.errors import NoteError
from confkg.ingest import discover, load_note, read_notes
from confkg.model import Note


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    _write(root / "b.md", "# B\n")
    _write(root / "a.txt", "A\n")
    _write(root / "sub" / "c.markdown", "c\n")
    _write(root / "sub" / "deeper" / "d.MD", "d\n")
    _write(root / "skip.pdf", "x")
    _write(root / ".hidden.md", "hidden\n")
    _write(root / ".git" / "e.md", "hidden folder\n")
    return root


def test_discover_folder_is_recursive_sorted_and_skips_hidden(tree: Path) -> None:
    pairs, errors = discover([tree])
    assert errors == []
    assert [f.relative_to(tree).as_posix() for f, _ in pairs] == [
        "a.txt",
        "b.md",
        "sub/c.markdown",
        "sub/deeper/d.MD",
    ]
    assert all(root == tree for _, root in pairs)


def test_discover_file_uses_its_parent_as_root(tree: Path) -> None:
    pairs, errors = discover([str(tree / "sub" / "c.markdown")])
    assert errors == []
    assert pairs == [(tree / "sub" / "c.markdown", tree / "sub")]


def test_discover_lists_a_file_reached_twice_once(tree: Path) -> None:
    pairs, _ = discover([tree, tree / "b.md"])
    assert [f.name for f, _ in pairs].count("b.md") == 1


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda t: t / "missing", "no such file or directory"),
        (lambda t: (t / "empty").mkdir() or t / "empty", "no .md, .markdown or .txt files"),
        (lambda t: _write(t / "x.pdf", "x"), "not a .md, .markdown or .txt file"),
    ],
)
def test_discover_errors(tmp_path: Path, make, problem: str) -> None:
    path = make(tmp_path)
    pairs, errors = discover([path])
    assert pairs == []
    assert [str(e) for e in errors] == [f"{path}: {problem}"]


def test_load_note_fields(tmp_path: Path) -> None:
    data = "---\ntitle: My Notes\ndate: 2020-03-01\n---\n# Heading\r\nText\n"
    path = _write(tmp_path / "sub" / "n.md", data)
    note = load_note(path, tmp_path)
    assert note.note_id == "sub/n.md"
    assert note.path == str(path)
    assert note.source == data  # exactly as in the file, CRLF kept
    assert note.content_hash == hashlib.sha256(data.encode()).hexdigest()
    assert (note.format, note.title, note.date) == ("markdown", "My Notes", "2020-03-01")
    assert load_note(path).note_id == "n.md"


def test_load_note_keeps_a_bom_in_source_but_not_in_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "n.md", "\ufeff---\ntitle: T\n---\nHello *world*\n")
    note = load_note(path, tmp_path)
    assert note.source.startswith("\ufeff") and note.title == "T"
    (section,) = note.sections
    assert section.text == "Hello world"
    s, e = section.source_span(0, 5)
    assert note.source[s:e] == "Hello"


def test_text_note_format_title_and_posted_date(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.txt", "ICML 2017\n\nPosted: 6 August 2017\n\nSome text.\n")
    note = load_note(path, tmp_path)
    assert (note.format, note.title, note.date) == ("text", "ICML 2017", "2017-08-06")


def test_date_falls_back_to_a_jekyll_file_name(tmp_path: Path) -> None:
    note = load_note(_write(tmp_path / "2019-12-15-neurips.md", "Hi\n"))
    assert note.date == "2019-12-15"


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.txt", b"  \n\n\t\n", "empty file (only whitespace)"),
        ("bin.md", b"PNG\x00\x01\x02", "binary file (contains NUL bytes), not a text note"),
        ("latin.txt", b"ok\ncaf\xe9\n", "not UTF-8 text: invalid byte 0xe9 at byte 6 (line 2)"),
        (
            "yaml.md",
            b"---\ntitle: a\nbad: [unclosed\n---\nbody\n",
            "broken YAML front matter at line 3: expected ',' or ']', but got '<stream end>'",
        ),
        (
            "colon.md",
            b"---\ntitle: a: b\n---\nbody\n",
            "broken YAML front matter at line 2: mapping values are not allowed here",
        ),
        ("list.md", b"---\n- a\n- b\n---\nbody\n", "broken YAML front matter: expected 'key: value' lines"),
        (
            "open.md",
            b"---\ntitle: never closed\nbody\n",
            "broken YAML front matter: the '---' on line 1 is never closed",
        ),
    ],
)
def test_load_note_errors(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = _write(tmp_path / name, data)
    with pytest.raises(NoteError) as info:
        load_note(path, tmp_path)
    assert info.value.problem == problem
    assert str(info.value) == f"{path}: {problem}"
    assert "\n" not in str(info.value)


def test_load_note_on_a_folder_or_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(NoteError, match="is a folder"):
        load_note(tmp_path)
    with pytest.raises(NoteError, match="cannot read file"):
        load_note(tmp_path / "nope.md")


def test_read_notes_yields_errors_in_place(tmp_path: Path) -> None:
    _write(tmp_path / "a.md", "# A\n")
    _write(tmp_path / "b.md", b"\xff\xfe")
    _write(tmp_path / "c.txt", "C\n")
    out = list(read_notes([tmp_path / "missing", tmp_path]))
    kinds = [type(x).__name__ for x in out]
    assert kinds == ["NoteError", "Note", "NoteError", "Note"]
    assert isinstance(out[1], Note) and out[1].note_id == "a.md"
    assert "b.md: not UTF-8" in str(out[2])


def test_a_frontmatter_only_note_has_no_sections(tmp_path: Path) -> None:
    note = load_note(_write(tmp_path / "n.md", "---\ntitle: Only meta\n---\n"))
    assert note.title == "Only meta" and note.sections == ()


def test_a_leading_rule_is_not_front_matter(tmp_path: Path) -> None:
    note = load_note(_write(tmp_path / "n.md", "---\n\nJust text\n"))
    assert [s.text for s in note.sections] == ["Just text"]
