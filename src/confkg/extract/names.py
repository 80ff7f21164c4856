"""Small pure helpers that judge and clean names.

Statistical NER on notes returns spans with markdown residue, trailing stars, possessives,
titles and generic words ("ML", "Labels"). These functions decide what a clean name is, so
that every extractor applies the same judgement.
"""

from __future__ import annotations

import re
import unicodedata

from confkg.extract.gazetteer import DATA_DIR, load_word_list

NAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "la", "le", "du", "di", "da", "del", "bin", "al", "el"})
ORG_SUFFIXES = frozenset(
    {
        "labs", "lab", "inc", "inc.", "corp", "corp.", "corporation", "company", "university", "institute",
        "research", "technologies", "technology", "systems", "group", "foundation", "center", "centre",
        "college", "school", "laboratory", "laboratories", "ai", "ltd", "llc", "gmbh", "team", "society",
        "academy", "agency", "department", "hospital", "bank", "studios", "robotics", "analytics",
    }
)
# words that make a capitalised phrase an event part or a heading, never a personal name
NON_NAME_WORDS = frozenset(
    {
        "panel", "session", "workshop", "tutorial", "keynote", "talk", "talks", "day", "track", "discussion",
        "conference", "summit", "demo", "overview", "introduction", "conclusion", "summary", "notes", "poster",
        "posters", "lunch", "break", "remarks", "opening", "closing", "q&a", "agenda", "schedule",
    }
)
# head nouns of technical phrases: "Continuous Control", "Machine Learning" are not names
TECHNICAL_HEADS = frozenset(load_word_list(DATA_DIR / "technical_heads.txt"))
_JUNK_CHARS = re.compile(r"[\[\]()<>{}*#|_`~=/\\@^$%+]|https?:|www\.")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)


def normalise(text: str) -> str:
    """Key for comparing names: Unicode- and case-folded, punctuation as spaces."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"[^\w]+", " ", folded)
    return " ".join(folded.split())


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` of ``text`` past whitespace, stars, quotes and a trailing possessive."""
    strip = " \t\n\r*\"'“”‘’.,;:!?-–—•·"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        if text[end - 1] == "." and _keeps_period(text[start : end - 1]):
            break
        end -= 1
    m = _POSSESSIVE.search(text, start, end)
    if m and m.end() == end and end - start > 2:
        end = m.start()
    if "\n" in text[start:end]:
        end = start + text[start:end].index("\n")
        return trim_span(text, start, end) if end > start else (start, start)
    return start, end


def _keeps_period(before: str) -> bool:
    """A final period belongs to an initial ("J.") or an abbreviation ("Inc.")."""
    last = before.rsplit(None, 1)[-1] if before.strip() else ""
    return len(last) == 1 and last.isupper() or last in {"Inc", "Corp", "Ltd", "Co", "Jr", "Sr", "St"}


def strip_title(name: str, titles: frozenset[str]) -> str:
    """Drop a leading honorific ("Dr.", "Prof.") from a person's name."""
    parts = name.split()
    while len(parts) > 1 and parts[0].rstrip(".").casefold() in titles:
        parts = parts[1:]
    return " ".join(parts)


def has_junk(text: str) -> bool:
    """Markdown syntax, URL pieces or symbols that never belong to a name."""
    return bool(_JUNK_CHARS.search(text))


def is_acronym(token: str) -> bool:
    return token.isupper() and token.isalpha() and len(token) <= 5


def looks_like_person(name: str) -> bool:
    """A plausible personal name: 1-4 capitalised alphabetic words (particles allowed), no digits."""
    if has_junk(name) or any(ch.isdigit() for ch in name) or ":" in name or "," in name:
        return False
    words = name.split()
    if not 1 <= len(words) <= 4 or all(len(w.rstrip(".")) <= 1 for w in words):
        return False  # "A.", "J. R.": initials alone name no one
    for w in words:
        if w.casefold() in NON_NAME_WORDS:
            return False
        if w.casefold() in NAME_PARTICLES:
            continue
        if not _WORD.fullmatch(w) or not w[0].isupper():
            return False
        if len(w) > 1 and w.isupper() and not w.endswith("."):
            return False  # "RL", "ML": acronyms are not names
    return words[-1].casefold() not in ORG_SUFFIXES and words[-1].casefold() not in TECHNICAL_HEADS


def looks_like_org(name: str) -> bool:
    """A plausible organisation name: capitalised words, an acronym, or a known suffix."""
    if has_junk(name) or not name or not (name[0].isupper() or name[0].isdigit()):
        return False
    words = name.split()
    return 1 <= len(words) <= 7


def title_case_ratio(text: str) -> float:
    """Share of content words (4+ letters) that start with a capital: high for titles."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", text) if len(w) >= 4]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)
