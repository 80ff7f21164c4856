"""Files from the graph store (``export``) and text from query results (``format_results``).

Every format is written by Oxigraph's serialisers except JSON-LD (see ``export_jsonld``):
rdflib needs about 30 s for Turtle at a million triples.

Where the time goes: reading the on-disk store costs about 8 microseconds per triple, nearly
all of it RocksDB lookups turning IRIs and long literals back into text (``perf``), so any
format read from the database takes 8-10 s at a million triples. Turtle, N-Triples and JSON-LD
hold the union, which ``GraphStore.build`` also writes as sorted Turtle while the quads are in
memory, and ``replace_graphs`` keeps up to date (``store.snapshot``): Turtle copies that file
(0.1 s at 1M instead of 10 s), N-Triples and JSON-LD parse it (about 2 s instead of 8 s of
lookups). TriG and N-Quads keep one graph per note and still read the database.

Determinism: the same quads give the same bytes, whatever order they were inserted in. The
union formats write triples sorted by their N-Triples text, from the file or, where it is
missing, from the database (``GraphStore.union_quads``). An on-disk Oxigraph store
yields quads in the order of its RocksDB keys, which encode the terms themselves, so the order
within a named graph (TriG, N-Quads) depends only on the content; named graphs are written in
sorted order. ``tests/outputs/test_export.py`` checks stores built from shuffled quads and an
incrementally updated store.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from confkg.outputs.export_jsonld import load_context, write_jsonld
from confkg.outputs.export_results import format_results
from confkg.store import GraphStore
from confkg.vocab import PREFIXES

__all__ = ["EXPORT_FORMATS", "FORMAT_ALIASES", "NETWORK_FORMATS", "export", "export_files", "format_results",
           "normalise_format"]

EXPORT_FORMATS: dict[str, str] = {
    "turtle": ".ttl",
    "ntriples": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "jsonld": ".jsonld",
}
"""Canonical format names and their file extensions."""

FORMAT_ALIASES: dict[str, str] = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "json-ld": "jsonld"}

NETWORK_FORMATS: dict[str, str] = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}
"""Network formats (``outputs.network_export``): entities and the links between them, for Gephi,
Cytoscape and spreadsheets; no provenance. CSV writes two files (nodes and edges)."""


def normalise_format(fmt: str) -> str:
    """``"TTL"`` -> ``"turtle"``; ValueError naming the choices for anything unknown."""
    name = fmt.strip().lower()
    name = FORMAT_ALIASES.get(name, name)
    if name not in EXPORT_FORMATS and name not in NETWORK_FORMATS:
        choices = ", ".join([*EXPORT_FORMATS, *NETWORK_FORMATS, *FORMAT_ALIASES])
        raise ValueError(f"unknown export format {fmt!r}: use one of {choices}")
    return name


def export(store: GraphStore, fmt: str, dest: Path) -> Path:
    """Write the graph to ``dest`` (a file, or a directory that gets ``graph.<ext>``) and
    return the path written.

    Turtle, N-Triples and JSON-LD hold the union of all graphs, each triple once; TriG and
    N-Quads keep one named graph per note plus the entities graph. The file appears
    complete or not at all: it is written to a temporary file beside it, then renamed.
    """
    name = normalise_format(fmt)
    if name in NETWORK_FORMATS:
        from confkg.outputs.network_export import write_network

        return write_network(store, name, dest)[0]
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"graph{EXPORT_FORMATS[name]}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(dest, lambda out: _WRITERS[name](store, out))
    return dest


def _turtle(store: GraphStore, out: IO[bytes]) -> None:
    store.write_union_turtle(out)


def _ntriples(store: GraphStore, out: IO[bytes]) -> None:
    ox.serialize(store.union_quads(), out, ox.RdfFormat.N_TRIPLES)


def _trig(store: GraphStore, out: IO[bytes]) -> None:
    # Not ``dump``: the store's default graph holds the materialised union, which must not be
    # written a second time as a default graph.
    ox.serialize(store.oxigraph_quads(), out, ox.RdfFormat.TRIG, prefixes=PREFIXES)


def _nquads(store: GraphStore, out: IO[bytes]) -> None:
    ox.serialize(store.oxigraph_quads(), out, ox.RdfFormat.N_QUADS)


def _jsonld(store: GraphStore, out: IO[bytes]) -> None:
    write_jsonld(store.union_quads(), out, load_context())


_WRITERS: dict[str, Callable[[GraphStore, IO[bytes]], None]] = {
    "turtle": _turtle,
    "ntriples": _ntriples,
    "nquads": _nquads,
    "trig": _trig,
    "jsonld": _jsonld,
}


def _write_atomically(dest: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Temporary file in the destination's directory (same file system, so ``os.replace`` is
    atomic), flushed to disk before the rename; removed if anything fails."""
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an export is not
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export_filtered(store: GraphStore, fmt: str, dest: Path, *, min_confidence: float = 0.0) -> Path:
    """``export``, less the facts below ``min_confidence`` (see ``outputs.confidence``)."""
    return export_files(store, fmt, dest, min_confidence=min_confidence)[0]


def export_files(store: GraphStore, fmt: str, dest: Path, *, min_confidence: float = 0.0, infer: str | None = None,
                 frame: str | None = None) -> list[Path]:
    """``export`` with the options of ``confkg export``; returns every file written (CSV writes two).

    ``min_confidence`` drops the facts below it (``outputs.confidence``); ``infer`` (``"closure"``
    or ``"owlrl"``, see ``graph.reasoning``) adds the entailed triples, in the named graph
    ``id:graph/inferred``; ``frame`` (JSON-LD only) writes the objects of one entity type
    instead of the graph (``outputs.jsonld_frame``).
    """
    name = normalise_format(fmt)
    if frame is not None and name != "jsonld":
        raise ValueError("a frame shapes JSON-LD: use it with the jsonld format")
    if min_confidence <= 0 and not infer:
        return _export_files(store, name, Path(dest), frame)
    quads: Iterable[tuple] = store.quads()
    if min_confidence > 0:
        from confkg.outputs.confidence import confident_quads

        quads = confident_quads(store, min_confidence)
    if infer:
        from confkg.graph.reasoning import with_inferences

        quads = with_inferences(quads, infer)
    with tempfile.TemporaryDirectory(prefix="confkg-export-") as tmp:
        derived = GraphStore.build(Path(tmp) / "store", list(quads))
        try:
            return _export_files(derived, name, Path(dest), frame)
        finally:
            derived.close()


def _export_files(store: GraphStore, name: str, dest: Path, frame: str | None) -> list[Path]:
    if frame is not None:
        from confkg.outputs.jsonld_frame import load_frame, write_framed

        load_frame(frame)  # an unknown frame fails before anything is written
        if dest.is_dir():
            dest = dest / f"{frame}.jsonld"
        dest.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(dest, lambda out: write_framed(store, frame, out))
        return [dest]
    if name in NETWORK_FORMATS:
        from confkg.outputs.network_export import write_network

        return write_network(store, name, dest)
    return [export(store, name, dest)]
