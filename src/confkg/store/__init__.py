"""store stage: the on-disk Oxigraph graph store and read-only SPARQL over it."""

from confkg.store.oxigraph_store import GraphStore
from confkg.store.sparql import QueryResult

__all__ = ["GraphStore", "QueryResult"]
