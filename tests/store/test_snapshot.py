"""The union's sorted Turtle that ``GraphStore.build`` keeps beside the database (``store.snapshot``):
exports read it, and give the same bytes as when they read the database instead."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from confkg.outputs.export import export
from confkg.store import GraphStore, snapshot
from confkg.vocab import CKG, ENTITIES_GRAPH, entity_iri, graph_iri

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it
ADA, ZED = entity_iri("Person", "Ada Lovelace"), entity_iri("Person", "Zed")
G_A, G_B = graph_iri("notes-a"), graph_iri("notes-b")
UNION_FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld"}


def quads() -> list[tuple]:
    """Typed literals the store rewrites ("0.850" -> "0.85", nonNegativeInteger -> integer,
    "1"^^boolean -> "true"), two that become one triple, and a triple read from two notes."""
    return [
        (ZED, RDF.type, CKG.Person, ENTITIES_GRAPH),
        (ZED, RDFS.label, Literal("Zed"), ENTITIES_GRAPH),
        (ADA, RDF.type, CKG.Person, ENTITIES_GRAPH),
        (ADA, RDFS.label, Literal("Ada Lovelace", lang="en"), ENTITIES_GRAPH),
        (ADA, CKG.confidence, Literal("0.850", datatype=XSD.decimal), G_A),
        (ADA, CKG.confidence, Literal("0.85", datatype=XSD.decimal), G_B),
        (ADA, CKG.start, Literal("007", datatype=XSD.nonNegativeInteger), G_A),
        (ADA, CKG.kind, Literal("1", datatype=XSD.boolean), G_A),
        (ADA, CKG.weight, Literal("1E0", datatype=XSD.double), G_A),
        (ADA, CKG.exact, Literal('a "quoted"\n\tline \\ café'), G_A),
        (ZED, CKG.affiliation, ADA, G_A),
        (ZED, CKG.affiliation, ADA, G_B),
    ]


def exports(store: GraphStore, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    return {fmt: export(store, fmt, folder / f"graph{ext}").read_bytes() for fmt, ext in UNION_FORMATS.items()}


def test_build_writes_the_union_once_sorted_and_turtle_export_is_that_file(tmp_path: Path) -> None:
    with GraphStore.build(tmp_path / "store", quads()) as built:
        text = (tmp_path / "store" / snapshot.FILE_NAME).read_bytes()
        assert export(built, "turtle", tmp_path / "g.ttl").read_bytes() == text
        subjects = [str(q.subject) for q in built.union_quads()]
        assert subjects == sorted(subjects)
        assert len(subjects) == len(built) == 10
    parsed = Graph().parse(data=text, format="turtle")
    assert len(parsed) == 10
    assert {str(o) for o in parsed.objects(ADA, CKG.confidence)} == {"0.85"}
    assert {str(o) for o in parsed.objects(ADA, CKG.start)} == {"7"}


def test_the_file_and_the_database_give_the_same_bytes(tmp_path: Path) -> None:
    """The build writes the file from the quads it was given, the fallback from what the store
    gives back (literals in canonical form): every union format must not tell them apart."""
    GraphStore.build(tmp_path / "store", quads()).close()
    with GraphStore.open(tmp_path / "store") as store:
        from_file = exports(store, tmp_path / "file")
    (tmp_path / "store" / snapshot.FILE_NAME).unlink()
    with GraphStore.open(tmp_path / "store") as store:
        from_database = exports(store, tmp_path / "database")
    assert from_database == from_file
    assert not (tmp_path / "store" / snapshot.FILE_NAME).exists()  # a read-only store writes nothing
    assert isomorphic(Graph().parse(data=from_file["turtle"], format="turtle"),
                      Graph().parse(data=from_file["ntriples"], format="nt"))


def test_replace_graph_keeps_the_file_up_to_date(tmp_path: Path) -> None:
    with GraphStore.build(tmp_path / "store", quads()) as built:
        built.replace_graph(G_B, [(ZED, CKG.affiliation, ADA), (ZED, CKG.kind, Literal("new"))])
        kept = (tmp_path / "store" / snapshot.FILE_NAME).read_bytes()
        assert export(built, "turtle", tmp_path / "w.ttl").read_bytes() == kept
    changed = [q for q in quads() if q[3] != G_B]
    changed += [(ZED, CKG.affiliation, ADA, G_B), (ZED, CKG.kind, Literal("new"), G_B)]
    with GraphStore.build(tmp_path / "fresh", changed) as fresh:
        assert export(fresh, "turtle", tmp_path / "f.ttl").read_bytes() == kept
    assert b'"new"' in kept and b"0.85" in kept  # still held by note A


def many_quads(rng: random.Random, note: URIRef, subjects: int = 40) -> list[tuple]:
    """Random facts of a note about a few of 60 subjects, some of them in another namespace
    (written ``<iri>`` in Turtle, not with a prefix)."""
    people = [entity_iri("Person", f"p{k:02d}") if k % 5 else URIRef(f"http://example.org/p{k:02d}") for k in range(60)]
    return [(rng.choice(people), rng.choice([CKG.start, CKG.end, RDFS.label]), Literal(rng.randrange(9)), note)
            for _ in range(subjects)]


def test_a_patched_file_is_byte_identical_to_a_fresh_build_after_every_change(tmp_path: Path) -> None:
    """Random changes of note graphs (subjects added, changed, emptied; at the first and the last
    block; the union emptied and filled again): the patched file is always what a build of the
    same quads writes."""
    rng = random.Random(11)
    graphs = {graph_iri(f"n{k}"): many_quads(rng, graph_iri(f"n{k}")) for k in range(3)}
    with GraphStore.build(tmp_path / "store", [q for qs in graphs.values() for q in qs]) as store:
        for step in range(12):
            name = rng.choice(list(graphs))
            graphs[name] = [] if step in (4, 5, 6) else many_quads(rng, name, rng.choice([1, 3, 8]))
            if step == 5:
                graphs = dict.fromkeys(graphs, [])
                for graph in graphs:
                    store.replace_graph(graph, [])
            else:
                store.replace_graph(name, graphs[name])
            kept = tmp_path / "store" / snapshot.FILE_NAME
            fresh = GraphStore.build(tmp_path / f"fresh{step}", [q for qs in graphs.values() for q in qs])
            expected = (tmp_path / f"fresh{step}" / snapshot.FILE_NAME).read_bytes()
            fresh.close()
            assert kept.read_bytes() == expected, step
            assert export(store, "turtle", tmp_path / f"s{step}.ttl").read_bytes() == expected, step


def test_a_change_of_many_subjects_leaves_the_file_to_be_written_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "_FEW", 0)  # "many": here, more than a quarter of the subjects
    with GraphStore.build(tmp_path / "store", quads()) as built:
        built.replace_graph(G_A, [])
    assert not (tmp_path / "store" / snapshot.FILE_NAME).exists()
    with GraphStore.open(tmp_path / "store") as reader:  # read-only: from the database, writes nothing
        from_database = export(reader, "turtle", tmp_path / "r.ttl").read_bytes()
    assert not (tmp_path / "store" / snapshot.FILE_NAME).exists()
    with GraphStore.open(tmp_path / "store", read_only=False) as writer:
        assert export(writer, "turtle", tmp_path / "w.ttl").read_bytes() == from_database
    assert (tmp_path / "store" / snapshot.FILE_NAME).read_bytes() == from_database


@pytest.mark.parametrize("fmt", list(UNION_FORMATS))
def test_an_export_survives_the_file_being_deleted_while_it_reads(tmp_path: Path, fmt: str) -> None:
    with GraphStore.build(tmp_path / "store", quads()) as built:
        expected = export(built, fmt, tmp_path / f"a{UNION_FORMATS[fmt]}").read_bytes()
        parsed = built.union_quads()  # opened now
        (tmp_path / "store" / snapshot.FILE_NAME).unlink()
        assert len(list(parsed)) == 10
        assert export(built, fmt, tmp_path / f"b{UNION_FORMATS[fmt]}").read_bytes() == expected
