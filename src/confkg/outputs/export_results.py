"""Query results as text: an aligned table for people, CSV for spreadsheets, SPARQL 1.1
Query Results JSON for programs. Graph results (CONSTRUCT, DESCRIBE) are Turtle whatever the
format, since a table of triples would lose nothing but readability."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from confkg.store import QueryResult
from confkg.store.terms import to_ox
from confkg.vocab import PREFIXES

ResultFormat = Literal["table", "csv", "json"]

MAX_CELL = 80
_PLAIN = {None, XSD.string, RDF.langString}
# Longest namespace first, so that the most specific prefix is chosen.
_NAMESPACES = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def format_results(result: QueryResult, fmt: ResultFormat | str = "table") -> str:
    if result.kind == "graph":
        return _turtle(result)
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        return _csv(result)
    if fmt == "json":
        return _json(result)
    raise ValueError(f"unknown result format {fmt!r}: use table, csv or json")


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    header = list(result.variables)
    body = [[_cell(term) for term in row] for row in result.terms]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = [
        " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "-+-".join("-" * w for w in widths),
        *(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body),
    ]
    count = len(body)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines)


def _cell(term: Node | None) -> str:
    """IRIs shortened with the usual prefixes, literals as their text on one line, long
    values cut at ``MAX_CELL`` characters."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = compact_iri(str(term))
    elif isinstance(term, BNode):
        text = f"_:{term}"
    else:
        text = " ".join(str(term).split()) if any(c in str(term) for c in "\n\r\t") else str(term)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def compact_iri(iri: str) -> str:
    """``https://w3id.org/confkg/ns#Person`` -> ``ckg:Person``; unknown namespaces stay whole."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _csv(result: QueryResult) -> str:
    """Full IRIs and literal texts, as in the SPARQL 1.1 CSV results format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if result.kind == "ask":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.variables)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
    return buffer.getvalue()


def _json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    document: dict[str, Any]
    if result.kind == "ask":
        document = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {name: _binding(term) for name, term in zip(result.variables, row, strict=True) if term is not None}
            for row in result.terms
        ]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2)


def _binding(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    binding = {"type": "literal", "value": str(term)}
    if isinstance(term, RdfLiteral):
        if term.language:
            binding["xml:lang"] = term.language
        elif term.datatype not in _PLAIN:
            binding["datatype"] = str(term.datatype)
    return binding


def _turtle(result: QueryResult) -> str:
    """Triples sorted (subject, predicate, object) so that a subject's triples are grouped."""
    triples = sorted(result.triples, key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))
    data = ox.serialize(
        (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples),
        format=ox.RdfFormat.TURTLE,
        prefixes=PREFIXES,
    )
    return data.decode("utf-8")
