"""One measurement of the speed benchmark, run in its own process by ``bench/run.py``.

usage: python bench/measure.py KIND 'JSON arguments'   ->   one JSON line on stdout

A fresh process per measurement, so that peak memory is that measurement's alone: a thread
samples the resident memory (RSS) of this process and all its children (worker processes,
Dask workers) every 50 ms and reports the peak of their sum.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))


class PeakMemory:
    """Peak RSS of this process tree, sampled in a thread."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        """(perf_counter, bytes) of every sample: the peak of each stage of a build."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def sample(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a worker that just ended
                total += child.memory_info().rss
        self.peak = max(self.peak, total)
        self.samples.append((time.perf_counter(), total))
        return total

    def peaks(self, start: float, stages: list[tuple[str, float]]) -> dict[str, float]:
        """Peak MB of each of consecutive ``stages`` ((name, seconds), in order from ``start``)."""
        out: dict[str, float] = {}
        for name, seconds in stages:
            end = start + seconds
            inside = [rss for t, rss in self.samples if start <= t <= end]
            out[name] = max(inside, default=0) / 2**20
            start = end
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self.sample()
        return self.peak / 2**20


def note_words(notes: list) -> int:
    return sum(len(n.source.split()) for n in notes)


# ---------------------------------------------------------------------- throughput


def bare(notes_dir: str, n_process: int = 1, batch_size: int = 64) -> dict[str, Any]:
    """Bare ``nlp.pipe`` over the texts confkg gives the model (the notes' sections), same components."""
    from confkg.extract.nlp import load_pipeline
    from confkg.pipeline import load_notes

    memory = PeakMemory()
    notes, _ = load_notes([notes_dir])
    texts = [s.text for n in notes for s in n.sections] + ["" for n in notes if not n.sections]
    nlp = load_pipeline(None)
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "words": note_words(notes), "tokens": tokens, "components": nlp.pipe_names,
            "peak_mb": memory.stop()}


def build(notes_dir: str, out: str, workers: int = 1, html: bool = False, validate: bool = False,
          dask_workers: int = 0) -> dict[str, Any]:
    """``confkg build`` (the library call behind it) into a fresh folder, as a first build."""
    from confkg.pipeline import build as build_graph

    memory = PeakMemory()
    cluster = None
    if dask_workers:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=dask_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, worker_dashboard_address=None, silence_logs=50)
    started = time.perf_counter()
    report = build_graph([notes_dir], out, workers=workers, html=html, validate=validate,
                         dask=cluster.scheduler_address if cluster else None)
    seconds = time.perf_counter() - started
    if cluster is not None:
        cluster.close()
    peak = memory.stop()
    stages = [(k, report.timings.get(k, 0.0)) for k in ("load", "extract", "resolve", "graph+store", "outputs")]
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in Path(notes_dir).rglob("*.*")
                if p.suffix in {".md", ".txt", ".markdown"})
    return {"seconds": seconds, "words": words, "notes": len(report.notes), "triples": report.triples,
            "timings": report.timings, "peak_mb": peak, "stage_peak_mb": memory.peaks(started, stages),
            "graph_mb": _ntriples_mb(Path(out))}


def _ntriples_mb(out: Path) -> float:
    """The size of the graph (the union of its named graphs) as N-Triples text, in MB: the
    yardstick for memory that grows with the graph itself."""
    from confkg.store import GraphStore

    with GraphStore.open(out / "store") as store:
        return sum(len(str(q)) + 3 for q in store.union_quads()) / 2**20


# ---------------------------------------------------------------------- incremental


EDIT = "\nJane Roe from Acme Robotics talked about PyTorch at ICML 2031.\n"


