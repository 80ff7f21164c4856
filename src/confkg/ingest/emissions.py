"""Emissions: how parsers describe a block before it is cleaned and assembled.

A parser never builds clean text itself. For every block it lists verbatim pieces of the text it
parsed (with their offsets), inserted separators, link boundaries and bare-URL anchors; the
cleaning and assembly steps (``cleaning``, ``sections``) turn those into ``Section`` records.
"""

from __future__ import annotations

from dataclasses import dataclass

from confkg.model import BlockKind


@dataclass(frozen=True, slots=True)
class Piece:
    """Verbatim text found at ``start`` of the parsed text."""

    start: int
    text: str


@dataclass(frozen=True, slots=True)
class Sep:
    """Characters inserted by ingest (they map to no source character)."""

    text: str


@dataclass(frozen=True, slots=True)
class LinkOpen:
    """Start of a link's anchor text."""

    url: str


@dataclass(frozen=True, slots=True)
class LinkClose:
    """End of the innermost open link's anchor text."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """A URL removed from the text: recorded as an empty link where it stood."""

    url: str


Emission = Piece | Sep | LinkOpen | LinkClose | Anchor


@dataclass(slots=True)
class BlockDraft:
    """A block as a parser saw it, before cleaning and assembly."""

    kind: BlockKind
    emissions: list[Emission]
    depth: int = 0
    level: int = 0  # heading level when kind == "heading"
