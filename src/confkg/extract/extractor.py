"""Note -> mentions and candidate relations: the extraction stage.

Sections of all notes are streamed through ``nlp.pipe`` in batches (the model is the costly
part; batching makes it ~1.7x faster), and each section's doc is read by every extractor:
statistical NER, gazetteers, text rules and structural rules. Their candidates are merged
(``candidates.merge_candidates``) and turned into ``Mention`` records whose offsets point into
the original file. The same code serves ``confkg build`` and ``confkg mentions``.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import groupby

from spacy.language import Language
from spacy.tokens import Doc

from confkg.extract.candidates import CONTAINER_TYPES, PRIORITY_RULE, Candidate, merge_candidates
from confkg.extract.gazetteer import Gazetteer, default_gazetteer
from confkg.extract.hypernyms import typed_by_lists
from confkg.extract.lexicon import LexiconMatcher, full_names_over_terms, longer_org_names, ner_candidates
from confkg.extract.names import TECHNICAL_HEADS, title_case_ratio
from confkg.extract.nlp import available_model, common_words, load_pipeline, model_id, model_meta, package_name
from confkg.extract.products import extend_over_heads, unknown_products
from confkg.extract.relation_rules import relation_candidates
from confkg.extract.structure import (
    RULE_SESSION,
    RULE_SESSION_PAPER,
    CandidateRelation,
    day_kind,
    paper_candidates,
    session_state,
    talk_candidates,
    tutorial_candidate,
)
from confkg.extract.text_rules import (
    RULE_EVENT,
    acronym_definitions,
    citation_candidates,
    cited_title_candidates,
    coordinated_person_candidates,
    event_candidates,
    named_event_candidates,
    quoted_title_candidates,
    shape_candidates,
    workshop_candidates,
)
from confkg.model import Block, Extraction, Mention, Note, OffsetMap, Relation, Section, TextPiece

RULE_PRIMARY_EVENT = "rule:primary-event.v1"
RULE_PART_OF = "rule:talk-part-of-event.v1"
RULE_ACRONYM = "rule:acronym-definition.v1"
RULE_SUB_EVENT = "rule:workshop-in-conference.v1"


@dataclass(frozen=True, slots=True)
class SectionResult:
    mentions: list[Mention]
    relations: list[Relation]
    acronyms: dict[str, tuple[str, str]]


class Extractor:
    """Runs the whole extraction; build one and reuse it (loading the model costs seconds)."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer, *, batch_size: int = 64) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.lexicon = LexiconMatcher(nlp, gazetteer)
        self.model = model_id(nlp)
        self.common_words = common_words(package_name(nlp))
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
        kind: str | None = None
        session: Mention | None = None
        acronyms: dict[str, tuple[str, str]] = {}
        for section in note.sections:
            in_session = session_state(section, in_session)
            kind = day_kind(section, kind)
            doc = docs.get(section.index)
            if doc is None:
                doc = self.nlp(section.text)
            result = self._section(note, section, doc, in_session=in_session, day=kind)
            mentions += result.mentions
            relations += result.relations
            acronyms.update(result.acronyms)
            for m in result.mentions:
                if m.type == "Talk" and m.attr("kind") == "session":
                    session = m
                elif session is not None and in_session and m.type in {"Paper", "Talk"} and (
                        m.extractor == RULE_SESSION_PAPER or m.attr("section") == str(section.index)):
                    relations.append(Relation(m, "session", session, None, note.note_id, m.start, m.end,
                                              RULE_SESSION, 0.7))
            if not in_session:
                session = None
        mentions += acronym_mentions(note, acronyms, mentions)
        primary = self._primary_event(note, mentions)
        if primary is not None:
            mentions = [m for m in mentions if m.key != primary.key] + [primary]
            for m in mentions:
                if m.type == "Talk":
                    relations.append(Relation(m, "partOf", primary, None, note.note_id, m.start, m.end,
                                              RULE_PART_OF, 0.8))
                elif m.type == "Event" and m.attr("kind") == "workshop" and m.key != primary.key:
                    relations.append(Relation(m, "subEventOf", primary, None, note.note_id, m.start, m.end,
                                              RULE_SUB_EVENT, 0.6))
        mentions.sort(key=lambda m: (m.start, m.end, m.type))
        return Extraction(note, tuple(mentions), tuple(relations))

    # ------------------------------------------------------------------ one section

    def section_candidates(self, section: Section, doc: Doc, *, plain_text: bool, in_session: bool
                           ) -> tuple[list[Candidate], list[CandidateRelation]]:
        """Every extractor's proposals for one section, merged; and the relations among them."""
        text = section.text
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        talks = talk_candidates(section, plain_text=plain_text and not in_session)
        papers = paper_candidates(section, in_session=in_session)
        candidates = [
            *(replace(c, extractor=self.model) for c in ner_candidates(doc, self.gazetteer, self.nlp, text)),
            *self.lexicon.candidates(doc, text),
            *event_candidates(text, self.lexicon.event_names),
            *workshop_candidates(text),
            *named_event_candidates(text),
            *citation_candidates(text),
            *shape_candidates(text),
            *quoted_title_candidates(text, sentences),
            *cited_title_candidates(text),
            *talks.candidates,
            *papers.candidates,
        ]
        candidates = full_names_over_terms(longer_org_names(candidates, text), text)
        candidates = extend_over_heads(candidates + unknown_products(doc, candidates, self.common_words, text), text)
        candidates = typed_by_lists(candidates, text)
        people = [c for c in candidates if c.type == "Person"]
        candidates += coordinated_person_candidates(text, people, self.common_words)
        candidates = [c for c in candidates if not self._is_generic(text, c)]
        kept = merge_candidates(candidates)
        known = talks.relations + papers.relations
        prose = relation_candidates(section, kept, sentences, known)
        return kept + prose.candidates, known + prose.relations

    def _is_generic(self, text: str, c: Candidate) -> bool:
        if c.type in {"Paper", "Talk", "Topic"} or c.priority >= PRIORITY_RULE and c.type == "Event":
            return False
        return self.gazetteer.is_generic(text[c.start:c.end])

    def _section(self, note: Note, section: Section, doc: Doc, *, in_session: bool, day: str | None = None
                 ) -> SectionResult:
        kept, cand_relations = self.section_candidates(
            section, doc, plain_text=note.format == "text", in_session=in_session
        )
        if day == "tutorial" and not any(c.type == "Talk" for c in kept):
            tutorial = tutorial_candidate(section)
            if tutorial is not None:  # the model's guesses inside a title are title-case noise
                kept = [c for c in kept if not (c.inside(tutorial) and c.extractor.startswith("spacy"))]
                kept.append(tutorial)
        kept, acronyms = define_acronyms(section.text, kept)
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
        return SectionResult(mentions, relations, acronyms)

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
        return Mention(note.note_id, -1, at, end, note.source[at:end], "Event", 0.95, RULE_PRIMARY_EVENT,
                       *note.line_span(at, end), tuple(attrs))

    # ------------------------------------------------------------------ bare texts

    def extract_texts(self, items: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[Mention]]]:
        """Mentions in bare texts (``confkg mentions``): offsets index into each text itself."""
        notes = (text_note(text_id, text) for text_id, text in items)
        for extraction in self.extract_notes(notes):
            mentions = [m for m in extraction.mentions if m.type != "Talk" and m.extractor != RULE_PRIMARY_EVENT]
            yield extraction.note.note_id, mentions


