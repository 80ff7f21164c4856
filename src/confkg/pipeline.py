"""The build pipeline: notes -> ingest -> extract -> resolve -> graph -> store and outputs.

This is the library function behind ``confkg build``; a notebook calls it the same way.
One broken note is reported and skipped; the rest is built. An existing graph is never left
half-written: a new store is built beside the old one and swapped in, or the old one is updated
in one transaction (``confkg.incremental``); every output file is written to a temporary file
and renamed into place.

Rebuilds are incremental: notes whose bytes did not change come from the cache (parsed and
extracted), the cross-note steps run over all notes (name propagation and resolution are
cheap), and only the parts of the graph whose digest changed are written into the store.
Outputs whose graph did not change are not written again, and ``outputs=False`` writes none
(``confkg export`` and ``confkg explore`` write them on demand).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from confkg.errors import InputError, NoteError
from confkg.explain import RESOLUTION_FILE
from confkg.extract.cache import ExtractionCache, NoteCache, code_fingerprint
from confkg.extract.extractor import Extractor, ModelOnDemand
from confkg.extract.gazetteer import Gazetteer, default_gazetteer
from confkg.extract.nlp import common_words, package_name
from confkg.graph.builder import entity_node
from confkg.graph.parts import GraphParts, settings_digest
from confkg.incremental import BuildState, store_identity, write_store
from confkg.ingest import discover, read_notes, try_load_note
from confkg.model import Extraction, Note
from confkg.parallel import WorkerPool
from confkg.resolve.propagate import propagate_surnames
from confkg.resolve.resolver import Resolution, resolve
from confkg.store import GraphStore

STORE_DIR = "store"
CACHE_DIR = "cache"
OUTPUT_FILES = {"turtle": "graph.ttl", "jsonld": "graph.jsonld"}
HTML_FILE = "graph.html"


@dataclass
class BuildReport:
    """What a build did: the figures of the summary table and the problems met."""

    out_dir: Path
    notes: list[str] = field(default_factory=list)
    errors: list[NoteError] = field(default_factory=list)
    entities_per_type: dict[str, int] = field(default_factory=dict)
    extracted: int = 0
    mentions: int = 0
    relations: int = 0
    triples: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    """Outputs already written from the same graph by an earlier build, left as they were."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage: load (notes and model), extract, resolve, graph+store, outputs; and
    model, the part of load spent loading the spaCy pipeline, and store, the part of graph+store
    spent writing the store (bulk load or update in place)."""
    violations: int = 0
    """SHACL violations found by the validation step (``graph.validate``); 0 when it did not run."""
    store_update: str = "full"
    """How the store was written: ``full`` (built anew) or ``incremental`` (updated in place)."""
    changed_graphs: int = 0
    """Named graphs of notes written in place by an incremental update."""


ProgressFn = Callable[[str, int], None]


def load_notes(paths: Sequence[str | Path], cache: NoteCache | None = None, pool: WorkerPool | None = None
               ) -> tuple[list[Note], list[NoteError]]:
    """Read the notes under ``paths`` (``ingest.read_notes``); with ``cache``, a note whose
    file did not change since the last build is not parsed again; with ``pool``, the notes
    to parse are parsed in its worker processes (when there are two or more)."""
    if pool is None:
        items: Iterable[Note | NoteError] = read_notes(paths, cache.load_note if cache is not None else None)
    else:
        items = _read_in_pool(paths, cache, pool)
    notes: list[Note] = []
    errors: list[NoteError] = []
    for item in items:
        if isinstance(item, NoteError):
            errors.append(item)
        else:
            notes.append(item)
    return notes, errors


def _read_in_pool(paths: Sequence[str | Path], cache: NoteCache | None, pool: WorkerPool
                  ) -> Iterator[Note | NoteError]:
    """What ``read_notes`` yields, the files that are not in ``cache`` parsed by ``pool``."""
    files, errors = discover(paths)
    yield from errors
    entries = [cache.entry(*file) if cache is not None else None for file in files]
    todo = [file for file, entry in zip(files, entries, strict=True) if entry is None or entry.note is None]
    parsed = pool.read(todo) if len(todo) > 1 else (try_load_note(*file) for file in todo)
    for entry in entries:
        if entry is not None and entry.note is not None:
            yield entry.note
            continue
        item = next(parsed)
        if cache is not None and entry is not None and isinstance(item, Note):
            cache.keep(entry, item)
        yield item


def extract_all(notes: Sequence[Note], extractor: Extractor | ModelOnDemand, progress: ProgressFn | None = None,
                cache: ExtractionCache | None = None, *, workers: int = 1, dask: Any = None,
                model: str | None = None, pool: WorkerPool | None = None) -> tuple[list[Extraction], int]:
    """Extract every note, reusing cached results of unchanged notes; the rest stream through ``nlp.pipe``.

    Returns the extractions in note order and how many notes were extracted afresh.
    ``progress(note_id, words)`` is called after each note. With ``workers`` > 1 the notes are
    extracted in that many processes (``confkg.parallel``); with ``dask`` (a scheduler address
    or a ``distributed.Client``) on a Dask cluster (``confkg.distributed``); with ``pool``, in its
    processes (``workers`` is then its size). ``model`` is the name the workers load
    (``extractor``'s model by default). The result is the same either way. A ``ModelOnDemand``
    loads its model only if a note is extracted in this process.
    """
    done: dict[str, Extraction] = {}
    todo: list[Note] = []
    for note in notes:
        hit = cache.get(note) if cache is not None else None
        if hit is None:
            todo.append(note)
        else:
            done[note.note_id] = hit
            if progress:
                progress(note.note_id, 0)
    for ex in _extractions(todo, extractor, workers=workers, dask=dask, model=model, pool=pool):
        done[ex.note.note_id] = ex
        if cache is not None:
            cache.put(ex)
        if progress:
            progress(ex.note.note_id, len(ex.note.source.split()))
    return [done[n.note_id] for n in notes], len(todo)


def _extractions(notes: list[Note], extractor: Extractor | ModelOnDemand, *, workers: int, dask: Any,
                 model: str | None, pool: WorkerPool | None) -> Iterator[Extraction]:
    """The extractions of ``notes`` in note order, here, in worker processes or on Dask."""
    if model is None:
        model = extractor.worker_model if isinstance(extractor, ModelOnDemand) else package_name(extractor.nlp)
    fingerprint = code_fingerprint(extractor.model)
    if dask is not None and notes:
        from confkg.distributed import extract_on_dask

        return extract_on_dask(notes, dask, fingerprint=fingerprint, model=model, batch_size=extractor.batch_size)
    if pool is not None and len(notes) > 1:
        return pool.extract(notes, batch_size=extractor.batch_size, fingerprint=fingerprint)
    if workers > 1 and len(notes) > 1:
        from confkg.parallel import extract_in_processes

        return extract_in_processes(notes, workers=workers, model=model, batch_size=extractor.batch_size,
                                    fingerprint=fingerprint)
    if not notes:
        return iter(())
    here = extractor.extractor if isinstance(extractor, ModelOnDemand) else extractor
    return here.extract_notes(notes)


def build(
    paths: Sequence[str | Path],
    out_dir: str | Path = "out",
    *,
    model: str | None = None,
    min_confidence: float = 0.0,
    html: bool = True,
    outputs: bool = True,
    incremental: bool = True,
    validate: bool = True,
    progress: ProgressFn | None = None,
    on_notes: Callable[[list[Note]], None] | None = None,
    workers: int = 1,
    dask: Any = None,
) -> BuildReport:
    """Build the graph of the notes under ``paths`` into ``out_dir`` (store, Turtle, JSON-LD, HTML).

    With ``incremental`` (the default) only notes whose content changed since the last build into
    ``out_dir`` go through the model, and only the parts of the graph that changed are written
    into the store; the graph is the same as a full rebuild's. ``incremental=False`` re-extracts
    every note and builds the store anew. ``outputs=False`` writes only the store (no Turtle,
    JSON-LD or HTML). ``workers`` > 1 extracts in that many processes; ``dask``
    (``tcp://host:port`` or a ``distributed.Client``) extracts on a Dask cluster. Either gives
    the same graph as one process.
    """
    # with workers, one pool reads the notes and extracts them; it stops after the extraction
    pool = WorkerPool(workers, model=model) if workers > 1 and dask is None else None
    with _long_lived_objects() as settled, pool or contextlib.nullcontext():
        return _build(paths, Path(out_dir), model=model, min_confidence=min_confidence, html=html, outputs=outputs,
                      incremental=incremental, validate=validate, progress=progress, on_notes=on_notes,
                      workers=workers, dask=dask, pool=pool, settled=settled)


@contextlib.contextmanager
def _long_lived_objects() -> Iterator[Callable[[], None]]:
    """Lets a build tell Python's cyclic garbage collector which objects will live until its end.

    Why: a build holds hundreds of thousands of objects for its whole length (the model, the
    notes, their mentions, the resolution), and every full collection walks all of them: 1.0 s
    of a 5.5 s rebuild of the ``bench/`` corpus. ``settled()`` collects once (0.01-0.05 s; so
    that no garbage is kept) and moves the objects alive at that point out of the collector's
    sight (``gc.freeze``); reference counting still frees them, and they are handed back
    (``gc.unfreeze``) when the build ends. Left alone when the caller froze objects of its own.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return

    def settled() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield settled
    finally:
        gc.unfreeze()


def _build(paths: Sequence[str | Path], out: Path, *, model: str | None, min_confidence: float, html: bool,
           outputs: bool, incremental: bool, validate: bool, progress: ProgressFn | None,
           on_notes: Callable[[list[Note]], None] | None, workers: int, dask: Any, pool: WorkerPool | None,
           settled: Callable[[], None]) -> BuildReport:
    started = time.perf_counter()
    settled()  # what is imported (spaCy, rdflib...) lives as long as the process
    report = BuildReport(out)
    note_cache = NoteCache(out / CACHE_DIR) if incremental else None
    notes, errors = load_notes(paths, note_cache, pool)
    report.errors = errors
    if not notes:
        problems = "; ".join(str(e) for e in errors) or "no notes given"
        raise InputError(f"nothing to build: {problems}")
    if on_notes:
        on_notes(notes)
    settled()
    extractor = ModelOnDemand(model)  # loaded only if a note is extracted in this process
    fingerprint = code_fingerprint(extractor.model)
    cache = ExtractionCache(out / CACHE_DIR, fingerprint) if incremental else None
    report.timings["load"] = time.perf_counter() - started
    mark = time.perf_counter()
    extractions, report.extracted = extract_all(notes, extractor, progress, cache, workers=workers, dask=dask,
                                                model=model, pool=pool)
    if pool is not None:
        pool.close()  # the workers' models are not needed any more: their memory goes back
    report.timings["extract"] = time.perf_counter() - mark
    report.timings["model"] = extractor.load_seconds  # part of extract
    settled()
    mark = time.perf_counter()
    if cache is not None and note_cache is not None:
        cache.prune()
        note_cache.prune()
    gazetteer = default_gazetteer()
    extractions = propagate_surnames(extractions, common_words(extractor.package))
    resolution = resolve((m for ex in extractions for m in ex.mentions), gazetteer.titles)
    report.timings["resolve"] = time.perf_counter() - mark
    settled()
    mark = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    parts = GraphParts(extractions, resolution, min_confidence=min_confidence,
                       series_names=series_names(gazetteer))
    settings = settings_digest(min_confidence=min_confidence, extraction=fingerprint)
    store, state = _store_graph(out, parts, settings, report, incremental=incremental)
    write_resolution(out / RESOLUTION_FILE, resolution)
    report.timings["graph+store"] = time.perf_counter() - mark
    mark = time.perf_counter()
    saved = (dict(state.outputs), state.violations)
    if outputs:
        written, kept, state.outputs = write_outputs_if_changed(store, out, state, html=html,
                                                                min_confidence=min_confidence)
        report.outputs += written
        report.kept += kept
    report.timings["outputs"] = time.perf_counter() - mark
    if validate:  # against ontology/shapes.ttl; a violation is reported, the outputs are kept
        if state.violations is None:  # not known for this graph (skipped when the graph did not change)
            from confkg.graph.validate import BUILD_SAMPLE, validate_store

            state.violations = len(validate_store(store, sample=BUILD_SAMPLE))
        report.violations = state.violations
    if (state.outputs, state.violations) != saved:
        state.save(out)
    _summarise(report, extractions, resolution, state.triples)
    report.seconds = time.perf_counter() - started
    return report


def write_resolution(path: Path, resolution: Resolution) -> None:
    """Why mentions were merged (and types chosen), by entity IRI: read by ``entities --explain``."""
    by_iri: dict[str, list[str]] = {}
    for e in resolution.entities:
        key = e.key.split(":", 1)[1]
        reasons = resolution.reasons.get(e.key, []) + resolution.reasons.get(f"type:{key}", [])
        if reasons:
            by_iri[str(entity_node(e))] = reasons
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(by_iri, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def series_names(gazetteer: Gazetteer) -> dict[str, tuple[str, ...]]:
    """Other names of each conference series: aliases, former names and full name."""
    out: dict[str, tuple[str, ...]] = {}
    for e in gazetteer.entries:
        if e.type == "Event":
            out[e.name] = tuple(sorted({*e.aliases, *e.former_names, *((e.full_name,) if e.full_name else ())}))
    return out


def _store_graph(out: Path, parts: GraphParts, settings: str, report: BuildReport, *, incremental: bool
                 ) -> tuple[GraphStore, BuildState]:
    """Write the store (in place when the last build's state allows it) and save the new state."""
    digests = parts.digests()
    previous = BuildState.load(out) if incremental else None
    BuildState.forget(out)  # until the new state is saved, a crash leaves none: the next build starts afresh
    mark = time.perf_counter()
    store, update = write_store(out / STORE_DIR, parts, digests, settings=settings, previous=previous)
    report.timings["store"] = time.perf_counter() - mark
    # counting costs 0.5 s at 600,000 triples: kept up to date instead, unless graphs written since
    # the last build (not in its count) were dropped
    recount = update.full or previous is None or update.dropped
    triples = len(store) if recount or previous is None else previous.triples + update.gained
    graph = digests.graph(settings)
    same = previous is not None and previous.graph == graph
    state = BuildState(settings, store_identity(out / STORE_DIR), digests, graph, triples,
                       outputs=previous.outputs if previous is not None else {},
                       violations=previous.violations if same and previous is not None else None)
    state.save(out)
    report.store_update = "full" if update.full else "incremental"
    report.changed_graphs = len(update.changes.notes) if update.changes is not None else len(parts.notes)
    return store, state


def write_outputs(store: GraphStore, out: Path, *, html: bool = True, min_confidence: float = 0.0) -> list[Path]:
    """Write Turtle, JSON-LD and (with ``html``) the explorer from ``store`` into ``out``."""
    return [write() for _, write in _output_writers(store, out, html=html, min_confidence=min_confidence)]


def write_outputs_if_changed(store: GraphStore, out: Path, state: BuildState, *, html: bool = True,
                             min_confidence: float = 0.0) -> tuple[list[Path], list[Path], dict[str, dict[str, Any]]]:
    """``write_outputs``, leaving alone the files an earlier build wrote from the same graph with
    the same code (and that nobody changed since: same size and modification time).

    Returns the files written, the files kept and the records to save in the state.
    """
    code = outputs_fingerprint()
    records: dict[str, dict[str, Any]] = {}
    written: list[Path] = []
    kept: list[Path] = []
    for name, write in _output_writers(store, out, html=html, min_confidence=min_confidence):
        path = out / name
        record = state.outputs.get(name)
        if record is not None and record == _output_record(path, state.graph, code):
            kept.append(path)
        else:
            written.append(write())
        records[name] = _output_record(path, state.graph, code)
    return written, kept, records


def _output_writers(store: GraphStore, out: Path, *, html: bool, min_confidence: float
                    ) -> list[tuple[str, Callable[[], Path]]]:
    from confkg.outputs.export import export

    writers: list[tuple[str, Callable[[], Path]]] = [
        (name, lambda fmt=fmt, name=name: export(store, fmt, out / name)) for fmt, name in OUTPUT_FILES.items()
    ]
    if html:
        from confkg.outputs.explorer import write_explorer_from_store

        writers.append((HTML_FILE, lambda: write_explorer_from_store(store, out / HTML_FILE,
                                                                     min_confidence=min_confidence)))
    return writers


def _output_record(path: Path, graph: str, code: str) -> dict[str, Any]:
    try:
        st = path.stat()
    except OSError:
        return {"graph": graph, "code": code}
    return {"graph": graph, "code": code, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


@lru_cache(maxsize=1)
def outputs_fingerprint() -> str:
    """Hash of what the outputs are written with besides the graph: the code of ``outputs/``, the
    ontology files beside it (the JSON-LD context) and the versions of pyoxigraph and pyvis."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    for path in (*sorted((pkg / "outputs").glob("*.py")), *sorted((pkg / "ontology").glob("*"))):
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    for dist in ("pyoxigraph", "pyvis", "rdflib"):
        with contextlib.suppress(PackageNotFoundError):
            h.update(f"{dist} {version(dist)}".encode())
    return h.hexdigest()[:16]


def _summarise(report: BuildReport, extractions: list[Extraction], resolution: Resolution, triples: int) -> None:
    report.notes = [ex.note.note_id for ex in extractions]
    report.mentions = sum(len(ex.mentions) for ex in extractions)
    report.relations = sum(len(ex.relations) for ex in extractions)
    counts = Counter(e.type for e in resolution.entities)
    report.entities_per_type = dict(sorted(counts.items()))
    report.triples = triples
