"""The saved queries that page or group (``queries/*.rq``) on a graph larger than their page, made
here without the model: what they pick and in what order. Their answers on the sample graph, and
the rewrites against their plain formulations, are in ``tests/e2e/test_saved_queries_sample.py``."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Literal, Namespace
from rdflib.namespace import RDF, RDFS

from confkg.store import GraphStore
from confkg.vocab import CKG, ENTITIES_GRAPH, assertion_iri, entity_iri, graph_iri, note_iri

QUERIES = Path(__file__).resolve().parents[2] / "queries"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it
PAGE = 300
# Note ids sort the other way round from their paths: the page must follow the paths.
NOTES = [(f"z-note-{i}", f"{chr(ord('a') + i)}-notes.md") for i in range(4)]
PREDICATES = [CKG.affiliation, CKG.speaker, CKG.about]


def graph_quads(seed: int = 3) -> tuple[list[tuple], list[tuple]]:
    """Four notes of 120 facts each (more than a page), and the expected provenance rows as
    ``(note, start, predicate, subject, object)``, in the order of the original query."""
    rng = random.Random(seed)
    people = [entity_iri("Person", f"Person {k}") for k in range(30)]
    orgs = [entity_iri("Organization", f"Org {k}") for k in range(10)]
    quads: list[tuple] = []
    for kind, nodes, name in ((CKG.Person, people, "Person"), (CKG.Organization, orgs, "Org")):
        for k, node in enumerate(nodes):
            label = Literal(f"{name} {k}")
            quads += [(node, RDF.type, kind, ENTITIES_GRAPH), (node, RDFS.label, label, ENTITIES_GRAPH)]
    expected = []
    for note_id, path in NOTES:
        g, n = graph_iri(note_id), note_iri(note_id)
        quads += [(n, RDF.type, CKG.Note, g), (n, CKG.path, Literal(path), g)]
        for start in rng.sample(range(10_000), 120):  # distinct starts: no ties to order
            person, org, predicate = rng.choice(people), rng.choice(orgs), rng.choice(PREDICATES)
            a = assertion_iri(note_id, f"{start:08d}")
            quads += [(person, predicate, org, g), (a, RDF.type, CKG.Assertion, g), (a, RDF.subject, person, g),
                      (a, RDF.predicate, predicate, g), (a, RDF.object, org, g), (a, CKG.inNote, n, g)]
            quads += [(a, prop, Literal(value, datatype=XSD.integer), g) for prop, value in (
                (CKG.start, start), (CKG.end, start + 5), (CKG.line, 1 + start // 80), (CKG.sentenceStart, start),
                (CKG.sentenceEnd, start + 20))]
            quads += [(a, CKG.sentence, Literal(f"sentence at {start}"), g),
                      (a, CKG.extractor, Literal("rule:test"), g),
                      (a, CKG.confidence, Literal("0.9", datatype=XSD.decimal), g)]
            expected.append((path, start, str(predicate), f"Person {people.index(person)}", f"Org {orgs.index(org)}"))
    expected.sort(key=lambda row: row[:3])
    return quads, expected


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, list[tuple]]:
    quads, expected = graph_quads()
    store = GraphStore.build(tmp_path_factory.mktemp("paged") / "store", quads)
    return store, expected


def test_fact_provenance_is_the_first_page_in_note_and_position_order(big: tuple[GraphStore, list[tuple]]) -> None:
    store, expected = big
    result = store.query((QUERIES / "fact-provenance.rq").read_text(encoding="utf-8"))
    assert len(expected) > PAGE and len(result.rows) == PAGE
    got = [(row[3], int(row[5]), row[1], row[0], row[2]) for row in result.rows]
    assert got == expected[:PAGE]
    for row in result.rows:
        start = int(row[5])
        assert row[9] == f"sentence at {start}" and row[6] == str(start + 5) and row[10] == "rule:test"


def test_fact_provenance_pages_on_with_an_offset(big: tuple[GraphStore, list[tuple]]) -> None:
    store, expected = big
    text = (QUERIES / "fact-provenance.rq").read_text(encoding="utf-8")
    text = text.replace(f"LIMIT {PAGE}", f"OFFSET {PAGE} LIMIT {PAGE}")
    rows = store.query(text).rows
    assert [(row[3], int(row[5])) for row in rows] == [row[:2] for row in expected[PAGE:]]


def test_people_affiliations_has_one_row_per_affiliation_with_its_notes_in_path_order(
        big: tuple[GraphStore, list[tuple]]) -> None:
    store, expected = big
    notes: dict[tuple[str, str], set[str]] = {}
    for path, _, predicate, person, org in expected:
        if predicate == str(CKG.affiliation):
            notes.setdefault((person, org), set()).add(path)
    rows = store.query((QUERIES / "people-affiliations.rq").read_text(encoding="utf-8")).rows
    assert rows == [(person, org, ", ".join(sorted(paths))) for (person, org), paths in sorted(notes.items())]
    assert any(", " in row[2] for row in rows)  # some affiliations are read from several notes