def rebuild(notes_dir: str, out: str, outputs: bool = False) -> dict[str, Any]:
    """One build into ``out`` (the library call behind ``confkg build``, no HTML, no SHACL) in
    this fresh process, as the command runs: the model is loaded again, as it is by every
    ``confkg build``. ``process_seconds`` adds Python's start and the imports."""
    import psutil

    from confkg.pipeline import build as build_graph

    started = time.perf_counter()
    report = build_graph([notes_dir], out, html=False, validate=False, outputs=outputs)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "process_seconds": time.time() - psutil.Process().create_time(),
            "timings": report.timings, "notes": len(report.notes), "extracted": report.extracted,
            "triples": report.triples, "store_update": report.store_update, "changed_graphs": report.changed_graphs,
            "outputs": len(report.outputs)}


def _fresh(kind: str, **args: Any) -> dict[str, Any]:
    """``kind`` measured in a process of its own (its last stdout line is its JSON result)."""
    import subprocess

    done = subprocess.run([sys.executable, __file__, kind, json.dumps(args)], capture_output=True, text=True,
                          timeout=3 * 3600)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def incremental(notes_dir: str, out: str, repeats: int = 3) -> dict[str, Any]:
    """A first build of many short notes, rebuilds after editing one note (``repeats`` times:
    edit, restore, edit, ...: each rebuild sees one changed note), one with nothing changed, and
    one after an edit that also writes Turtle and JSON-LD. The first build and the rebuilds write
    the store only (``--store-only``): the same options on both sides. Each build runs in a
    fresh process, as ``confkg build`` does."""
    import statistics

    full = _fresh("rebuild", notes_dir=notes_dir, out=out)
    notes = sorted(Path(notes_dir).iterdir())
    edited = notes[len(notes) // 2]
    original = edited.read_text(encoding="utf-8")
    runs = []
    for i in range(repeats):
        edited.write_text(original + EDIT if i % 2 == 0 else original, encoding="utf-8")
        runs.append(_fresh("rebuild", notes_dir=notes_dir, out=out))
    unchanged = _fresh("rebuild", notes_dir=notes_dir, out=out)
    edited.write_text(original + EDIT + EDIT, encoding="utf-8")
    with_outputs = _fresh("rebuild", notes_dir=notes_dir, out=out, outputs=True)
    edited.write_text(original, encoding="utf-8")
    one = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]  # the median run
    return {"notes": full["notes"], "triples": one["triples"], "options": "store only (no Turtle, JSON-LD, HTML "
            "or SHACL)", "full": full["seconds"], "full_process": full["process_seconds"],
            "full_timings": full["timings"], "one_changed": one["seconds"], "one_changed_process":
            one["process_seconds"], "one_timings": one["timings"], "one_runs": [r["seconds"] for r in runs],
            "extracted": one["extracted"], "store_update": one["store_update"],
            "changed_graphs": one["changed_graphs"], "model": statistics.median(r["timings"]["model"] for r in runs),
            "unchanged": unchanged["seconds"], "unchanged_process": unchanged["process_seconds"],
            "unchanged_timings": unchanged["timings"], "unchanged_extracted": unchanged["extracted"],
            "with_outputs": with_outputs}


# ---------------------------------------------------------------------- RDF at a million triples


def _clone(ex, k: int):
    """The extraction of a note as if it were another note (``<id>-cloneK``): same text, other IRIs."""
    from dataclasses import replace

    from confkg.model import Extraction

    note_id = f"{ex.note.note_id}-clone{k:03d}"
    note = replace(ex.note, note_id=note_id, path=f"{ex.note.path}-clone{k:03d}")
    mentions = [replace(m, note_id=note_id) for m in ex.mentions]
    by_key = {m.key: clone for m, clone in zip(ex.mentions, mentions, strict=True)}

    def moved(m):
        return by_key.get(m.key) or replace(m, note_id=note_id)

    relations = tuple(replace(r, note_id=note_id, subject=moved(r.subject), obj=None if r.obj is None else moved(r.obj))
                      for r in ex.relations)
    return Extraction(note, tuple(mentions), relations)


