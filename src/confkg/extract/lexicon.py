"""Gazetteer matching and statistical-NER candidates over a spaCy ``Doc``.

Gazetteer names are matched with spaCy's ``PhraseMatcher`` (on ``LOWER`` for names that are
safe to match in any case, on ``ORTH`` for names that are also common words, such as "Adam").
Statistical NER labels are mapped onto confkg's types and cleaned: spans are trimmed of
markdown residue and possessives, cut at separators, and dropped when they are generic words
or acronyms; a gazetteer entry corrects the model's type.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from confkg.extract.candidates import (
    PRIORITY_GAZETTEER,
    PRIORITY_NER,
    PRIORITY_NER_PERSON,
    Candidate,
)
from confkg.extract.gazetteer import Gazetteer
from confkg.extract.names import (
    ORG_SUFFIXES,
    TECHNICAL_HEADS,
    has_junk,
    is_acronym,
    looks_like_org,
    looks_like_person,
    strip_title,
    trim_span,
)
from confkg.extract.nlp import common_words, is_common_word, package_name
from confkg.extract.text_rules import EventName
from confkg.model import line_bounds

GAZETTEER = "gazetteer:confkg-curated.v1"
_EVENT_WORD = re.compile(r"\b(?:conference|workshop|summit|symposium|meetup|congress)\b", re.I)
_SEPARATORS = re.compile(r"\s+[-–—|]\s+|[:()\[\]\n]|\s+&\s+")
NER_TYPES = {"PERSON": "Person", "ORG": "Organization", "PRODUCT": "Artifact", "EVENT": "Event",
             "FAC": "Place", "GPE": "Place"}
NER_SCORES = {"Person": 0.7, "Organization": 0.6, "Artifact": 0.45, "Event": 0.5}


class LexiconMatcher:
    """Finds gazetteer names in docs; built once per pipeline and reused for every section."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._info: dict[str, tuple[str, str]] = {}
        lower_patterns, exact_patterns = gazetteer.phrase_patterns()
        for matcher, patterns in ((self.lower, lower_patterns), (self.exact, exact_patterns)):
            grouped: dict[str, list[str]] = {}
            for label, canonical, text in patterns:
                key = f"{label}|{canonical}"
                self._info[key] = (label, canonical)
                grouped.setdefault(key, []).append(text)
            for key, texts in sorted(grouped.items()):
                matcher.add(key, list(nlp.tokenizer.pipe(sorted(set(texts)))))
        self.event_names = tuple(sorted(_event_names(gazetteer), key=lambda n: (n.surface, n.canonical)))

    def candidates(self, doc: Doc, text: str | None = None) -> list[Candidate]:
        """Gazetteer matches in ``doc``; ``text`` is ``doc.text`` when the caller has it (spaCy
        rebuilds ``doc.text`` from the tokens on every access)."""
        text = doc.text if text is None else text
        out: list[Candidate] = []
        for matcher, score in ((self.exact, 0.9), (self.lower, 0.85)):
            for match_id, start, end in matcher(doc):
                label, canonical = self._info[doc.vocab.strings[match_id]]
                span = doc[start:end]
                if matcher is self.lower and label == "Organization" and len(span) > 1 and span[0].is_lower \
                        and not canonical[:1].islower():
                    continue  # "scale AI for the common good" is not the company Scale AI
                if label == "Topic":
                    score_t = 0.8
                elif label in {"Organization", "Artifact"} and span.text.islower() and len(span) == 1:
                    score_t = score - 0.1  # "pandas" in lower case is a little less certain
                else:
                    score_t = score
                end_char = span.end_char
                if label == "Artifact":
                    end_char = _version_end(doc, end, text)
                out.append(Candidate(span.start_char, end_char, label, score_t, GAZETTEER, PRIORITY_GAZETTEER,
                                     canonical if end_char == span.end_char else None))
        return out


_NEXT_WORD = re.compile(r"[ \t]+([^\s,;:()\[\]]+?)(?=[\s,;:()\[\]]|[.!?](?:\s|$)|$)")
_VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)*[A-Za-z]{0,2}|[IVX]{1,4}|X|S|Pro|Air|Mini|Max|Plus|Ultra|Lite|\d+G)$")


def _version_end(doc: Doc, end: int, text: str) -> int:
    """Extend an artifact over at most two version words: "TPU v3", "iPhone 4S", "iPad Mini 2G".

    Words, not tokens: the tokenizer splits "2G" into "2" and "G" as if it were a quantity.
    ``text`` is ``doc.text``, passed in because spaCy rebuilds it on every access."""
    stop = doc[end - 1].idx + len(doc[end - 1].text)
    for _ in range(2):
        m = _NEXT_WORD.match(text, stop)
        if m is None or not _VERSION.match(m.group(1)):
            break
        stop = m.end()
    return stop


