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
buys set semantics, plain default-graph queries and a deduplicated union that Oxigraph can
serialise by itself. The union view is also far slower for joins: on the 790,000-triple
``bench/`` graph ``papers-with-code.rq`` took 393 ms through it against 4 ms on the
materialised union, ``people-affiliations.rq`` 1.3 s against 25 ms. ``store.bulk`` loads both.
``GRAPH ?g { ... }`` still sees only the named graphs, which are the source of truth: the
default graph is derived from them and maintained by ``replace_graph``.

Why the directory also holds the union as sorted Turtle (``union.ttl``, see ``store.snapshot``):
reading a million triples back from the database takes 8-10 s (RocksDB lookups of every IRI
and long literal), writing them from terms in memory under 2 s. ``build`` writes the file while
the quads are in memory (4-7 s at a million triples); whole-graph exports copy or parse it.
``replace_graphs`` rewrites the blocks of the subjects it changed (``snapshot.patch``, under a
second); without the file (a change of very many subjects) ``union_quads`` reads the database
and a writable store writes the file again. Writes that bypass ``GraphStore``
(``store.oxigraph.update``) must delete it.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from confkg.errors import QueryError, StoreError
from confkg.store import bulk, snapshot
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
        the same file system; ``open`` repairs the only window between them. The union's
        sorted Turtle (``union_quads``) is written into the new store before the swap.
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
            bulk.load(building, quads)
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

    # ------------------------------------------------------------------ the union, sorted

    def union_quads(self) -> Iterator[ox.Quad]:
        """The union of all graphs as pyoxigraph quads of the default graph, each triple once,
        sorted by N-Triples text (``store.snapshot``): what whole-graph exports write.

        Parsed from the union's Turtle that ``build`` wrote and ``replace_graphs`` keeps (under
        2 s at a million triples). Without it, read from the database and sorted (12-15 s at
        1M); a writable store then saves the file, so that only the first export pays.
        """
        parsed = snapshot.open_quads(self._union_file())
        if parsed is not None:
            return parsed
        if self.read_only:
            return snapshot.quads(self._database_lines())
        snapshot.save(self._union_file(), self._database_lines())
        return snapshot.open_quads(self._union_file()) or iter(())

    def write_union_turtle(self, out: IO[bytes]) -> None:
        """``union_quads`` as Turtle with the ``vocab.PREFIXES``: a copy of the union's Turtle
        when ``build`` wrote it (0.1 s for the 46 MB of a million triples)."""
        path = self._union_file()
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed below, after the fallback
        except FileNotFoundError:
            if self.read_only:
                snapshot.write(self._database_lines(), out)
                return
            snapshot.save(path, self._database_lines())
            source = open(path, "rb")  # noqa: SIM115
        with source:
            shutil.copyfileobj(source, out, 1 << 20)

    def _union_file(self) -> Path:
        return Path(self.directory) / snapshot.FILE_NAME

    def _update_keeping_union_file(self, update: str, subjects: set[Any]) -> None:
        """Run a SPARQL update that changes the union's triples of ``subjects`` only, and bring
        the union's Turtle up to date (``snapshot.patch``: well under a second for the few
        thousand subjects of an incremental build at a million triples, where writing it anew
        takes 12-15 s). The file is deleted first, so that a failed update or patch leaves
        none rather than a stale one; the union is then read from the database until a
        writable store writes the file again."""
        path = self._union_file()
        try:
            before = path.read_bytes()
        except FileNotFoundError:
            before = None
        path.unlink(missing_ok=True)
        self.oxigraph.update(update)
        if before is not None:
            default = ox.DefaultGraph()
            snapshot.patch(path, before, subjects, lambda s: self.oxigraph.quads_for_pattern(s, None, None, default))

    def _database_lines(self) -> Iterator[str]:
        return map(snapshot.line, self.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    # ------------------------------------------------------------------ incremental updates

    def replace_graph(self, graph_iri: URIRef, quads: Iterable[tuple[Any, ...]]) -> None:
        """Make the named graph ``graph_iri`` hold exactly ``quads`` (``(s, p, o)`` triples or
        ``(s, p, o, graph_iri)`` quads), for rebuilding one note without rebuilding the rest.

        All of ``quads`` is read and checked before the store is touched, and the change
        (named graph plus the union copy in the default graph) is one SPARQL update, which
        Oxigraph applies in a single transaction: readers see the old graph or the new one.
        """
        self.replace_graphs({graph_iri: quads})

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[tuple[Any, ...]]],
                       subjects: Mapping[URIRef, Iterable[URIRef]] | None = None) -> int:
        """``replace_graph`` of several graphs in one transaction (an incremental build: the
        notes that changed, the entities, the co-mentions): readers and a crash see the old
        graphs or all the new ones, never a mix. Returns how many triples the union gained
        (negative when it lost some), so a caller can keep ``count()`` without counting.

        For a graph listed in ``subjects`` only the triples whose subject is one of those are
        replaced and its other triples are kept (``quads`` must be about those subjects): a few
        entities of a large graph without reading all of it. A graph left empty is dropped.
        """
        store = self._writable()
        convert = TermConverter()
        subjects = subjects or {}
        named: list[tuple[ox.NamedNode, set[tuple[Any, Any, Any]], set[tuple[Any, Any, Any]]]] = []
        drop: list[ox.NamedNode] = []
        for graph_iri, quads in graphs.items():
            graph = convert.graph_name(graph_iri)
            if not isinstance(graph, ox.NamedNode):
                raise ValueError("replace_graph needs the IRI of a named graph")
            only = {convert.term(s) for s in subjects[graph_iri]} if graph_iri in subjects else None
            new: set[tuple[Any, Any, Any]] = set()
            for item in quads:
                if len(item) == 4 and item[3] != graph_iri:
                    raise ValueError(f"quad for graph {item[3]} given to replace_graph({graph_iri})")
                triple = (convert.term(item[0]), convert.term(item[1]), convert.term(item[2]))
                if only is not None and triple[0] not in only:
                    raise ValueError(f"{item[0]} is not a subject to replace in {graph_iri}")
                new.add(triple)
            new = _as_stored(new)
            patterns = [(None, None, None, graph)] if only is None else [(s, None, None, graph) for s in only]
            old = {(q.subject, q.predicate, q.object)
                   for pattern in patterns for q in store.quads_for_pattern(*pattern)}
            named.append((graph, old - new, new - old))
            if not new and (only is None or not any(
                    q.subject not in only for q in store.quads_for_pattern(None, None, None, graph))):
                drop.append(graph)
        gone = {(t, graph) for graph, removed, _ in named for t in removed}
        orphans = {t for t, _ in gone if not self._held_elsewhere(t, gone)}
        added = {t for _, _, new_triples in named for t in new_triples}
        default = ox.DefaultGraph()
        gained = sum(1 for t in added if t in orphans or ox.Quad(*t, default) not in store)
        operations = []
        if gone:
            operations.append(_data("DELETE", [(g, removed) for g, removed, _ in named if removed], orphans))
        if added:
            operations.append(_data("INSERT", [(g, new_triples) for g, _, new_triples in named if new_triples], added))
        operations += [f"DROP SILENT GRAPH {graph}" for graph in drop]
        if operations:
            self._update_keeping_union_file(" ;\n".join(operations), {t[0] for t in orphans | added})
        return gained - len(orphans)

    def remove_graph(self, graph_iri: URIRef) -> None:
        """Drop one named graph (a note that was deleted) and its share of the union."""
        self.replace_graph(graph_iri, ())

    def _held_elsewhere(self, triple: tuple[Any, Any, Any], gone: set[tuple[tuple[Any, Any, Any], Any]]) -> bool:
        """Whether a named graph still holds ``triple`` once the ``(triple, graph)`` in ``gone``
        are removed: if none does, its copy in the union goes too.

        The quads found are compared with ``triple``: on disk, pyoxigraph 0.5.13's
        ``quads_for_pattern`` can return, for a pattern with a literal object, quads with another
        literal ("2303"^^xsd:integer found "2514"); ``in``, ASK and DELETE DATA are exact.
        """
        return any(
            not isinstance(q.graph_name, ox.DefaultGraph) and (triple, q.graph_name) not in gone
            and (q.subject, q.predicate, q.object) == triple
            for q in self.oxigraph.quads_for_pattern(*triple, None)
        )

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"{self.directory}: the graph store was opened read-only")
        return self.oxigraph


