"""Entities, mentions and relations -> RDF quads, with provenance for every fact.

Provenance model (documented in the README): every note has its own named graph holding the
``ckg:Note`` node, its sections, one ``ckg:Mention`` node per mention (a W3C Web Annotation-
style record: entity, note, section, character offsets into the file, line, exact text,
sentence, extractor and confidence) and every relation read from the note, both as a direct
triple (``talk ckg:speaker person``) and as a reified ``ckg:Assertion`` (``rdf:subject``,
``rdf:predicate``, ``rdf:object`` plus the same provenance). The canonical description of
entities (type, label, aliases, attributes) lives in one ``entities`` graph, because it
depends on all notes. Replacing a note's graph replaces exactly what was read from that note.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from confkg.extract.names import normalise
from confkg.model import Entity, Extraction, Mention, Note, Relation
from confkg.resolve.resolver import Resolution
from confkg.vocab import (
    CKG,
    CLASS_OF_TYPE,
    ENTITIES_GRAPH,
    SCHEMA,
    assertion_iri,
    entity_iri,
    graph_iri,
    mention_iri,
    note_iri,
    section_iri,
)

Quad = tuple[Node, Node, Node, URIRef]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def entity_node(entity: Entity) -> URIRef:
    return entity_iri(entity.type, entity.key.split(":", 1)[1])


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _conf(x: float) -> Literal:
    return Literal(f"{x:.3f}", datatype=XSD.decimal)


def build_quads(extractions: Iterable[Extraction], resolution: Resolution, *, min_confidence: float = 0.0
                ) -> Iterator[Quad]:
    """All quads of the graph; only facts with confidence >= ``min_confidence`` are kept."""
    entities = resolution.by_key()
    nodes = {k: entity_node(e) for k, e in entities.items()}
    kept_entities: set[str] = set()
    for ex in extractions:
        yield from _note_quads(ex, resolution, nodes, min_confidence, kept_entities)
    yield from _entity_quads(entities, nodes, kept_entities)


def _note_quads(ex: Extraction, res: Resolution, nodes: dict[str, URIRef], min_conf: float,
                kept: set[str]) -> Iterator[Quad]:
    note = ex.note
    g = graph_iri(note.note_id)
    n = note_iri(note.note_id)
    yield from _note_description(note, n, g)
    by_section: dict[int, set[URIRef]] = {}
    mentioned: set[URIRef] = set()
    for m in ex.mentions:
        if m.score < min_conf:
            continue
        ekey = res.entity_of.get(m.key)
        if ekey is None:
            continue
        kept.add(ekey)
        ent = nodes[ekey]
        mentioned.add(ent)
        by_section.setdefault(m.section, set()).add(ent)
        yield from _mention_quads(note, m, ent, g)
        sec = m.attr("section")
        if m.type == "Talk" and sec is not None:
            yield (ent, CKG.coveredBy, section_iri(note.note_id, int(sec)), g)
    for ent in sorted(mentioned):
        yield (n, CKG.mentions, ent, g)
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
        yield from _relation_quads(note, r, res, nodes, g)


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


def _mention_quads(note: Note, m: Mention, ent: URIRef, g: URIRef) -> Iterator[Quad]:
    mi = mention_iri(note.note_id, m.start, m.end, m.type)
    yield (mi, RDF.type, CKG.Mention, g)
    yield (mi, CKG.refersTo, ent, g)
    yield (mi, CKG.inNote, note_iri(note.note_id), g)
    if m.section >= 0:
        yield (mi, CKG.inSection, section_iri(note.note_id, m.section), g)
    yield (mi, CKG.start, _int(m.start), g)
    yield (mi, CKG.end, _int(m.end), g)
    yield (mi, CKG.line, _int(note.line_of(m.start)), g)
    yield (mi, CKG.exact, Literal(m.text), g)
    yield (mi, CKG.sentence, Literal(_sentence(note, m.sent_start, m.sent_end)), g)
    yield (mi, CKG.sentenceStart, _int(m.sent_start), g)
    yield (mi, CKG.sentenceEnd, _int(m.sent_end), g)
    yield (mi, CKG.extractor, Literal(m.extractor), g)
    yield (mi, CKG.confidence, _conf(m.score), g)


def _relation_quads(note: Note, r: Relation, res: Resolution, nodes: dict[str, URIRef], g: URIRef
                    ) -> Iterator[Quad]:
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
    digest = hashlib.sha1(f"{subj}|{pred}|{obj}|{r.start}|{r.end}".encode()).hexdigest()[:16]
    a = assertion_iri(note.note_id, digest)
    line_start = note.source.rfind("\n", 0, r.start) + 1
    line_end = note.source.find("\n", r.end)
    line_end = len(note.source) if line_end < 0 else line_end
    yield (a, RDF.type, CKG.Assertion, g)
    yield (a, RDF.subject, subj, g)
    yield (a, RDF.predicate, pred, g)
    yield (a, RDF.object, obj, g)
    yield (a, CKG.inNote, note_iri(note.note_id), g)
    yield (a, CKG.start, _int(r.start), g)
    yield (a, CKG.end, _int(r.end), g)
    yield (a, CKG.line, _int(note.line_of(r.start)), g)
    yield (a, CKG.sentence, Literal(_sentence(note, line_start, line_end)), g)
    yield (a, CKG.sentenceStart, _int(line_start), g)
    yield (a, CKG.sentenceEnd, _int(line_end), g)
    yield (a, CKG.extractor, Literal(r.extractor), g)
    yield (a, CKG.confidence, _conf(r.confidence), g)


def _entity_quads(entities: dict[str, Entity], nodes: dict[str, URIRef], kept: set[str]) -> Iterator[Quad]:
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
                if series_key not in kept:
                    series_nodes[series] = snode
                yield (node, CKG.editionOf, snode, g)
                yield (snode, RDF.type, CKG.EventSeries, g)
    for series, snode in sorted(series_nodes.items()):
        yield (snode, RDFS.label, Literal(series), g)
        yield (snode, CKG.kind, Literal("series"), g)
