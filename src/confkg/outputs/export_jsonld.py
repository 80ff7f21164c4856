"""Compact JSON-LD: the union graph, compacted with ``ontology/context.jsonld``, which is
embedded in the file so that any JSON-LD processor reads it offline.

Why not pyoxigraph: it writes JSON-LD, but expanded (full IRIs as keys), with no way to give
a context. Why not rdflib's serializer (``context=``): it only compacts an IRI whose part
before the last ``/`` or ``#`` is a prefix, so entity IRIs (``id:person/...``) stay long; it
orders nodes by Python's randomised string hash, so two runs write different bytes; and it
needs the whole graph in an rdflib Graph first (about 7 s at 100k triples, where this writer
takes about 1.5 s).

The store holds only IRIs and literals (no blank nodes, no lists), so compaction reduces to
choosing a key and a value form for each (predicate, object). The rules below are the
JSON-LD 1.1 compaction algorithm restricted to that case; the tests expand the output with
rdflib (and pyld, when installed) and compare the triples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from confkg.vocab import CONTEXT_FILE

_RDF_TYPE = str(RDF.type)
_MAX_ENTRIES = 1 << 17
_subject = attrgetter("subject")
_XSD_STRING = str(XSD.string)
_DELIMITERS = ("/", "#", ":", "?", "[", "]", "@")


@cache
def load_context(path: Path = CONTEXT_FILE) -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld`` (read once per process)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)["@context"]


def render_context(context: Mapping[str, Any], indent: str = "  ") -> str:
    """The context as JSON with one term per line: readable and diff-friendly."""
    lines = [f"{indent}  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in context.items()]
    return "{\n" + ",\n".join(lines) + f"\n{indent}}}"


class Compactor:
    """Chooses compact keys and values for one context."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.terms = set(context)
        plain = {k: v for k, v in context.items() if isinstance(v, str) and not v.startswith("@")}
        # Prefixes first: term definitions are written with them ("ckg:about").
        self._prefixes = sorted(
            ((iri, name) for name, iri in plain.items() if iri.endswith(_DELIMITERS) and ":" in iri),
            key=lambda item: -len(item[0]),
        )
        self._compact: dict[str, str] = {}  # cache: entities and notes recur in many triples
        self._vocab: dict[str, str] = {}  # IRI -> plain term, for @type values
        self._keys: dict[str, dict[str | None, str]] = {}  # property IRI -> coercion -> term
        for name, definition in sorted(context.items()):
            if isinstance(definition, str):
                iri, coercion = self.expand(definition), None
                self._vocab.setdefault(iri, name)
            else:
                iri, coercion = self.expand(definition["@id"]), definition.get("@type")
                if coercion not in (None, "@id"):
                    coercion = self.expand(coercion)
            self._keys.setdefault(iri, {}).setdefault(coercion, name)

    def expand(self, value: str) -> str:
        prefix, _, suffix = value.partition(":")
        for iri, name in self._prefixes:
            if name == prefix:
                return iri + suffix
        return value

    def iri(self, iri: str) -> str:
        """An IRI in an ``@id`` position: a compact IRI (``id:person/ada``) when a prefix fits
        and the result cannot be mistaken for a term or an absolute IRI, else the IRI."""
        compact = self._compact.get(iri)
        if compact is None:
            compact = self._compact[iri] = self._compact_iri(iri)
        return compact

    def _compact_iri(self, iri: str) -> str:
        for namespace, name in self._prefixes:
            if iri.startswith(namespace):
                suffix = iri[len(namespace) :]
                compact = f"{name}:{suffix}"
                if not suffix.startswith("//") and compact not in self.terms:
                    return compact
        return iri

    def vocab(self, iri: str) -> str:
        """An IRI in a vocabulary position (``@type``): a term when one is defined."""
        return self._vocab.get(iri) or self.iri(iri)

    def entry(self, predicate: str, obj: ox.NamedNode | ox.Literal) -> tuple[str, Any]:
        """The key and the value of one (predicate, object) in a node object."""
        terms = self._keys.get(predicate, {})
        if isinstance(obj, ox.NamedNode):
            if predicate == _RDF_TYPE:
                return "@type", self.vocab(obj.value)
            if "@id" in terms:
                return terms["@id"], self.iri(obj.value)
            return terms.get(None) or self.iri(predicate), {"@id": self.iri(obj.value)}
        value: Any
        if obj.language:
            value = {"@value": obj.value, "@language": obj.language}
        else:
            datatype = obj.datatype.value
            if datatype in terms:
                return terms[datatype], obj.value
            plain = datatype == _XSD_STRING
            value = obj.value if plain else {"@value": obj.value, "@type": self.vocab(datatype)}
        return terms.get(None) or self.iri(predicate), value


def write_jsonld(triples: Iterable[ox.Quad | ox.Triple], out: IO[bytes], context: Mapping[str, Any]) -> None:
    """Stream one node object per subject. Consecutive triples of a subject are grouped
    (the store yields a subject's triples together); multiple values are sorted, keys too,
    so the bytes depend only on the triples and their order."""
    compactor = Compactor(context)
    out.write(b'{\n  "@context": ' + render_context(context).encode() + b',\n  "@graph": [')
    separator = b"\n"
    # (predicate, IRI object) -> entry: types, entities, notes and sections recur in many
    # triples (a third of the writer's time was ``entry``); literals are mostly unique
    entries: dict[tuple[ox.NamedNode, ox.NamedNode], tuple[str, Any]] = {}
    for subject, group in groupby(triples, key=_subject):
        values: dict[str, list[Any]] = {}
        for t in group:
            obj = t.object
            if isinstance(obj, ox.NamedNode):
                pair = (t.predicate, obj)
                entry = entries.get(pair)
                if entry is None:
                    if len(entries) >= _MAX_ENTRIES:
                        entries.clear()
                    entry = entries[pair] = compactor.entry(t.predicate.value, obj)
                key, value = entry
            else:
                key, value = compactor.entry(t.predicate.value, obj)
            values.setdefault(key, []).append(value)
        node: dict[str, Any] = {"@id": compactor.iri(subject.value)}
        for key, vals in values.items():
            if len(vals) > 1:
                vals.sort(key=_order)
            node[key] = vals[0] if len(vals) == 1 else vals
        out.write(separator + _render(node).encode())
        separator = b",\n"
    out.write(b"\n  ]\n}\n")


# The C encoder (no ``indent``) is five times faster than the pure-Python one that ``indent``
# selects; nodes are shallow, so one key per line is laid out by hand.
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": ")).encode


def _render(node: Mapping[str, Any]) -> str:
    """One key per line, each value on its line: ``"altLabel": ["Ada", {...}]``."""
    lines = ",\n".join(f"      {_encode(key)}: {_encode(node[key])}" for key in sorted(node))
    return f"    {{\n{lines}\n    }}"


def _order(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