def _event_names(gazetteer: Gazetteer) -> list[EventName]:
    names: list[EventName] = []
    for e in gazetteer.entries:
        if e.type != "Event":
            continue
        forms = {e.name, *e.aliases, *e.former_names, *((e.full_name,) if e.full_name else ())}
        for form in forms:
            if not form:
                continue
            sensitive = e.case_sensitive or (form.replace("-", "").isupper() and len(form) <= 8)
            names.append(EventName(form, e.name, e.kind or "conference", sensitive))
    return names


def longer_org_names(candidates: list[Candidate], text: str) -> list[Candidate]:
    """A proper name that extends a known organisation is another one: "MIT Technology Review"."""
    known = [c for c in candidates if c.type == "Organization" and c.extractor == GAZETTEER]
    out = []
    for c in candidates:
        if c.type == "Organization" and c.priority == PRIORITY_NER and any(
                c.start <= k.start and k.end <= c.end and (k.start, k.end) != (c.start, c.end) for k in known):
            words = text[c.start:c.end].split()
            if all(w[0].isupper() or w in {"of", "for", "and", "the"} for w in words):
                c = Candidate(c.start, c.end, c.type, c.score, c.extractor, PRIORITY_GAZETTEER + 1)
        out.append(c)
    return out


def full_names_over_terms(candidates: list[Candidate], text: str) -> list[Candidate]:
    """A person's full name beats a term that is also a given name: "Ray Kurzweil" is not the Ray
    library, "Adam Pease" not the Adam optimiser.

    The model's two- or three-word person whose first word is a one-word gazetteer term keeps the
    whole span when the rest are capitalised words that no gazetteer entry or technical head
    claims ("Ray Tune" stays a library when the gazetteer knows it; "Adam Optimizer" is no one).
    """
    terms = [c for c in candidates if c.extractor == GAZETTEER and c.type != "Person"]
    out = []
    for c in candidates:
        if c.type == "Person" and c.priority == PRIORITY_NER_PERSON and c.extractor != GAZETTEER:
            words = text[c.start:c.end].split()
            first = next((t for t in terms if t.start == c.start and t.end < c.end
                          and len(text[t.start:t.end].split()) == 1), None)
            rest = [t for t in terms if t.start > c.start and t.start < c.end]
            if first is not None and 2 <= len(words) <= 3 and not rest and all(
                    w[:1].isupper() and w.strip(".").isalpha() and w.lower() not in TECHNICAL_HEADS
                    for w in words[1:]):
                c = Candidate(c.start, c.end, c.type, c.score, c.extractor, PRIORITY_GAZETTEER + 1, c.canonical,
                              c.attrs)
        out.append(c)
    return out


def ner_candidates(doc: Doc, gazetteer: Gazetteer, doc_nlp: Language | None = None, text: str | None = None
                   ) -> list[Candidate]:
    """spaCy's entities, mapped to confkg types, cleaned, and re-typed by the gazetteer."""
    text = doc.text if text is None else text
    words = common_words(package_name(doc_nlp)) if doc_nlp is not None else frozenset()
    out: list[Candidate] = []
    for ent in doc.ents:
        type_ = NER_TYPES.get(ent.label_)
        if type_ == "Place":
            # the small model calls some people places ("Dylan Hadfield-Menell gave ..." as FAC)
            if _person_like(ent, words) and not any(t.lower_ in words for t in ent) and ent[0].lower_ != "the":
                out.append(Candidate(ent.start_char, ent.end_char, "Person", 0.45, "", PRIORITY_NER_PERSON))
            continue
        if type_ is None:
            continue
        if type_ in {"Event", "Artifact"} and not _EVENT_WORD.search(ent.text) \
                and any(t.lower_ in _BODY_WORDS for t in ent[1:]):
            type_ = "Organization"  # "the World Wide Web Consortium" is no event
        if type_ in {"Person", "Organization"} and len(ent) == 1 and is_common_word(ent[0].lower_, words) \
                and (ent[0].tag_ not in {"NNP", "NNPS"} or ent[0].is_sent_start or type_ == "Person"):
            continue  # one common word the model took for a name: "Accuracy", "Agility", "Generator"
        if type_ == "Person" and (any(_camel(t.text) for t in ent) or ent[-1].lower_ in TECHNICAL_HEADS):
            continue  # "LogitBoost", "Continuous Control", "Pixel Input": not people
        if ent.sent.text.isupper():
            continue  # a line in capitals (a draft note to self) fools the model
        possessive = next((t for t in ent[1:] if t.text in {"'s", "’s"}), None)
        if possessive is not None and type_ == "Organization":
            ent = doc[ent.start:possessive.i]  # "The Princeton Review’s Online Service": the owner
            c = _clean_candidate(text, ent.start_char, ent.end_char, type_, gazetteer, words)
            if c is not None and c.type == "Organization" and (c.extractor == GAZETTEER or _org_evidence_text(
                    text[c.start:c.end]) or len(text[c.start:c.end].split()) >= 2):
                out.append(Candidate(c.start, c.end, c.type, c.score, c.extractor, max(c.priority,
                                                                                        PRIORITY_GAZETTEER + 1)))
            continue
        if type_ in {"Person", "Organization"} and _weak_name_context(ent, text):
            continue
        if type_ == "Person" and len(ent) > 1 and _phrase_not_name(ent):
            continue
        evidence = type_ != "Organization" or _org_evidence(ent)
        if not evidence and not _person_like(ent, words):
            continue
        pieces = _pieces(text, ent.start_char, ent.end_char)
        if len(pieces) > 1 and type_ != "Person":
            continue  # "ML Infrastructure - Jane Roe" as one ORG: the shape rules know better
        for s, e in pieces:
            if type_ == "Person":
                s = _hyphenated_start(text, s)
            c = _clean_candidate(text, s, e, type_, gazetteer, words)
            if c is not None and (evidence or c.type != "Organization" or c.extractor == GAZETTEER):
                out.append(c)
    return out


