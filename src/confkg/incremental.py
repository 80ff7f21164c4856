"""Incremental builds: what the last build into a folder wrote, and the store updated in place.

Rebuilding the whole store after one note of a thousand changed cost 23 s of a 52 s rebuild
(``bench/RESULTS.md``); the graph barely changes. So every build saves, beside the store,
``build-state.json``: the digest of every part of the graph (``graph.parts``), the settings they
were made with and which store directory they describe. The next build computes the digests
again and writes only the parts that differ: the named graphs of the notes that changed (or
whose entities did), and the changed subjects of the entities and co-mentions graphs, all in
one SPARQL update, which Oxigraph applies as one transaction (``GraphStore.replace_graphs``).
The graph is the same set of quads as a full build's, so every export is byte-identical.

Crash safety: the state is deleted before the store is touched and written again once the
store is committed. A build that dies in between leaves the old store or the new one (the
transaction, or ``GraphStore.build``'s swap of directories) and no state, so the next build
rebuilds the store from scratch instead of trusting digests of a store it cannot vouch for.
The store is rebuilt from scratch too when there is no state, when the settings or the store
directory differ from the state's, or when more than ``FULL_REBUILD_SHARE`` of the notes or of
the co-mention links changed: on the ``bench/`` corpus (860 notes, 627,000 triples) the update in
place of a quarter of the notes took 8-11 s and the bulk load 20 s; beyond that share the gain
shrinks and one transaction holds every change in memory.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rdflib import URIRef

from confkg.errors import StoreError
from confkg.graph.builder import Pair
from confkg.graph.parts import Digests, GraphParts
from confkg.store import GraphStore
from confkg.vocab import COMENTIONS_GRAPH, ENTITIES_GRAPH, comention_iri

K = TypeVar("K")
STATE_FILE = "build-state.json"
STATE_FORMAT = 2
FULL_REBUILD_SHARE = 0.25


@dataclass
class BuildState:
    """What a build wrote into its folder; the next build compares itself with it."""

    settings: str
    """``graph.parts.settings_digest`` of the build."""
    store: tuple[int, int]
    """Device and inode of the store directory: a store swapped in by anything else is not this one."""
    digests: Digests
    graph: str
    """``Digests.graph``: the outputs written from this graph need not be written again."""
    triples: int
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """File name -> the graph digest, code fingerprint, size and mtime it was written with."""
    violations: int | None = None
    """SHACL violations of this graph, when validated."""

    @classmethod
    def load(cls, out: Path) -> BuildState | None:
        """The state saved in ``out``; None when there is none or it cannot be read."""
        try:
            data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
            if data.pop("format", None) != STATE_FORMAT:
                return None
            data["digests"] = Digests.from_json(data["digests"])
            data["store"] = tuple(data["store"])
            return cls(**data)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def save(self, out: Path) -> None:
        """Write the state atomically (a temporary file renamed into place)."""
        data = {"format": STATE_FORMAT, "settings": self.settings, "store": list(self.store),
                "digests": self.digests.to_json(), "graph": self.graph, "triples": self.triples,
                "outputs": self.outputs, "violations": self.violations}
        text = json.dumps(data, separators=(",", ":"))  # one call: json.dump encodes in Python, 20x slower
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{STATE_FILE}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, out / STATE_FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @staticmethod
    def forget(out: Path) -> None:
        """Delete the state: from now until it is saved again, the store may not match it."""
        (out / STATE_FILE).unlink(missing_ok=True)


def store_identity(directory: Path) -> tuple[int, int]:
    st = os.stat(directory)
    return st.st_dev, st.st_ino


@dataclass
class Changes:
    """The parts of the graph that differ from the last build's: note graphs and entities by
    IRI, co-mention links by their pair of entities."""

    notes: set[str]
    entities: set[str]
    comentions: set[Pair]

    @classmethod
    def between(cls, old: Digests, new: Digests) -> Changes:
        return cls(_changed(old.notes, new.notes), _changed(old.entities, new.entities),
                   _changed(old.comentions, new.comentions))

    def too_many(self, new: Digests) -> bool:
        """More than ``FULL_REBUILD_SHARE`` of the notes or of the co-mention links changed."""
        return (len(self.notes) > FULL_REBUILD_SHARE * max(len(new.notes), 8)
                or len(self.comentions) > FULL_REBUILD_SHARE * max(len(new.comentions), 100))


def _changed(old: dict[K, str], new: dict[K, str]) -> set[K]:
    if old == new:
        return set()
    return {key for key, digest in new.items() if old.get(key) != digest} | (old.keys() - new.keys())


@dataclass
class StoreUpdate:
    """How a build wrote its store: ``full`` (rebuilt) or in place, and what changed."""

    full: bool
    changes: Changes | None = None
    dropped: list[str] = field(default_factory=list)
    """Named graphs found in the store that the graph does not have (``id:graph/analytics``)."""
    gained: int = 0
    """Triples the union gained in place (negative: lost); ``GraphStore.replace_graphs``."""


def write_store(directory: Path, parts: GraphParts, digests: Digests, *, settings: str,
                previous: BuildState | None) -> tuple[GraphStore, StoreUpdate]:
    """Make the store at ``directory`` hold exactly ``parts``' quads, in place when ``previous``
    (the state of the last build, already forgotten on disk by the caller) says how."""
    changes = _plan(directory, digests, settings=settings, previous=previous)
    if changes is not None:
        try:
            store = GraphStore.open(directory, read_only=False)
        except StoreError:  # e.g. another process has it open for writing: build a new one beside it
            changes = None
    if changes is None:
        return GraphStore.build(directory, parts.quads()), StoreUpdate(full=True)
    try:
        dropped, gained = _update(store, parts, changes)
    except BaseException:
        store.close()
        raise
    return store, StoreUpdate(full=False, changes=changes, dropped=dropped, gained=gained)


def _plan(directory: Path, digests: Digests, *, settings: str, previous: BuildState | None) -> Changes | None:
    """The changes to make in place, or None when the store must be rebuilt."""
    if previous is None or previous.settings != settings:
        return None
    try:
        if store_identity(directory) != previous.store:
            return None
    except OSError:
        return None
    changes = Changes.between(previous.digests, digests)
    return None if changes.too_many(digests) else changes


def _update(store: GraphStore, parts: GraphParts, changes: Changes) -> tuple[list[str], int]:
    """Write the changed parts (and drop graphs the graph does not have) in one transaction."""
    graphs: dict[URIRef, Iterable[tuple[Any, ...]]] = {}
    subjects: dict[URIRef, list[URIRef]] = {}
    for graph in sorted(changes.notes):
        graphs[URIRef(graph)] = parts.note_graph_quads(URIRef(graph))
    known = {*parts.notes, ENTITIES_GRAPH, COMENTIONS_GRAPH}
    dropped = [g for g in store.graphs() if g not in known and g not in graphs]
    for graph_name in dropped:
        graphs[graph_name] = ()
    if changes.entities:
        names = sorted(changes.entities)
        graphs[ENTITIES_GRAPH] = parts.entity_quads(names)
        subjects[ENTITIES_GRAPH] = [URIRef(s) for s in names]
    if changes.comentions:
        pairs = sorted(changes.comentions)
        graphs[COMENTIONS_GRAPH] = parts.comention_quads(pairs)
        subjects[COMENTIONS_GRAPH] = [comention_iri(a, b) for a, b in pairs]
    gained = store.replace_graphs(graphs, subjects) if graphs else 0
    return [str(g) for g in dropped], gained
