"""Where a fact came from, and why mentions were merged: the answers behind ``confkg explain``.

Entity names are matched the way resolution matches them (case, accents and punctuation
folded); IRIs found that way are then bound into constant SPARQL text, never pasted into it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef

from confkg.errors import ConfkgError
from confkg.extract.names import normalise
from confkg.store import GraphStore
from confkg.vocab import CKG

RESOLUTION_FILE = "resolution.json"

NAMES = """
SELECT ?e ?name ?type WHERE {
  ?e rdfs:label|skos:altLabel ?name ; a ?type .
  FILTER(STRSTARTS(STR(?type), "https://w3id.org/confkg/ns#"))
}"""

ASSERTIONS = """
SELECT ?s ?p ?o ?path ?line ?start ?end ?sentence ?extractor ?confidence WHERE {
  ?a a ckg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     ckg:inNote/ckg:path ?path ; ckg:line ?line ; ckg:start ?start ; ckg:end ?end ;
     ckg:sentence ?sentence ; ckg:extractor ?extractor ; ckg:confidence ?confidence .
} ORDER BY ?path ?start"""

MENTIONS = """
SELECT ?e ?exact ?path ?line ?start ?extractor ?confidence WHERE {
  ?m ckg:refersTo ?e ; ckg:exact ?exact ; ckg:inNote/ckg:path ?path ; ckg:line ?line ; ckg:start ?start ;
     ckg:extractor ?extractor ; ckg:confidence ?confidence .
} ORDER BY ?path ?start"""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One place a fact was read: note, line, offsets, sentence, extractor, confidence."""

    subject: str
    predicate: str
    obj: str
    path: str
    line: int
    start: int
    end: int
    sentence: str
    extractor: str
    confidence: float


def find_entities(store: GraphStore, name: str) -> list[tuple[str, str, str]]:
    """(IRI, type, matching name) of entities whose label or alias is ``name`` (folded)."""
    key = normalise(name)
    rows = store.query(NAMES).rows
    found = {(iri, typ.rsplit("#", 1)[-1], label) for iri, label, typ in rows if normalise(label or "") == key}
    return sorted(found)


def _labels(store: GraphStore, iris: set[str]) -> dict[str, str]:
    out = {}
    for iri in iris:
        rows = store.query("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", {"e": URIRef(iri)}).rows
        out[iri] = rows[0][1] if rows else iri
    return out


def explain_fact(store: GraphStore, subject: str, predicate: str, obj: str) -> list[Evidence]:
    """Every assertion ``subject predicate obj`` with its provenance (names or IRIs; literal objects too)."""
    if predicate.startswith("http"):
        pred = URIRef(predicate)
    else:
        try:
            pred = getattr(CKG, predicate.removeprefix("ckg:"))
        except AttributeError as err:
            raise ConfkgError(f"unknown predicate '{predicate}' (use a confkg property such as speaker)") from err
    subjects = {iri for iri, _, _ in find_entities(store, subject)} or {subject}
    objects = {iri for iri, _, _ in find_entities(store, obj)}
    out: list[Evidence] = []
    for s in sorted(subjects):
        rows = store.query(ASSERTIONS, {"s": URIRef(s), "p": pred}).rows if s.startswith("http") else []
        for row in rows:
            _, _, o, path, line, start, end, sentence, extractor, conf = row
            if o not in objects and normalise(o or "") != normalise(obj):
                continue
            out.append(Evidence(s, str(pred), o, path, int(line), int(start), int(end), sentence, extractor,
                                float(conf)))
    labels = _labels(store, {e.subject for e in out} | {e.obj for e in out if e.obj.startswith("http")})
    return [Evidence(labels.get(e.subject, e.subject), predicate, labels.get(e.obj, e.obj), e.path, e.line, e.start,
                     e.end, e.sentence, e.extractor, e.confidence) for e in out]


def explain_entity(store: GraphStore, out_dir: Path, name: str) -> list[dict[str, Any]]:
    """For each entity named ``name``: its mentions grouped by surface form, and the merge decisions."""
    reasons = _reasons(out_dir)
    result = []
    for iri, type_, _ in find_entities(store, name):
        rows = store.query(MENTIONS, {"e": URIRef(iri)}).rows
        forms: dict[str, list[dict[str, Any]]] = {}
        for _, exact, path, line, start, extractor, conf in rows:
            place = {"note": path, "line": int(line), "start": int(start), "extractor": extractor,
                     "confidence": float(conf)}
            forms.setdefault(exact, []).append(place)
        result.append({
            "iri": iri, "type": type_, "label": _labels(store, {iri})[iri],
            "mentions": forms, "reasons": reasons.get(iri, []),
        })
    return result


def _reasons(out_dir: Path) -> dict[str, list[str]]:
    path = out_dir / RESOLUTION_FILE
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))
