"""Entities, mentions and relations -> RDF quads, with provenance for every fact.

Provenance model (documented in the README): every note has its own named graph holding the
``ckg:Note`` node, its sections, one ``ckg:Mention`` node per mention (a W3C Web Annotation-
style record: entity, note, section, character offsets into the file, line, exact text,
sentence, extractor and confidence) and every relation read from the note, both as a direct
triple (``talk ckg:speaker person``) and as a reified ``ckg:Assertion`` (``rdf:subject``,
``rdf:predicate``, ``rdf:object`` plus the same provenance). The canonical description of
entities (type, label, aliases, attributes) lives in one ``entities`` graph and the co-mention
links in one ``comentions`` graph, because they depend on all notes. Replacing a note's graph
replaces exactly what was read from that note; ``graph.parts`` cuts the two shared graphs by
subject so that an incremental build replaces only what changed in them.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import combinations

from rdflib import Literal, URIRef, namespace
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD
from rdflib.term import Node

from confkg import vocab
from confkg.extract.names import normalise
from confkg.model import Entity, Extraction, Mention, Note, Relation
from confkg.resolve.resolver import Resolution
from confkg.vocab import (
    CLASS_OF_TYPE,
    COMENTIONS_GRAPH,
    ENTITIES_GRAPH,
    SCHEMA,
    assertion_iri,
    comention_iri,
    entity_iri,
    graph_iri,
    mention_iri,
    note_iri,
    section_iri,
)

CKG = vocab.Terms(vocab.CKG)
RDF = vocab.Terms(namespace.RDF)
"""The terms of the hot loops, looked up once (``vocab.Terms``)."""

Quad = tuple[Node, Node, Node, URIRef]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def entity_node(entity: Entity) -> URIRef:
    return entity_iri(entity.type, entity.key.split(":", 1)[1])


@lru_cache(maxsize=1 << 16)
def _int(n: int) -> Literal:
    # Literals are immutable; building one costs microseconds and offsets repeat: cached.
    return Literal(n, datatype=XSD.integer)


@lru_cache(maxsize=1024)
def _conf(x: float) -> Literal:
    return Literal(f"{x:.3f}", datatype=XSD.decimal)


@lru_cache(maxsize=1024)
def _name(text: str) -> Literal:
    """A literal from a small vocabulary (extractor names): cached like ``_int``."""
    return Literal(text)


class _Lines:
    """1-based line numbers of a note's offsets by bisection (``Note.line_of`` counts from the
    start of the file at every call: quadratic over a long note's mentions)."""

    def __init__(self, source: str) -> None:
        self._newlines: list[int] = []
        i = source.find("\n")
        while i >= 0:
            self._newlines.append(i)
            i = source.find("\n", i + 1)

    def of(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1


COMENTION_CONFIDENCE = 0.3
MAX_COMENTIONED_PER_SECTION = 40
NOTE_TOPIC_CONFIDENCE = 0.5


def entity_nodes(resolution: Resolution) -> dict[str, URIRef]:
    """The IRI of every entity, by entity key (minted once: ``entity_iri`` slugifies)."""
    return {e.key: entity_node(e) for e in resolution.entities}


def build_quads(extractions: Iterable[Extraction], resolution: Resolution, *, min_confidence: float = 0.0,
                series_names: Mapping[str, Sequence[str]] | None = None) -> Iterator[Quad]:
    """All quads of the graph; only facts with confidence >= ``min_confidence`` are kept.

    ``series_names`` maps a conference series to its other names (aliases, former names) so the
    series node carries them as ``skos:altLabel`` ("NIPS" for NeurIPS).
    """
    entities = resolution.by_key()
    nodes = entity_nodes(resolution)
    kept_entities: set[str] = set()
    comentions = CoMentions(nodes)
    for ex in extractions:
        yield from _note_quads(ex, resolution, nodes, min_confidence, kept_entities)
        if min_confidence <= COMENTION_CONFIDENCE:
            comentions.count(ex, resolution)
    yield from _entity_quads(entities, nodes, kept_entities, series_names or {})
    yield from comentions.quads()


def note_quads(ex: Extraction, resolution: Resolution, nodes: Mapping[str, URIRef], *,
               min_confidence: float = 0.0) -> Iterator[Quad]:
    """The quads of one note's named graph, exactly as ``build_quads`` makes them: what an
    incremental build writes for a note that changed."""
    return _note_quads(ex, resolution, nodes, min_confidence, set())


def kept_entities(extractions: Iterable[Extraction], resolution: Resolution, *, min_confidence: float = 0.0
                  ) -> set[str]:
    """Keys of the entities that have a mention of at least ``min_confidence``: those the
    entities graph describes. The same test as ``_note_quads`` (``_kept_mentions``), without
    making the notes' quads."""
    return {key for ex in extractions for _, key in _kept_mentions(ex, resolution, min_confidence)}


def entity_quads(resolution: Resolution, nodes: Mapping[str, URIRef], kept: set[str],
                 series_names: Mapping[str, Sequence[str]] | None = None) -> Iterator[Quad]:
    """The quads of ``id:graph/entities`` (``kept`` from ``kept_entities``)."""
    return _entity_quads(resolution.by_key(), nodes, kept, series_names or {})


Pair = tuple[str, str]
"""Two entity IRIs, as plain strings, in order."""


class CoMentions:
    """Entities named in the same section, counted over notes, and their ``ckg:CoMention`` quads.

    Counted once per section (at most ``MAX_COMENTIONED_PER_SECTION`` entities of a section, the
    most mentioned). Kept apart from the notes' quads because a link sums over every note: an
    incremental build counts all notes and writes only the links whose count or sections
    changed (``quads(pairs)``). Pairs and sections are counted as plain strings: hashing an
    rdflib term runs Python code, and the corpus of ``bench/`` counts 70,000 pairs in sections.
    """

    def __init__(self, nodes: Mapping[str, URIRef]) -> None:
        self.where: dict[Pair, list[str]] = defaultdict(list)
        """The sections of each pair, one per time they meet: its weight is their number."""
        self._iri = {key: str(node) for key, node in nodes.items()}
        self._terms: dict[str, URIRef] = {str(node): node for node in nodes.values()}

    def count(self, ex: Extraction, res: Resolution) -> None:
        per_section: dict[int, Counter[str]] = defaultdict(Counter)
        entity_of, iri = res.entity_of, self._iri
        for m in ex.mentions:
            key = entity_of.get(m.key)
            if key is not None and m.section >= 0:
                per_section[m.section][iri[key]] += 1
        where = self.where
        for section, counter in per_section.items():
            top = sorted(counter, key=lambda n: (-counter[n], n))[:MAX_COMENTIONED_PER_SECTION]
            si = str(section_iri(ex.note.note_id, section))
            for pair in combinations(sorted(top), 2):
                where[pair].append(si)

    def weight(self, pair: Pair) -> int:
        return len(self.where.get(pair, ()))

    def sections(self, pair: Pair) -> list[str]:
        """The sections a link names (``ckg:inSection``): the first 20 in IRI order."""
        found = self.where.get(pair, [])
        return found if len(found) == 1 else sorted(set(found))[:20]

    def quads(self, pairs: Iterable[Pair] | None = None) -> Iterator[Quad]:
        """Quads of every link in pair order, or of ``pairs`` only."""
        g = COMENTIONS_GRAPH
        term = self._term
        for a, b in sorted(self.where) if pairs is None else pairs:
            c = comention_iri(a, b)
            yield (c, RDF.type, CKG.CoMention, g)
            yield (c, CKG.coMentioned, term(a), g)
            yield (c, CKG.coMentioned, term(b), g)
            yield (c, CKG.weight, _int(self.weight((a, b))), g)
            yield (c, CKG.confidence, _conf(COMENTION_CONFIDENCE), g)
            for section in self.sections((a, b)):
                yield (c, CKG.inSection, term(section), g)

    def _term(self, iri: str) -> URIRef:
        node = self._terms.get(iri)
        if node is None:  # a section: made once, sections are named by many pairs
            node = self._terms[iri] = URIRef(iri)
        return node


def _kept_mentions(ex: Extraction, res: Resolution, min_conf: float) -> Iterator[tuple[Mention, str]]:
    """Mentions that make it into the graph (confident enough, resolved) with their entity key."""
    entity_of = res.entity_of
    for m in ex.mentions:
        if m.score < min_conf:
            continue
        ekey = entity_of.get(m.key)
        if ekey is not None:
            yield m, ekey


def _note_quads(ex: Extraction, res: Resolution, nodes: Mapping[str, URIRef], min_conf: float,
                kept: set[str]) -> Iterator[Quad]:
    note = ex.note
    g = graph_iri(note.note_id)
    n = note_iri(note.note_id)
    yield from _note_description(note, n, g)
    lines = _Lines(note.source)
    sections = {s.index: section_iri(note.note_id, s.index) for s in note.sections}
    by_section: dict[int, set[URIRef]] = {}
    mentioned: set[URIRef] = set()
    for m, ekey in _kept_mentions(ex, res, min_conf):
        kept.add(ekey)
        ent = nodes[ekey]
        mentioned.add(ent)
        by_section.setdefault(m.section, set()).add(ent)
        yield from _mention_quads(note, m, ent, g, n, sections, lines)
        if m.attr("primary"):
            yield (n, CKG.event, ent, g)
        sec = m.attr("section")
        if m.type == "Talk" and sec is not None:
            yield (ent, CKG.coveredBy, section_iri(note.note_id, int(sec)), g)
    for ent in sorted(mentioned):
        yield (n, CKG.mentions, ent, g)
    if min_conf <= NOTE_TOPIC_CONFIDENCE:
        topics = Counter(nodes[res.entity_of[m.key]] for m in ex.mentions
                         if m.type == "Topic" and m.key in res.entity_of and m.score >= min_conf)
        for topic, count in sorted(topics.items()):
            if count >= 2:  # a topic the note comes back to is what the note is about
                yield (n, CKG.about, topic, g)
    for m in ex.mentions:
        sec = m.attr("section")
        if m.type != "Talk" or sec is None or m.key not in res.entity_of:
            continue
        talk = nodes[res.entity_of[m.key]]
        for other in sorted(by_section.get(int(sec), set()) - {talk}):
            yield (talk, CKG.mentions, other, g)
    for r in ex.relations:
        if r.confidence < min_conf:
            continue
        yield from _relation_quads(note, r, res, nodes, g, n, lines)


def _note_description(note: Note, n: URIRef, g: URIRef) -> Iterator[Quad]:
    yield (n, RDF.type, CKG.Note, g)
    yield (n, CKG.path, Literal(note.note_id), g)
    if note.content_hash:
        yield (n, CKG.contentHash, Literal(note.content_hash), g)
    if note.title:
        yield (n, DCTERMS.title, Literal(note.title), g)
        yield (n, RDFS.label, Literal(note.title), g)
    if note.date:
        dt = XSD.date if _DATE.match(note.date) else None
        yield (n, DCTERMS.date, Literal(note.date, datatype=dt), g)
    for cat in note.categories:
        yield (n, SCHEMA.keywords, Literal(cat), g)
    for s in note.sections:
        si = section_iri(note.note_id, s.index)
        yield (si, RDF.type, CKG.Section, g)
        yield (si, CKG.sectionOf, n, g)
        if s.heading:
            yield (si, CKG.heading, Literal(s.heading), g)
        if s.offsets.pieces:
            yield (si, CKG.start, _int(s.offsets.pieces[0].source_start), g)
            last = s.offsets.pieces[-1]
            yield (si, CKG.end, _int(last.source_start + last.length), g)


def _sentence(note: Note, start: int, end: int) -> str:
    return " ".join(note.source[start:end].split())


def _mention_quads(note: Note, m: Mention, ent: URIRef, g: URIRef, n: URIRef, sections: dict[int, URIRef],
                   lines: _Lines) -> Iterator[Quad]:
    """``n`` is the note's IRI, ``sections`` its sections' IRIs by index (minted once per note)."""
    mi = mention_iri(note.note_id, m.start, m.end, m.type)
    yield (mi, RDF.type, CKG.Mention, g)
    yield (mi, CKG.refersTo, ent, g)
    yield (mi, CKG.inNote, n, g)
    if m.section >= 0:
        yield (mi, CKG.inSection, sections.get(m.section) or section_iri(note.note_id, m.section), g)
    yield (mi, CKG.start, _int(m.start), g)
    yield (mi, CKG.end, _int(m.end), g)
    yield (mi, CKG.line, _int(lines.of(m.start)), g)
    yield (mi, CKG.exact, Literal(m.text), g)
    yield (mi, CKG.sentence, Literal(_sentence(note, m.sent_start, m.sent_end)), g)
    yield (mi, CKG.sentenceStart, _int(m.sent_start), g)
    yield (mi, CKG.sentenceEnd, _int(m.sent_end), g)
    yield (mi, CKG.extractor, _name(m.extractor), g)
    yield (mi, CKG.confidence, _conf(m.score), g)


def _relation_quads(note: Note, r: Relation, res: Resolution, nodes: Mapping[str, URIRef], g: URIRef, n: URIRef,
                    lines: _Lines) -> Iterator[Quad]:
    skey = res.entity_of.get(r.subject.key)
    if skey is None:
        return
    pred = getattr(CKG, r.predicate)
    if r.obj is not None:
        okey = res.entity_of.get(r.obj.key)
        if okey is None or okey == skey:
            return
        obj: Node = nodes[okey]
    else:
        obj = Literal(r.value or "")
    subj = nodes[skey]
    yield (subj, pred, obj, g)
    # one assertion per reading: the same fact read by two rules keeps two provenance records
    digest = hashlib.sha1(f"{subj}|{pred}|{obj}|{r.start}|{r.end}|{r.extractor}".encode()).hexdigest()[:16]
    a = assertion_iri(note.note_id, digest)
    line_start, line_end = note.line_span(r.start, r.end)
    yield (a, RDF.type, CKG.Assertion, g)
    yield (a, RDF.subject, subj, g)
    yield (a, RDF.predicate, pred, g)
    yield (a, RDF.object, obj, g)
    yield (a, CKG.inNote, n, g)
    yield (a, CKG.start, _int(r.start), g)
    yield (a, CKG.end, _int(r.end), g)
    yield (a, CKG.line, _int(lines.of(r.start)), g)
    yield (a, CKG.sentence, Literal(_sentence(note, line_start, line_end)), g)
    yield (a, CKG.sentenceStart, _int(line_start), g)
    yield (a, CKG.sentenceEnd, _int(line_end), g)
    yield (a, CKG.extractor, _name(r.extractor), g)
    yield (a, CKG.confidence, _conf(r.confidence), g)


def _entity_quads(entities: dict[str, Entity], nodes: Mapping[str, URIRef], kept: set[str],
                  series_names: Mapping[str, Sequence[str]]) -> Iterator[Quad]:
    g = ENTITIES_GRAPH
    series_nodes: dict[str, URIRef] = {}
    for key in sorted(kept):
        e = entities[key]
        node = nodes[key]
        yield (node, RDF.type, CLASS_OF_TYPE[e.type], g)
        yield (node, RDFS.label, Literal(e.label), g)
        for alias in e.aliases:
            yield (node, SKOS.altLabel, Literal(alias), g)
        attrs = dict(e.attrs)
        for arxiv in e.attr_values("arxiv"):
            yield (node, CKG.arxivId, Literal(arxiv), g)
            yield (node, CKG.identifier, Literal(f"arXiv:{arxiv}"), g)
        for url in e.attr_values("url"):
            yield (node, CKG.url, Literal(url, datatype=XSD.anyURI), g)
        if e.type in {"Event", "Talk"} and "kind" in attrs:
            yield (node, CKG.kind, Literal(attrs["kind"]), g)
        if e.type == "Event":
            year = attrs.get("year")
            series = attrs.get("series")
            if year:
                yield (node, CKG.year, Literal(year, datatype=XSD.gYear), g)
            if year and series:
                series_key = f"Event:{normalise(series)}"
                snode = nodes.get(series_key) or entity_iri("Event", normalise(series))
                series_nodes[series] = snode
                yield (node, CKG.editionOf, snode, g)
                yield (snode, RDF.type, CKG.EventSeries, g)
    for series, snode in sorted(series_nodes.items()):
        if f"Event:{normalise(series)}" not in kept:  # a series named only through its editions
            yield (snode, RDFS.label, Literal(series), g)
        yield (snode, CKG.kind, Literal("series"), g)
        for alias in sorted(set(series_names.get(series, ())) - {series}):
            yield (snode, SKOS.altLabel, Literal(alias), g)