_GIVEN_NAME_PART = re.compile(r"(?<![\w-])[A-Z][a-z]+-$")


def _hyphenated_start(text: str, start: int) -> int:
    """A hyphenated given name the tokenizer split: "Kwang-Ting Cheng", not "Ting Cheng"."""
    m = _GIVEN_NAME_PART.search(text, max(0, start - 20), start)
    return m.start() if m is not None else start


_ORG_CUES = frozenset({"at", "from", "joined", "join", "joins", "founded", "including", "companies", "company",
                       "team", "partnered", "acquired", "startup", "startups", "firm"})


def _line_of(span: Span, text: str) -> str:
    """The line around ``span``; ``text`` is ``span.doc.text``, which spaCy rebuilds on every access."""
    start, end = line_bounds(text, span.start_char, span.end_char)
    return text[start:end]


def _weak_name_context(ent: Span, text: str) -> bool:
    """One-word "names" used as eponyms ("Lipschitz constant") or standing alone as a whole line."""
    if len(ent) == 1:
        nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
        if nxt is not None and nxt.tag_ in {"NN", "NNS", "JJ"} and nxt.text.islower():
            return True
        prev = ent.doc[ent.start - 1] if ent.start > 0 else None
        if prev is not None and prev.lower_ in {"the", "a", "an"}:
            return True  # "the Lipschitz constant", "a Gaussian"
    return _line_of(ent, text).strip(" *-•:#") == ent.text.strip()


_NAME_PREFIX = re.compile(r"^(?:Mc|Mac|Le|La|De|Di|Da|Du|Van|Von|O['’])(?=[A-Z])")
_CAMEL = re.compile(r"[a-z][A-Z]")


def _camel(word: str) -> bool:
    """CamelCase like "LogitBoost", but not "McCarthy" or "LeCun"."""
    return bool(_CAMEL.search(_NAME_PREFIX.sub("", word)))
ORG_WORDS = frozenset({"university", "institute", "college", "academy", "society", "association", "laboratory",
                       "program", "programme", "board", "directorate", "union", "commission", "department", "bureau",
                       "movement", "museum", "hospital",
                       "laboratories", "foundation", "corporation", "council", "agency", "ministry", "consortium",
                       "federation", "committee", "school", "labs", "lab", "inc", "inc.", "ltd", "llc", "gmbh"})
# words that make a name an organisation's even when the model calls it an event or a product
_BODY_WORDS = ORG_WORDS - {"program", "programme", "school", "movement"}
_NOUN_ENDINGS = re.compile(r"(?:tion|sion|ing|ment|ness|ity|ics|ogy|ism|ance|ence|ures?)$")


def _phrase_not_name(ent: Span) -> bool:
    """Title-cased phrases the model calls people: "Video Pixel Networks", "Continuous Control"."""
    last = ent[-1]
    if last.tag_ == "NNS":
        return True
    # "Control", "Learning" end like nouns; "Turing", "Lawrence" too, but the tagger calls those proper nouns
    return bool(_NOUN_ENDINGS.search(last.lower_)) and any(t.tag_ != "NNP" for t in ent)


