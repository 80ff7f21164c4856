"""Product names with their generic head: "the iOS operating system", "the Sphinx toolkit".

Writers name software, languages and machines by a proper name followed by the kind of thing it
is. The head is part of the mention: a reader marks "Apple iOS operating system" or "SCARA robot"
as one name, so an artifact candidate is extended over a head that follows it. The entity keeps
the proper name as its canonical name, so "iOS operating system" and "iOS" are one entity.
A proper name that nothing else recognised, followed by such a head ("the Interlisp programming
system"), becomes an artifact candidate of low priority: any other extractor's reading wins.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from confkg.extract.candidates import CONTAINER_TYPES, PRIORITY_SHAPE, Candidate
from confkg.extract.gazetteer import DATA_DIR, load_word_list

RULE_PRODUCT_HEAD = "rule:product-head.v1"


@lru_cache(maxsize=1)
def product_heads() -> tuple[str, ...]:
    """The heads of ``data/product_heads.txt``, longest first so that "programming system" beats "system"."""
    heads = {line.lower() for line in load_word_list(DATA_DIR / "product_heads.txt")}
    return tuple(sorted(heads, key=lambda h: (-len(h), h)))


# Heads too general to make an unknown name a product on their own ("IR system", "Comments platform").
_WEAK_HEADS = frozenset({"system", "systems", "platform", "app", "apps", "software"})


@lru_cache(maxsize=2)
def _head_after(strong_only: bool = False) -> re.Pattern[str]:
    heads = [h for h in product_heads() if not (strong_only and h in _WEAK_HEADS)]
    alternatives = "|".join(r"\s+".join(map(re.escape, h.split())) for h in heads)
    return re.compile(rf"[ \t]+(?:{alternatives})(?![\w-])", re.IGNORECASE)


def extend_over_heads(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Artifact candidates followed by a product head take it into their span."""
    pattern = _head_after()
    out = []
    for c in candidates:
        if c.type == "Artifact":
            m = pattern.match(text, c.end)
            if m is not None and not _claimed(candidates, c, m.end()):
                c = replace(c, end=m.end(), canonical=c.canonical or text[c.start:c.end])
        out.append(c)
    return out


def _claimed(candidates: list[Candidate], c: Candidate, end: int) -> bool:
    """Another entity runs across the end of the head; one inside the head is the head itself
    (a topic "operating system") and loses to the longer span in the merge."""
    return any(o is not c and o.type not in CONTAINER_TYPES and c.end <= o.start < end < o.end for o in candidates)


def unknown_products(doc: Doc, candidates: list[Candidate], common: frozenset[str] = frozenset(),
                     text: str | None = None) -> list[Candidate]:
    """Proper nouns that no one recognised, named as products by the head after them.

    Every word of the name must be a coined one (not an English word in ``common``, or written
    with inner capitals or digits): in title case "Intelligent Systems" and "Unified Framework"
    are words of a title, while "Interlisp programming system" names a thing.
    """
    text = doc.text if text is None else text
    pattern = _head_after(strong_only=True)
    out: list[Candidate] = []
    for token in doc:
        m = pattern.match(text, token.idx + len(token.text))
        if m is None or not _coined(token, common) or token.is_sent_start and token.text[1:].islower():
            continue
        start = token
        while start.i > 0 and _coined(doc[start.i - 1], common) and token.i - start.i < 3 \
                and not doc[start.i].is_sent_start:
            start = doc[start.i - 1]
        s, e = start.idx, m.end()
        if any(c.start < e and s < c.end and c.type not in CONTAINER_TYPES for c in candidates):
            continue
        name = text[s:token.idx + len(token.text)]
        out.append(Candidate(s, e, "Artifact", 0.5, RULE_PRODUCT_HEAD, PRIORITY_SHAPE, name))
    return out


def _coined(token: Token, common: frozenset[str]) -> bool:
    """A proper noun that is no dictionary word: "Interlisp", "SSD", "iOS", "PyTorch"."""
    word = token.text
    if token.tag_ not in {"NNP", "NNPS"} or not word[:1].isalnum() or token.is_stop:
        return False
    inner = any(ch.isupper() or ch.isdigit() for ch in word[1:])
    return inner or (word[:1].isupper() and word.lower() not in common)
