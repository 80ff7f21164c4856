"""Plain-text notes: headings, bullets and paragraphs recognised from the shape of the lines.

Text notes are often copied out of slides or other editors, so structure shows only in the
layout: a talk title or a speaker's name on a line of its own, bullets drawn with ``-``, ``•``,
``o`` or ``■``, indentation for nesting. The rules (all heuristics, tuned on real notes):

* the first line is the note's title (a level-1 heading) when it is short, stands alone and
  does not end like a sentence;
* a line is a level-2 heading when it stands alone (blank line or start of file before it;
  blank line, bullet or end of file after it), is short, does not end with sentence
  punctuation, holds no URL or arrow, does not start with a label such as ``Code:`` and is
  mostly capitalised (a speaker's name, ``Interpretable Machine Learning``, capital-letter lines);
* lines starting like ``Day 2 - ...``, ``Session 1 - ...``, ``Invited Talk: ...`` or ``Panel``
  are headings even when long, and the first standing-alone line after one of them is a
  heading too (it is a talk or paper title, whatever its capitalisation);
* bullet lines become list items, nested by indentation; an indented (or lower-case) line right
  after a bullet continues it;
* other runs of lines are paragraphs; a run of short lines that each start with a capital is
  split into ``line`` blocks (a list written without bullets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from confkg.ingest.cleaning import URL_RE
from confkg.ingest.emissions import BlockDraft, Emission, Piece, Sep

_BREAK = re.compile(r"\r\n|\r|\n")
_GLYPHS = "•◦‣▪■□●○►▸➢➤–o"
_BULLET = re.compile(rf"^[ \t]*(?:[-*+{_GLYPHS}]|\d{{1,3}}[.)])[ \t]+")
_CHAINED = re.compile(rf"(?:[{_GLYPHS}][ \t]+)+")  # "- o Robust": a sub-bullet glyph kept as text
_SECTION_PREFIX = re.compile(
    r"^(?:(?:day|session|track|part|week)\s+\d+\b"
    r"|(?:keynote|invited\s+talk|tutorial|workshop|panel|poster\s+session|oral\s+session|spotlight)s?"
    r"(?:\s*(?::|-|–|—|\bby\b)|\s*$))",
    re.IGNORECASE,
)
_LABELS = (
    "posted|published|date|updated|written|code|site|website|demo|paper|papers|slides|video|link|links"
    "|source|photo|tldr|tl;dr|note|notes|edit|ps|related|references|see|examples?|goal|idea|summary"
    "|conclusion|questions?|answer|pros|cons|results?|github|blog|arxiv|authors?|location|time"
)
_LABEL = re.compile(rf"^(?:{_LABELS})\b[^:]{{0,20}}:", re.IGNORECASE)
_ARROW = re.compile(r"->|=>|→|<-|←")
_MINOR = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "by",
        "from",
        "via",
        "vs",
        "vs.",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "into",
        "onto",
        "over",
        "under",
        "per",
        "than",
        "that",
        "this",
        "its",
        "it",
        "their",
        "our",
        "your",
        "his",
        "her",
        "not",
        "no",
        "so",
        "if",
    )
)
_WORD = re.compile(r"[^\W_][\w'’.\-]*")
_MAX_HEADING = 100
_MAX_PREFIXED_HEADING = 200


@dataclass(slots=True)
class _Line:
    """One line of a text note."""

    start: int  # offset of the first character of the line
    raw: str  # the line without its line break
    brk: str  # the line break after it ("" at the end of the text)

    @property
    def stripped(self) -> str:
        return self.raw.strip()

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

    @property
    def indent(self) -> int:
        """Indentation in columns, a tab reaching the next multiple of 4."""
        col = 0
        for ch in self.raw:
            if ch == " ":
                col += 1
            elif ch == "\t":
                col += 4 - col % 4
            else:
                break
        return col


@dataclass(slots=True)
class _Chunk:
    """Consecutive non-blank lines that form one unit (a bullet with its continuation lines,
    or a run of text lines)."""

    bullet: bool
    lines: list[tuple[_Line, int]] = field(default_factory=list)  # (line, where its text starts)
    after_blank: bool = True
    before: str = "end"  # what follows: "blank", "bullet", "text" or "end"


def split_lines(text: str) -> list[_Line]:
    """Lines with their offsets; ``\r\n``, ``\r`` and ``\n`` all end a line."""
    lines: list[_Line] = []
    pos = 0
    while pos < len(text):
        m = _BREAK.search(text, pos)
        end = m.start() if m else len(text)
        lines.append(_Line(pos, text[pos:end], m.group() if m else ""))
        pos = m.end() if m else len(text)
    return lines


def _bullet_text_start(line: _Line) -> int | None:
    m = _BULLET.match(line.raw)
    if m is None:
        return None
    chained = _CHAINED.match(line.raw, m.end())
    return chained.end() if chained else m.end()


def _chunks(lines: list[_Line]) -> list[_Chunk]:
    """Group lines into bullets (with their continuation lines) and runs of text lines."""
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    after_blank = True
    for line in lines:
        if line.blank:
            if current is not None and current.before == "end":
                current.before = "blank"
            current = None
            after_blank = True
            continue
        body = _bullet_text_start(line)
        indent = len(line.raw) - len(line.raw.lstrip())
        goes_on = current is not None and (
            not current.bullet or line.indent > 0 or line.stripped[0].islower()
        )
        if body is None and current is not None and goes_on:
            current.lines.append((line, indent))  # a paragraph goes on, or a bullet wraps
            continue
        if current is not None:
            current.before = "text" if body is None else "bullet"
        current = _Chunk(body is not None, [(line, indent if body is None else body)], after_blank)
        chunks.append(current)
        after_blank = False
    return chunks


def _title_case_ratio(text: str) -> float:
    words = [w for w in _WORD.findall(text) if w.lower() not in _MINOR]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper() or w[0].isdigit()) / len(words)


def is_section_prefix(text: str) -> bool:
    """``Day 1 - Tutorials``, ``Session 3 - ...``, ``Invited Talk by ...``, ``Panel``."""
    return bool(_SECTION_PREFIX.match(text))


def looks_like_heading(text: str, *, after_section: bool = False) -> bool:
    """Whether a standing-alone line reads as a heading (see the module docstring)."""
    s = text.strip()
    if not any(ch.isalpha() for ch in s) or URL_RE.search(s) or _ARROW.search(s):
        return False
    if is_section_prefix(s):
        return len(s) <= _MAX_PREFIXED_HEADING and s[-1] not in ",;:"
    if _LABEL.match(s) or len(s) > _MAX_HEADING or s[-1] in ".,;:!?" or s[0] in "\"“‘'([":
        return False
    return after_section or _title_case_ratio(s) >= 0.5


def _emit_lines(chunk: _Chunk, first: int = 0, last: int | None = None) -> list[Emission]:
    """Emissions for lines ``first..last`` of a chunk: their text joined by their line breaks."""
    out: list[Emission] = []
    selected = chunk.lines[first:last]
    for i, (line, text_start) in enumerate(selected):
        if i:
            prev = selected[i - 1][0]
            if prev.brk.endswith("\n"):
                out.append(Piece(prev.start + len(prev.raw) + len(prev.brk) - 1, "\n"))
            else:
                out.append(Sep("\n"))
        body = line.raw[text_start:].rstrip()
        if body:
            out.append(Piece(line.start + text_start, body))
    return out


def _is_line_list(chunk: _Chunk) -> bool:
    """A run of short lines that each start with a capital: a list written without bullets."""
    if len(chunk.lines) < 2:
        return False
    texts = [line.stripped for line, _ in chunk.lines]
    return all(len(t) <= 80 for t in texts) and all(not t[0].islower() for t in texts[1:])


@dataclass(frozen=True, slots=True)
class TextDoc:
    title: str | None
    drafts: list[BlockDraft]


def parse_text(text: str) -> TextDoc:
    """Block drafts of a plain-text note, and the raw title line if the note has one."""
    drafts: list[BlockDraft] = []
    title: str | None = None
    depths: list[int] = []  # indentation columns of the open bullet levels
    after_section = False
    for n, chunk in enumerate(_chunks(split_lines(text))):
        line, start = chunk.lines[0]
        if chunk.bullet:
            indent = line.indent
            while depths and depths[-1] > indent:
                depths.pop()
            if not depths or depths[-1] < indent:
                depths.append(indent)
            drafts.append(BlockDraft("list_item", _emit_lines(chunk), len(depths)))
            after_section = False
            continue
        depths.clear()
        standing = len(chunk.lines) == 1 and chunk.after_blank and chunk.before != "text"
        s = line.stripped
        if n == 0 and standing and len(s) < _MAX_HEADING and s[-1] not in ".,;:" and not URL_RE.search(s):
            title = s
            drafts.append(BlockDraft("heading", _emit_lines(chunk), 0, 1))
            continue
        if standing and looks_like_heading(s, after_section=after_section):
            drafts.append(BlockDraft("heading", _emit_lines(chunk), 0, 2))
            after_section = is_section_prefix(s)
            continue
        after_section = False
        if _is_line_list(chunk):
            drafts.extend(BlockDraft("line", _emit_lines(chunk, i, i + 1)) for i in range(len(chunk.lines)))
        else:
            drafts.append(BlockDraft("paragraph", _emit_lines(chunk)))
    return TextDoc(title, drafts)


def header_lines(text: str, limit: int = 10) -> list[str]:
    """The first ``limit`` non-blank lines, stripped (where a 'Posted: ...' date may be)."""
    return [line.stripped for line in split_lines(text[:5000]) if not line.blank][:limit]
