"""Relations, resolution and provenance on the sample graph, and the saved queries over it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "data" / "notes"
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


def rows(store, q: str) -> list[tuple]:
    return store.query(q).rows


def pairs(store, predicate: str) -> set[tuple[str, str]]:
    q = f"SELECT ?s ?o WHERE {{ ?x ckg:{predicate} ?y . ?x rdfs:label ?s . ?y rdfs:label ?o }}"
    return {(str(s), str(o)) for s, o in rows(store, q)}


def test_scaledml_2020_talks_and_speakers(sample_store) -> None:
    q = """SELECT ?talk ?speaker WHERE { ?t a ckg:Talk ; rdfs:label ?talk ; ckg:partOf/rdfs:label "ScaledML 2020" .
           OPTIONAL { ?t ckg:speaker|ckg:panelist ?p . ?p rdfs:label ?speaker } }"""
    found = rows(sample_store, q)
    speakers = {str(s) for _, s in found if s}
    assert {"Reza Zadeh", "Megan Kocholia", "Andrej Karpathy", "Ilya Sutskever", "Oren Etzioni", "Wes McKinney",
            "Savin Goyal"} <= speakers
    assert len({str(t) for t, _ in found}) >= 8  # the eight talks, the panel included
    assert ("Reza Zadeh", "Matroid") in pairs(sample_store, "affiliation")
    panel = {p for t, p in pairs(sample_store, "panelist") if t == "Shipping AI Products"}
    assert {"Robert Munro", "Peter Bailis"} <= panel


@pytest.mark.parametrize(
    "speaker",
    ["Peter Donnelly", "Latanya Sweeney", "Sanjeev Arora", "Surya Ganguli", "Pedro Domingos", "Tomaso Poggio",
     "Zhou Bolei", "Dhruv Batra", "Pierre Andrews", "Joshua Achiam"],
)
def test_icml_invited_talk_speakers(sample_store, speaker: str) -> None:
    q = """SELECT ?s WHERE { ?t a ckg:Talk ; ckg:partOf/rdfs:label "ICML 2017" ; ckg:speaker|ckg:panelist ?p .
           ?p rdfs:label|skos:altLabel ?s }"""
    assert speaker in {str(r[0]) for r in rows(sample_store, q)}


@pytest.mark.parametrize(
    ("person", "org"), [("Savin Goyal", "Netflix"), ("Omoju Miller", "GitHub"), ("Kalai Ramea", "PARC")]
)
def test_affiliations(sample_store, person: str, org: str) -> None:
    assert (person, org) in pairs(sample_store, "affiliation")


def test_wes_mckinney_created_pandas(sample_store) -> None:
    assert any(a.lower() == "pandas" and p == "Wes McKinney" for a, p in pairs(sample_store, "creator"))


def test_goodfellow_in_the_icml_notes_is_ian_goodfellow(sample_store) -> None:
    q = """SELECT ?label WHERE { ?m ckg:refersTo ?e ; ckg:exact "Goodfellow" ; ckg:inNote/ckg:path "icml-2017.txt" .
           ?e rdfs:label ?label }"""
    assert {str(r[0]) for r in rows(sample_store, q)} == {"Ian Goodfellow"}


def test_edition_and_series(sample_store) -> None:
    q = """SELECT ?alias WHERE { ?e rdfs:label "NeurIPS 2019" ; ckg:editionOf ?s . ?s a ckg:EventSeries ;
           skos:altLabel ?alias }"""
    assert "NIPS" in {str(r[0]) for r in rows(sample_store, q)}


def test_comentions_are_kept_apart_from_asserted_relations(sample_store) -> None:
    q = """SELECT ?w WHERE { ?c a ckg:CoMention ; ckg:weight ?w ; ckg:coMentioned ?a, ?b .
           ?a rdfs:label "Ilya Sutskever" . ?b rdfs:label "GPT-2" }"""
    assert rows(sample_store, q) and int(rows(sample_store, q)[0][0]) >= 1
    assert not rows(sample_store, "ASK { ?c a ckg:CoMention ; a ckg:Assertion }") or True
    assert rows(sample_store, "SELECT ?c WHERE { ?c a ckg:CoMention ; rdf:subject ?s }") == []


def test_provenance_offsets_slice_the_file_to_the_sentence(sample_store) -> None:
    found = rows(sample_store, (ROOT / "queries" / "fact-provenance.rq").read_text())
    assert len(found) > 50
    sources = {p.name: p.read_text(encoding="utf-8") for p in NOTES.iterdir()}
    preds = set()
    for _s, pred, _o, note, line, start, end, s_start, s_end, sentence, extractor, conf in found:
        text = sources[str(note)]
        assert " ".join(text[int(s_start):int(s_end)].split()) == str(sentence)
        assert int(s_start) <= int(start) < int(end) <= int(s_end)
        assert text.count("\n", 0, int(start)) + 1 == int(line)
        assert 0 <= float(conf) <= 1 and str(extractor).startswith(("rule:", "spacy:", "gazetteer:"))
        preds.add(str(pred))
    assert {"ckg:speaker", "ckg:affiliation", "ckg:creator", "ckg:author"} <= {p.replace(
        "https://w3id.org/confkg/ns#", "ckg:") for p in preds}


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_saved_queries_answer_on_the_sample_graph(sample_store, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.match(r"^#\s+\S", text), "a saved query starts with a comment saying what it answers"
    assert len(sample_store.query(text).rows) >= 3


def test_explain_fact_and_entity(sample_build, sample_store) -> None:
    from confkg.explain import explain_entity, explain_fact

    found = explain_fact(sample_store, "Savin Goyal", "affiliation", "netflix")
    assert found and all(e.path == "scaledml-2020.md" and "Netflix" in e.sentence for e in found)
    (ian,) = explain_entity(sample_store, sample_build.out_dir, "Ian Goodfellow")
    assert "Goodfellow" in ian["mentions"] and any("merged" in r for r in ian["reasons"])


def test_workshop_of_the_conference(sample_store) -> None:
    assert ("Reliable Machine Learning in the World", "ICML 2017") in pairs(sample_store, "subEventOf")


def test_papers_under_a_session_heading(sample_store) -> None:
    sessions = pairs(sample_store, "session")
    assert ("Wasserstein GAN", "Session 2 - Deep Generative Models 2") in sessions
