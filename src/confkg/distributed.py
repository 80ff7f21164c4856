"""Extraction on a Dask cluster (``confkg build --dask tcp://HOST:PORT``).

When one machine is not enough, the model runs where Dask puts it: the notes are read here,
cut into the same chunks as ``--workers`` (``confkg.parallel.plan_chunks``), and each chunk
is a Dask task that extracts its notes on a worker. The worker keeps one ``Extractor`` per
process and model, so the model is loaded once per worker, not once per task. The results
come back and are merged here, in note order, into the same graph a local build gives
(byte-identical Turtle, tested against a ``LocalCluster``); resolution, the graph and the
store stay on this machine, which only needs memory for the graph itself.

Every worker must run the same confkg and the same spaCy model: each result carries the
fingerprint of the extraction code and model that produced it, and a mismatch stops the build
(``WorkerMismatchError``) rather than mixing two extractors in one graph. Start workers with
one thread each (``dask worker --nthreads 1 --nworkers N``): spaCy uses one core per process
and one pipeline is not shared between threads (a lock serialises them if there are several).

Dask (``distributed``) is imported only when this module is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from confkg.errors import ConfkgError
from confkg.model import Extraction, Note
from confkg.parallel import (
    IN_FLIGHT_PER_WORKER,
    ChunkOutput,
    merge_in_order,
    plan_chunks,
    run_chunk,
    worker_extractor,
)

WAIT_FOR_WORKERS = 60  # seconds



def extract_chunk_on_worker(notes: list[Note], model: str | None, batch_size: int) -> ChunkOutput:
    """The Dask task: extract one chunk with this worker process's extractor (created on first use)."""
    return run_chunk(worker_extractor(model, batch_size), notes)


def connect(address: Any):  # -> distributed.Client
    """A Dask client for ``address`` (``tcp://host:port``, a scheduler file path ending in
    ``.json``, or a ``distributed.Client`` / ``LocalCluster`` already made)."""
    from distributed import Client

    if isinstance(address, Client):
        return address
    if isinstance(address, str) and address.endswith(".json"):
        return Client(scheduler_file=address)
    return Client(address)


def extract_on_dask(notes: Iterable[Note], address: Any, *, fingerprint: str, model: str | None = None,
                    batch_size: int = 64) -> Iterator[Extraction]:
    """Extract ``notes`` on the Dask cluster at ``address``; yields their extractions in note order.

    ``fingerprint`` is this process's ``code_fingerprint`` of the extractor; a worker with
    another one raises ``WorkerMismatchError``.
    """
    from distributed import Client, wait

    notes = list(notes)
    if not notes:
        return
    client = connect(address)
    own = not isinstance(address, Client)
    try:
        if not client.nthreads():
            try:
                client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
            except TimeoutError as err:
                raise ConfkgError(f"no Dask worker joined {client.scheduler.address} "
                                  f"in {WAIT_FOR_WORKERS} s") from err
        threads = max(1, sum(client.nthreads().values()))
        chunks = plan_chunks(notes, threads)

        def submit(chunk: list[Note]):
            return client.submit(extract_chunk_on_worker, chunk, model, batch_size, pure=False)

        def wait_any(futures: Iterable[Any]) -> Iterable[Any]:
            return wait(list(futures), return_when="FIRST_COMPLETED").done

        yield from merge_in_order(notes, chunks, submit, threads * IN_FLIGHT_PER_WORKER, fingerprint,
                                  wait_any=wait_any, where=f"a Dask worker of {client.scheduler.address}")
    finally:
        if own:
            client.close()
