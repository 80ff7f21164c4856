"""Listing canonical entities from the store (``confkg entities``)."""

from __future__ import annotations

from typing import Any

from confkg.store.oxigraph_store import GraphStore
from confkg.vocab import CLASS_OF_TYPE

ENTITIES_QUERY = """
SELECT ?e ?type ?label (COUNT(DISTINCT ?m) AS ?mentions)
       (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\\u001f") AS ?aliases)
WHERE {
  ?e a ?type ; rdfs:label ?label .
  VALUES ?type { ckg:Person ckg:Organization ckg:Event ckg:Talk ckg:Paper ckg:Artifact ckg:Topic }
  OPTIONAL { ?m ckg:refersTo ?e }
  OPTIONAL { ?e skos:altLabel ?alias }
}
GROUP BY ?e ?type ?label
"""


def list_entities(store: GraphStore, type_: str | None = None) -> list[dict[str, Any]]:
    """Entities (optionally of one type) with mention counts, most mentioned first."""
    result = store.query(ENTITIES_QUERY)
    wanted = str(CLASS_OF_TYPE[type_]) if type_ else None
    rows = []
    for iri, cls, label, count, aliases in result.rows:
        if wanted and str(cls) != wanted:
            continue
        rows.append({
            "iri": str(iri),
            "type": str(cls).rsplit("#", 1)[-1],
            "label": str(label),
            "mentions": int(count),
            "aliases": sorted(a for a in str(aliases or "").split("\u001f") if a),
        })
    rows.sort(key=lambda r: (-r["mentions"], r["type"], r["label"]))
    return rows
