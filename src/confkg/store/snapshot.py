"""The union graph as sorted Turtle, kept in the store's directory beside the database.

Why: reading the on-disk store costs about 8 microseconds per triple, nearly all of it RocksDB
lookups that turn each IRI and long literal back into text (``perf`` on ``confkg export``:
``BlockBasedTable::Get`` and the index and cache code around it; the Turtle writer itself is
2 %). At a million triples that is 8-10 s for any format, while Oxigraph writes the same
triples from terms already in memory in under 2 s. ``GraphStore.build`` holds every quad in
memory once, so it writes the union's Turtle then, and the exports copy the file (Turtle) or
parse it (N-Triples, JSON-LD: under 2 s at 1M instead of 8 s of lookups).

Order: each triple once, sorted by its N-Triples text (subject, then predicate, then object),
so a subject's triples are together (Turtle groups them) and the bytes depend only on the set
of triples, whoever writes them: the build from the quads it was given (typed literals already
in the form the store gives back: ``terms.canonical_literal``), ``replace_graphs`` by splicing
the blocks of the subjects it changed (``patch``), or ``GraphStore`` from the database when the
file is missing (a change of very many subjects, or a store built before the file existed).
The tests compare them.

Memory: only the N-Triples text of each triple is kept, and only up to ``RUN`` lines at a time
(``SortedLines``: sorted runs on disk, merged); the sorted lines go through a temporary
N-Triples file that Oxigraph parses and writes as Turtle, a stream.
"""

from __future__ import annotations

import bisect
import heapq
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from confkg.batches import batched
from confkg.vocab import PREFIXES

FILE_NAME = "union.ttl"
"""In the store's directory; RocksDB leaves files it did not name alone."""

_CHUNK = 1 << 14
RUN = 100_000
"""Lines ``SortedLines`` keeps in memory before it writes a sorted run to disk (about 20 MB)."""


def line(quad: ox.Quad) -> str:
    """The sort key of a default-graph quad: its N-Triples line without the final " .".

    Two equal triples give the same text and two different ones different texts, so the order
    is total; an IRI ends with ``>`` and a literal with its quote, language or datatype, so a
    subject's lines are together. About 1 microsecond a quad.
    """
    return str(quad)


class SortedLines:
    """Distinct ``line`` texts, given in any order, read back sorted as an N-Triples file.

    Why runs on disk: the union of a million triples is about 240 MB of Python strings, the
    largest thing a build held after the store's own buffers were bounded (``store.bulk``).
    Lines are kept in memory up to ``run`` of them; each full run is sorted and written to a
    temporary file, and the runs are merged (``heapq.merge``) at the end, so memory stays
    near one run however large the graph. Fewer lines than a run never touch the disk. Runs
    are compared as UTF-8 bytes, whose order is the order of the code points, as for ``str``.
    """

    def __init__(self, run: int | None = None) -> None:
        self.run = run or RUN
        self._lines: list[str] = []
        self._runs: list[IO[bytes]] = []

    def extend(self, lines: Iterable[str]) -> None:
        self._lines.extend(lines)
        if len(self._lines) >= self.run:
            self._spill()

    def _spill(self) -> None:
        ordered = sorted(set(self._lines))
        self._lines = []
        scratch = tempfile.TemporaryFile(prefix="confkg-run-")  # noqa: SIM115 - closed by ntriples
        self._runs.append(scratch)
        _write_lines(scratch, ordered, "\n")
        scratch.seek(0)

    def ntriples(self) -> IO[bytes]:
        """The distinct lines sorted, as an N-Triples temporary file (deleted when closed),
        positioned at its start. Sorting a million lines takes about 1-2 s."""
        scratch = tempfile.TemporaryFile(prefix="confkg-union-")  # noqa: SIM115 - the caller closes it
        try:
            if not self._runs:
                _write_lines(scratch, sorted(set(self._lines)), " .\n")
            else:
                if self._lines:
                    self._spill()
                _write_merged(scratch, self._runs)
            scratch.seek(0)
        except BaseException:
            scratch.close()
            raise
        finally:
            self._lines = []
            for run in self._runs:
                run.close()
            self._runs = []
        return scratch


def _write_lines(out: IO[bytes], ordered: list[str], end: str) -> None:
    for start in range(0, len(ordered), _CHUNK):  # joined a chunk at a time: 5x faster than line by line
        out.write((end.join(ordered[start : start + _CHUNK]) + end).encode())


def _write_merged(out: IO[bytes], runs: list[IO[bytes]]) -> None:
    """The lines of the sorted ``runs``, merged, each once, as N-Triples."""
    previous = None
    pending: list[bytes] = []
    for raw in heapq.merge(*(map(_strip, run) for run in runs)):
        if raw != previous:
            pending.append(raw)
            previous = raw
            if len(pending) >= _CHUNK:
                out.write(b" .\n".join(pending) + b" .\n")
                pending = []
    if pending:
        out.write(b" .\n".join(pending) + b" .\n")


def _strip(raw: bytes) -> bytes:
    return raw[:-1]


def sorted_ntriples(lines: Iterable[str]) -> IO[bytes]:
    """The distinct ``lines`` sorted, as an N-Triples temporary file (deleted when closed),
    positioned at its start (``SortedLines``, which may be given instead of an iterable)."""
    if isinstance(lines, SortedLines):
        return lines.ntriples()
    sorter = SortedLines()
    for piece in batched(lines, _CHUNK):
        sorter.extend(piece)
    return sorter.ntriples()


