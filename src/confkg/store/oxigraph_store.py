"""The graph store: an on-disk Oxigraph database holding one named graph per note plus
``vocab.ENTITIES_GRAPH``.

Why Oxigraph and not rdflib: at a million triples it loads, queries and serialises one to two
orders of magnitude faster (``MEASURED.md``).

Why the store also keeps a copy of every triple in its default graph: SPARQL's default graph
must be the *RDF merge* of the named graphs, a set. Oxigraph 0.5's
``use_default_graph_as_union`` yields a triple once per graph that holds it, so a fact read
from two notes would come back twice from every SELECT and would be counted twice
(fixed upstream in oxigraph PR #1920, not in 0.5.13). Materialising the union at build time
costs a third to a half more load time (1M triples: 24 s -> 32 s) and 40 % more disk, and
buys set semantics, plain default-graph queries (faster than the union view for joins) and a
deduplicated union that Oxigraph can serialise by itself. ``GRAPH ?g { ... }`` still sees
only the named graphs, which are the source of truth: the default graph is derived from them
and maintained by ``replace_graph``.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from confkg.errors import QueryError, StoreError
from confkg.store.sparql import QueryResult, run_query
from confkg.store.terms import TermConverter, rdflib_converter

_BUILDING = ".building-"
_OLD = ".old-"
_MARKER = "CURRENT"  # RocksDB writes it into every database directory

Quad = tuple[Node, Node, Node, URIRef]


class GraphStore:
    """A confkg graph store. Get one with ``GraphStore.build`` or ``GraphStore.open``.

    Handles opened before a rebuild of the same directory are stale afterwards: reopen.
    """

    def __init__(self, store: ox.Store, directory: Path, *, read_only: bool) -> None:
        self._store: ox.Store | None = store
        self.directory = directory
        self.read_only = read_only

    # ------------------------------------------------------------------ opening and building

    @classmethod
    def build(cls, directory: Path, quads: Iterable[tuple[Any, ...]]) -> GraphStore:
        """Build a new store from ``(s, p, o, g)`` rdflib quads and put it at ``directory``.

        The store is bulk-loaded in a hidden sibling directory and only then swapped in, so
        an existing store is never left half-written: if ``quads`` raises (or the process
        dies) before the swap, the previous store is untouched. The swap is two renames on
        the same file system; ``open`` repairs the only window between them.
        Returns the new store, open for writing.
        """
        given, directory = Path(directory), _absolute(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        _recover(directory)
        occupied = directory.exists() and (not directory.is_dir() or any(directory.iterdir()))
        if occupied and not _is_store(directory):
            raise StoreError(f"{given}: exists and is not a graph store; refusing to replace it")
        _remove_stale(directory, _BUILDING)
        building = _sibling(directory, _BUILDING)
        try:
            _load(building, quads)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _swap_in(building, directory)
        return cls._open(given, read_only=False)

    @classmethod
    def open(cls, directory: Path, read_only: bool = True) -> GraphStore:
        """Open an existing store; read-only by default so that queries cannot change it and
        several readers can share it."""
        directory = Path(directory)
        _recover(_absolute(directory))
        if not _is_store(directory):
            raise StoreError(f"{directory}: no graph store here; run 'confkg build' first")
        return cls._open(directory, read_only=read_only)

    @classmethod
    def _open(cls, directory: Path, *, read_only: bool) -> GraphStore:
        try:
            store = ox.Store.read_only(str(directory)) if read_only else ox.Store(str(directory))
        except OSError as err:
            message = " ".join(str(err).split())
            raise StoreError(f"{directory}: cannot open the graph store: {message}") from None
        return cls(store, directory, read_only=read_only)

    def close(self) -> None:
        """Release the database (Oxigraph closes it when its last reference goes)."""
        self._store = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        state = "closed" if self._store is None else mode
        return f"GraphStore({str(self.directory)!r}, {state})"

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for fast serialisation (``outputs.export``)."""
        if self._store is None:
            raise StoreError(f"{self.directory}: the graph store is closed")
        return self._store

    # ------------------------------------------------------------------ reading

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the union of all
        graphs; ``GRAPH ?g`` reaches the named graphs. The prefixes of ``vocab.PREFIXES`` need
        no declaration. ``bindings`` map variable names to rdflib terms or Python values,
        passed to Oxigraph as terms (never as text). Updates are refused with ``QueryError``.
        """
        if not isinstance(sparql, str):
            raise QueryError("a SPARQL query must be text")
        return run_query(self.oxigraph, sparql, bindings)

    def graphs(self) -> list[URIRef]:
        """The named graphs, sorted."""
        return sorted(URIRef(g.value) for g in self.oxigraph.named_graphs())

    def count(self) -> int:
        """Distinct triples in the union of all graphs."""
        result = self.oxigraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))[0].value)

    def __len__(self) -> int:
        return self.count()

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """``(s, p, o, g)`` rdflib quads of every named graph (or of ``graph``), graph by
        graph in sorted order; the order within a graph depends only on the content."""
        convert = rdflib_converter()
        for q in self.oxigraph_quads(graph):
            yield convert(q.subject), convert(q.predicate), convert(q.object), convert(q.graph_name)

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """The union of all graphs as rdflib triples, each once, in an order that depends only
        on the content."""
        convert = rdflib_converter()
        for q in self.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield convert(q.subject), convert(q.predicate), convert(q.object)

    def oxigraph_quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        """Like ``quads`` but pyoxigraph quads, for serialisers that take them as they are."""
        store = self.oxigraph
        names = [ox.NamedNode(str(graph))] if graph is not None else sorted(store.named_graphs(), key=lambda g: g.value)
        for name in names:
            yield from store.quads_for_pattern(None, None, None, name)

    # ------------------------------------------------------------------ incremental updates

    def replace_graph(self, graph_iri: URIRef, quads: Iterable[tuple[Any, ...]]) -> None:
        """Make the named graph ``graph_iri`` hold exactly ``quads`` (``(s, p, o)`` triples or
        ``(s, p, o, graph_iri)`` quads), for rebuilding one note without rebuilding the rest.

        All of ``quads`` is read and checked before the store is touched, and the change
        (named graph plus the union copy in the default graph) is one SPARQL update, which
        Oxigraph applies in a single transaction: readers see the old graph or the new one.
        """
        store = self._writable()
        convert = TermConverter()
        graph = convert.graph_name(graph_iri)
        if not isinstance(graph, ox.NamedNode):
            raise ValueError("replace_graph needs the IRI of a named graph")
        new: set[tuple[Any, Any, Any]] = set()
        for item in quads:
            if len(item) == 4 and item[3] != graph_iri:
                raise ValueError(f"quad for graph {item[3]} given to replace_graph({graph_iri})")
            s, p, o = item[:3]
            new.add((convert.term(s), convert.term(p), convert.term(o)))
        old = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
        added, removed = new - old, old - new
        orphans = [t for t in removed if not self._held_elsewhere(t, graph)]
        operations = []
        if removed:
            operations.append(_data("DELETE", graph, removed, orphans))
        if added:
            operations.append(_data("INSERT", graph, added, added))
        if not new:
            operations.append(f"DROP SILENT GRAPH {graph}")
        if operations:
            store.update(" ;\n".join(operations))

    def remove_graph(self, graph_iri: URIRef) -> None:
        """Drop one named graph (a note that was deleted) and its share of the union."""
        self.replace_graph(graph_iri, ())

    def _held_elsewhere(self, triple: tuple[Any, Any, Any], graph: ox.NamedNode) -> bool:
        return any(
            not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != graph
            for q in self.oxigraph.quads_for_pattern(*triple, None)
        )

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"{self.directory}: the graph store was opened read-only")
        return self.oxigraph


# ---------------------------------------------------------------------- helpers


def _load(path: Path, quads: Iterable[tuple[Any, ...]]) -> None:
    store = ox.Store(str(path))
    try:
        store.bulk_extend(_with_union(quads))
        store.flush()
    finally:
        # Drop the only reference even when ``quads`` raised (a traceback keeps this frame
        # alive): Oxigraph closes the database when the store object goes.
        del store


def _with_union(quads: Iterable[tuple[Any, ...]]) -> Iterator[ox.Quad]:
    """Each quad, followed by its triple in the default graph (the materialised union)."""
    convert = TermConverter()
    term, graph_name, make = convert.term, convert.graph_name, ox.Quad  # bound once: a hot loop
    default = ox.DefaultGraph()
    for item in quads:
        if len(item) != 4:
            raise ValueError(f"expected (s, p, o, g), got {item!r}")
        s, p, o, g = item
        if g is None:
            raise ValueError(f"quad without a named graph: {item!r}")
        subject, predicate, obj = term(s), term(p), term(o)
        yield make(subject, predicate, obj, graph_name(g))
        yield make(subject, predicate, obj, default)


def _data(verb: str, graph: ox.NamedNode, named: Iterable[tuple], union: Iterable[tuple]) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` text. Terms are written by Oxigraph's own N-Triples
    serialiser (``str(term)``), which escapes them; nothing else goes into the text."""
    in_graph = "\n".join(f"  {s} {p} {o} ." for s, p, o in named)
    in_union = "\n".join(f"{s} {p} {o} ." for s, p, o in union)
    return f"{verb} DATA {{\nGRAPH {graph} {{\n{in_graph}\n}}\n{in_union}\n}}"


