"""Loading a new store from the graph builder's quads: N-Quads text, loaded by a second thread.

Why text: pyoxigraph's ``Store.bulk_extend`` takes ``Quad`` objects and holds Python's global
lock for its whole run (a Python thread got 0.3 % of its speed during it), so the builder
waited for the database and the database for the builder, on one core. ``Store.bulk_load`` of
N-Quads bytes parses them in Rust and releases the lock (the same thread kept full speed):
this thread writes the text of one chunk while a loader thread indexes the previous one, and
the union's sorted Turtle (``store.snapshot``) is written while the loader compacts the
database. The text of a term is Oxigraph's own N-Triples serialisation of it
(``TermConverter.text``), cached per term object, so nothing is escaped by hand, and it is
loaded with ``lenient=True``: Oxigraph checked every IRI and literal when the term object was
made, and checking them again as text cost a fifth of the loader's time (19-21 s of CPU
against 14.5-16.7 s for the 1.6 million quads of the 16x ``bench/`` graph, three runs each).

Why chunks: Oxigraph's bulk loader buffers about 1 KB per quad until it writes its files, so
one call with two million quads (a million triples and their union) peaked at 1.5 GB over the
rest of the build. Chunks of ``CHUNK`` quads, at most ``PENDING`` of them waiting, bound that;
``Store.optimize`` then compacts the files that many calls leave (without it, queries were a
third slower; with it, faster than after one call).

Each named-graph triple is also loaded into the default graph (the materialised union, see
``store.oxigraph_store``); Oxigraph keeps a triple once however many graphs repeat it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from confkg.batches import batched
from confkg.store import snapshot
from confkg.store.terms import TermConverter

CHUNK = 50_000
"""Quads per call of the loader. Measured on the 16x ``bench/`` corpus (790,000 triples, 1.6
million quads with the union), peak of the graph+store stage: one call 1.5 GB; chunks of
100,000: 716 MB; of 50,000: 601 MB, for a second more (21 s -> 23 s)."""
PENDING = 2
"""Chunks handed to the loader and not yet loaded: this thread runs at most this far ahead.
One loader thread: a second one (two ``bulk_load`` calls at once) did not shorten the load on
two cores, where this thread needs the other core for the text."""


def load(path: Path, quads: Iterable[tuple[Any, ...]]) -> None:
    """Bulk-load ``(s, p, o, g)`` rdflib quads and their union into a new database at ``path``,
    then write the union's sorted Turtle beside it (``snapshot.FILE_NAME``).

    Raises ``ValueError`` for a quad without a named graph or with a blank node, after the
    loader has stopped; the caller deletes the half-built directory.
    """
    store = ox.Store(str(path))
    lines = snapshot.SortedLines()
    text = TermConverter().text
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="confkg-store-load") as loader:
            pending: deque[Future[None]] = deque()
            try:
                for chunk in batched(quads, CHUNK):
                    triples: list[str] = []
                    named = _text(chunk, text, triples)
                    _submit(loader, pending, store, named.encode(), ox.RdfFormat.N_QUADS)
                    union = " .\n".join(triples) + " .\n"
                    lines.extend(triples)
                    del triples
                    _submit(loader, pending, store, union.encode(), ox.RdfFormat.N_TRIPLES)
                while pending:
                    pending.popleft().result()
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
            settled = loader.submit(_settle, store)
            snapshot.save(path / snapshot.FILE_NAME, lines)  # this thread, while the loader compacts
            del lines
            settled.result()
    finally:
        # Drop the only reference even when ``quads`` raised (a traceback keeps this frame
        # alive): Oxigraph closes the database when the store object goes.
        del store


def _text(chunk: list[tuple[Any, ...]], text: Callable[[Any], str], lines: list[str]) -> str:
    """The chunk as N-Quads; each triple's N-Triples text (``snapshot.line``) is added to ``lines``."""
    named: list[str] = []
    keep, write = lines.append, named.append  # bound once: a hot loop
    for item in chunk:
        if len(item) != 4:
            raise ValueError(f"expected (s, p, o, g), got {item!r}")
        s, p, o, g = item
        if g is None:
            raise ValueError(f"quad without a named graph: {item!r}")
        line = f"{text(s)} {text(p)} {text(o)}"
        keep(line)
        write(f"{line} {text(g)} .\n")
    return "".join(named)


def _submit(loader: ThreadPoolExecutor, pending: deque[Future[None]], store: ox.Store, data: bytes,
            fmt: ox.RdfFormat) -> None:
    """Hand ``data`` to the loader once fewer than ``PENDING`` chunks wait; a failed load raises here."""
    while len(pending) >= PENDING:
        pending.popleft().result()
    pending.append(loader.submit(store.bulk_load, data, fmt, lenient=True))


def _settle(store: ox.Store) -> None:
    store.optimize()
    store.flush()
