"""Where the explorer reads the graph from: an ``rdflib.Graph`` or a confkg ``GraphStore``.

Both answer the explorer's constant SELECT queries; rows come back as tuples of strings (an
IRI, a literal's lexical form, a blank node's id) or None for an unbound variable, which is
all the explorer needs. On a ``GraphStore`` the queries go straight to Oxigraph, whose
default graph is the union of the notes' graphs, without converting terms to rdflib: on big
graphs that is one to two orders of magnitude faster than rdflib's SPARQL engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Union

import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

if TYPE_CHECKING:
    from confkg.store import GraphStore

GraphSource = Union[rdflib.Graph, "GraphStore"]  # noqa: UP007 (a string member needs Union)
Row = tuple[str | None, ...]
Rows = Callable[[str], Iterator[Row]]

_prepared: dict[str, Query] = {}


def _text(term: Any) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)  # pyoxigraph NamedNode, BlankNode, Literal
    return value if isinstance(value, str) else str(term)


def rows_reader(source: GraphSource) -> Rows:
    """A function that runs one constant SELECT query on ``source`` and yields its rows."""
    if isinstance(source, rdflib.Graph):

        def from_rdflib(sparql: str) -> Iterator[Row]:
            q = _prepared.get(sparql)
            if q is None:
                q = _prepared[sparql] = prepareQuery(sparql)
            for row in source.query(q):
                yield tuple(None if t is None else str(t) for t in row)  # type: ignore[union-attr]

        return from_rdflib
    store = getattr(source, "oxigraph", None)
    if store is None or not hasattr(store, "query"):
        raise TypeError(f"the explorer reads an rdflib.Graph or a confkg GraphStore, not {type(source).__name__}")

    def from_oxigraph(sparql: str) -> Iterator[Row]:
        for solution in store.query(sparql):
            yield tuple(_text(t) for t in solution)

    return from_oxigraph


def property_values(rows: Rows, predicate: str) -> dict[str, list[str]]:
    """Subject -> values of one property (subjects that are IRIs or blank nodes)."""
    out: dict[str, list[str]] = defaultdict(list)
    for s, v in rows(f"SELECT ?s ?v WHERE {{ ?s <{predicate}> ?v }}"):
        if s is not None and v is not None:
            out[s].append(v)
    return out
