"""Exports (round trips, determinism, compact JSON-LD, atomic writes) and result formatting."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
import rdflib.namespace as ns
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from confkg.outputs import export as export_module
from confkg.outputs.export import EXPORT_FORMATS, export, format_results, normalise_format
from confkg.outputs.export_jsonld import load_context
from confkg.store import GraphStore
from confkg.vocab import (
    CKG,
    CONTEXT_FILE,
    ENTITIES_GRAPH,
    NS,
    ONTOLOGY_FILE,
    SCHEMA,
    entity_iri,
    graph_iri,
    mention_iri,
    note_iri,
    section_iri,
)

ADA = entity_iri("Person", "Ada Lovelace")
ENGINE = entity_iri("Artifact", "Analytical Engine")
EVENT = entity_iri("Event", "Babbage Symposium 1843")
G_A, G_B = graph_iri("notes-a"), graph_iri("notes-b")
RDF, RDFS, SKOS, DCTERMS = ns.RDF, ns.RDFS, ns.SKOS, ns.DCTERMS
XSD = Namespace(str(ns.XSD))  # a plain Namespace: rdflib's XSD warns when pytest probes it
# rdflib's own parsers use its deprecated ConjunctiveGraph API
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated:DeprecationWarning")
RDF_PARSE_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}


def sample_quads() -> list[tuple]:
    """Entities with labels, aliases and typed attributes; two notes with mentions; one fact
    read from both notes; a few literals that are awkward to escape."""
    quads = [
        (ADA, RDF.type, CKG.Person, ENTITIES_GRAPH),
        (ADA, RDFS.label, Literal("Ada Lovelace"), ENTITIES_GRAPH),
        (ADA, SKOS.altLabel, Literal("Augusta Ada King"), ENTITIES_GRAPH),
        (ADA, SKOS.altLabel, Literal("Ada", lang="en"), ENTITIES_GRAPH),
        (ENGINE, RDF.type, CKG.Artifact, ENTITIES_GRAPH),
        (ENGINE, RDFS.label, Literal("Analytical Engine"), ENTITIES_GRAPH),
        (ENGINE, CKG.url, Literal("https://example.org/engine", datatype=XSD.anyURI), ENTITIES_GRAPH),
        (ENGINE, SCHEMA.keywords, Literal("computing"), ENTITIES_GRAPH),
        (EVENT, RDF.type, CKG.Event, ENTITIES_GRAPH),
        (EVENT, RDF.type, SCHEMA.Event, ENTITIES_GRAPH),
        (EVENT, RDFS.label, Literal("Babbage Symposium 1843"), ENTITIES_GRAPH),
        (EVENT, CKG.year, Literal("1843", datatype=XSD.gYear), ENTITIES_GRAPH),
        (EVENT, URIRef("http://example.org/vocab#rating"), Literal("4.5", datatype=XSD.decimal), ENTITIES_GRAPH),
    ]
    for note_id, g, start in (("notes-a", G_A, 120), ("notes-b", G_B, 7)):
        note, section = note_iri(note_id), section_iri(note_id, 0)
        mention = mention_iri(note_id, start, start + 12, "Person")
        quads += [
            (note, RDF.type, CKG.Note, g),
            (note, CKG.path, Literal(f"{note_id}.md"), g),
            (note, DCTERMS.title, Literal(f"Notes {note_id}"), g),
            (note, DCTERMS.date, Literal("1843-10-05", datatype=XSD.date), g),
            (note, CKG.mentions, ADA, g),
            (section, RDF.type, CKG.Section, g),
            (section, CKG.sectionOf, note, g),
            (section, CKG.heading, Literal("Note G"), g),
            (mention, RDF.type, CKG.Mention, g),
            (mention, CKG.refersTo, ADA, g),
            (mention, CKG.inNote, note, g),
            (mention, CKG.inSection, section, g),
            (mention, CKG.start, Literal(start, datatype=XSD.integer), g),
            (mention, CKG.end, Literal(start + 12, datatype=XSD.integer), g),
            (mention, CKG.line, Literal(3, datatype=XSD.integer), g),
            (mention, CKG.exact, Literal('Ada "the Countess"\n\tLovelace \\ café ☕'), g),
            (mention, CKG.confidence, Literal("0.9", datatype=XSD.decimal), g),
            (mention, CKG.extractor, Literal("spacy:en_core_web_sm-3.8.0"), g),
            (ENGINE, CKG.creator, ADA, g),  # the same fact, read from both notes
        ]
    return quads


def union_graph(quads: list[tuple]) -> Graph:
    graph = Graph()
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    directory = tmp_path_factory.mktemp("kg") / "store"
    GraphStore.build(directory, sample_quads()).close()
    return GraphStore.open(directory)


# ---------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_union_formats_parse_back_to_the_same_graph(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = export(store, fmt, tmp_path / f"graph{EXPORT_FORMATS[fmt]}")
    parsed = Graph().parse(path, format=RDF_PARSE_FORMAT[fmt])
    expected = union_graph(sample_quads())
    assert len(parsed) == len(expected) == len(sample_quads()) - 1
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dataset_formats_keep_the_named_graphs(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = export(store, fmt, tmp_path / f"graph{EXPORT_FORMATS[fmt]}")
    dataset = Dataset().parse(path, format="trig" if fmt == "trig" else "nquads")
    quads = sample_quads()
    names = sorted({q[3] for q in quads})
    parsed_names = sorted(g.identifier for g in dataset.graphs() if len(g))
    assert parsed_names == names  # nothing in the default graph: the union is not written twice
    for name in names:
        expected = union_graph([q for q in quads if q[3] == name])
        assert isomorphic(dataset.graph(name), expected), name


def test_turtle_uses_the_vocab_prefixes(store: GraphStore, tmp_path: Path) -> None:
    text = export(store, "ttl", tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "@prefix ckg: <https://w3id.org/confkg/ns#> ." in text
    assert "a ckg:Person" in text and "skos:altLabel" in text
    body = [line for line in text.splitlines() if not line.startswith("@prefix")]
    assert not any("<https://w3id.org/confkg/ns#" in line for line in body)


# ---------------------------------------------------------------------- determinism


def test_same_quads_give_the_same_bytes_whatever_the_insertion_order(tmp_path: Path) -> None:
    quads = sample_quads()
    shuffled = quads[:]
    random.Random(7).shuffle(shuffled)
    with (
        GraphStore.build(tmp_path / "one", quads) as one,
        GraphStore.build(tmp_path / "two", reversed(shuffled)) as two,
    ):
        for fmt in EXPORT_FORMATS:
            a = export(one, fmt, tmp_path / f"one{EXPORT_FORMATS[fmt]}").read_bytes()
            b = export(two, fmt, tmp_path / f"two{EXPORT_FORMATS[fmt]}").read_bytes()
            assert a == b, fmt


def test_an_incremental_update_gives_the_same_bytes_as_a_fresh_build(tmp_path: Path) -> None:
    quads = sample_quads()
    wrong = [(s, p, Literal("stale"), g) if g == G_A else (s, p, o, g) for s, p, o, g in quads]
    with GraphStore.build(tmp_path / "fresh", quads) as fresh, GraphStore.build(tmp_path / "inc", wrong) as inc:
        inc.replace_graph(G_A, [q for q in quads if q[3] == G_A])
        for fmt in EXPORT_FORMATS:
            a = export(fresh, fmt, tmp_path / f"fresh{EXPORT_FORMATS[fmt]}").read_bytes()
            b = export(inc, fmt, tmp_path / f"inc{EXPORT_FORMATS[fmt]}").read_bytes()
            assert a == b, fmt


# ---------------------------------------------------------------------- JSON-LD


def test_jsonld_is_compact_with_the_embedded_context(store: GraphStore, tmp_path: Path) -> None:
    doc = json.loads(export(store, "json-ld", tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    nodes = {node["@id"]: node for node in doc["@graph"]}
    ada = nodes["id:person/ada-lovelace"]
    assert ada == {
        "@id": "id:person/ada-lovelace",
        "@type": "Person",
        "label": "Ada Lovelace",
        "altLabel": ["Augusta Ada King", {"@language": "en", "@value": "Ada"}],
    }
    mention = nodes["id:note/notes-a/mention/120-132-person"]
    assert mention["refersTo"] == "id:person/ada-lovelace"
    assert mention["start"] == "120" and mention["confidence"] == "0.9"
    event = nodes["id:event/babbage-symposium-1843"]
    assert event["@type"] == ["Event", "schema:Event"] and event["year"] == "1843"
    assert event["http://example.org/vocab#rating"] == {"@type": "xsd:decimal", "@value": "4.5"}
    assert nodes["id:note/notes-a"]["date"] == "1843-10-05"
    keys = {key for node in doc["@graph"] for key in node}
    assert not any(key.startswith(("https://w3id.org", "ckg:")) for key in keys)


def test_jsonld_matches_the_reference_processor(store: GraphStore, tmp_path: Path) -> None:
    """pyld, the reference JSON-LD implementation, expands our document to the same triples
    and compacts that expansion to the same nodes."""
    pyld = pytest.importorskip("pyld.jsonld")
    doc = json.loads(export(store, "jsonld", tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    nquads = pyld.to_rdf(doc, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), union_graph(sample_quads()))
    recompacted = pyld.compact(pyld.expand(doc), {"@context": doc["@context"]})

    def by_id(nodes: list[dict]) -> dict:
        return {n["@id"]: json.dumps(n, sort_keys=True) for n in nodes}

    assert by_id(recompacted["@graph"]) == by_id(doc["@graph"])


def test_context_defines_every_ontology_term_with_the_right_coercion() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE)
    context = load_context()
    assert {p: context[p] for p in ("label", "altLabel")} == {"label": "rdfs:label", "altLabel": "skos:altLabel"}
    for term, kind in ontology.subject_objects(RDF.type):
        if not str(term).startswith(NS) or kind not in (ns.OWL.Class, ns.OWL.ObjectProperty, ns.OWL.DatatypeProperty):
            continue
        name = str(term)[len(NS) :]
        definition = context.get(name)
        assert definition is not None, f"context.jsonld has no term for ckg:{name}"
        if kind == ns.OWL.Class:
            assert definition == f"ckg:{name}"
        elif kind == ns.OWL.ObjectProperty:
            assert definition == {"@id": f"ckg:{name}", "@type": "@id"}
        else:
            iri = definition if isinstance(definition, str) else definition["@id"]
            assert iri == f"ckg:{name}"
            range_ = ontology.value(term, RDFS.range)
            if range_ is not None:
                assert definition["@type"] == f"xsd:{str(range_)[len(str(XSD)) :]}", name


# ---------------------------------------------------------------------- files


def test_format_names_and_aliases() -> None:
    aliases = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "json-ld": "jsonld", "TriG": "trig"}
    assert {alias: normalise_format(alias) for alias in aliases} == aliases
    with pytest.raises(ValueError, match="unknown export format 'rdfxml'"):
        normalise_format("rdfxml")


def test_export_into_a_directory(store: GraphStore, tmp_path: Path) -> None:
    assert export(store, "nt", tmp_path) == tmp_path / "graph.nt"
    assert (tmp_path / "graph.nt").stat().st_size > 0


def test_a_failed_export_leaves_the_previous_file(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "graph.ttl"
    dest.write_text("previous export\n")

    def crash(store: GraphStore, out: io.BufferedWriter) -> None:
        out.write(b"@prefix half: <written> .\n")
        raise OSError("disk full")

    monkeypatch.setitem(export_module._WRITERS, "turtle", crash)
    with pytest.raises(OSError, match="disk full"):
        export(store, "turtle", dest)
    assert dest.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


# ---------------------------------------------------------------------- query results

SELECT = "SELECT ?who ?alias WHERE { ?who a ckg:Person ; skos:altLabel ?alias } ORDER BY ?alias"


def test_table(store: GraphStore) -> None:
    lines = format_results(store.query(SELECT), "table").splitlines()
    assert lines == [
        "who                    | alias",
        "-----------------------+-----------------",
        "id:person/ada-lovelace | Ada",
        "id:person/ada-lovelace | Augusta Ada King",
        "(2 rows)",
    ]


def test_table_keeps_one_line_per_row_and_cuts_long_cells(store: GraphStore) -> None:
    multiline = store.query("SELECT ?text WHERE { VALUES ?text { 'a\\nb' } }")
    assert format_results(multiline, "table").splitlines()[2] == "a b"
    long = format_results(store.query("SELECT ?text WHERE { }", {"text": "x" * 200}), "table")
    assert long.splitlines()[2] == "x" * 79 + "…"
    unbound = format_results(store.query("SELECT ?text WHERE { }"), "table")
    assert unbound.splitlines()[2:] == ["", "(1 row)"]


def test_csv(store: GraphStore) -> None:
    rows = list(csv.reader(io.StringIO(format_results(store.query(SELECT), "csv"))))
    assert rows == [["who", "alias"], [str(ADA), "Ada"], [str(ADA), "Augusta Ada King"]]


def test_sparql_json(store: GraphStore) -> None:
    query = "SELECT ?m ?start ?exact ?none WHERE { ?m ckg:start ?start ; ckg:exact ?exact } ORDER BY ?start"
    doc = json.loads(format_results(store.query(query), "json"))
    assert doc["head"] == {"vars": ["m", "start", "exact", "none"]}
    first = doc["results"]["bindings"][0]
    assert first["m"] == {"type": "uri", "value": str(mention_iri("notes-b", 7, 19, "Person"))}
    assert first["start"] == {"type": "literal", "value": "7", "datatype": str(XSD.integer)}
    assert first["exact"] == {"type": "literal", "value": 'Ada "the Countess"\n\tLovelace \\ café ☕'}
    assert "none" not in first
    lang = json.loads(format_results(store.query(SELECT), "json"))["results"]["bindings"][0]["alias"]
    assert lang == {"type": "literal", "value": "Ada", "xml:lang": "en"}


def test_ask_in_every_format(store: GraphStore) -> None:
    yes, no = store.query("ASK { ?s a ckg:Person }"), store.query("ASK { ?s a ckg:Topic }")
    assert json.loads(format_results(yes, "json")) == {"head": {}, "boolean": True}
    assert json.loads(format_results(no, "json")) == {"head": {}, "boolean": False}
    assert format_results(yes, "table") == "true" and format_results(no, "table") == "false"
    assert format_results(yes, "csv").split() == ["boolean", "true"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_construct_is_turtle_in_every_format(store: GraphStore, fmt: str) -> None:
    result = store.query("CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a ckg:Person ; rdfs:label ?l }")
    text = format_results(result, fmt)
    assert "@prefix rdfs:" in text
    assert isomorphic(
        Graph().parse(data=text, format="turtle"), Graph().add((ADA, RDFS.label, Literal("Ada Lovelace")))
    )


def test_unknown_result_format(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="use table, csv or json"):
        format_results(store.query(SELECT), "xml")