def define_acronyms(text: str, kept: list[Candidate]) -> tuple[list[Candidate], dict[str, tuple[str, str]]]:
    """Type and name acronyms defined in the text ("Automatic Domain Randomization (ADR)").

    The expansion takes the type of the candidate that covers it, or of a known phrase at its
    end ("Automatic *Domain Randomization*" is a topic), or of the acronym itself ("TPU").
    """
    found: dict[str, tuple[str, str]] = {}
    kept = list(kept)
    for d in acronym_definitions(text):
        exp = text[d.start:d.end]
        inner = [c for c in kept if d.start <= c.start and c.end <= d.end and c.type not in CONTAINER_TYPES]
        exact = next((c for c in inner if (c.start, c.end) == (d.start, d.end)), None)
        head = next((c for c in inner if c.end == d.end and not c.extractor.startswith("spacy")), None)
        acr = next((c for c in kept if text[c.start:c.end] == d.acronym and c.start > d.end
                    and c.type not in CONTAINER_TYPES), None)
        if exact is not None:
            found[d.acronym] = (exact.type, exact.canonical or exp)
        elif head is not None:
            for c in inner:
                kept.remove(c)
            type_ = head.type
            if type_ == "Topic" and len(exp.split()) > len(text[head.start:head.end].split()) \
                    and title_case_ratio(exp) == 1.0:
                type_ = "Artifact"  # "Variational Ladder Autoencoder (VLAE)": a named model, not the topic
            kept.append(Candidate(d.start, d.end, type_, 0.75, RULE_ACRONYM, PRIORITY_RULE, exp))
            found[d.acronym] = (type_, exp)
        elif acr is not None and acr.canonical:
            found[d.acronym] = (acr.type, acr.canonical)
        elif exp.split()[-1].lower() in TECHNICAL_HEADS and exp[0].isupper():
            # "Variational Ladder Autoencoder (VLAE)": a named model or method
            for c in inner:
                kept.remove(c)
            kept.append(Candidate(d.start, d.end, "Artifact", 0.7, RULE_ACRONYM, PRIORITY_RULE, exp))
            found[d.acronym] = ("Artifact", exp)
    return sorted(kept, key=lambda c: (c.start, c.end, c.type)), found