def _is_store(directory: Path) -> bool:
    return (directory / _MARKER).is_file()


def _sibling(directory: Path, kind: str) -> Path:
    return directory.with_name(f".{directory.name}{kind}{os.getpid()}-{secrets.token_hex(4)}")


def _siblings(directory: Path, kind: str) -> list[Path]:
    return sorted(directory.parent.glob(f".{directory.name}{kind}*"))


def _swap_in(built: Path, directory: Path) -> None:
    """Rename the old store away, the new one in, then delete the old one."""
    old = _sibling(directory, _OLD) if directory.exists() else None
    if old is not None:
        os.rename(directory, old)
    try:
        os.rename(built, directory)
    except BaseException:
        if old is not None:
            os.rename(old, directory)
        shutil.rmtree(built, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _recover(directory: Path) -> None:
    """A crash between the two renames of ``_swap_in`` leaves no store but a complete old
    one beside it: put the old one back. Copies left by finished builds are removed. Copies
    whose build process is still running are left alone (it is between its two renames)."""
    olds = [p for p in _siblings(directory, _OLD) if not _owner_alive(p, _OLD)]
    if not directory.exists():
        complete = [p for p in olds if _is_store(p)]
        if complete:
            newest = max(complete, key=lambda p: p.stat().st_mtime)
            os.rename(newest, directory)
            olds.remove(newest)
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def _remove_stale(directory: Path, kind: str) -> None:
    """Delete half-built stores left by builds whose process is gone."""
    for path in _siblings(directory, kind):
        if not _owner_alive(path, kind):
            shutil.rmtree(path, ignore_errors=True)


def _owner_alive(path: Path, kind: str) -> bool:
    """Whether the process named in a sibling's name (``.store.building-<pid>-<hex>``) runs.
    This process counts as gone: its own leftovers come from builds that already ended."""
    pid = path.name.rsplit(kind, 1)[1].split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _absolute(directory: Path) -> Path:
    """Siblings are named after the directory, so ``.`` or ``x/..`` must become a real name."""
    return Path(os.path.abspath(directory))
