"""The graph built from ``data/notes`` holds what a reader of those notes finds in them.

These are the acceptance facts of the pipeline: entities with the right types, talks with
their speakers at their event, papers with identifiers, and none of the junk that bare
statistical NER produces on these notes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"

ENTITY = """
SELECT ?e ?cls ?wanted WHERE {
  ?e a ?cls ; rdfs:label|skos:altLabel ?name .
  FILTER(LCASE(STR(?name)) = LCASE(?wanted))
}
"""


def has_entity(store, cls: str, name: str) -> bool:
    from rdflib import Literal, URIRef

    from confkg.vocab import NS

    rows = store.query(ENTITY, {"cls": URIRef(NS + cls), "wanted": Literal(name)}).rows
    return bool(rows)


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        ("Person", "Ilya Sutskever"),
        ("Person", "Andrej Karpathy"),
        ("Person", "Wes McKinney"),
        ("Person", "Savin Goyal"),
        ("Person", "Omoju Miller"),
        ("Organization", "Tesla"),
        ("Organization", "Netflix"),
        ("Organization", "GitHub"),
        ("Artifact", "GPT-2"),
        ("Artifact", "Dactyl"),
        ("Artifact", "OpenAI Five"),
        ("Artifact", "Pandas"),
        ("Artifact", "Apache Arrow"),
        ("Artifact", "Metaflow"),
        ("Paper", "Wasserstein GAN"),
        ("Paper", "On Calibration of Modern Neural Networks"),
        ("Event", "ScaledML 2020"),
        ("Event", "ICML 2017"),
        ("Event", "NeurIPS 2019"),
    ],
)
def test_expected_entities(sample_store, cls: str, name: str) -> None:
    assert has_entity(sample_store, cls, name), f"{cls} {name} missing"


def test_talk_of_ilya_at_scaledml_2020_mentions_his_artifacts(sample_store) -> None:
    q = """
    SELECT DISTINCT ?talkLabel ?artifactLabel WHERE {
      ?talk a ckg:Talk ; rdfs:label ?talkLabel ; ckg:speaker ?p ; ckg:partOf ?ev ; ckg:mentions ?a .
      ?p rdfs:label "Ilya Sutskever" .
      ?ev rdfs:label "ScaledML 2020" .
      ?a a ckg:Artifact ; rdfs:label ?artifactLabel .
    }"""
    rows = sample_store.query(q).rows
    artifacts = {str(r[1]) for r in rows}
    assert {"GPT-2", "Dactyl", "OpenAI Five"} <= artifacts


def test_icml_2017_papers_belong_to_the_icml_note(sample_store) -> None:
    q = """
    SELECT ?title WHERE {
      ?note a ckg:Note ; ckg:mentions ?paper ; ckg:mentions ?ev .
      ?ev rdfs:label "ICML 2017" .
      ?paper a ckg:Paper ; rdfs:label ?title .
    }"""
    titles = {str(r[0]) for r in sample_store.query(q).rows}
    assert {"Wasserstein GAN", "On Calibration of Modern Neural Networks"} <= titles


def test_neurips_paper_has_its_arxiv_id(sample_store) -> None:
    q = """
    SELECT ?id WHERE {
      ?p a ckg:Paper ; rdfs:label ?t ; ckg:arxivId ?id .
      FILTER(STRSTARTS(LCASE(?t), "your classifier is secretly an energy based model"))
    }"""
    assert [str(r[0]) for r in sample_store.query(q).rows] == ["1912.03263"]


JUNK = ["RL - Ilya Sutskever", "Tesla - Andrej Karpathy *", "Andrej", "ML", "Matroid](https://www.matroid.com/",
        "Cloud TPU", "Labels", "RL", "AI", "NLP", "CV"]


@pytest.mark.parametrize("name", JUNK)
def test_no_junk_person_or_organization(sample_store, name: str) -> None:
    assert not has_entity(sample_store, "Person", name)
    assert not has_entity(sample_store, "Organization", name)


def test_no_label_carries_markup(sample_store) -> None:
    rows = sample_store.query("""
      SELECT ?l WHERE { ?e a ?c ; rdfs:label ?l .
        VALUES ?c { ckg:Person ckg:Organization ckg:Artifact ckg:Event ckg:Topic }
        FILTER(REGEX(?l, "\\\\]\\\\(|https?:|\\\\*$|^\\\\s|\\\\s$|'s$")) }""").rows
    assert rows == []


def test_every_mention_slices_the_original_file(sample_store) -> None:
    rows = sample_store.query("""
      SELECT ?path ?s ?e ?exact WHERE {
        ?m a ckg:Mention ; ckg:inNote ?n ; ckg:start ?s ; ckg:end ?e ; ckg:exact ?exact .
        ?n ckg:path ?path . }""").rows
    assert len(rows) > 500
    sources = {p.name: p.read_text(encoding="utf-8") for p in NOTES.iterdir()}
    for path, s, e, exact in rows:
        assert sources[str(path)][int(s):int(e)] == str(exact)


def test_summary_counts(sample_build) -> None:
    assert len(sample_build.notes) == 5
    assert sample_build.errors == []
    assert set(sample_build.entities_per_type) >= {"Person", "Organization", "Event", "Talk", "Paper",
                                                    "Artifact", "Topic"}
    assert sample_build.triples > 1000
    for name in ("graph.ttl", "graph.jsonld", "graph.html"):
        assert (sample_build.out_dir / name).stat().st_size > 1000