def acronym_mentions(note: Note, acronyms: dict[str, tuple[str, str]], mentions: list[Mention]) -> list[Mention]:
    """Every later use of a defined acronym in the note names the entity of its expansion."""
    if not acronyms:
        return []
    # a defined acronym overrides the model's guess about it ("VLAE" is not an organisation)
    guesses = {(m.start, m.end) for m in mentions if m.text in acronyms and m.extractor.startswith("spacy")}
    mentions[:] = [m for m in mentions if (m.start, m.end) not in guesses]
    taken = [(m.start, m.end) for m in mentions]
    out: list[Mention] = []
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(acronyms)) + r")(?![\w-])")
    for section in note.sections:
        for m in pattern.finditer(section.text):
            start, end = section.source_span(m.start(), m.end())
            if any(s < end and start < e for s, e in taken):
                continue
            type_, canonical = acronyms[m.group(1)]
            out.append(Mention(note.note_id, section.index, start, end, note.source[start:end], type_, 0.7,
                               RULE_ACRONYM, *note.line_span(start, end), (("canonical", canonical),)))
            taken.append((start, end))
    return out


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


class ModelOnDemand:
    """A build's extractor whose model is loaded only when this process extracts a note.

    Why: with ``--workers`` or ``--dask`` the workers run the model, and in a rebuild every
    unchanged note comes from the cache; the build itself only needs the model's name for the
    cache's fingerprint and provenance, which its ``meta.json`` gives (``nlp.model_meta``,
    milliseconds). Loading the pipeline costs about a second and a few hundred MB.
    """

    def __init__(self, model: str | None = None, *, batch_size: int = 64) -> None:
        self.requested = model
        meta = model_meta(model)
        self.model = model_id(meta)
        """As ``Extractor.model``: the extractor name in provenance and the cache's fingerprint."""
        self.package = package_name(meta)
        self.batch_size = batch_size
        self.load_seconds = 0.0
        """How long loading the model took, if it was loaded."""

    @property
    def worker_model(self) -> str:
        """What a worker process passes to ``Extractor.create``: the name asked for, else the
        preferred installed model (resolved here, so every worker loads the same one)."""
        return self.requested or available_model()

    @cached_property
    def extractor(self) -> Extractor:
        started = time.perf_counter()
        extractor = Extractor.create(self.requested, batch_size=self.batch_size)
        self.load_seconds = time.perf_counter() - started
        return extractor
