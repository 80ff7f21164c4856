"""Inference over the ontology's alignments, so that schema.org, FOAF, SKOS, Dublin Core, PROV
and Web Annotation queries find confkg's entities (``--infer`` on ``query`` and ``export``).

Two reasoners:

``closure`` (the default)
    The ``rdfs:subClassOf`` / ``rdfs:subPropertyOf`` closure of ``ontology/confkg.ttl``
    (``owl:equivalentClass`` / ``owl:equivalentProperty`` count both ways), applied to the data:
    RDFS rules rdfs5, rdfs7, rdfs9 and rdfs11. That is all the alignments need
    (``ckg:Person rdfs:subClassOf schema:Person``, ``ckg:panelist rdfs:subPropertyOf ckg:speaker``,
    ``ckg:speaker rdfs:subPropertyOf schema:performer``), computed in one pass over the triples:
    about 0.3 s for the 47k triples of the sample graph.
``owlrl``
    The OWL 2 RL rules of the ``owlrl`` package over the data and the ontology (domains and
    ranges, inverse and transitive properties, ...): complete for OWL 2 RL, but about 30 s for
    the sample graph, and it applies ``rdfs:domain``/``rdfs:range`` literally.

Entailed triples that were not asserted are kept in their own named graph,
``id:graph/inferred``, so a TriG export or a ``GRAPH ?g`` query tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from confkg.errors import QueryError
from confkg.vocab import ID, NS, ONTOLOGY_FILE

if TYPE_CHECKING:  # the graph stage comes before the store: no import of it at run time
    from confkg.store import GraphStore, QueryResult

INFERRED_GRAPH = URIRef(f"{ID}graph/inferred")
ONTOLOGY_GRAPH = URIRef(NS.rstrip("#"))
REASONERS = ("closure", "owlrl")

T = TypeVar("T")
_NAMES_GRAPHS = re.compile(r"\b(GRAPH|NAMED)\b", re.IGNORECASE)
_RDF_TYPE = str(RDF.type)


@dataclass(frozen=True)
class Closure:
    """Every class's superclasses and every property's superproperties (transitive, not reflexive)."""

    superclasses: Mapping[str, frozenset[str]]
    superproperties: Mapping[str, frozenset[str]]

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Closure:
        return cls(
            _transitive(ontology, RDFS.subClassOf, OWL.equivalentClass),
            _transitive(ontology, RDFS.subPropertyOf, OWL.equivalentProperty),
        )

    def entail(self, triples: Iterable[tuple[T, T, T]], iri: Callable[[str], T]) -> Iterator[tuple[T, T, T]]:
        """The triples entailed by ``triples`` (rdfs7, rdfs9), each once; asserted ones included.

        Works on any term model: ``iri`` makes a term of an IRI (``ox.NamedNode``, ``URIRef``).
        """
        rdf_type = iri(_RDF_TYPE)
        classes = {iri(c): tuple(iri(d) for d in sorted(ds)) for c, ds in self.superclasses.items()}
        properties = {iri(p): tuple(iri(q) for q in sorted(qs)) for p, qs in self.superproperties.items()}
        seen: set[tuple[T, T, T]] = set()
        for s, p, o in triples:
            new: Iterable[tuple[T, T, T]] = ()
            if p == rdf_type and o in classes:
                new = ((s, rdf_type, d) for d in classes[o])
            if p in properties:
                new = chain(new, ((s, q, o) for q in properties[p]))
            for triple in new:
                if triple not in seen:
                    seen.add(triple)
                    yield triple

    def axioms(self) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
        """The closure itself as triples (rdfs5, rdfs11): ``ckg:panelist rdfs:subPropertyOf schema:performer``."""
        for c, ds in sorted(self.superclasses.items()):
            yield from ((URIRef(c), RDFS.subClassOf, URIRef(d)) for d in sorted(ds))
        for p, qs in sorted(self.superproperties.items()):
            yield from ((URIRef(p), RDFS.subPropertyOf, URIRef(q)) for q in sorted(qs))


def _transitive(g: Graph, sub: URIRef, equivalent: URIRef) -> dict[str, frozenset[str]]:
    edges: dict[str, set[str]] = {}
    for a, b in g.subject_objects(sub):
        edges.setdefault(str(a), set()).add(str(b))
    for a, b in g.subject_objects(equivalent):
        edges.setdefault(str(a), set()).add(str(b))
        edges.setdefault(str(b), set()).add(str(a))
    closure: dict[str, frozenset[str]] = {}
    for start in edges:
        reached: set[str] = set()
        todo = list(edges[start])
        while todo:
            node = todo.pop()
            if node not in reached:
                reached.add(node)
                todo.extend(edges.get(node, ()))
        reached.discard(start)
        if reached:
            closure[start] = frozenset(reached)
    return closure


@cache
def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def ontology_closure(path: Path = ONTOLOGY_FILE) -> Closure:
    return Closure.from_ontology(load_ontology(path))


def check_reasoner(reasoner: str) -> str:
    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}: use {' or '.join(REASONERS)}")
    return reasoner


# ---------------------------------------------------------------------- entailments of a store


def entailed_triples(store: GraphStore, reasoner: str = "closure") -> Iterator[tuple[Node, Node, Node]]:
    """rdflib triples entailed by the store's union graph and the ontology that are not asserted
    (and, for ``owlrl``, not about the ontology's own terms)."""
    from confkg.store.terms import rdflib_converter

    check_reasoner(reasoner)
    if reasoner == "owlrl":
        yield from _owlrl(store.triples())
        return
    convert = rdflib_converter()
    for s, p, o in _entailed_ox(store.oxigraph):
        yield convert(s), convert(p), convert(o)  # type: ignore[misc]


def _entailed_ox(source: ox.Store, union: Iterable[ox.Quad] | None = None) -> Iterator[tuple[Any, Any, Any]]:
    """The ``closure`` entailments of ``source``'s union graph that it does not assert, as
    pyoxigraph terms (no conversion: the fast path of queries). ``union``: those quads when
    the caller has already read them."""
    default = ox.DefaultGraph()
    quads = union if union is not None else source.quads_for_pattern(None, None, None, default)
    for s, p, o in ontology_closure().entail(((q.subject, q.predicate, q.object) for q in quads), ox.NamedNode):
        if ox.Quad(s, p, o, default) not in source:
            yield s, p, o


def _owlrl(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[tuple[Node, Node, Node]]:
    import owlrl

    ontology = load_ontology()
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    asserted = set(graph)
    graph += ontology
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    terms = set(ontology.subjects())
    for triple in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), t[2].n3())):
        s, p, o = triple
        if triple in asserted or triple in ontology or s in terms or not isinstance(s, URIRef):
            continue
        if p == OWL.sameAs and s == o:
            continue  # OWL RL's eq-ref: every resource is the same as itself
        yield triple


