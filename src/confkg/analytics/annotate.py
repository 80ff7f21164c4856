"""Analytics written back into the RDF graph, so SPARQL can use them.

Everything lives in one named graph, ``ANALYTICS_GRAPH``, separate from what was read from the
notes: ``ckg:pagerank``, ``ckg:betweenness`` and ``ckg:degreeCentrality`` (``xsd:double``) on
entities, and ``ckg:community`` from an entity to a ``ckg:Community`` node labelled by its top
topics. Each writer replaces only its own triples (scores of the measures it writes, or all
communities) through ``GraphStore.replace_graph``, which needs a store opened for writing. A
rebuild of the store drops the graph; run the commands with ``--write`` again.

    SELECT ?label ?pr WHERE { ?e ckg:pagerank ?pr ; rdfs:label ?label } ORDER BY DESC(?pr) LIMIT 5
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from confkg.analytics.communities import Community
from confkg.analytics.projection import AnalyticsError
from confkg.store import GraphStore
from confkg.vocab import CKG, ID

ANALYTICS_GRAPH = URIRef(f"{ID}graph/analytics")
COMMUNITY_PREFIX = f"{ID}community/"
MEASURE_PREDICATES: dict[str, URIRef] = {
    "pagerank": CKG.pagerank,
    "betweenness": CKG.betweenness,
    "degree": CKG.degreeCentrality,
}

Triple = tuple[Node, Node, Node]


def community_iri(index: int) -> URIRef:
    return URIRef(f"{COMMUNITY_PREFIX}{index}")


def score_literal(value: float) -> Literal:
    return Literal(format(float(value), ".6g"), datatype=XSD.double)


def analytics_triples(store: GraphStore) -> list[Triple]:
    """What the analytics graph holds now."""
    return [(s, p, o) for s, p, o, _ in store.quads(ANALYTICS_GRAPH)]


def write_scores(store: GraphStore, scores: Mapping[str, Mapping[str, float]]) -> int:
    """Store ``{measure: {entity IRI: score}}`` (measures: pagerank, betweenness, degree),
    replacing earlier scores of the same measures. Returns the number of triples written."""
    unknown = sorted(set(scores) - set(MEASURE_PREDICATES))
    if unknown:
        raise AnalyticsError(f"cannot store measure '{unknown[0]}': use {', '.join(MEASURE_PREDICATES)}")
    owned = {MEASURE_PREDICATES[m] for m in scores}
    new = [(URIRef(node), MEASURE_PREDICATES[m], score_literal(v))
           for m, values in scores.items() for node, v in sorted(values.items())]
    _replace(store, lambda t: t[1] in owned, new)
    return len(new)


def write_communities(store: GraphStore, communities: Iterable[Community]) -> int:
    """Store the communities (replacing earlier ones). Returns the number of triples written."""
    new: list[Triple] = []
    for c in communities:
        node = community_iri(c.index)
        new += [(node, RDF.type, CKG.Community), (node, RDFS.label, Literal(c.name or f"community {c.index}"))]
        new += [(URIRef(m), CKG.community, node) for m in c.members]
    _replace(store, lambda t: t[1] == CKG.community or str(t[0]).startswith(COMMUNITY_PREFIX), new)
    return len(new)


def clear_analytics(store: GraphStore) -> None:
    store.replace_graph(ANALYTICS_GRAPH, ())


def _replace(store: GraphStore, owned: Callable[[Triple], bool], new: list[Triple]) -> None:
    kept = [t for t in analytics_triples(store) if not owned(t)]
    store.replace_graph(ANALYTICS_GRAPH, kept + new)
