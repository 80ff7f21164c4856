"""Extraction in several processes on one machine (``confkg build --workers N``).

The model is the costly part of a build and spaCy runs one core per process, so the notes are
cut into chunks of a few thousand words and sent to a ``ProcessPoolExecutor`` in which each
process builds one ``Extractor`` (the model is loaded once per worker, not once per chunk).
Each chunk still streams its sections through ``nlp.pipe`` in batches. The same processes
read (parse) the notes first (``WorkerPool``).

Results come back as ``(mentions, relations)`` tuples of frozen records (the ``Note`` is not
sent back: the parent holds it already) and are yielded in note order, whatever order the
chunks finish in, so the graph is byte-identical to a one-process build (tested). At most a
few chunks per worker are in flight, so memory does not grow with the number of notes.

Workers are started with ``forkserver`` (``spawn`` where it does not exist), never ``fork``:
the parent may run threads (a progress bar) and forking a process with threads can deadlock.
The same chunking and ordering serve the Dask executor (``confkg.distributed``).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from confkg.errors import ConfkgError, NoteError
from confkg.extract.cache import code_fingerprint
from confkg.extract.extractor import Extractor
from confkg.ingest import try_load_note
from confkg.model import Extraction, Mention, Note, Relation

MIN_CHUNK_WORDS = 2_000
MAX_CHUNK_WORDS = 20_000
CHUNKS_PER_WORKER = 6  # enough chunks to balance uneven notes, few enough to keep batches full
IN_FLIGHT_PER_WORKER = 3
READ_TASKS_PER_WORKER = 32  # notes to read are sent in this many pieces per worker, or one by one

ChunkResult = list[tuple[tuple[Mention, ...], tuple[Relation, ...]]]


class WorkerMismatchError(ConfkgError):
    """A worker runs other extraction code or another model than this process."""


@dataclass(frozen=True, slots=True)
class ChunkOutput:
    """What a worker returns for one chunk: the fingerprint of its extractor and its results."""

    fingerprint: str
    results: ChunkResult


def note_words(note: Note) -> int:
    return len(note.source.split())


def plan_chunks(notes: Sequence[Note], workers: int, *, min_words: int = MIN_CHUNK_WORDS,
                max_words: int = MAX_CHUNK_WORDS) -> list[list[int]]:
    """Consecutive runs of note indices of about the same number of words.

    About ``CHUNKS_PER_WORKER`` chunks per worker, each between ``min_words`` and ``max_words``
    (a note longer than that is a chunk of its own). Consecutive, so results stream in order.
    """
    sizes = [max(1, note_words(n)) for n in notes]
    target = sum(sizes) // max(1, workers * CHUNKS_PER_WORKER)
    target = min(max(target, min_words), max_words)
    chunks: list[list[int]] = []
    current: list[int] = []
    words = 0
    for i, size in enumerate(sizes):
        if current and words + size > target:
            chunks.append(current)
            current, words = [], 0
        current.append(i)
        words += size
    if current:
        chunks.append(current)
    return chunks


def run_chunk(extractor: Extractor, notes: Sequence[Note]) -> ChunkOutput:
    """Extract one chunk of notes (in a worker): mentions and relations of each, in order."""
    results = [(ex.mentions, ex.relations) for ex in extractor.extract_notes(notes)]
    return ChunkOutput(code_fingerprint(extractor.model), results)


def wait_first(futures: Iterable[Future]) -> Iterable[Future]:
    """The futures of ``concurrent.futures`` that are done, once at least one is."""
    return wait(list(futures), return_when=FIRST_COMPLETED)[0]


def merge_in_order(notes: Sequence[Note], chunks: Sequence[Sequence[int]], submit: Callable[[list[Note]], Any],
                   window: int, expected_fingerprint: str, *, wait_any: Callable[[Iterable[Any]], Iterable[Any]],
                   where: str = "a worker") -> Iterator[Extraction]:
    """Submit chunks (at most ``window`` in flight) and yield every note's ``Extraction`` in note order.

    ``submit(notes)`` returns a future (of ``concurrent.futures`` or of Dask) of a ``ChunkOutput``;
    ``wait_any(futures)`` blocks until at least one is done and returns those that are.
    """
    pending: dict[Any, int] = {}
    done: dict[int, ChunkOutput] = {}
    next_chunk = 0
    next_yield = 0
    try:
        while next_yield < len(chunks):
            while next_chunk < len(chunks) and len(pending) < window:
                future = submit([notes[i] for i in chunks[next_chunk]])
                pending[future] = next_chunk
                next_chunk += 1
            if next_yield not in done:
                for future in wait_any(pending):
                    done[pending.pop(future)] = future.result()
                continue
            output = done.pop(next_yield)
            if output.fingerprint != expected_fingerprint:
                raise WorkerMismatchError(
                    f"{where} runs other extraction code or another model (fingerprint {output.fingerprint}, "
                    f"here {expected_fingerprint}): install the same confkg and spaCy model everywhere"
                )
            for i, (mentions, relations) in zip(chunks[next_yield], output.results, strict=True):
                yield Extraction(notes[i], mentions, relations)
            next_yield += 1
    finally:
        for future in pending:
            future.cancel()


# ---------------------------------------------------------------------- worker processes

_EXTRACTORS: dict[tuple[str | None, int], Extractor] = {}
_LOCK = threading.Lock()


def worker_extractor(model: str | None, batch_size: int) -> Extractor:
    """This process's extractor for ``model``, made on first use and kept (a worker process,
    local or Dask, loads the model once, when its first chunk to extract arrives). The lock
    keeps two threads of one Dask worker from loading the model twice."""
    with _LOCK:
        extractor = _EXTRACTORS.get((model, batch_size))
        if extractor is None:
            extractor = _EXTRACTORS[(model, batch_size)] = Extractor.create(model, batch_size=batch_size)
        return extractor


def _extract_chunk(notes: list[Note], model: str | None, batch_size: int) -> ChunkOutput:
    return run_chunk(worker_extractor(model, batch_size), notes)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class WorkerPool:
    """The worker processes of one build (``--workers N``): they read the notes, then extract them.

    Why one pool for both: reading (markdown parsing) was the longest step before extraction
    (about 6 s for the 640,000 words of the 16x ``bench/`` corpus) and ran in the main process
    while the second core waited; the processes start once, and the main process loads no
    model at all (``extract.extractor.ModelOnDemand``). A worker loads the model when its first
    chunk to extract arrives, so a build whose notes all come from the cache loads none. Started on first use; ``close``
    (or the ``with`` block's end) stops the workers and frees their models.
    """

    def __init__(self, workers: int, *, model: str | None = None) -> None:
        self.workers = max(1, workers)
        self.model = model
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=_context())
        return self._pool

    def read(self, files: Sequence[tuple[Path, Path]]) -> Iterator[Note | NoteError]:
        """``ingest.load_note(file, root)`` of each pair, in the workers; in the order given,
        a file that cannot be used as its ``NoteError``."""
        if not files:
            return iter(())
        chunksize = max(1, len(files) // (self.workers * READ_TASKS_PER_WORKER))
        return self._executor().map(try_load_note, *zip(*files, strict=True), chunksize=chunksize)

    def extract(self, notes: Iterable[Note], *, batch_size: int = 64, fingerprint: str | None = None
                ) -> Iterator[Extraction]:
        """Extract ``notes`` in the workers; yields their extractions in note order.

        ``fingerprint`` (default: that of this process's extraction code for the model) is
        checked against every worker's.
        """
        notes = list(notes)
        if not notes:
            return
        chunks = plan_chunks(notes, min(self.workers, len(notes)))
        expected = fingerprint
        if expected is None:
            expected = code_fingerprint(Extractor.create(self.model).model)
        pool = self._executor()
        yield from merge_in_order(notes, chunks,
                                  lambda chunk: pool.submit(_extract_chunk, chunk, self.model, batch_size),
                                  self.workers * IN_FLIGHT_PER_WORKER, expected, wait_any=wait_first,
                                  where="a worker process")


def extract_in_processes(notes: Iterable[Note], *, workers: int, model: str | None = None, batch_size: int = 64,
                         fingerprint: str | None = None) -> Iterator[Extraction]:
    """Extract ``notes`` in ``workers`` new processes (``WorkerPool.extract``); yields their
    extractions in note order."""
    notes = list(notes)
    with WorkerPool(min(workers, len(notes)), model=model) as pool:
        yield from pool.extract(notes, batch_size=batch_size, fingerprint=fingerprint)
