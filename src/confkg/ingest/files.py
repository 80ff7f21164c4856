"""Finding note files and reading them into ``Note`` records.

Every problem with one file becomes a ``NoteError`` naming the file and saying, in one line,
what is wrong, so a command can report it and go on with the other notes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from confkg.errors import NoteError
from confkg.ingest.cleaning import mask, template_spans
from confkg.ingest.frontmatter import (
    FrontMatterError,
    Meta,
    date_from_filename,
    date_from_lines,
    read_front_matter,
    unclosed_front_matter,
)
from confkg.ingest.markdown import parse_markdown
from confkg.ingest.plaintext import header_lines, parse_text
from confkg.ingest.sections import SectionBuilder
from confkg.model import Note, Section

MARKDOWN_SUFFIXES = (".md", ".markdown")
NOTE_SUFFIXES = (*MARKDOWN_SUFFIXES, ".txt")
_BOM = "\ufeff"


def _is_note_name(name: str) -> bool:
    return name.lower().endswith(NOTE_SUFFIXES)


def _expand(path: Path) -> tuple[list[tuple[Path, Path]], list[NoteError]]:
    """(file, root) pairs for one path given by the user, sorted by their relative path."""
    if not path.exists():
        return [], [NoteError(str(path), "no such file or directory")]
    if not path.is_dir():
        if not _is_note_name(path.name):
            return [], [NoteError(str(path), "not a .md, .markdown or .txt file")]
        return [(path, path.parent)], []
    found: list[tuple[str, Path]] = []
    errors: list[NoteError] = []

    def unreadable(err: OSError) -> None:
        errors.append(NoteError(str(err.filename or path), f"cannot list folder: {err.strerror or err}"))

    for folder, dirs, files in os.walk(path, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and _is_note_name(name):
                file = Path(folder) / name
                found.append((file.relative_to(path).as_posix(), file))
    if not found and not errors:
        errors.append(NoteError(str(path), "no .md, .markdown or .txt files"))
    return [(file, path) for _, file in sorted(found)], errors


def discover(paths: Sequence[str | Path]) -> tuple[list[tuple[Path, Path]], list[NoteError]]:
    """Expand files and folders (recursively) into ``(file, root)`` pairs of notes.

    ``root`` is the folder given (or a given file's parent) so that note ids can be relative
    to it. Hidden files and folders are skipped; paths keep the order given, the files of a
    folder are sorted by relative path, and a file reached twice is listed once.
    """
    pairs: list[tuple[Path, Path]] = []
    errors: list[NoteError] = []
    seen: set[Path] = set()
    for raw in paths:
        found, errs = _expand(Path(raw))
        errors.extend(errs)
        for file, root in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                pairs.append((file, root))
    return pairs, errors


def _decode(path: Path, data: bytes) -> str:
    if not data:
        raise NoteError(str(path), "empty file")
    if b"\x00" in data:
        raise NoteError(str(path), "binary file (contains NUL bytes), not a text note")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise NoteError(
            str(path),
            f"not UTF-8 text: invalid byte 0x{data[err.start]:02x} at byte {err.start} (line {line})",
        ) from None


def _note_id(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            try:
                return path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
    return path.name


def _markdown(path: Path, body: str, base: int) -> tuple[Meta, tuple[Section, ...]]:
    spans = template_spans(body)
    flags = _flags(len(body), spans)
    doc = parse_markdown(mask(body, spans))
    meta = Meta()
    if doc.front_matter is not None:
        try:
            meta = read_front_matter(doc.front_matter.text, doc.front_matter.first_line)
        except FrontMatterError as err:
            raise NoteError(str(path), err.problem) from None
    elif unclosed_front_matter(body):
        raise NoteError(str(path), "broken YAML front matter: the '---' on line 1 is never closed")
    sections = SectionBuilder(body, base=base, masked=flags).build(doc.drafts)
    if meta.title is None:
        first = next((s.heading for s in sections if s.heading), None)
        meta = Meta(first, meta.date, meta.categories)
    return meta, sections


def _text(body: str, base: int) -> tuple[Meta, tuple[Section, ...]]:
    spans = template_spans(body)
    doc = parse_text(body)
    sections = SectionBuilder(body, base=base, masked=_flags(len(body), spans)).build(doc.drafts)
    title = sections[0].heading if doc.title is not None and sections and sections[0].level == 1 else None
    return Meta(title, date_from_lines(header_lines(body)), ()), sections


def _flags(size: int, spans: list[tuple[int, int]]) -> bytearray | None:
    if not spans:
        return None
    flags = bytearray(size)
    for s, e in spans:
        flags[s:e] = b"\x01" * (e - s)
    return flags


def load_note(path: Path, root: Path | None = None) -> Note:
    """Read one note file into a ``Note``; raises ``NoteError`` when it cannot be used.

    ``source`` is the decoded text exactly as in the file (line breaks and a byte-order mark
    included), so every offset of every section points into the file as it is. ``.md`` and
    ``.markdown`` files are parsed as markdown, anything else as plain text; ``note_id`` is the
    path relative to ``root`` (the file name without a root).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise NoteError(str(path), "is a folder, not a note file") from None
    except OSError as err:
        raise NoteError(str(path), f"cannot read file: {err.strerror or err}") from None
    source = _decode(path, data)
    base = 1 if source.startswith(_BOM) else 0
    body = source[base:]
    if not body.strip():
        raise NoteError(str(path), "empty file (only whitespace)")
    is_markdown = path.name.lower().endswith(MARKDOWN_SUFFIXES)
    meta, sections = _markdown(path, body, base) if is_markdown else _text(body, base)
    return Note(
        note_id=_note_id(path, root),
        path=str(path),
        source=source,
        content_hash=hashlib.sha256(data).hexdigest(),
        format="markdown" if is_markdown else "text",
        title=meta.title,
        date=meta.date or date_from_filename(path.name),
        categories=meta.categories,
        sections=sections,
    )


def try_load_note(file: Path, root: Path | None = None) -> Note | NoteError:
    """``load_note``, returning the problem instead of raising it: for a map over many files
    in other processes (``parallel.WorkerPool.read``), where each file's result comes back."""
    try:
        return load_note(file, root)
    except NoteError as err:
        return err


def read_notes(paths: Sequence[str | Path], load: Callable[[Path, Path], Note] | None = None
               ) -> Iterator[Note | NoteError]:
    """Discover and load notes, yielding each problem in place so callers can report and go on.

    ``load(file, root)`` reads one note (``load_note``, or a cache that parses only changed files)."""
    load = load or load_note
    seen: set[Path] = set()
    for raw in paths:
        found, errors = _expand(Path(raw))
        yield from errors
        for file, root in found:
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            try:
                yield load(file, root)
            except NoteError as err:
                yield err
