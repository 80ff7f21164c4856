"""JSON-LD: the reference processor (pyld) reads the sample graph's JSON-LD as the same triples
as its Turtle; framed exports give web developers plain lists of objects."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from confkg.graph.reasoning import ontology_closure
from confkg.outputs.jsonld_frame import FRAMES_DIR, frame_names, framed
from confkg.store import GraphStore

jsonld = pytest.importorskip("pyld.jsonld")

TYPES = {"person": "Person", "organization": "Organization", "event": "Event", "talk": "Talk", "paper": "Paper",
         "artifact": "Artifact", "topic": "Topic"}


def triples_of(nquads: str) -> set[str]:
    return {str(q.triple) for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)}


def test_pyld_expands_the_sample_jsonld_to_the_triples_of_the_turtle(sample_build) -> None:
    out = sample_build.out_dir
    started = time.perf_counter()
    doc = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    from_jsonld = triples_of(jsonld.to_rdf(doc, {"format": "application/n-quads"}))
    print(f"\npyld to_rdf of the sample graph: {time.perf_counter() - started:.1f} s")
    from_turtle = {str(t.triple) for t in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    assert len(from_turtle) == sample_build.triples
    assert from_jsonld == from_turtle


def test_there_is_a_frame_per_entity_type() -> None:
    assert frame_names() == sorted(TYPES)
    for name in frame_names():
        frame = json.loads((FRAMES_DIR / f"{name}.jsonld").read_text(encoding="utf-8"))
        assert frame["@type"] == TYPES[name] and frame["@explicit"] is True
        assert "mentions" in frame and frame["@context"]["mentions"]["@reverse"] == "ckg:refersTo"


@pytest.mark.parametrize("name", sorted(TYPES))
def test_a_frame_lists_every_entity_of_its_type_and_states_only_true_triples(sample_store: GraphStore,
                                                                             name: str) -> None:
    doc = framed(sample_store, name)
    objects = doc["@graph"]
    expected = sample_store.query(f"SELECT ?e WHERE {{ ?e a ckg:{TYPES[name]} }}")
    assert len(objects) == len(expected)
    frame = json.loads((FRAMES_DIR / f"{name}.jsonld").read_text(encoding="utf-8"))
    keys = [k for k in frame if not k.startswith("@")]
    for obj in objects:
        assert obj["@type"] == TYPES[name] or TYPES[name] in obj["@type"]
        assert all(k in obj for k in keys), obj["@id"]  # every key, even when empty
    assert [o["@id"] for o in objects] == sorted(o["@id"] for o in objects)
    # JSON-LD still: what the objects say is in the graph, or entailed by it (a panelist is
    # listed among a person's talks as ckg:speaker, which ckg:panelist is a subproperty of)
    stated = triples_of(jsonld.to_rdf(doc, {"format": "application/n-quads"}))
    assert stated
    quads = list(sample_store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    true = {str(q.triple) for q in quads}
    entailed = ontology_closure().entail(((q.subject, q.predicate, q.object) for q in quads), ox.NamedNode)
    true |= {str(ox.Triple(*t)) for t in entailed}
    assert stated <= true, sorted(stated - true)[:5]


def test_person_objects_for_web_developers(sample_store: GraphStore) -> None:
    people = {p["label"]: p for p in framed(sample_store, "person")["@graph"]}
    ilya = people["Ilya Sutskever"]
    assert set(ilya) >= {"@id", "label", "aliases", "affiliation", "talks", "papers", "mentions"}
    assert isinstance(ilya["aliases"], list) and isinstance(ilya["affiliation"], list)
    talk = next(t for t in ilya["talks"] if t["label"] == "Large Scale Generative Models and RL")
    assert talk["event"]["label"] == "ScaledML 2020"
    mention = ilya["mentions"][0]
    assert isinstance(mention["start"], int) and isinstance(mention["line"], int)
    assert mention["sentence"] and mention["note"]["path"].endswith((".md", ".txt"))
    assert 0 <= float(mention["confidence"]) <= 1
    with_affiliation = [p for p in people.values() if p["affiliation"]]
    assert with_affiliation and all(isinstance(a["label"], str) for p in with_affiliation for a in p["affiliation"])


def test_framed_export_command(sample_build, tmp_path: Path, cli) -> None:
    code, out, _ = cli("export", "--out", str(sample_build.out_dir), "--format", "jsonld", "--frame", "talk",
                       "-o", str(tmp_path / "talks.jsonld"))
    assert code == 0 and out.strip() == f"wrote {tmp_path / 'talks.jsonld'}"
    doc = json.loads((tmp_path / "talks.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@graph"], list) and all(t["@type"] == "Talk" for t in doc["@graph"])
    assert any(s["label"] == "Andrej Karpathy" for t in doc["@graph"] for s in t["speakers"])
    code, _, err = cli("export", "--out", str(sample_build.out_dir), "--format", "turtle", "--frame", "talk",
                       "-o", str(tmp_path / "x.ttl"))
    assert code != 0 and "--frame" in err
    code, _, err = cli("export", "--out", str(sample_build.out_dir), "--format", "jsonld", "--frame", "nope",
                       "-o", str(tmp_path / "x.jsonld"))
    assert code != 0 and "person" in err
