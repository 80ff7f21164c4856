"""Entity resolution on mentions made up for these tests."""

from __future__ import annotations

from confkg.model import Mention
from confkg.resolve.resolver import resolve


def m(text: str, type_: str = "Person", note: str = "a.md", start: int = 0, extractor: str = "spacy:x",
      score: float = 0.7, attrs: tuple = ()) -> Mention:
    return Mention(note, 0, start, start + len(text), text, type_, score, extractor, 0, 10, attrs)


def labels(res) -> dict[str, str]:
    return {e.label: e.type for e in res.entities}


def test_first_name_and_surname_join_the_full_name_in_the_note() -> None:
    res = resolve([m("Grace Hopper", start=0), m("Grace", start=50), m("Hopper", start=90)])
    assert labels(res) == {"Grace Hopper": "Person"}
    (e,) = res.entities
    assert set(e.aliases) == {"Grace", "Hopper"}
    assert any("only full name" in r for r in res.reasons["Person:grace hopper"])


def test_shared_first_name_is_never_merged_into_two_people() -> None:
    res = resolve([m("Ada Byron", start=0), m("Ada Smith", start=20), m("Ada", start=40)])
    assert set(labels(res)) == {"Ada Byron", "Ada Smith", "Ada"}
    assert "could be any of" in res.reasons["Person:ada"][0]


def test_same_note_wins_over_other_notes() -> None:
    res = resolve([
        m("Ada Byron", note="a.md", start=0), m("Ada", note="a.md", start=30),
        m("Ada Smith", note="b.md", start=0),
    ])
    (ada,) = [e for e in res.entities if e.label == "Ada Byron"]
    assert "Ada" in ada.aliases


def test_surname_across_notes_when_unambiguous() -> None:
    res = resolve([m("Turing", note="b.md"), m("Alan Turing", note="a.md")])
    assert labels(res) == {"Alan Turing": "Person"}


def test_titles_and_possessives_are_stripped() -> None:
    res = resolve([m("Dr. Jane Roe", start=0), m("Jane Roe's", start=30)])
    assert labels(res) == {"Jane Roe": "Person"} or labels(res) == {"Dr. Jane Roe": "Person"}
    assert len(res.entities) == 1


def test_case_and_spelling_variants_share_the_canonical_name() -> None:
    res = resolve([
        m("Gitlab", "Organization", extractor="gazetteer:x", attrs=(("canonical", "GitLab"),)),
        m("GITLAB", "Organization", start=20, extractor="gazetteer:x", attrs=(("canonical", "GitLab"),)),
    ])
    assert labels(res) == {"GitLab": "Organization"}


def test_type_conflict_settled_by_strongest_evidence() -> None:
    res = resolve([
        m("Zorblax", "Person", start=0), m("Zorblax", "Person", start=20),
        m("Zorblax", "Artifact", start=40, extractor="gazetteer:x"),
    ])
    assert labels(res) == {"Zorblax": "Artifact"}
    assert any("kept Artifact" in r for r in res.reasons["type:zorblax"])


def test_every_mention_has_an_entity_and_output_is_deterministic() -> None:
    ms = [m("Grace Hopper", start=0), m("Acme", "Organization", start=20), m("Grace", start=40)]
    a, b = resolve(ms), resolve(list(reversed(ms)))
    assert a.entities == b.entities
    assert set(a.entity_of) == {x.key for x in ms}


def test_model_typed_first_name_of_a_person_in_the_note_becomes_that_person() -> None:
    res = resolve([m("Grace Hopper", start=0), m("Grace", "Organization", start=40)])
    assert labels(res) == {"Grace Hopper": "Person"}
    other_note = resolve([m("Grace Hopper", start=0), m("Grace", "Organization", note="b.md", start=40)])
    assert labels(other_note) == {"Grace Hopper": "Person", "Grace": "Organization"}


def test_a_person_is_labelled_with_the_full_name() -> None:
    res = resolve([m("Hopper", start=0), m("Hopper", start=20), m("Hopper", start=40), m("Grace Hopper", start=60)])
    assert labels(res) == {"Grace Hopper": "Person"}


def test_a_first_name_never_joins_a_person_of_another_note() -> None:
    res = resolve([m("Bill", note="b.md"), m("Bill Gates", note="a.md")])
    assert set(labels(res)) == {"Bill", "Bill Gates"}
