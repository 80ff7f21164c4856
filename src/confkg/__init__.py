"""confkg: turn machine-learning conference notes into a queryable RDF knowledge graph."""

__version__ = "0.1.0"
