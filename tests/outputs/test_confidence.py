"""``--min-confidence``: weak facts leave the export, strong ones and entities stay."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef, namespace
from rdflib.namespace import RDF, RDFS

from confkg.outputs.export import export_filtered
from confkg.store import GraphStore
from confkg.vocab import CKG, ENTITIES_GRAPH, ID, graph_iri


def test_min_confidence_drops_weak_facts_only(tmp_path: Path) -> None:
    g = graph_iri("n.md")
    talk, ada, bob = URIRef(ID + "talk/t"), URIRef(ID + "person/ada"), URIRef(ID + "person/bob")
    quads = [
        (talk, RDF.type, CKG.Talk, ENTITIES_GRAPH), (talk, RDFS.label, Literal("T"), ENTITIES_GRAPH),
        (ada, RDF.type, CKG.Person, ENTITIES_GRAPH), (bob, RDF.type, CKG.Person, ENTITIES_GRAPH),
        (talk, CKG.speaker, ada, g), (talk, CKG.speaker, bob, g),
    ]
    for name, who, conf in (("a1", ada, "0.9"), ("a2", bob, "0.4")):
        a = URIRef(ID + "assertion/" + name)
        quads += [(a, RDF.type, CKG.Assertion, g), (a, RDF.subject, talk, g), (a, RDF.predicate, CKG.speaker, g),
                  (a, RDF.object, who, g), (a, CKG.confidence, Literal(conf, datatype=namespace.XSD.decimal), g)]
    store = GraphStore.build(tmp_path / "store", quads)
    out = export_filtered(store, "turtle", tmp_path / "g.ttl", min_confidence=0.5)
    graph = Graph().parse(out)
    assert (talk, CKG.speaker, ada) in graph
    assert (talk, CKG.speaker, bob) not in graph
    assert (bob, RDF.type, CKG.Person) in graph
    assert (URIRef(ID + "assertion/a2"), RDF.type, CKG.Assertion) not in graph
    everything = Graph().parse(export_filtered(store, "turtle", tmp_path / "all.ttl"))
    assert (talk, CKG.speaker, bob) in everything
