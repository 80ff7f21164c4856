"""The graph as a network for Gephi, Cytoscape, yEd and spreadsheets: GraphML, GEXF, CSV.

Nodes are the entities (``Id`` = IRI, ``label``, ``type``, ``mentions``, ``aliases``); edges are

* the relations read from the notes between two entities (``talk ckg:speaker person``):
  ``kind`` = ``relation``, ``predicate`` (``speaker``), ``confidence`` = the highest confidence
  of the assertions behind it (none for a relation that no assertion reifies, such as a talk
  ``mentions`` what its section names), ``weight`` = the number of those assertions (at least 1);
* the co-mentions (two entities named in the same section), flagged ``kind`` = ``comention``,
  ``predicate`` = ``coMentioned``, ``weight`` = the number of sections, ``confidence`` 0.3,
  undirected in meaning (stored once, from the smaller IRI to the larger).

The network is a networkx ``MultiDiGraph`` (``network(store)``); the writers are networkx's
GraphML and GEXF writers and Python's csv module. CSV gives two files, ``STEM_nodes.csv`` and
``STEM_edges.csv`` for ``-o STEM.csv`` (or ``nodes.csv`` and ``edges.csv`` inside ``-o DIR/``),
with Gephi's spreadsheet column names (``Id``, ``Label``, ``Source``, ``Target``, ``Type``,
``Weight``). Nodes and edges are written in sorted order; the GEXF file carries no date, so
the same graph gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import networkx as nx

from confkg.outputs.export import NETWORK_FORMATS, _write_atomically
from confkg.store import GraphStore
from confkg.vocab import PREFIXES

_CKG = "https://w3id.org/confkg/ns#"
_ENTITY_TYPES = ("Person", "Organization", "EventSeries", "Event", "Talk", "Paper", "Artifact", "Topic")
"""In order of preference for a node with two classes (a series is also an Event)."""
_VALUES = " ".join(f"ckg:{t}" for t in _ENTITY_TYPES)

NODES = f"""
SELECT ?e ?type ?label (COUNT(DISTINCT ?m) AS ?mentions)
       (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\\u001f") AS ?aliases)
WHERE {{
  ?e a ?type ; rdfs:label ?label .
  VALUES ?type {{ {_VALUES} }}
  OPTIONAL {{ ?m ckg:refersTo ?e }}
  OPTIONAL {{ ?e skos:altLabel ?alias }}
}}
GROUP BY ?e ?type ?label
"""

RELATIONS = f"""
SELECT ?s ?p ?o (MAX(?c) AS ?confidence) (COUNT(DISTINCT ?a) AS ?assertions)
WHERE {{
  {{
    SELECT DISTINCT ?s ?p ?o WHERE {{
      VALUES ?st {{ {_VALUES} }}
      ?s a ?st ; ?p ?o .
      FILTER(isIRI(?o) && ?p != rdf:type && STRSTARTS(STR(?p), STR(ckg:)))
      VALUES ?ot {{ {_VALUES} }}
      ?o a ?ot .
    }}
  }}
  OPTIONAL {{ ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ckg:confidence ?c }}
}}
GROUP BY ?s ?p ?o
"""

# One row per end of each link, paired in Python: much faster on Oxigraph than joining
# ckg:coMentioned with itself.
COMENTIONS = """
SELECT ?link ?x ?weight ?confidence
WHERE { ?link a ckg:CoMention ; ckg:coMentioned ?x ; ckg:weight ?weight ; ckg:confidence ?confidence }
"""


def network(store: GraphStore, *, comentions: bool = True) -> nx.MultiDiGraph:
    """Entities and the links between them (see the module's documentation)."""
    g = nx.MultiDiGraph(name="confkg")
    nodes: dict[str, dict[str, Any]] = {}
    rank = {f"{_CKG}{t}": i for i, t in enumerate(_ENTITY_TYPES)}
    for iri, cls, label, mentions, aliases in _rows(store, NODES):
        assert iri is not None and cls is not None
        known = nodes.get(iri)
        if known is not None and rank[f"{_CKG}{known['type']}"] <= rank[cls]:
            continue
        nodes[iri] = {
            "label": label or "",
            "type": cls.rsplit("#", 1)[-1],
            "mentions": int(mentions or 0),
            "aliases": "; ".join(sorted(a for a in (aliases or "").split("\u001f") if a)),
        }
    for iri in sorted(nodes):
        g.add_node(iri, **nodes[iri])
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for s, p, o, confidence, assertions in _rows(store, RELATIONS):
        assert s is not None and p is not None and o is not None
        attrs: dict[str, Any] = {"kind": "relation", "predicate": p.removeprefix(_CKG),
                                 "weight": max(1, int(assertions or 0))}
        if confidence is not None:
            attrs["confidence"] = float(confidence)
        edges.append((s, o, attrs))
    if comentions:
        links: dict[str, tuple[list[str], str | None, str | None]] = {}
        for link, x, weight, confidence in _rows(store, COMENTIONS):
            assert link is not None and x is not None
            links.setdefault(link, ([], weight, confidence))[0].append(x)
        pairs: dict[tuple[str, ...], dict[str, Any]] = {}
        for ends, weight, confidence in links.values():
            pair = tuple(sorted(set(ends)))
            if len(pair) == 2 and pair[0] in nodes and pair[1] in nodes:
                attrs = {"kind": "comention", "predicate": "coMentioned", "weight": int(weight or 0),
                         "confidence": float(confidence or 0)}
                known = pairs.get(pair)
                if known is None or (known["weight"], known["confidence"]) < (attrs["weight"], attrs["confidence"]):
                    pairs[pair] = attrs
        edges += [(a, b, attrs) for (a, b), attrs in pairs.items()]
    edges.sort(key=lambda e: (e[2]["kind"] != "relation", e[0], e[2]["predicate"], e[1]))
    for index, (s, o, attrs) in enumerate(edges):
        g.add_edge(s, o, key=f"e{index}", **attrs)
    return g


def _rows(store: GraphStore, sparql: str) -> list[tuple[str | None, ...]]:
    """Cells as text (IRIs, lexical forms), straight from Oxigraph: these queries return
    thousands of rows, and converting each cell to an rdflib term would cost more than the query."""
    return [tuple(None if cell is None else cell.value for cell in solution)
            for solution in store.oxigraph.query(sparql, prefixes=PREFIXES)]


def write_network(store: GraphStore, fmt: str, dest: Path) -> list[Path]:
    """Write the network as ``fmt`` (graphml, gexf, csv) to ``dest`` (a file, or a directory
    that gets ``graph.<ext>`` or ``nodes.csv`` and ``edges.csv``); the paths written. Each
    file appears complete or not at all."""
    if fmt not in NETWORK_FORMATS:
        raise ValueError(f"unknown network format {fmt!r}: use one of {', '.join(NETWORK_FORMATS)}")
    g = network(store)
    dest = Path(dest)
    if fmt == "csv":
        nodes_path, edges_path = csv_paths(dest)
        nodes_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(nodes_path, lambda out: out.write(nodes_csv(g).encode("utf-8")))
        _write_atomically(edges_path, lambda out: out.write(edges_csv(g).encode("utf-8")))
        return [nodes_path, edges_path]
    if dest.is_dir():
        dest = dest / f"graph{NETWORK_FORMATS[fmt]}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        _write_atomically(dest, lambda out: nx.write_graphml(g, out, encoding="utf-8"))
    else:
        _write_atomically(dest, lambda out: out.write(gexf_bytes(g)))
    return [dest]


def csv_paths(dest: Path) -> tuple[Path, Path]:
    """``x.csv`` or ``x`` -> ``x_nodes.csv``, ``x_edges.csv``; a directory -> ``DIR/nodes.csv``, ``DIR/edges.csv``."""
    if dest.is_dir() or str(dest).endswith(("/", "\\")):
        return dest / "nodes.csv", dest / "edges.csv"
    stem = dest.name[: -len(".csv")] if dest.name.lower().endswith(".csv") else dest.name
    return dest.with_name(f"{stem}_nodes.csv"), dest.with_name(f"{stem}_edges.csv")


def gexf_bytes(g: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 without the date networkx stamps on it (so the bytes depend on the graph only)."""
    text = "\n".join(nx.generate_gexf(g))
    text = re.sub(r'<meta lastmodifieddate="[^"]*">', "<meta>", text, count=1)
    return (text + "\n").encode("utf-8")


def nodes_csv(g: nx.MultiDiGraph) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Id", "Label", "type", "mentions", "aliases"])
    for node, data in g.nodes(data=True):
        writer.writerow([node, data["label"], data["type"], data["mentions"], data["aliases"]])
    return buffer.getvalue()


def edges_csv(g: nx.MultiDiGraph) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Source", "Target", "Type", "Label", "kind", "confidence", "Weight"])
    for s, o, data in g.edges(data=True):
        direction = "Undirected" if data["kind"] == "comention" else "Directed"
        confidence = data.get("confidence")
        writer.writerow([s, o, direction, data["predicate"], data["kind"],
                         "" if confidence is None else f"{confidence:g}", data["weight"]])
    return buffer.getvalue()
