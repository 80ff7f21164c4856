"""GraphParts: the same quads as ``build_quads``, cut into parts whose digests change with them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from confkg.extract.extractor import text_note
from confkg.graph.builder import build_quads
from confkg.graph.parts import Digests, GraphParts, settings_digest
from confkg.ingest import load_note
from confkg.model import Extraction
from confkg.resolve.propagate import propagate_surnames
from confkg.resolve.resolver import Resolution, resolve
from confkg.vocab import COMENTIONS_GRAPH, ENTITIES_GRAPH, graph_iri

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"


@pytest.fixture(scope="module")
def extractions(extractor) -> list[Extraction]:
    notes = [load_note(NOTES / "scaledml-2017.txt", NOTES), load_note(NOTES / "socml-2017.md", NOTES),
             text_note("c.md", "Ian Goodfellow and Ilya Sutskever talked about GANs at NeurIPS 2017.\n"
                               "Goodfellow works at Google Brain.")]
    return propagate_surnames(list(extractor.extract_notes(notes)), extractor.common_words)


def resolved(extractions: list[Extraction]) -> Resolution:
    return resolve(m for ex in extractions for m in ex.mentions)


@pytest.mark.parametrize("min_confidence", [0.0, 0.5])
def test_the_parts_hold_the_quads_of_build_quads(extractions: list[Extraction], min_confidence: float) -> None:
    res = resolved(extractions)
    expected = list(build_quads(extractions, res, min_confidence=min_confidence))
    parts = GraphParts(extractions, res, min_confidence=min_confidence)
    assert sorted(parts.quads()) == sorted(expected)  # the same quads, each as often
    for ex in extractions:
        g = graph_iri(ex.note.note_id)
        assert set(parts.note_graph_quads(g)) == {q for q in expected if q[3] == g}
    entities = {q for q in expected if q[3] == ENTITIES_GRAPH}
    assert set(parts.entity_quads(str(s) for s in {q[0] for q in entities})) == entities
    links = {q for q in expected if q[3] == COMENTIONS_GRAPH}
    assert set(parts.comention_quads(parts.comentions.where)) == links
    assert (min_confidence > 0.3) is (not links)  # co-mentions are read at 0.3


def test_the_same_input_gives_the_same_digests(extractions: list[Extraction]) -> None:
    parts = GraphParts(extractions, resolved(extractions))
    one, two = parts.digests(), GraphParts(list(reversed(extractions)), resolved(extractions)).digests()
    assert one == two and one.graph("s") == two.graph("s") != one.graph("t")
    assert set(one.notes) == {str(graph_iri(ex.note.note_id)) for ex in extractions}
    assert set(one.comentions) == set(parts.comentions.where) and one.comentions
    assert Digests.from_json(json.loads(json.dumps(one.to_json()))) == one


def test_a_note_whose_mentions_resolve_elsewhere_changes_its_digest_only(extractions: list[Extraction]) -> None:
    res = resolved(extractions)
    before = GraphParts(extractions, res).digests()
    c = extractions[2]
    goodfellow = next(m for m in c.mentions if m.text == "Goodfellow")
    moved = Resolution(res.entities, {**res.entity_of, goodfellow.key: "Person:ilya sutskever"}, res.reasons)
    after = GraphParts(extractions, moved).digests()
    assert {g for g in before.notes if before.notes[g] != after.notes[g]} == {str(graph_iri("c.md"))}
    assert before.entities == after.entities  # the same entities, described the same way


def test_an_edited_note_changes_its_digest(extractions: list[Extraction]) -> None:
    res = resolved(extractions)
    a = extractions[0]
    edited = [replace(a, note=replace(a.note, content_hash="edited")), *extractions[1:]]
    before, after = GraphParts(extractions, res).digests(), GraphParts(edited, res).digests()
    assert {g for g in before.notes if before.notes[g] != after.notes[g]} == {str(graph_iri(a.note.note_id))}


def test_two_note_ids_of_one_graph_are_one_part(extractor) -> None:
    notes = [text_note("a b.md", "Ada Lovelace met Charles Babbage."), text_note("a-b.md", "Ada Lovelace wrote.")]
    exs = list(extractor.extract_notes(notes))
    parts = GraphParts(exs, resolved(exs))
    assert list(parts.notes) == [graph_iri("a-b.md")] and len(parts.digests().notes) == 1
    assert set(parts.note_graph_quads(graph_iri("a-b.md"))) == {q for q in build_quads(exs, resolved(exs))
                                                               if q[3] == graph_iri("a-b.md")}


def test_settings_change_with_min_confidence_and_extraction() -> None:
    base = settings_digest(min_confidence=0.0, extraction="x")
    assert base == settings_digest(min_confidence=0.0, extraction="x")
    assert base != settings_digest(min_confidence=0.5, extraction="x") != settings_digest(min_confidence=0.0,
                                                                                          extraction="y")
