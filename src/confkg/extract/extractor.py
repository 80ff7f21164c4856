"""Note -> mentions and candidate relations: the extraction stage.

Sections of all notes are streamed through ``nlp.pipe`` in batches (the model is the costly
part; batching makes it ~1.7x faster), and each section's doc is read by every extractor:
statistical NER, gazetteers, text rules and structural rules. Their candidates are merged
(``candidates.merge_candidates``) and turned into ``Mention`` records whose offsets point into
the original file. The same code serves ``confkg build`` and ``confkg mentions``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import groupby

from spacy.language import Language
from spacy.tokens import Doc

from confkg.extract.candidates import PRIORITY_RULE, Candidate, merge_candidates
from confkg.extract.gazetteer import Gazetteer, default_gazetteer
from confkg.extract.lexicon import LexiconMatcher, ner_candidates
from confkg.extract.nlp import load_pipeline, model_id
from confkg.extract.relation_rules import relation_candidates
from confkg.extract.structure import (
    CandidateRelation,
    paper_candidates,
    session_state,
    talk_candidates,
)
from confkg.extract.text_rules import (
    RULE_EVENT,
    citation_candidates,
    event_candidates,
    quoted_title_candidates,
    shape_candidates,
    workshop_candidates,
)
from confkg.model import Block, Extraction, Mention, Note, OffsetMap, Relation, Section, TextPiece

RULE_PRIMARY_EVENT = "rule:primary-event.v1"
RULE_PART_OF = "rule:talk-part-of-event.v1"


@dataclass(frozen=True, slots=True)
class SectionResult:
    mentions: list[Mention]
    relations: list[Relation]


class Extractor:
    """Runs the whole extraction; build one and reuse it (loading the model costs seconds)."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer, *, batch_size: int = 64) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.lexicon = LexiconMatcher(nlp, gazetteer)
        self.model = model_id(nlp)
        self.batch_size = batch_size

    @classmethod
    def create(cls, model: str | None = None, *, batch_size: int = 64) -> Extractor:
        return cls(load_pipeline(model), default_gazetteer(), batch_size=batch_size)

    # ------------------------------------------------------------------ streaming

    def extract_notes(self, notes: Iterable[Note]) -> Iterator[Extraction]:
        """Extract every note, streaming all their sections through ``nlp.pipe`` in batches."""
        notes_by_index: dict[int, Note] = {}

        def sections() -> Iterator[tuple[str, tuple[int, int]]]:
            for i, note in enumerate(notes):
                notes_by_index[i] = note
                if not note.sections:
                    yield "", (i, -1)
                for section in note.sections:
                    yield section.text, (i, section.index)

        docs = self.nlp.pipe(sections(), as_tuples=True, batch_size=self.batch_size)
        for i, group in groupby(docs, key=lambda pair: pair[1][0]):
            note = notes_by_index.pop(i)
            by_section = {sec: doc for doc, (_, sec) in group}
            yield self.extract_note(note, by_section)

    def extract_note(self, note: Note, docs: dict[int, Doc]) -> Extraction:
        mentions: list[Mention] = []
        relations: list[Relation] = []
        in_session = False
        for section in note.sections:
            in_session = session_state(section, in_session)
            doc = docs.get(section.index)
            if doc is None:
                doc = self.nlp(section.text)
            result = self._section(note, section, doc, in_session=in_session)
            mentions += result.mentions
            relations += result.relations
        primary = self._primary_event(note, mentions)
        if primary is not None:
            if all(m.key != primary.key for m in mentions):
                mentions.append(primary)
            for m in mentions:
                if m.type == "Talk":
                    relations.append(Relation(m, "partOf", primary, None, note.note_id, m.start, m.end,
                                              RULE_PART_OF, 0.8))
        mentions.sort(key=lambda m: (m.start, m.end, m.type))
        return Extraction(note, tuple(mentions), tuple(relations))

    # ------------------------------------------------------------------ one section

    def section_candidates(self, section: Section, doc: Doc, *, plain_text: bool, in_session: bool
                           ) -> tuple[list[Candidate], list[CandidateRelation]]:
        """Every extractor's proposals for one section, merged; and the relations among them."""
        text = section.text
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        talks = talk_candidates(section, plain_text=plain_text)
        papers = paper_candidates(section, in_session=in_session)
        candidates = [
            *(replace(c, extractor=self.model) for c in ner_candidates(doc, self.gazetteer)),
            *self.lexicon.candidates(doc),
            *event_candidates(text, self.lexicon.event_names),
            *workshop_candidates(text),
            *citation_candidates(text),
            *shape_candidates(text),
            *quoted_title_candidates(text, sentences),
            *talks.candidates,
            *papers.candidates,
        ]
        candidates = [c for c in candidates if not self._is_generic(text, c)]
        kept = merge_candidates(candidates)
        known = talks.relations + papers.relations
        prose = relation_candidates(section, kept, sentences, known)
        return kept + prose.candidates, known + prose.relations

    def _is_generic(self, text: str, c: Candidate) -> bool:
        if c.type in {"Paper", "Talk", "Topic"} or c.priority >= PRIORITY_RULE and c.type == "Event":
            return False
        return self.gazetteer.is_generic(text[c.start:c.end])

    def _section(self, note: Note, section: Section, doc: Doc, *, in_session: bool) -> SectionResult:
        kept, cand_relations = self.section_candidates(
            section, doc, plain_text=note.format == "text", in_session=in_session
        )
        sentences = [(s.start_char, s.end_char) for s in doc.sents] or [(0, len(section.text))]
        by_key: dict[tuple[int, int, str], Mention] = {}
        mentions: list[Mention] = []
        for c in kept:
            m = self._mention(note, section, c, sentences)
            if m is not None:
                by_key[(c.start, c.end, c.type)] = m
                mentions.append(m)
        relations: list[Relation] = []
        for r in cand_relations:
            subj = by_key.get((r.subject.start, r.subject.end, r.subject.type))
            obj = by_key.get((r.obj.start, r.obj.end, r.obj.type)) if r.obj else None
            if subj is None or (r.obj is not None and obj is None):
                continue
            s, e = section.source_span(r.start, r.end)
            relations.append(Relation(subj, r.predicate, obj, r.value, note.note_id, s, e, r.extractor, r.confidence))
        return SectionResult(mentions, relations)

    def _mention(self, note: Note, section: Section, c: Candidate, sentences: list[tuple[int, int]]
                 ) -> Mention | None:
        start, end = section.source_span(c.start, c.end)
        surface = note.source[start:end]
        if not surface.strip():
            return None
        sent = next(((s, e) for s, e in sentences if s <= c.start < e), (c.start, c.end))
        s_start, s_end = section.source_span(*sent)
        attrs = list(c.attrs)
        if c.canonical and c.canonical != surface:
            attrs.append(("canonical", c.canonical))
        return Mention(note.note_id, section.index, start, end, surface, c.type, round(c.score, 3),
                       c.extractor, s_start, max(s_end, end), tuple(attrs))

    # ------------------------------------------------------------------ the note's own event

    def _primary_event(self, note: Note, mentions: list[Mention]) -> Mention | None:
        """The conference a note is about: named in its title (or first heading), dated by the text."""
        editions = [m for m in mentions if m.type == "Event" and m.extractor == RULE_EVENT]
        title = note.title or next((s.heading for s in note.sections if s.heading), None)
        if not title:
            return None
        found = event_candidates(title, self.lexicon.event_names)
        if not found:
            return None
        best = max(found, key=lambda c: (c.score, c.length))
        at = note.source.find(title[best.start:best.end])
        series = dict(best.attrs).get("series", best.canonical or "")
        year = dict(best.attrs).get("year")
        if year is None:
            years = Counter(m.attr("year") for m in editions if m.attr("series") == series and m.attr("year"))
            year = years.most_common(1)[0][0] if years else (note.date or "")[:4] or None
        attrs = [("series", series), ("kind", dict(best.attrs).get("kind", "conference")), ("primary", "true")]
        canonical = series
        if year and re.fullmatch(r"\d{4}", year):
            attrs.append(("year", year))
            canonical = f"{series} {year}"
        attrs.append(("canonical", canonical))
        if at < 0:
            return None
        end = at + best.length
        line_start = note.source.rfind("\n", 0, at) + 1
        line_end = note.source.find("\n", end)
        return Mention(note.note_id, -1, at, end, note.source[at:end], "Event", 0.95, RULE_PRIMARY_EVENT,
                       line_start, line_end if line_end >= 0 else len(note.source), tuple(attrs))

    # ------------------------------------------------------------------ bare texts

    def extract_texts(self, items: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[Mention]]]:
        """Mentions in bare texts (``confkg mentions``): offsets index into each text itself."""
        notes = (text_note(text_id, text) for text_id, text in items)
        for extraction in self.extract_notes(notes):
            mentions = [m for m in extraction.mentions if m.type != "Talk" and m.extractor != RULE_PRIMARY_EVENT]
            yield extraction.note.note_id, mentions


def text_note(text_id: str, text: str) -> Note:
    """A one-section note over a bare text, one block per line, offsets equal to the text's."""
    blocks = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            blocks.append(Block("line", pos, pos + len(line)))
        pos += len(line) + 1
    section = Section(0, None, 0, text, OffsetMap((TextPiece(0, 0, len(text)),)), tuple(blocks), ())
    return Note(text_id, text_id, text, "", "text", None, None, (), (section,))