def _graph_quads(notes_dir: str, cache_dir: str, copies: int):
    """The quads of ``copies`` clones of the notes' extractions, through confkg's own steps."""
    from confkg.extract.cache import ExtractionCache, code_fingerprint
    from confkg.extract.extractor import Extractor
    from confkg.extract.nlp import common_words, package_name
    from confkg.graph.builder import build_quads
    from confkg.pipeline import extract_all, load_notes, series_names
    from confkg.resolve.propagate import propagate_surnames
    from confkg.resolve.resolver import resolve

    notes, _ = load_notes([notes_dir])
    extractor = Extractor.create()
    cache = ExtractionCache(Path(cache_dir), code_fingerprint(extractor.model))
    extractions, _ = extract_all(notes, extractor, cache=cache)
    many = [_clone(ex, k) for k in range(copies) for ex in extractions]
    many = propagate_surnames(many, common_words(package_name(extractor.nlp)))
    resolution = resolve((m for ex in many for m in ex.mentions), extractor.gazetteer.titles)
    return build_quads(many, resolution, series_names=series_names(extractor.gazetteer))


def count_triples(notes_dir: str, cache_dir: str, copies: int) -> dict[str, Any]:
    quads = list(_graph_quads(notes_dir, cache_dir, copies))
    return {"quads": len(quads), "triples": len({q[:3] for q in quads})}


def _queries(folder: str) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.rq"))}


