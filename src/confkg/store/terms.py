"""Conversion between rdflib terms (the rest of confkg) and pyoxigraph terms (the store).

The graph stage speaks rdflib because its API is convenient; the store, SPARQL and large
serialisations run on Oxigraph because it is one to two orders of magnitude faster (see
``MEASURED.md``). These functions are the only place the two term models meet.
"""

from __future__ import annotations

import datetime
import decimal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

XSD_STRING = str(XSD.string)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
OxGraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
PythonValue = str | int | float | bool | decimal.Decimal | datetime.date | datetime.datetime


class TermConverter:
    """rdflib -> pyoxigraph, with caches.

    A knowledge graph repeats a few IRIs (predicates, classes, graph names, popular entities)
    millions of times, and the graph builder hands over the same term objects again and again
    (a mention's IRI in its thirteen triples, cached literals); converting each only once
    makes a bulk load about twice as fast. The caches are cleared when they reach
    ``CACHE_SIZE`` entries, so memory stays bounded however large the graph.
    """

    CACHE_SIZE = 1 << 17

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}
        self._seen: dict[int, tuple[Node, ox.NamedNode | ox.Literal]] = {}  # by id(), holding the term
        self._texts: dict[int, tuple[Node, str]] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            if len(self._iris) >= self.CACHE_SIZE:
                self._iris.clear()
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, term: Node) -> ox.NamedNode | ox.Literal:
        """Convert a subject, predicate or object; blank nodes are refused.

        Blank nodes would get fresh labels on every build, which would break byte-identical
        exports and the replacement of one note's graph; the graph stage mints IRIs instead.
        """
        hit = self._seen.get(id(term))
        if hit is not None and hit[0] is term:
            return hit[1]
        converted = self._convert(term)
        if len(self._seen) >= self.CACHE_SIZE:
            self._seen.clear()
        self._seen[id(term)] = (term, converted)  # the reference keeps id(term) from being reused
        return converted

    def text(self, term: Node) -> str:
        """``term`` in N-Triples, as Oxigraph writes it (escapes, canonical typed literals):
        the form the bulk loader (``store.bulk``) hands to Oxigraph's parser. Cached like ``term``."""
        hit = self._texts.get(id(term))
        if hit is not None and hit[0] is term:
            return hit[1]
        text = str(self.term(term))
        if len(self._texts) >= self.CACHE_SIZE:
            self._texts.clear()
        self._texts[id(term)] = (term, text)
        return text

    def _convert(self, term: Node) -> ox.NamedNode | ox.Literal:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is None or str(term.datatype) == XSD_STRING:
                return ox.Literal(str(term))
            return canonical_literal(ox.Literal(str(term), datatype=self.iri(str(term.datatype))))
        if isinstance(term, BNode):
            raise ValueError(f"blank node _:{term} in the graph: mint an IRI instead (vocab.*_iri)")
        raise TypeError(f"not an RDF term: {term!r}")

    def graph_name(self, graph: Node | None) -> ox.NamedNode | ox.DefaultGraph:
        if graph is None:
            return ox.DefaultGraph()
        if isinstance(graph, URIRef):
            return self.term(graph)  # type: ignore[return-value]
        raise TypeError(f"a graph name must be a URIRef, not {graph!r}")

    def quad(self, quad: tuple[Any, ...]) -> ox.Quad:
        """``(s, p, o, g)`` with rdflib terms -> ``ox.Quad`` (``g`` a URIRef, or None)."""
        s, p, o, g = quad
        return ox.Quad(self.term(s), self.term(p), self.term(o), self.graph_name(g))

    def quads(self, quads: Iterable[tuple[Any, ...]]) -> Iterator[ox.Quad]:
        return map(self.quad, quads)


_CANONICAL: dict[tuple[str, str], ox.Literal] = {}
_CANONICAL_LOCK = threading.Lock()
_PROBE = ox.NamedNode("urn:confkg:canonical-literal")
_PROBE_STORE: list[ox.Store] = []  # made on first use (no work at import): one triple at a time, under the lock


