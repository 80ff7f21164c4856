"""The build pipeline: notes -> ingest -> extract -> resolve -> graph -> store and outputs.

This is the library function behind ``confkg build``; a notebook calls it the same way.
One broken note is reported and skipped; the rest is built. The store and every output file
are written to temporary locations and renamed into place, so an existing graph is never
left half-written.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confkg.errors import InputError, NoteError
from confkg.explain import RESOLUTION_FILE
from confkg.extract.cache import ExtractionCache, code_fingerprint
from confkg.extract.extractor import Extractor
from confkg.extract.gazetteer import Gazetteer
from confkg.extract.nlp import common_words, package_name
from confkg.graph.builder import build_quads, entity_node
from confkg.ingest import read_notes
from confkg.model import Extraction, Note
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
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage: load (notes and model), extract, resolve, graph+store, outputs."""
    violations: int = 0
    """SHACL violations found by the validation step (``graph.validate``); 0 when it did not run."""


ProgressFn = Callable[[str, int], None]


def load_notes(paths: Sequence[str | Path]) -> tuple[list[Note], list[NoteError]]:
    notes: list[Note] = []
    errors: list[NoteError] = []
    for item in read_notes(paths):
        if isinstance(item, NoteError):
            errors.append(item)
        else:
            notes.append(item)
    return notes, errors


def extract_all(notes: Sequence[Note], extractor: Extractor, progress: ProgressFn | None = None,
                cache: ExtractionCache | None = None, *, workers: int = 1, dask: Any = None,
                model: str | None = None) -> tuple[list[Extraction], int]:
    """Extract every note, reusing cached results of unchanged notes; the rest stream through ``nlp.pipe``.

    Returns the extractions in note order and how many notes were extracted afresh.
    ``progress(note_id, words)`` is called after each note. With ``workers`` > 1 the notes are
    extracted in that many processes (``confkg.parallel``); with ``dask`` (a scheduler address
    or a ``distributed.Client``) on a Dask cluster (``confkg.distributed``). ``model`` is the
    name the workers load (``extractor``'s model by default). The result is the same either way.
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
    for ex in _extractions(todo, extractor, workers=workers, dask=dask, model=model):
        done[ex.note.note_id] = ex
        if cache is not None:
            cache.put(ex)
        if progress:
            progress(ex.note.note_id, len(ex.note.source.split()))
    return [done[n.note_id] for n in notes], len(todo)


def _extractions(notes: list[Note], extractor: Extractor, *, workers: int, dask: Any, model: str | None
                 ) -> Iterator[Extraction]:
    """The extractions of ``notes`` in note order, here, in worker processes or on Dask."""
    model = model or package_name(extractor.nlp)
    if dask is not None and notes:
        from confkg.distributed import extract_on_dask

        return extract_on_dask(notes, dask, fingerprint=code_fingerprint(extractor.model), model=model,
                               batch_size=extractor.batch_size)
    if workers > 1 and len(notes) > 1:
        from confkg.parallel import extract_in_processes

        return extract_in_processes(notes, workers=workers, model=model, batch_size=extractor.batch_size,
                                    fingerprint=code_fingerprint(extractor.model))
    return extractor.extract_notes(notes)


def build(
    paths: Sequence[str | Path],
    out_dir: str | Path = "out",
    *,
    model: str | None = None,
    min_confidence: float = 0.0,
    html: bool = True,
    incremental: bool = True,
    validate: bool = True,
    progress: ProgressFn | None = None,
    on_notes: Callable[[list[Note]], None] | None = None,
    workers: int = 1,
    dask: Any = None,
) -> BuildReport:
    """Build the graph of the notes under ``paths`` into ``out_dir`` (store, Turtle, JSON-LD, HTML).

    With ``incremental`` (the default) only notes whose content changed since the last build into
    ``out_dir`` go through the model; the graph is the same as a full rebuild's. ``workers`` > 1
    extracts in that many processes; ``dask`` (``tcp://host:port`` or a ``distributed.Client``)
    extracts on a Dask cluster. Either gives the same graph as one process.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    report = BuildReport(out)
    notes, errors = load_notes(paths)
    report.errors = errors
    if not notes:
        problems = "; ".join(str(e) for e in errors) or "no notes given"
        raise InputError(f"nothing to build: {problems}")
    if on_notes:
        on_notes(notes)
    extractor = Extractor.create(model)
    cache = ExtractionCache(out / CACHE_DIR, code_fingerprint(extractor.model)) if incremental else None
    report.timings["load"] = time.perf_counter() - started
    mark = time.perf_counter()
    extractions, report.extracted = extract_all(notes, extractor, progress, cache, workers=workers, dask=dask,
                                                model=model)
    report.timings["extract"] = time.perf_counter() - mark
    mark = time.perf_counter()
    if cache is not None:
        cache.prune()
    extractions = propagate_surnames(extractions, common_words(package_name(extractor.nlp)))
    resolution = resolve((m for ex in extractions for m in ex.mentions), extractor.gazetteer.titles)
    report.timings["resolve"] = time.perf_counter() - mark
    mark = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    quads = build_quads(extractions, resolution, min_confidence=min_confidence,
                        series_names=series_names(extractor.gazetteer))
    store = GraphStore.build(out / STORE_DIR, quads)
    write_resolution(out / RESOLUTION_FILE, resolution)
    report.timings["graph+store"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report.outputs += write_outputs(store, out, html=html, min_confidence=min_confidence)
    report.timings["outputs"] = time.perf_counter() - mark
    if validate:  # against ontology/shapes.ttl; a violation is reported, the outputs are kept
        from confkg.graph.validate import BUILD_SAMPLE, validate_store

        report.violations = len(validate_store(store, sample=BUILD_SAMPLE))
    _summarise(report, extractions, resolution, store)
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


def write_outputs(store: GraphStore, out: Path, *, html: bool = True, min_confidence: float = 0.0) -> list[Path]:
    from confkg.outputs.export import export

    written = [export(store, fmt, out / name) for fmt, name in OUTPUT_FILES.items()]
    if html:
        from confkg.outputs.explorer import write_explorer_from_store

        written.append(write_explorer_from_store(store, out / HTML_FILE, min_confidence=min_confidence))
    return written


def _summarise(report: BuildReport, extractions: list[Extraction], resolution: Resolution, store: GraphStore) -> None:
    report.notes = [ex.note.note_id for ex in extractions]
    report.mentions = sum(len(ex.mentions) for ex in extractions)
    report.relations = sum(len(ex.relations) for ex in extractions)
    counts = Counter(e.type for e in resolution.entities)
    report.entities_per_type = dict(sorted(counts.items()))
    report.triples = len(store)