def _person_like(ent: Span, common: frozenset[str]) -> bool:
    toks = [t for t in ent if t.text not in {"&", "the", "The"}]
    return 2 <= len(toks) <= 3 and all(t.text[:1].isupper() and t.is_alpha for t in toks) \
        and toks[0].lower_ not in common


def _org_evidence_text(name: str) -> bool:
    words = name.split()
    return bool(words) and (words[-1].casefold().strip(".,") in ORG_SUFFIXES
                            or any(w.casefold() in ORG_WORDS for w in words))


def _org_evidence(ent: Span) -> bool:
    """The model's ORG needs support: a company-like word, an acronym, a possessive, or a cue word."""
    words = ent.text.split()
    if words and words[-1].casefold().strip(".,") in ORG_SUFFIXES:
        return True
    if any(w.casefold() in ORG_WORDS for w in words):
        return True
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 6:
        return True
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].text in {"'s", "’s", "'"}:
        return True
    before = doc[max(0, ent.start - 2):ent.start]
    return any(t.lower_ in _ORG_CUES for t in before)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    cursor = start
    for m in _SEPARATORS.finditer(text, start, end):
        pieces.append((cursor, m.start()))
        cursor = m.end()
    pieces.append((cursor, end))
    return [(s, e) for s, e in pieces if e > s]


_ORG_LOWER_OK = {"of", "for", "and", "the", "de", "la", "du", "von", "van", "on", "in", "&", "und", "des", "der"}
_FELLOW = re.compile(r"^(?:Fellow|Member)s?\s+of\s+(?:the\s+)?|\s+(?:Fellow|Member|Award|Prize)s?$")


def _org_core(text: str, start: int, end: int) -> tuple[int, int]:
    """An organisation's name ends at the first lower-case word that is not part of names
    ("Apple Inc introduced Face ID"); "Fellow of the ..." and "... Fellow" are roles around it."""
    for m in re.finditer(r"\S+", text[start:end]):
        w = m.group()
        if w[0].islower() and w.lower() not in _ORG_LOWER_OK and m.start() > 0:
            end = start + m.start()
            break
    span = text[start:end]
    while True:
        m = _FELLOW.search(span)
        if not m:
            break
        if m.start() == 0:
            start += m.end()
        else:
            end = start + m.start()
        span = text[start:end]
    span = span.rstrip()
    for small in (" of", " for", " and", " at", " the", " in", " on"):
        if span.endswith(small):
            span = span[: -len(small)]
    return start, start + len(span)


def _clean_candidate(text: str, start: int, end: int, type_: str, gazetteer: Gazetteer,
                     common: frozenset[str] = frozenset()) -> Candidate | None:
    if type_ == "Organization":
        start, end = _org_core(text, start, end)
    s, e = trim_span(text, start, end)
    article = re.match(r"(?:the|The|a|an)\s+", text[s:e])
    if article:
        s += article.end()
    e = s + len(text[s:e].rstrip(" &"))
    if e <= s:
        return None
    name = text[s:e]
    if type_ == "Person":
        stripped = strip_title(name, gazetteer.titles)
        s += len(name) - len(stripped)
        name = stripped
    if has_junk(name) or gazetteer.is_generic(name) or len(name) < 2:
        return None
    known = gazetteer.canonical(name)
    if known is not None:
        return Candidate(s, e, known.type, 0.8, GAZETTEER, PRIORITY_GAZETTEER, known.name)
    words = name.split()
    if all(is_acronym(w) for w in words) and type_ in {"Person", "Organization"} and len(name) <= 3:
        return None
    if type_ == "Person":
        if not looks_like_person(name):
            return None
        return Candidate(s, e, "Person", NER_SCORES["Person"], "", PRIORITY_NER_PERSON)
    if type_ == "Organization" and not looks_like_org(name):
        return None
    if type_ == "Organization" and any(w.casefold() in ORG_WORDS for w in words):
        # "Cognitive Science Society", "University of Reading": the name beats a topic inside it
        return Candidate(s, e, "Organization", 0.75, "", PRIORITY_GAZETTEER + 1)
    if type_ == "Organization" and not _org_evidence_text(name) and 2 <= len(words) <= 3 \
            and looks_like_person(name) and words[0].lower() not in common:
        return Candidate(s, e, "Person", 0.5, "", PRIORITY_NER_PERSON)  # "Sepp Hochreiter" taken for an ORG
    if type_ == "Event" and not _EVENT_WORD.search(name):
        return None
    if type_ == "Artifact" and not (any(ch.isdigit() for ch in name) or any(ch.isupper() for ch in name[1:])):
        return None
    if name[0].islower():
        return None
    return Candidate(s, e, type_, NER_SCORES[type_], "", PRIORITY_NER)