# ---------------------------------------------------------------------- helpers


def _as_stored(triples: set[tuple[Any, Any, Any]]) -> set[tuple[Any, Any, Any]]:
    """The triples as the store gives them back. Oxigraph keeps numbers, dates and booleans by
    value ("0.850"^^xsd:decimal comes back "0.85"), so comparing lexical forms with what the store
    holds would see changes where there are none. A small in-memory store does the same encoding."""
    if not triples:
        return triples
    memory = ox.Store()
    default = ox.DefaultGraph()
    memory.extend(ox.Quad(s, p, o, default) for s, p, o in triples)
    return {(q.subject, q.predicate, q.object) for q in memory}


def _data(verb: str, named: Iterable[tuple[ox.NamedNode, Iterable[tuple]]], union: Iterable[tuple]) -> str:
    """``INSERT DATA`` / ``DELETE DATA`` text. Terms are written by Oxigraph's own N-Triples
    serialiser (``str(term)``), which escapes them; nothing else goes into the text."""
    in_graphs = "\n".join(f"GRAPH {graph} {{\n" + "\n".join(f"  {s} {p} {o} ." for s, p, o in triples) + "\n}"
                          for graph, triples in named)
    in_union = "\n".join(f"{s} {p} {o} ." for s, p, o in union)
    return f"{verb} DATA {{\n{in_graphs}\n{in_union}\n}}"


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
