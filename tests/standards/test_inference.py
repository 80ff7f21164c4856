"""Alignment that works: with inference, schema.org, FOAF, SKOS, Dublin Core, PROV and Web
Annotation queries find confkg's entities."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, SKOS

from confkg.graph.reasoning import (
    INFERRED_GRAPH,
    Closure,
    inferred_store,
    load_ontology,
    ontology_closure,
    query_with_inference,
    with_inferences,
)
from confkg.outputs.export import export_files
from confkg.store import GraphStore
from confkg.store.sparql import run_query
from confkg.vocab import CKG, ENTITIES_GRAPH, SCHEMA, entity_iri, graph_iri


@pytest.fixture(scope="module")
def inferred(sample_store: GraphStore) -> ox.Store:
    """The sample store with the ontology and the entailments (what ``query --infer`` queries), once."""
    started = time.perf_counter()
    store = inferred_store(sample_store)
    print(f"\ninferred store of the sample graph (closure): {time.perf_counter() - started:.2f} s")
    return store


def count(store: GraphStore | ox.Store, where: str) -> int:
    sparql = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    result = run_query(store, sparql) if isinstance(store, ox.Store) else store.query(sparql)
    return int(result.rows[0][0] or 0)


def test_the_closure_follows_chains_of_alignments() -> None:
    closure = ontology_closure()
    assert {str(SCHEMA.Person), str(FOAF.Person), str(PROV.Agent)} <= closure.superclasses[str(CKG.Person)]
    assert str(SKOS.Concept) in closure.superclasses[str(CKG.Topic)]
    # panelist -> speaker -> schema:performer, in one step
    assert {str(CKG.speaker), str(SCHEMA.performer)} <= closure.superproperties[str(CKG.panelist)]
    assert str(CKG.identifier) in closure.superproperties[str(CKG.arxivId)]


def test_equivalences_count_both_ways() -> None:
    g = Graph()
    a, b, c = (URIRef(f"http://example.org/{x}") for x in "abc")
    g.add((a, URIRef("http://www.w3.org/2002/07/owl#equivalentClass"), b))
    g.add((b, RDFS.subClassOf, c))
    closure = Closure.from_ontology(g)
    assert closure.superclasses[str(a)] == {str(b), str(c)} and str(a) in closure.superclasses[str(b)]


@pytest.mark.parametrize(("standard", "ours"), [
    ("?x a schema:Person", "?x a ckg:Person"),
    ("?x a foaf:Person", "?x a ckg:Person"),
    ("?x a schema:Organization", "?x a ckg:Organization"),
    ("?x a foaf:Organization", "?x a ckg:Organization"),
    ("?x a schema:ScholarlyArticle", "?x a ckg:Paper"),
    ("?x a skos:Concept", "?x a ckg:Topic"),
    ("?x a schema:EventSeries", "?x a ckg:EventSeries"),
    ("?x a oa:Annotation", "?x a ckg:Mention"),
    ("?x a rdf:Statement", "?x a ckg:Assertion"),
    ("?x a schema:Event", "{ ?x a ckg:Event } UNION { ?x a ckg:Talk }"),
    ("?x a prov:Agent", "{ ?x a ckg:Person } UNION { ?x a ckg:Organization }"),
    ("?x schema:performer ?p", "?x ckg:speaker|ckg:panelist ?p"),
    ("?x schema:author ?p", "?x ckg:author ?p"),
    ("?x dcterms:subject ?t", "?x ckg:about ?t"),
    ("?x oa:hasBody ?e", "?x ckg:refersTo ?e"),
    ("?x prov:wasDerivedFrom ?n", "?x ckg:inNote|ckg:inSection ?n"),
])
def test_standard_vocabularies_find_our_entities(sample_store: GraphStore, inferred: ox.Store, standard: str,
                                                ours: str) -> None:
    expected = count(sample_store, ours)
    assert expected > 0
    assert count(inferred, standard) == expected
    assert count(sample_store, standard) == 0  # only inference finds them


def test_inferred_triples_are_in_their_own_graph_and_the_ontology_is_queryable(sample_store: GraphStore,
                                                                                inferred: ox.Store) -> None:
    started = time.perf_counter()
    result = query_with_inference(sample_store, f"""
        SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?x a schema:Person }} }}""")
    print(f"\nquery with inference (closure): {time.perf_counter() - started:.2f} s")
    assert int(result.rows[0][0] or 0) == count(sample_store, "?x a ckg:Person")
    result = run_query(inferred, "ASK { ckg:panelist rdfs:subPropertyOf schema:performer }")
    assert result.boolean is True


def small_store(tmp_path: Path) -> GraphStore:
    ada, talk = entity_iri("Person", "Ada Lovelace"), entity_iri("Talk", "Engines")
    g = graph_iri("notes-a")
    quads = [
        (ada, RDF.type, CKG.Person, ENTITIES_GRAPH),
        (ada, RDFS.label, Literal("Ada Lovelace"), ENTITIES_GRAPH),
        (talk, RDF.type, CKG.Talk, ENTITIES_GRAPH),
        (talk, RDFS.label, Literal("Engines"), ENTITIES_GRAPH),
        (talk, CKG.panelist, ada, g),
    ]
    return GraphStore.build(tmp_path / "store", quads)


def test_owlrl_agrees_with_the_closure_on_the_alignments(tmp_path: Path) -> None:
    pytest.importorskip("owlrl")
    store = small_store(tmp_path)
    quads = list(store.quads())
    closure = {q[:3] for q in with_inferences(quads, "closure") if q[3] == INFERRED_GRAPH}
    owl = {q[:3] for q in with_inferences(quads, "owlrl") if q[3] == INFERRED_GRAPH}
    assert closure <= owl  # OWL RL entails more (domains, ranges, ...), never less
    ada = entity_iri("Person", "Ada Lovelace")
    assert (ada, RDF.type, SCHEMA.Person) in owl and (ada, RDF.type, FOAF.Person) in closure
    for reasoner in ("closure", "owlrl"):
        result = query_with_inference(store, "SELECT ?p WHERE { ?t schema:performer ?p }", reasoner)
        assert result.rows == [(str(ada),)]


def test_export_with_inference(sample_store: GraphStore, tmp_path: Path) -> None:
    started = time.perf_counter()
    [trig] = export_files(sample_store, "trig", tmp_path / "g.trig", infer="closure")
    print(f"\nexport --infer (TriG): {time.perf_counter() - started:.1f} s")
    graphs: dict[str, set[tuple[str, str, str]]] = {}
    for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        graphs.setdefault(q.graph_name.value, set()).add((q.subject.value, q.predicate.value, q.object.value))
    inferred, entities = graphs[str(INFERRED_GRAPH)], graphs[str(ENTITIES_GRAPH)]
    people = {s for s, p, o in entities if p == str(RDF.type) and o == str(CKG.Person)}
    assert people and people == {s for s, p, o in inferred if p == str(RDF.type) and o == str(SCHEMA.Person)}
    assert people == {s for s, p, o in inferred if p == str(RDF.type) and o == str(FOAF.Person)}
    asserted = set().union(*(triples for name, triples in graphs.items() if name != str(INFERRED_GRAPH)))
    assert not inferred & asserted  # only what was not asserted
    assert len(asserted) == sample_store.count()


def test_query_and_export_commands_take_infer(sample_build, tmp_path: Path, cli) -> None:
    out = str(sample_build.out_dir)
    code, text, _ = cli("query", "--out", out, "--infer", "--format", "csv",
                        "SELECT ?l WHERE { ?x a skos:Concept ; rdfs:label 'reinforcement learning', ?l }")
    assert code == 0 and text.split() == ["l", "reinforcement", "learning"]
    code, text, _ = cli("query", "--out", out, "ASK { ?x a skos:Concept }")
    assert code == 0 and text.strip() == "false"
    code, _, err = cli("query", "--out", out, "--infer", "--reasoner", "hermit", "ASK {}")
    assert code != 0 and "closure or owlrl" in err
    code, _, err = cli("query", "--out", out, "--infer", "--endpoint", "http://127.0.0.1:9/sparql", "ASK {}")
    assert code != 0 and "--infer" in err


def test_ontology_loads_once() -> None:
    assert load_ontology() is load_ontology()
