"""Lists that say what their members are: "companies such as Stäubli and Comau".

Hearst's lexico-syntactic patterns ("Automatic Acquisition of Hyponyms from Large Text
Corpora", COLING 1992): in "<kinds> such as / including / like A, B and C", "<kinds> include A,
B and C" and "A, B and other <kinds>", every name in the list is one of the kinds. The kinds and
their confkg types are data (``data/hypernyms.tsv``). A name in such a list that the model typed
differently takes the list's type (curated gazetteer entries keep theirs); a capitalised name
no extractor found becomes a candidate of low priority.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from confkg.extract.candidates import CONTAINER_TYPES, PRIORITY_NER_PERSON, PRIORITY_RULE, Candidate
from confkg.extract.gazetteer import DATA_DIR, load_word_list

RULE_HYPERNYM = "rule:hearst-list.v1"
_CONNECTORS = frozenset({"of", "for", "de", "and", "&", "on", "in"})
_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")
_LIST_END = re.compile(r"[.;:()\[\]\n!?]|\s[-–—]\s|$")


@lru_cache(maxsize=1)
def kinds() -> dict[str, str]:
    """Plural kind -> confkg type, from ``data/hypernyms.tsv``."""
    out: dict[str, str] = {}
    for line in load_word_list(DATA_DIR / "hypernyms.tsv"):
        kind, type_ = line.split("\t")
        out[kind.strip().lower()] = type_.strip()
    return out


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    alternatives = "|".join(r"\s+".join(map(re.escape, k.split())) for k in sorted(kinds(), key=lambda k: -len(k)))
    before = re.compile(rf"\b(?P<kind>{alternatives}),?\s+(?:such\s+as|including|like|include|includes|included"
                        rf"|e\.g\.,?)\s+", re.IGNORECASE)
    after = re.compile(rf"\s*,?\s+and\s+other\s+(?P<kind>{alternatives})\b", re.IGNORECASE)
    return before, after


def _name_like(item: str) -> bool:
    """Capitalised words, with "of", "for"... inside only in names of organisations and events."""
    words = item.split()
    return 0 < len(words) <= 6 and words[0][:1].isupper() and all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTORS for w in words) \
        and words[-1].lower() not in _CONNECTORS


def _fits(item: str, type_: str) -> bool:
    """People's and products' names have no "of" inside: "Jane Roe of Acme Labs" is two names."""
    return type_ in {"Organization", "Event"} or not any(w.lower() in _CONNECTORS for w in item.split())


def _items(text: str, start: int, end: int, *, from_end: bool = False) -> list[tuple[int, int]]:
    """The name-like items of the list in ``text[start:end]``, stopping at the first that is not."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    for m in _SEPARATOR.finditer(text, start, end):
        pieces.append((cursor, m.start()))
        cursor = m.end()
    pieces.append((cursor, end))
    if from_end:
        pieces.reverse()
    out = []
    for s, e in pieces:
        item = text[s:e]
        lead = re.match(r"(?:the|The)\s+", item)
        if lead:
            s += lead.end()
        s += len(text[s:e]) - len(text[s:e].lstrip())
        e = s + len(text[s:e].strip())
        if not _name_like(text[s:e]):
            # the list's last name runs into the sentence ("... and OpenAI were there"; "We used Jupyter")
            cut = _name_edge(text, s, e, from_end=from_end)
            if cut is not None:
                out.append(cut)
            break
        out.append((s, e))
    return out


def _name_edge(text: str, s: int, e: int, *, from_end: bool) -> tuple[int, int] | None:
    """The longest name-like run of words at the list's side of ``text[s:e]``."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[s:e])]
    if from_end:
        words.reverse()
    best = None
    for n in range(1, min(len(words), 6) + 1):
        run = words[:n]
        a, b = (run[-1][0], run[0][1]) if from_end else (run[0][0], run[-1][1])
        if _name_like(text[s + a:s + b]):
            best = (s + a, s + b)
        elif text[s + a:s + b].split()[0 if from_end else -1].lower() not in _CONNECTORS:
            break  # a run may pass through "of" ("University of Toronto"), not through other words
    return best


def list_members(text: str) -> list[tuple[int, int, str]]:
    """Spans of the members of every Hearst list in ``text``, with the type the list gives them."""
    before, after = _patterns()
    types = kinds()
    found: list[tuple[int, int, str]] = []
    for m in before.finditer(text):
        end = _LIST_END.search(text, m.end()).start()
        type_ = types[" ".join(m.group("kind").lower().split())]
        found += [(s, e, type_) for s, e in _items(text, m.end(), end) if _fits(text[s:e], type_)]
    for m in after.finditer(text):
        line_start = max(text.rfind("\n", 0, m.start()), text.rfind(".", 0, m.start()),
                         text.rfind(";", 0, m.start()), text.rfind(":", 0, m.start())) + 1
        items = _items(text, line_start, m.start(), from_end=True)
        type_ = types[" ".join(m.group("kind").lower().split())]
        found += [(s, e, type_) for s, e in items if _fits(text[s:e], type_)]
    return found


def typed_by_lists(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Retype the model's and the shape rules' guesses in Hearst lists; add the names nobody found."""
    out = list(candidates)
    for s, e, type_ in list_members(text):
        inside = [c for c in out if c.type not in CONTAINER_TYPES and c.start < e and s < c.end]
        exact = [c for c in inside if (c.start, c.end) == (s, e)]
        if not inside:
            out.append(Candidate(s, e, type_, 0.6, RULE_HYPERNYM, PRIORITY_NER_PERSON))
        elif exact and all(c.priority < PRIORITY_RULE and c.type != type_ and not _curated(c) for c in exact):
            for c in exact:
                out[out.index(c)] = replace(c, type=type_, extractor=RULE_HYPERNYM)
    return out


def _curated(c: Candidate) -> bool:
    return c.extractor.startswith("gazetteer")