def _timed(fn, runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def oxigraph(notes_dir: str, cache_dir: str, copies: int, work: str, queries: str, runs: int = 5) -> dict[str, Any]:
    """The embedded store: build it from the graph's quads, export it, run the saved queries."""
    import pyoxigraph as ox

    from confkg.outputs.export import export
    from confkg.store import GraphStore, snapshot

    memory = PeakMemory()
    work_dir = Path(work)
    started = time.perf_counter()
    quads = list(_graph_quads(notes_dir, cache_dir, copies))
    graph_seconds = time.perf_counter() - started
    started = time.perf_counter()
    store = GraphStore.build(work_dir / "store", quads)
    load = time.perf_counter() - started
    del quads
    triples = len(store)
    turtle_times, _ = _timed(lambda: export(store, "turtle", work_dir / "graph.ttl"), 3)
    # The same export without the union's Turtle that the build wrote (as after replace_graphs):
    # read from the database and sorted; the writable store then writes the file again.
    (work_dir / "store" / snapshot.FILE_NAME).unlink()
    turtle_database, _ = _timed(lambda: export(store, "turtle", work_dir / "graph-database.ttl"), 1)
    jsonld_times, _ = _timed(lambda: export(store, "jsonld", work_dir / "graph.jsonld"), 1)
    results: dict[str, Any] = {}
    for name, text in _queries(queries).items():
        times, rows = _timed(lambda text=text: len(store.query(text).rows), runs)
        results[name] = {"first": times[0], "median": sorted(times)[len(times) // 2], "rows": rows}
    store.close()
    plain = ox.Store(str(work_dir / "plain"))  # Oxigraph alone: bulk-load the Turtle file
    started = time.perf_counter()
    plain.bulk_load(path=str(work_dir / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    plain.flush()
    bulk_turtle = time.perf_counter() - started
    del plain
    return {"triples": triples, "graph_seconds": graph_seconds, "load": load, "bulk_load_turtle": bulk_turtle,
            "turtle": sorted(turtle_times)[1], "turtle_database": turtle_database[0], "jsonld": jsonld_times[0],
            "turtle_mb": (work_dir / "graph.ttl").stat().st_size / 2**20,
            "jsonld_mb": (work_dir / "graph.jsonld").stat().st_size / 2**20,
            "queries": results, "peak_mb": memory.stop()}


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def rdflib_memory(turtle: str, work: str, queries: str, timeout: int = 60) -> dict[str, Any]:
    """rdflib's memory store over the same graph: parse the Turtle (not capped), query (each query
    capped at ``timeout`` seconds), serialise (capped at five times that)."""
    from rdflib import Graph

    from confkg.vocab import PREFIXES

    memory = PeakMemory()
    signal.signal(signal.SIGALRM, _alarm)

    def capped(fn, limit: int | None = timeout):
        signal.alarm(limit or 0)
        started = time.perf_counter()
        try:
            result = fn()
        except _Timeout:
            return None, None
        finally:
            signal.alarm(0)
        return time.perf_counter() - started, result

    graph = Graph()
    load, _ = capped(lambda: graph.parse(turtle, format="turtle"), None)  # never cut: the rest needs it all
    before_queries = memory.sample() / 2**20
    results: dict[str, Any] = {}
    for name, text in _queries(queries).items():
        try:
            seconds, rows = capped(lambda text=text: len(list(graph.query(text, initNs=PREFIXES))))
        except Exception as err:  # rdflib cannot run every valid query (GROUP_CONCAT of an unbound variable)
            results[name] = {"first": None, "median": None, "rows": None, "error": type(err).__name__}
            continue
        results[name] = {"first": seconds, "median": seconds, "rows": rows}
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    turtle_seconds, _ = capped(lambda: graph.serialize(Path(work) / "rdflib.ttl", format="turtle"), 5 * timeout)
    jsonld_seconds, _ = capped(lambda: graph.serialize(Path(work) / "rdflib.jsonld", format="json-ld"), 5 * timeout)
    return {"triples": len(graph), "load": load, "turtle": turtle_seconds, "jsonld": jsonld_seconds,
            "queries": results, "timeout": timeout, "rss_after_load_mb": before_queries, "peak_mb": memory.stop()}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def push(store: str, work: str, queries: str, runs: int = 3) -> dict[str, Any]:
    """``confkg push`` of the store to a local ``oxigraph serve``, all graphs then only those a
    one-note change touches (that note's graph, the entities, the co-mentions); queries over HTTP."""
    import subprocess
    import urllib.request

    from confkg.store import GraphStore
    from confkg.store.remote import push as push_graphs
    from confkg.store.remote import remote_query
    from confkg.vocab import COMENTIONS_GRAPH, ENTITIES_GRAPH

    binary = Path(sys.executable).parent / "oxigraph"
    port = _free_port()
    server = subprocess.Popen([str(binary), "serve", "--location", str(Path(work) / "server"), "--bind",
                               f"127.0.0.1:{port}", "--union-default-graph"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        full_store = GraphStore.open(Path(store))
        graphs = full_store.graphs()
        started = time.perf_counter()
        full = push_graphs(full_store, endpoint=f"{base}/store")
        full_seconds = time.perf_counter() - started
        notes = [g for g in graphs if g not in (ENTITIES_GRAPH, COMENTIONS_GRAPH)]
        changed = [notes[len(notes) // 2], ENTITIES_GRAPH, COMENTIONS_GRAPH]
        quads = [q for g in changed for q in full_store.quads(g)]
        full_store.close()
        small = GraphStore.build(Path(work) / "changed-store", quads)
        started = time.perf_counter()
        partial = push_graphs(small, endpoint=f"{base}/store")
        partial_seconds = time.perf_counter() - started
        small.close()
        results: dict[str, Any] = {}
        for name, text in _queries(queries).items():
            times, rows = _timed(lambda text=text: len(remote_query(f"{base}/query", text).rows), runs)
            results[name] = {"first": times[0], "median": sorted(times)[len(times) // 2], "rows": rows}
        count = remote_query(f"{base}/query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        stored = int(count.rows[0][0])
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"full_seconds": full_seconds, "full_triples": full.triples, "full_requests": full.requests,
            "graphs": full.graphs, "changed_seconds": partial_seconds, "changed_triples": partial.triples,
            "changed_graphs": partial.graphs, "server_quads": stored, "queries": results}


KINDS = {"bare": bare, "build": build, "incremental": incremental, "rebuild": rebuild, "count_triples": count_triples,
         "oxigraph": oxigraph, "rdflib": rdflib_memory, "push": push}

if __name__ == "__main__":
    kind, args = sys.argv[1], json.loads(sys.argv[2])
    result = KINDS[kind](**args)
    print(json.dumps(result))