def with_inferences(quads: Iterable[tuple[Any, ...]], reasoner: str = "closure"
                    ) -> Iterator[tuple[Node, Node, Node, URIRef]]:
    """``(s, p, o, g)`` quads, then the triples they entail that none of them asserts, as quads of
    ``INFERRED_GRAPH`` (for building a store to export)."""
    check_reasoner(reasoner)
    asserted: set[tuple[Node, Node, Node]] = set()
    for s, p, o, g in quads:
        asserted.add((s, p, o))
        yield s, p, o, g
    if reasoner == "closure":
        entailed: Iterable[tuple[Node, Node, Node]] = ontology_closure().entail(asserted, URIRef)
    else:
        entailed = _owlrl(asserted)
    for triple in entailed:
        if triple not in asserted:
            yield (*triple, INFERRED_GRAPH)


# ---------------------------------------------------------------------- queries with inference


def inferred_store(store: GraphStore, reasoner: str = "closure", *, named_graphs: bool = True) -> ox.Store:
    """An in-memory Oxigraph store with the store's union graph (and its named graphs, unless
    ``named_graphs`` is false), the ontology (in its own graph, ``https://w3id.org/confkg/ns``,
    and the union) and the entailments (in ``INFERRED_GRAPH`` and the union), for ``run_query``."""
    from confkg.store.terms import TermConverter

    check_reasoner(reasoner)
    memory = ox.Store()
    default = ox.DefaultGraph()
    # Reading the on-disk store is most of the cost (about 0.8 s for the sample graph): once.
    quads = list(store.oxigraph.quads_for_pattern(None, None, None, None if named_graphs else default))
    memory.bulk_extend(quads)
    convert = TermConverter()
    extra: list[ox.Quad] = []
    graph = convert.graph_name(ONTOLOGY_GRAPH)
    for s, p, o in chain(load_ontology(), ontology_closure().axioms()):
        if isinstance(s, URIRef) and not isinstance(o, BNode):  # no blank nodes in the ontology today
            t = convert.term(s), convert.term(p), convert.term(o)
            extra += (ox.Quad(*t, graph), ox.Quad(*t, default))
    graph = convert.graph_name(INFERRED_GRAPH)
    if reasoner == "closure":
        union = (q for q in quads if isinstance(q.graph_name, ox.DefaultGraph))
        entailed: Iterable[tuple[Any, Any, Any]] = _entailed_ox(memory, union)
    else:
        entailed = ((convert.term(s), convert.term(p), convert.term(o))
                    for s, p, o in entailed_triples(store, reasoner))
    for t in entailed:
        extra += (ox.Quad(*t, graph), ox.Quad(*t, default))
    memory.bulk_extend(extra)
    return memory


def query_with_inference(store: GraphStore, sparql: str, reasoner: str = "closure",
                         bindings: Mapping[str, Any] | None = None) -> QueryResult:
    """``GraphStore.query`` over the store plus the ontology and the entailments. The named
    graphs are copied only for a query that names one (``GRAPH``, ``FROM NAMED``)."""
    from confkg.store.sparql import run_query

    if not isinstance(sparql, str):
        raise QueryError("a SPARQL query must be text")
    named = _NAMES_GRAPHS.search(sparql) is not None
    return run_query(inferred_store(store, reasoner, named_graphs=named), sparql, bindings)
