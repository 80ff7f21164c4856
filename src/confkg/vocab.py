"""Namespaces and terms of the confkg ontology (``ontology/confkg.ttl``).

``CKG`` is a closed namespace: a misspelt term raises ``AttributeError`` at import time
instead of silently minting a new IRI. ``tests/test_vocab.py`` checks that every term here
is declared in the ontology file and the other way round.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "confkg.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"

NS = "https://w3id.org/confkg/ns#"
ID = "https://w3id.org/confkg/id/"


class CKG(DefinedNamespace):
    """The confkg ontology namespace."""

    _NS = Namespace(NS)
    _fail = True

    # classes
    Person: URIRef
    Organization: URIRef
    Event: URIRef
    EventSeries: URIRef
    Talk: URIRef
    Paper: URIRef
    Artifact: URIRef
    Topic: URIRef
    Note: URIRef
    Section: URIRef
    Mention: URIRef
    Assertion: URIRef
    CoMention: URIRef
    # relations
    mentions: URIRef
    event: URIRef
    partOf: URIRef
    session: URIRef
    subEventOf: URIRef
    editionOf: URIRef
    speaker: URIRef
    panelist: URIRef
    moderator: URIRef
    affiliation: URIRef
    author: URIRef
    creator: URIRef
    developer: URIRef
    about: URIRef
    coveredBy: URIRef
    sectionOf: URIRef
    coMentioned: URIRef
    weight: URIRef
    # attributes
    codeRepository: URIRef
    identifier: URIRef
    arxivId: URIRef
    url: URIRef
    year: URIRef
    location: URIRef
    kind: URIRef
    path: URIRef
    contentHash: URIRef
    heading: URIRef
    # provenance
    refersTo: URIRef
    inNote: URIRef
    inSection: URIRef
    start: URIRef
    end: URIRef
    line: URIRef
    exact: URIRef
    sentence: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef
    extractor: URIRef
    confidence: URIRef
    # analytics (optional annotations)
    Community: URIRef
    community: URIRef
    pagerank: URIRef
    betweenness: URIRef
    degreeCentrality: URIRef


SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES: dict[str, str] = {
    "ckg": NS,
    "id": ID,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
}

CLASS_OF_TYPE: dict[str, URIRef] = {
    t: getattr(CKG, t) for t in ("Person", "Organization", "Event", "Talk", "Paper", "Artifact", "Topic")
}


class Terms:
    """The terms of a namespace as plain attributes: each looked up in it once, then kept.

    Why: reading a term of an rdflib ``DefinedNamespace`` (``CKG.start``) runs Python code at
    every access; the graph builder reads about one per quad (0.8 s of the 2.6 s it took to
    make the 800,000 quads of the 16x ``bench/`` graph). A term the namespace does not define
    raises ``AttributeError`` as it does.
    """

    def __init__(self, namespace: object) -> None:
        self.__dict__["_namespace"] = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self.__dict__["_namespace"], name)
        self.__dict__[name] = term
        return term


@lru_cache(maxsize=1 << 12)
def _note_slug(note_id: str) -> str:
    """``slugify`` of a note's id: every mention, section and assertion IRI of the note starts
    with it (cached: 1.2 s of the same 2.6 s were spent slugifying the same ids again)."""
    return slugify(note_id)


def slugify(text: str) -> str:
    """A stable, readable IRI segment: ASCII-folded, lower case, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:120].rstrip("-") or "x"


def entity_iri(type_: str, key: str) -> URIRef:
    """IRI of a canonical entity, minted from its type and canonical key (never random)."""
    return URIRef(f"{ID}{type_.lower()}/{slugify(key)}")


def note_iri(note_id: str) -> URIRef:
    return URIRef(f"{ID}note/{_note_slug(note_id)}")


def section_iri(note_id: str, index: int) -> URIRef:
    return URIRef(f"{ID}note/{_note_slug(note_id)}/section/{index}")


def mention_iri(note_id: str, start: int, end: int, type_: str) -> URIRef:
    return URIRef(f"{ID}note/{_note_slug(note_id)}/mention/{start}-{end}-{type_.lower()}")


def assertion_iri(note_id: str, digest: str) -> URIRef:
    return URIRef(f"{ID}note/{_note_slug(note_id)}/assertion/{digest}")


def graph_iri(note_id: str) -> URIRef:
    """Named graph that holds what was read from one note (replaced as a whole on rebuild)."""
    return URIRef(f"{ID}graph/{_note_slug(note_id)}")


def comention_iri(a: str, b: str) -> URIRef:
    """The co-mention link of two entities (order-free)."""
    lo, hi = sorted((a, b))
    return URIRef(f"{ID}comention/{hashlib.sha1(f'{lo}|{hi}'.encode()).hexdigest()[:16]}")


ENTITIES_GRAPH = URIRef(f"{ID}graph/entities")
COMENTIONS_GRAPH = URIRef(f"{ID}graph/comentions")
