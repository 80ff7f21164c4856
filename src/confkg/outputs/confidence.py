"""The graph without the facts below a confidence threshold (``--min-confidence`` on export).

A direct triple stays when at least one assertion of it reaches the threshold; mentions and
co-mention links below it are dropped with all their triples. Entities stay, so that every
remaining fact still points to described nodes.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.term import Node

from confkg.store import GraphStore

SUPPORT = """
SELECT ?s ?p ?o ?c WHERE {
  ?a a ckg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ckg:confidence ?c .
}"""


def confident_quads(store: GraphStore, min_confidence: float) -> Iterator[tuple[Node, Node, Node, URIRef]]:
    """The store's quads, less the facts whose confidence is below ``min_confidence``."""
    scores = store.query("SELECT ?n ?c WHERE { ?n ckg:confidence ?c }").rows
    low = {n for n, c in scores if float(c) < min_confidence}
    best: dict[tuple[str, str, str], float] = {}
    for s, p, o, c in store.query(SUPPORT).rows:
        best[(s, p, o)] = max(best.get((s, p, o), 0.0), float(c))
    weak = {k for k, c in best.items() if c < min_confidence}
    for s, p, o, g in store.quads():
        if str(s) in low:
            continue
        if (str(s), str(p), str(o)) in weak:
            continue
        yield (s, p, o, g)
