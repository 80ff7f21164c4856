"""Assemble clean section text from verbatim pieces of the source.

Both parsers (markdown and plain text) describe every block as a list of *emissions*; this
module has them cleaned (``cleaning``) and assembles them into ``Section`` records whose
``OffsetMap`` points every clean character back at the source.

The offsets stay exact because nothing is ever rewritten in place: a piece is either copied as is
(and checked against the source before it is kept) or dropped. Two rules keep spans usable:

* a word never straddles a removal: when two pieces that are not contiguous in the source would
  touch with visible characters on both sides, a space (an inserted character) goes between them,
  so any whitespace-delimited word of ``Section.text`` maps to one contiguous run of the source;
* inserted characters (block separators, that space) belong to no piece.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from confkg.ingest.cleaning import clean, tidy_line_ends, trim
from confkg.ingest.emissions import BlockDraft, LinkClose, LinkOpen, Piece, Sep
from confkg.model import Block, Link, OffsetMap, Section, TextPiece


@dataclass(slots=True)
class _Buffer:
    """Clean text under construction, with its pieces and links in clean coordinates."""

    parts: list[str] = field(default_factory=list)
    pieces: list[list[int]] = field(default_factory=list)  # [clean_start, source_start, length]
    links: list[Link] = field(default_factory=list)
    length: int = 0
    last: str = ""  # last clean character
    last_src_end: int = -1  # source end of the last piece, -1 when an insertion followed it

    def insert(self, text: str) -> None:
        """Append characters that map to no source character (a doubled space is skipped)."""
        if text.isspace() and "\n" not in text and (not self.length or self.last.isspace()):
            return  # no doubled spaces
        if text:
            self.parts.append(text)
            self.length += len(text)
            self.last = text[-1]
            self.last_src_end = -1

    def add(self, start: int, text: str) -> None:
        """Append verbatim ``text`` from source offset ``start``, keeping words whole."""
        contiguous = start == self.last_src_end
        if not contiguous and self.length and self.last.isspace():
            kept = text.lstrip(" \t")
            start += len(text) - len(kept)
            text = kept
        if not text:
            return
        if not contiguous and self.length and not self.last.isspace() and not text[0].isspace():
            self.insert(" ")
        prev = self.pieces[-1] if self.pieces else None
        if contiguous and prev is not None and prev[0] + prev[2] == self.length:
            prev[2] += len(text)
        else:
            self.pieces.append([self.length, start, len(text)])
        self.parts.append(text)
        self.length += len(text)
        self.last = text[-1]
        self.last_src_end = start + len(text)


@dataclass(slots=True)
class _SectionState:
    """The section being filled: its heading, text buffer and blocks."""

    heading: str | None
    level: int
    buf: _Buffer = field(default_factory=_Buffer)
    blocks: list[Block] = field(default_factory=list)


class SectionBuilder:
    """Turns block drafts into ``Section`` records.

    ``text`` is the text the drafts' offsets refer to; ``base`` is added to every source offset
    (1 when the file starts with a byte-order mark that was not parsed); ``masked`` flags the
    characters (template tags) that must never be copied into clean text.
    """

    def __init__(self, text: str, *, base: int = 0, masked: bytearray | None = None) -> None:
        self._text = text
        self._base = base
        self._masked = masked

    def build(self, drafts: Iterable[BlockDraft]) -> tuple[Section, ...]:
        sections: list[Section] = []
        state = _SectionState(None, 0)
        for draft in drafts:
            if draft.kind == "heading":
                self._finish(state, sections)
                state = _SectionState(None, draft.level)
                block = self._add_block(state, draft)
                if block is not None:
                    state.heading = "".join(state.buf.parts)[block.start : block.end]
                continue
            self._add_block(state, draft)
        self._finish(state, sections)
        return tuple(sections)

    def _add_block(self, state: _SectionState, draft: BlockDraft) -> Block | None:
        ems = tidy_line_ends(trim(clean(draft.emissions, self._masked)))
        local = _Buffer()
        stack: list[tuple[int, str]] = []
        for em in ems:
            if isinstance(em, Piece):
                if self._text[em.start : em.start + len(em.text)] == em.text:  # never a wrong offset
                    local.add(em.start, em.text)
            elif isinstance(em, Sep):
                local.insert(em.text)
            elif isinstance(em, LinkOpen):
                stack.append((local.length, em.url))
            elif isinstance(em, LinkClose):
                if stack:
                    start, url = stack.pop()
                    if url:
                        local.links.append(Link(start, local.length, url))
            elif em.url:
                local.links.append(Link(local.length, local.length, em.url))
        while stack:
            start, url = stack.pop()
            if url:
                local.links.append(Link(start, local.length, url))
        buf = state.buf
        if not local.length:  # nothing left (an image, a bare URL...): keep its links only
            buf.links.extend(Link(buf.length, buf.length, lk.url) for lk in local.links)
            return None
        if buf.length:
            buf.insert("\n")
        offset = buf.length
        for cs, ss, n in local.pieces:
            buf.pieces.append([cs + offset, ss, n])
        buf.parts.extend(local.parts)
        buf.length += local.length
        buf.last = local.last
        buf.last_src_end = local.last_src_end
        buf.links.extend(Link(lk.start + offset, lk.end + offset, lk.url) for lk in local.links)
        block = Block(draft.kind, offset, offset + local.length, draft.depth)
        state.blocks.append(block)
        return block

    def _finish(self, state: _SectionState, sections: list[Section]) -> None:
        buf = state.buf
        if not buf.length and not buf.links and state.heading is None and not state.level:
            return  # nothing before the first heading
        links = list(dict.fromkeys(buf.links))  # a URL anchor inside its own link: once
        pieces = tuple(TextPiece(cs, ss + self._base, n) for cs, ss, n in buf.pieces)
        sections.append(
            Section(
                index=len(sections),
                heading=state.heading,
                level=state.level,
                text="".join(buf.parts),
                offsets=OffsetMap(pieces),
                blocks=tuple(state.blocks),
                links=tuple(links),
            )
        )
