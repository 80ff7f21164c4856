"""Frozen records that flow between the pipeline's stages.

Every stage (ingest -> extract -> resolve -> graph) hands the next one plain, immutable values,
so that stages can be tested alone, cached by content hash and run in other processes.
All character offsets that leave the ingest stage are offsets into the original file text
(``Note.source``), so any fact can be traced back to the exact characters it came from.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["Person", "Organization", "Event", "Talk", "Paper", "Artifact", "Topic"]
ENTITY_TYPES: tuple[str, ...] = ("Person", "Organization", "Event", "Talk", "Paper", "Artifact", "Topic")
BlockKind = Literal["heading", "paragraph", "list_item", "table_cell", "quote", "line"]


@dataclass(frozen=True, slots=True)
class TextPiece:
    """A run of clean text copied verbatim from the source file.

    ``clean_start`` is where the run starts in ``Section.text``; ``source_start`` is where
    it starts in ``Note.source``; both runs are ``length`` characters long.
    """

    clean_start: int
    source_start: int
    length: int


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in a section's clean text back to offsets in the original file.

    Characters that ingest inserted (separators between blocks) map to the end of the
    preceding verbatim run, so a span's mapped start and end always stay ordered.
    """

    pieces: tuple[TextPiece, ...]
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.clean_start for p in self.pieces))

    def to_source(self, clean_offset: int, *, is_end: bool = False) -> int:
        """Source offset of ``clean_offset``; with ``is_end`` the offset is an exclusive end."""
        if not self.pieces:
            return 0
        probe = clean_offset - 1 if is_end and clean_offset > 0 else clean_offset
        i = bisect.bisect_right(self._starts, probe) - 1
        if i < 0:
            return self.pieces[0].source_start
        p = self.pieces[i]
        delta = probe - p.clean_start
        if delta >= p.length:  # an inserted character after this run
            return p.source_start + p.length
        return p.source_start + delta + (1 if is_end and clean_offset > 0 else 0)

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the clean span ``[start, end)``."""
        s = self.to_source(start)
        e = self.to_source(end, is_end=True) if end > start else s
        return s, max(s, e)


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of a section: a heading, paragraph, list item, table cell or plain line.

    ``start``/``end`` are offsets in ``Section.text``; ``depth`` is the list nesting level
    (0 outside lists).
    """

    kind: BlockKind
    start: int
    end: int
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink: anchor text at ``[start, end)`` of ``Section.text`` and its target URL.

    A bare URL that stood in the text has ``start == end`` at the place where it stood.
    """

    start: int
    end: int
    url: str


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a note under one heading (or the text before the first heading).

    ``text`` is what NER sees: prose and headings with markup, URLs, code, math, HTML and
    template tags left out; blocks are separated by newlines.
    """

    index: int
    heading: str | None
    level: int
    text: str
    offsets: OffsetMap
    blocks: tuple[Block, ...] = ()
    links: tuple[Link, ...] = ()

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span_to_source(start, end)


@dataclass(frozen=True, slots=True)
class Note:
    """One source file: its raw text, front matter and sections."""

    note_id: str
    path: str
    source: str
    content_hash: str
    format: Literal["markdown", "text"]
    title: str | None = None
    date: str | None = None
    categories: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()

    def line_of(self, offset: int) -> int:
        """1-based line number of a source offset."""
        return self.source.count("\n", 0, offset) + 1

    def line_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the whole line(s) holding ``[start, end)``: the evidence of a line rule."""
        return line_bounds(self.source, start, end)


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the start of the line of ``start`` and of the end of the line of ``end`` in ``text``."""
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, line_end if line_end >= 0 else len(text)


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span of a note that names an entity.

    ``start``/``end`` are offsets in ``Note.source``; ``sent_start``/``sent_end`` bound the
    sentence (in source offsets) it was found in. ``extractor`` names the rule or model and its
    version; ``attrs`` carries typed extras such as ``("arxiv", "1912.03263")`` or ``("year", "2020")``.
    """

    note_id: str
    section: int
    start: int
    end: int
    text: str
    type: str
    score: float
    extractor: str
    sent_start: int
    sent_end: int
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str) -> str | None:
        for k, v in self.attrs:
            if k == key:
                return v
        return None

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.note_id, self.start, self.end, self.type)


@dataclass(frozen=True, slots=True)
class Relation:
    """A candidate fact between two mentions (or a mention and a literal), with its evidence.

    ``predicate`` is a property local name of the confkg ontology (``speaker``, ``partOf``,
    ``affiliation``...). ``obj`` is a Mention, or ``None`` when ``value`` holds a literal/URL.
    ``start``/``end`` give the evidence span in the note's source.
    """

    subject: Mention
    predicate: str
    obj: Mention | None
    value: str | None
    note_id: str
    start: int
    end: int
    extractor: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity after resolution: one node of the graph."""

    key: str
    type: str
    label: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    attrs: tuple[tuple[str, str], ...] = ()

    def attr_values(self, key: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.attrs if k == key)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one note; the unit that is cached by content hash."""

    note: Note
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...] = ()
