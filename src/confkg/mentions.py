"""The ``mentions`` contract: JSON Lines texts in, typed spans out, same extraction as ``build``.

Input lines are ``{"id": ..., "text": ...}``; each output line is
``{"id": ..., "mentions": [{"start", "end", "text", "type", "score"}]}`` with offsets into
``text``. A malformed line raises ``InputError`` naming the line, before any output is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from confkg.errors import InputError
from confkg.extract.extractor import Extractor

MENTION_TYPES = frozenset({"Person", "Organization", "Event", "Paper", "Artifact", "Topic"})


def parse_jsonl(lines: Iterable[str], source: str = "-") -> Iterator[tuple[Any, str]]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{source}:{n}: not valid JSON ({err.msg})") from err
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
            raise InputError(f"{source}:{n}: expected an object with 'id' and a string 'text'")
        yield obj["id"], obj["text"]


def mentions_jsonl(lines: Iterable[str], *, model: str | None = None, batch_size: int = 64,
                   source: str = "-", extractor: Extractor | None = None) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order."""
    ex = extractor or Extractor.create(model, batch_size=batch_size)
    items = list(parse_jsonl(lines, source))
    keyed = [(str(i), text) for i, (_, text) in enumerate(items)]
    for (ident, _), (_, found) in zip(items, ex.extract_texts(keyed), strict=True):
        yield {
            "id": ident,
            "mentions": [
                {"start": m.start, "end": m.end, "text": m.text, "type": m.type, "score": m.score}
                for m in found
                if m.type in MENTION_TYPES
            ],
        }