def write(lines: Iterable[str], out: IO[bytes]) -> None:
    """The triples of ``lines`` (``line`` texts, in any order, repeats allowed) as sorted Turtle
    with the predeclared prefixes (``vocab.PREFIXES``)."""
    with sorted_ntriples(lines) as ntriples:
        ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def save(path: Path, lines: Iterable[str]) -> None:
    """``write`` to ``path`` under a temporary name, then rename: the file is whole or absent,
    never half written, so its presence alone says it is complete."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            write(lines, out)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def quads(lines: Iterable[str]) -> Iterator[ox.Quad]:
    """The triples of ``lines`` as default-graph quads, sorted and each once."""
    with sorted_ntriples(lines) as ntriples:
        yield from ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)


def open_quads(path: Path) -> Iterator[ox.Quad] | None:
    """The triples of the file at ``path``, in its order, if it is there, else None. It is
    opened now: a ``replace_graphs`` that deletes it later does not cut the reading short."""
    try:
        source = open(path, "rb")  # noqa: SIM115 - closed by _parsed
    except FileNotFoundError:
        return None
    return _parsed(source)


def _parsed(source: IO[bytes]) -> Iterator[ox.Quad]:
    with source:
        yield from ox.parse(source, format=ox.RdfFormat.TURTLE)


# ---------------------------------------------------------------------- keeping the file after a change

_BLOCK = re.compile(rb"\n(?=[^\t\n])")  # a subject's block starts on a line that is not indented
_MAX_SHARE = 4  # more changed subjects than a quarter of the blocks (and more than a few thousand):
_FEW = 2000  # cheaper to write the file anew from the database


def patch(path: Path, before: bytes, subjects: Iterable[ox.NamedNode | ox.BlankNode],
          quads_of: Callable[[ox.NamedNode | ox.BlankNode], Iterable[ox.Quad]]) -> bool:
    """Write at ``path`` the union's Turtle after a change of the triples of ``subjects``:
    ``before`` is the file as it was, ``quads_of`` gives a subject's triples in the union now.

    Why: an incremental build changes a few thousand subjects of a million-triple graph, and
    writing the whole file again means reading every triple back from the database (about
    12-15 s). Oxigraph writes one block per subject, sorted by subject (``line``), and a block
    depends only on its subject's triples, so the blocks of the changed subjects are written
    again and spliced in: about 100 microseconds a subject, plus copying the rest. Returns
    False, writing nothing, when the file does not look as expected or when so many subjects
    changed that writing it anew is cheaper; the caller then leaves it to be written from the
    database.
    """
    changed = sorted({str(subject) for subject in subjects})
    body = _body_start(before)
    if body is None:
        return False
    starts = [body, *(match.end() for match in _BLOCK.finditer(before, body))] if body < len(before) else []
    if len(changed) > _FEW and len(changed) * _MAX_SHARE > len(starts):
        return False
    keys: dict[int, str | None] = {}

    def key(index: int) -> str:
        if index not in keys:
            keys[index] = _subject_key(before, starts[index])
        found = keys[index]
        if found is None:
            raise _Unreadable
        return found

    pieces: list[bytes] = [before[:body]]  # the prefixes
    copied = 0  # blocks before this index are written (or replaced)
    try:
        for subject in changed:
            at = bisect.bisect_left(range(len(starts)), subject, lo=copied, key=key)
            pieces.append(before[_offset(starts, copied, before) : _offset(starts, at, before)])
            copied = at + 1 if at < len(starts) and key(at) == subject else at
            pieces.append(_block(quads_of(ox.NamedNode(subject[1:-1]))))
    except _Unreadable:
        return False
    pieces.append(before[_offset(starts, copied, before) :])
    text = b"".join(pieces)
    if len(text) == body:  # every triple gone: an empty graph is an empty file
        text = b""
    elif body == 0:  # the file was empty: no prefixes yet
        text = _header() + text
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


class _Unreadable(Exception):
    """A block whose subject is not written as this module expects."""


def _offset(starts: list[int], index: int, text: bytes) -> int:
    return starts[index] if index < len(starts) else len(text)


def _header() -> bytes:
    probe = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.DefaultGraph())
    text = ox.serialize([probe], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return text[: _body_start(text) or 0]


def _body_start(text: bytes) -> int | None:
    """Where the triples start: after the ``@prefix`` lines (0 for an empty file; None when the
    file has no prefixes but has triples: not written by this module)."""
    if not text:
        return 0
    end = 0
    while text.startswith(b"@prefix ", end):
        end = text.index(b"\n", end) + 1
    return end if end else None


def _subject_key(text: bytes, start: int) -> str | None:
    """``line`` order key (``<iri>``) of the subject that starts at ``start``, as the Turtle
    writer spells it: ``<iri>``, or ``prefix:local`` with backslash escapes in the local part
    (a backslash cannot occur in an IRI, so every one is an escape)."""
    token = text[start : text.find(b" ", start)].decode()
    if token.startswith("<") and token.endswith(">"):
        return token
    prefix, colon, local = token.partition(":")
    namespace = PREFIXES.get(prefix)
    if not colon or namespace is None:
        return None
    return f"<{namespace}{local.replace(chr(92), '')}>"


def _block(quads: Iterable[ox.Quad]) -> bytes:
    """The Turtle block of one subject's triples (nothing when it has none left)."""
    ordered = sorted(quads, key=line)
    if not ordered:
        return b""
    text = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return text[_body_start(text) or 0 :]