def canonical_literal(literal: ox.Literal) -> ox.Literal:
    """The typed literal as Oxigraph stores it: "0.850"^^xsd:decimal -> "0.85",
    xsd:nonNegativeInteger -> xsd:integer, "1"^^xsd:boolean -> "true".

    Why: the store keeps numbers, booleans and dates by value and gives them back in canonical
    form, so a term converted here would otherwise differ from the same term read back. Two
    things compare the two: ``replace_graph`` (its diff against the stored graph) and the
    union's Turtle written by ``GraphStore.build`` from the quads it was given, which must be
    the bytes an export from the database writes. Oxigraph's rules are asked, not copied: the
    literal goes through an in-memory store (same encoder as the disk store), once per
    distinct (value, datatype), about 9 microseconds; the cache is cleared at
    ``TermConverter.CACHE_SIZE`` entries.
    """
    key = (literal.value, literal.datatype.value)
    canonical = _CANONICAL.get(key)
    if canonical is None:
        with _CANONICAL_LOCK:
            if not _PROBE_STORE:
                _PROBE_STORE.append(ox.Store())
            probe = _PROBE_STORE[0]
            probe.add(ox.Quad(_PROBE, _PROBE, literal))
            stored = next(iter(probe.quads_for_pattern(_PROBE, _PROBE, None, None)))
            probe.remove(stored)
            canonical = stored.object
            if len(_CANONICAL) >= TermConverter.CACHE_SIZE:
                _CANONICAL.clear()
            _CANONICAL[key] = canonical
    return canonical  # type: ignore[return-value]


def to_ox(value: Node | PythonValue | OxTerm) -> OxTerm:
    """A value bound to a query variable: an rdflib term, a pyoxigraph term or a plain Python
    value (str, int, float, bool, Decimal, date) that becomes a typed literal.

    Values travel to Oxigraph as terms, never as query text, so no string can change the query.
    """
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, URIRef | Literal):
        return TermConverter().term(value)
    if isinstance(value, str | int | float | decimal.Decimal | datetime.date):
        # rdflib knows the XSD datatype of each Python type (bool before int, and so on).
        return TermConverter().term(Literal(value))
    raise TypeError(f"cannot bind a {type(value).__name__} to a query variable")


def to_rdflib(term: OxTerm | None) -> Node | None:
    """pyoxigraph -> rdflib. ``xsd:string`` literals lose their explicit datatype, as in
    RDF 1.1 where they are the same literal; the Turtle and N-Triples parsers do the same."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    # An RDF-star triple term: rdflib 7 has no equivalent; keep its N-Triples text.
    return Literal(str(term))


def rdflib_converter() -> Callable[[OxTerm | None], Node | None]:
    """``to_rdflib`` with caches of IRIs and literals, for converting many results at once.

    Building an rdflib literal parses its value (an ``xsd:integer`` becomes an ``int``): about
    10 microseconds, a quarter of the time of a large SELECT. Results repeat their literals
    (offsets, confidences, extractor names, labels), so each distinct one is built once. The
    literal cache is cleared at ``TermConverter.CACHE_SIZE`` entries: memory stays bounded.
    """
    cache: dict[str, URIRef] = {}
    literals: dict[tuple[str, str, str | None], Node | None] = {}

    def convert(term: OxTerm | None) -> Node | None:
        if isinstance(term, ox.NamedNode):
            value = term.value
            node = cache.get(value)
            if node is None:
                node = cache[value] = URIRef(value)
            return node
        if isinstance(term, ox.Literal):
            key = (term.value, term.datatype.value, term.language)
            literal = literals.get(key)
            if literal is None:
                if len(literals) >= TermConverter.CACHE_SIZE:
                    literals.clear()
                literal = literals[key] = to_rdflib(term)
            return literal
        return to_rdflib(term)

    return convert
