"""Name propagation: a surname known from one mention is found again where the model missed it.

Statistical NER misses a bare surname at the start of a sentence ("Goodfellow did answer
this"), yet the notes name the same person in full elsewhere. Once every note is extracted,
the surnames of full names (when only one person carries them and they are not English words)
are looked for in all notes, and each capitalised, untaken occurrence becomes a mention.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from confkg.model import Extraction, Mention

RULE_PROPAGATED = "rule:surname-propagation.v1"
MIN_SURNAME = 4


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
    pattern = re.compile(r"(?<![\w\-’'])(" + "|".join(re.escape(s) for s in surnames) + r")(?![\w\-])")
    out = []
    for ex in extractions:
        taken = [(m.start, m.end) for m in ex.mentions]
        added: list[Mention] = []
        note = ex.note
        for section in note.sections:
            for m in pattern.finditer(section.text):
                start, end = section.source_span(m.start(), m.end())
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
