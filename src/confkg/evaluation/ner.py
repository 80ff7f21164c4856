"""Typed-span precision and recall on CoNLL-style NER data (CrossNER's AI domain, for instance).

Why this measure: the sample notes are few and were read while the rules were written, so a
public corpus written by others keeps extraction honest. The same ``Extractor.extract_texts``
as ``confkg mentions`` runs over all sentences in one stream; only the four types both sides
know are compared (Paper, Topic and Talk have no counterpart in CrossNER), spans must match
exactly, type included. A bare-spaCy baseline with the same model puts the numbers in context:
what the rules and gazetteers add on top of the statistical NER.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from confkg.errors import InputError
from confkg.evaluation.report import NerReport, Score

if TYPE_CHECKING:
    from spacy.language import Language

    from confkg.extract.extractor import Extractor

NER_TYPES: tuple[str, ...] = ("Person", "Organization", "Event", "Artifact")
CROSSNER_TYPES: Mapping[str, str] = {
    "researcher": "Person",
    "person": "Person",
    "organisation": "Organization",
    "university": "Organization",
    "conference": "Event",
    "product": "Artifact",
    "programlang": "Artifact",
}
SPACY_TYPES: Mapping[str, str] = {"PERSON": "Person", "ORG": "Organization", "EVENT": "Event", "PRODUCT": "Artifact"}
TOP_ERRORS = 25


class Span(NamedTuple):
    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One CoNLL sentence: its text is the tokens joined by single spaces; ``spans`` are the gold
    spans of mapped types, with character offsets into that text."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def bio_spans(tokens: Sequence[str], tags: Sequence[str], mapping: Mapping[str, str] = CROSSNER_TYPES
              ) -> tuple[Span, ...]:
    """Spans of a BIO-tagged sentence, typed by ``mapping`` (unmapped types dropped).

    An ``I-`` tag that does not continue a span of its own type starts one (as conlleval does),
    so that a stray tag costs one span rather than being silently lost.
    """
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    raw: list[list] = []  # [first token, last token, source type]
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or not label:
            continue
        if prefix == "I" and raw and raw[-1][1] == i - 1 and raw[-1][2] == label:
            raw[-1][1] = i
        else:
            raw.append([i, i, label])
    text = " ".join(tokens)
    out = []
    for first, last, label in raw:
        if label in mapping:
            s, e = starts[first], starts[last] + len(tokens[last])
            out.append(Span(s, e, mapping[label], text[s:e]))
    return tuple(out)


def parse_conll(lines: Iterable[str], source: str = "-", limit: int | None = None) -> list[Sentence]:
    """``token<TAB>tag`` lines, blank lines between sentences; at most ``limit`` sentences."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(Sentence(tuple(tokens), tuple(tags), bio_spans(tokens, tags)))
            tokens.clear()
            tags.clear()

    for n, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            flush()
            if limit is not None and len(sentences) >= limit:
                return sentences
            continue
        parts = line.rsplit("\t", 1) if "\t" in line else line.rsplit(None, 1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InputError(f"{source}:{n}: expected 'token<TAB>tag'")
        tokens.append(parts[0].strip())
        tags.append(parts[1].strip())
    flush()
    return sentences[:limit] if limit is not None else sentences


def read_conll(path: str | Path, limit: int | None = None) -> list[Sentence]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open(encoding="utf-8") as f:
        return parse_conll(f, str(path), limit)


# ---------------------------------------------------------------------- systems


def confkg_spans(texts: Sequence[str], extractor: Extractor) -> list[list[Span]]:
    """Mentions of the four comparable types from the full extraction, all texts in one stream."""
    found = extractor.extract_texts((str(i), t) for i, t in enumerate(texts))
    return [[Span(m.start, m.end, m.type, m.text) for m in mentions if m.type in NER_TYPES]
            for _, mentions in found]


def spacy_model_name(model: str | None = None) -> str:
    from confkg.extract.nlp import available_model

    return model or available_model()


def spacy_spans(texts: Sequence[str], model: str | None = None, *, nlp: Language | None = None,
                batch_size: int = 64) -> list[list[Span]]:
    """The baseline: bare spaCy NER with the same model (``spacy.load`` as it ships, or ``nlp``),
    its labels mapped to confkg's types and the others dropped."""
    nlp = nlp or _bare_pipeline(spacy_model_name(model))
    return [[Span(e.start_char, e.end_char, SPACY_TYPES[e.label_], e.text) for e in doc.ents
             if e.label_ in SPACY_TYPES]
            for doc in nlp.pipe(texts, batch_size=batch_size)]


@lru_cache(maxsize=2)
def _bare_pipeline(name: str) -> Language:
    import spacy

    return spacy.load(name)


# ---------------------------------------------------------------------- scoring


def score_spans(sentences: Sequence[Sentence], predicted: Sequence[Iterable[Span]], *, source: str = "",
                system: str = "") -> NerReport:
    """Exact typed-span matching, per type and micro-averaged over ``NER_TYPES``."""
    if len(predicted) != len(sentences):
        raise ValueError(f"{len(predicted)} predictions for {len(sentences)} sentences")
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    fp: Counter[tuple[str, str]] = Counter()
    fn: Counter[tuple[str, str]] = Counter()
    for sentence, spans in zip(sentences, predicted, strict=True):
        gold = {(s.start, s.end, s.type): s.text for s in sentence.spans}
        pred = {(s.start, s.end, s.type): s.text for s in spans if s.type in NER_TYPES}
        for key, text in pred.items():
            n_pred[key[2]] += 1
            if key in gold:
                tp[key[2]] += 1
            else:
                fp[(key[2], text)] += 1
        for key, text in gold.items():
            n_gold[key[2]] += 1
            if key not in pred:
                fn[(key[2], text)] += 1
    per_type = {t: Score(tp[t], n_pred[t], tp[t], n_gold[t]) for t in NER_TYPES}
    micro = sum(per_type.values(), Score(0, 0, 0, 0))
    return NerReport(source, system, len(sentences), micro, per_type, _top(fp), _top(fn))


def _top(counts: Counter[tuple[str, str]]) -> tuple[tuple[str, str, int], ...]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple((t, text, n) for (t, text), n in ranked[:TOP_ERRORS])


def evaluate_ner(path: str | Path, *, limit: int | None = None, baseline: bool = False, model: str | None = None,
                 extractor: Extractor | None = None) -> NerReport:
    """``confkg eval-ner``: confkg's extraction (or, with ``baseline``, bare spaCy) on a CoNLL file."""
    sentences = read_conll(path, limit)
    texts = [s.text for s in sentences]
    if baseline:
        name = spacy_model_name(model)
        return score_spans(sentences, spacy_spans(texts, name), source=str(path), system=f"spaCy {name} (bare NER)")
    if extractor is None:
        from confkg.extract.extractor import Extractor

        extractor = Extractor.create(model)
    return score_spans(sentences, confkg_spans(texts, extractor), source=str(path),
                       system=f"confkg ({extractor.model})")
