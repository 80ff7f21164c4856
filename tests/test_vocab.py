"""The ontology file and the code's closed vocabulary agree, and every term is aligned."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from confkg.vocab import CKG, NS, ONTOLOGY_FILE, entity_iri, slugify

STANDARD = ("http://schema.org/", "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2004/02/skos/core#",
            "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/oa#",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


def declared(g: Graph) -> set[str]:
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        terms |= {str(s)[len(NS):] for s in g.subjects(RDF.type, kind) if str(s).startswith(NS)}
    return terms


def test_code_and_ontology_declare_the_same_terms(ontology: Graph) -> None:
    in_code = {name for name in CKG.__annotations__}
    assert declared(ontology) == in_code


def test_closed_namespace_rejects_misspelt_terms() -> None:
    with pytest.raises(AttributeError):
        _ = CKG.Persn  # noqa: B018


def test_every_entity_class_is_aligned_to_a_standard_vocabulary(ontology: Graph) -> None:
    for cls in ("Person", "Organization", "Event", "Talk", "Paper", "Artifact", "Topic", "Note", "Mention"):
        parents = {str(o) for o in ontology.objects(getattr(CKG, cls), RDFS.subClassOf)}
        assert any(p.startswith(STANDARD) for p in parents), cls


def test_relations_are_aligned(ontology: Graph) -> None:
    for prop in ("speaker", "affiliation", "author", "creator", "about", "mentions", "partOf", "codeRepository",
                 "identifier", "url", "start", "end", "exact", "inNote", "refersTo"):
        parents = {str(o) for o in ontology.objects(getattr(CKG, prop), RDFS.subPropertyOf)}
        assert parents, prop


@pytest.mark.parametrize(("text", "slug"), [("Ilya  Sütskever", "ilya-sutskever"), ("GPT-2", "gpt-2"),
                                            ("NIPS ‘93", "nips-93"), ("???", "x")])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_entity_iris_are_stable() -> None:
    assert entity_iri("Person", "ada byron") == entity_iri("Person", "Ada Byron")
    assert str(entity_iri("Paper", "x")).endswith("/paper/x")
