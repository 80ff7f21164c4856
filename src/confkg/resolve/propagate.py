"""Name propagation: a surname known from one mention is found again where the model missed it.

Statistical NER misses a bare surname at the start of a sentence ("Goodfellow did answer
this"), yet the notes name the same person in full elsewhere. Once every note is extracted,
the surnames of full names (when only one person carries them and they are not English words)
are looked for in all notes, and each capitalised, untaken occurrence becomes a mention.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from confkg.model import Extraction, Mention

RULE_PROPAGATED = "rule:surname-propagation.v1"
MIN_SURNAME = 4

_TOKEN = re.compile(r"(?<![\w\-’'])[\w\-]+(?:['’][\w\-]+)*")
_PLAIN = re.compile(r"[\w\-]+(?:['’][\w\-]+)*")


def surname_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Any of ``names`` as a whole word (tried in sorted order): the definition of a match."""
    return re.compile(r"(?<![\w\-’'])(" + "|".join(re.escape(s) for s in sorted(names)) + r")(?![\w\-])")


class SurnameMatcher:
    """Finds known surnames in a text as ``(?<![\\w\\-’'])(S1|S2|...)(?![\\w\\-])`` would, in one pass.

    That one regular expression with every surname as an alternative costs, at each word, one
    attempt per surname: quadratic once the notes name thousands of people (4x the time for 2x
    the people). Here each word is looked up in a set instead. Names with other characters
    than letters, digits, hyphens and inner apostrophes (rare: "Jr.,") are tried with a
    regular expression of those names only, at word starts, so the matches stay the same.
    """

    def __init__(self, surnames: Iterable[str]) -> None:
        names = sorted(set(surnames))
        self._plain = frozenset(s for s in names if _PLAIN.fullmatch(s))
        odd = [s for s in names if s not in self._plain]
        self._odd = surname_pattern(odd) if odd else None

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of every match, left to right, not overlapping."""
        plain, odd = self._plain, self._odd
        end = 0
        for m in _TOKEN.finditer(text):  # every position where a surname may start
            start = m.start()
            if start < end:
                continue
            found = self._plain_name(m.group(), plain)
            if odd is not None and (other := odd.match(text, start)) and (found is None or other.group(1) < found):
                found = other.group(1)  # the alternation tries names in sorted order
            if found is not None:
                end = start + len(found)
                yield start, end

    @staticmethod
    def _plain_name(word: str, plain: frozenset[str]) -> str | None:
        """The first name, in sorted order, that matches at the start of ``word``: a prefix
        ending where the word ends or at an apostrophe, and of those the shortest."""
        if "'" in word or "’" in word:
            for i, c in enumerate(word):
                if c in "'’" and word[:i] in plain:
                    return word[:i]
        return word if word in plain else None


def propagate_surnames(extractions: list[Extraction], common_words: Iterable[str] = ()) -> list[Extraction]:
    """Add mentions of known surnames that no extractor found; returns new extractions (same order)."""
    common = set(common_words)
    owners: dict[str, set[str]] = defaultdict(set)
    for ex in extractions:
        for m in ex.mentions:
            words = m.text.split()
            if m.type == "Person" and len(words) >= 2 and m.extractor.startswith(("spacy", "rule")):
                last = words[-1]
                if len(last) >= MIN_SURNAME and last[0].isupper() and last.lower() not in common:
                    owners[last].add(" ".join(words).casefold())
    surnames = sorted(s for s, full in owners.items() if len(full) == 1)
    if not surnames:
        return extractions
    matcher = SurnameMatcher(surnames)
    out = []
    for ex in extractions:
        taken = [(m.start, m.end) for m in ex.mentions]
        added: list[Mention] = []
        note = ex.note
        for section in note.sections:
            for m_start, m_end in matcher.spans(section.text):
                start, end = section.source_span(m_start, m_end)
                if any(s < end and start < e for s, e in taken):
                    continue
                added.append(Mention(note.note_id, section.index, start, end, note.source[start:end], "Person", 0.6,
                                     RULE_PROPAGATED, *note.line_span(start, end)))
                taken.append((start, end))
        if added:
            mentions = tuple(sorted((*ex.mentions, *added), key=lambda x: (x.start, x.end, x.type)))
            ex = Extraction(note, mentions, ex.relations)
        out.append(ex)
    return out
