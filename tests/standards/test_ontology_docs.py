"""docs/ontology.md is generated from ontology/confkg.ttl and the sample graph, and up to date."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from confkg.store import GraphStore
from confkg.vocab import NS, ONTOLOGY_FILE, PREFIXES

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ontology_docs.py"
DOC = ROOT / "docs" / "ontology.md"


@pytest.fixture(scope="module")
def docs():
    spec = importlib.util.spec_from_file_location("ontology_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ontology_docs"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(docs, sample_store: GraphStore) -> str:
    return docs.generate(sample_store.oxigraph)


def test_the_page_is_up_to_date(generated: str) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    assert current == generated, "docs/ontology.md is out of date: run python scripts/ontology_docs.py"


def test_the_page_documents_every_term(generated: str) -> None:
    ontology = Graph().parse(ONTOLOGY_FILE)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            name = str(term)[len(NS):]
            assert f"`ckg:{name}`" in generated or f"### {name}" in generated, name
    assert "```mermaid\nclassDiagram" in generated
    assert "Talk --> Person : moderator, panelist, speaker" in generated
    assert "| `ckg:Person` | `schema:Person`, `prov:Agent`, `foaf:Person` |" in generated


def test_examples_are_valid_turtle(generated: str) -> None:
    blocks = generated.split("```turtle\n")[1:]
    assert len(blocks) >= 12
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    prologue = "@base <https://w3id.org/confkg/id/> .\n" + prefixes
    for block in blocks:
        text = block.split("```", 1)[0]
        assert len(Graph().parse(data=prologue + text, format="turtle")) > 0
