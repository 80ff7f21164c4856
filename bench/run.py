"""Speed and scale benchmark: confkg beside bare spaCy and beside rdflib, in one run (``make bench``).

usage: python bench/run.py [--quick] [--scales 1,4,16] [--base-words 40000] [--triples 1000000]
                           [--only throughput,rdf,incremental] [--no-write]

Prints, side by side, and writes between the markers of ``bench/RESULTS.md``:

1. build throughput (words/s) of ``confkg build`` (the library call, first build into a fresh
   folder, no HTML, no SHACL) and of bare ``nlp.pipe`` with the same model and components over
   the same text (the sections confkg gives the model), their ratio and peak memory, with 1
   and 2 processes, at 1x, 4x and 16x a subsample of the corpus (``--base-words`` words);
   at 1x also the default build (HTML explorer and SHACL validation) and a Dask LocalCluster;
2. at about ``--triples`` triples (the 1x notes' extractions cloned under other note names,
   through confkg's own resolution and graph builder): load, Turtle and JSON-LD export and
   every saved query of ``queries/*.rq``, in the embedded store (Oxigraph on disk) and in
   rdflib's memory store (each rdflib step capped at ``--rdflib-timeout`` seconds);
3. incremental rebuild after editing one note of the corpus cut into ~1,000 notes, against
   the full build, both writing only the store (``--store-only``), each build in a fresh
   process; also with nothing changed, and after an edit with Turtle and JSON-LD written.

Every measurement runs in its own process (``bench/measure.py``). The corpus is read from
``../shared/corpus`` (else ``data/notes``) and copied only to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import machine, render  # noqa: E402
from workload import SAMPLE_NOTES, corpus_files, corpus_name, replicate, split_notes, subsample  # noqa: E402

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "RESULTS.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PARTS = ("throughput", "rdf", "incremental")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def measure(kind: str, **args: Any) -> dict[str, Any]:
    """Run one measurement in a fresh process; its last stdout line is its JSON result."""
    args = {k: str(v) if isinstance(v, Path) else v for k, v in args.items()}
    done = subprocess.run([sys.executable, str(BENCH / "measure.py"), kind, json.dumps(args)],
                          capture_output=True, text=True, cwd=REPO, timeout=3 * 3600)
    if done.returncode != 0:
        raise RuntimeError(f"measure {kind} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_average"] = os.getloadavg()[0]
    return result


def base_notes(tmp: Path, base_words: int) -> tuple[Path, int]:
    """The "1x" subsample (made once per run)."""
    base = tmp / "x1"
    if not base.is_dir():
        words = subsample(corpus_files(), base_words, base)
        log(f"1x = {words} words in {len(list(base.iterdir()))} files of {corpus_name()}")
    return base, sum(len(p.read_text(encoding="utf-8").split()) for p in base.iterdir())


def throughput(tmp: Path, scales: list[int], base_words: int) -> dict[str, Any]:
    base, words = base_notes(tmp, base_words)
    rows = []
    for scale in scales:
        folder = base if scale == 1 else replicate(base, scale, tmp / f"x{scale}")
        for processes in (1, 2):
            bare = measure("bare", notes_dir=folder, n_process=processes)
            log(f"{scale}x bare nlp.pipe, {processes} process(es): {bare['seconds']:.1f} s")
            out = tmp / f"out-x{scale}-w{processes}"
            built = measure("build", notes_dir=folder, out=out, workers=processes)
            log(f"{scale}x confkg build, {processes} worker(s): {built['seconds']:.1f} s, {built['triples']} triples")
            rows.append({"scale": scale, "processes": processes, "bare": bare, "build": built})
    extra = {}
    if 1 in scales:
        extra["default"] = measure("build", notes_dir=base, out=tmp / "out-x1-default", html=True, validate=True)
        log(f"1x confkg build with HTML and SHACL: {extra['default']['seconds']:.1f} s")
        try:
            extra["dask"] = measure("build", notes_dir=base, out=tmp / "out-x1-dask", dask_workers=2)
            log(f"1x confkg build on a Dask LocalCluster of 2 workers: {extra['dask']['seconds']:.1f} s")
        except RuntimeError as err:
            log(f"Dask run failed: {err}")
    return {"base_words": words, "rows": rows, **extra}


def rdf(tmp: Path, target: int, timeout: int, base_words: int) -> dict[str, Any]:
    x1, _ = base_notes(tmp, base_words)
    base = tmp / "rdf-notes"  # the 1x notes and the sample notes (talks, speakers: every saved query has rows)
    shutil.copytree(x1, base)
    for path in sorted(SAMPLE_NOTES.iterdir()):
        shutil.copy(path, base / f"sample-{path.name}")
    cache = tmp / "out-rdf-notes" / "cache"
    measure("build", notes_dir=base, out=cache.parent)  # extracts them once, into the cache
    one = measure("count_triples", notes_dir=base, cache_dir=cache, copies=1)["triples"]
    two = measure("count_triples", notes_dir=base, cache_dir=cache, copies=2)["triples"]
    per_copy = max(1, two - one)
    copies = max(1, round((target - (one - per_copy)) / per_copy))
    log(f"graph: {one} triples per copy of the 1x notes (+{per_copy} per clone): {copies} clones")
    work = tmp / "rdf"
    work.mkdir()
    ox = measure("oxigraph", notes_dir=base, cache_dir=cache, copies=copies, work=work, queries=REPO / "queries")
    log(f"Oxigraph: {ox['triples']} triples, load {ox['load']:.1f} s, Turtle {ox['turtle']:.2f} s")
    rl = measure("rdflib", turtle=work / "graph.ttl", work=work, queries=REPO / "queries", timeout=timeout)
    log(f"rdflib: load {rl['load']} s, Turtle {rl['turtle']} s")
    result = {"copies": copies, "oxigraph": ox, "rdflib": rl}
    try:
        result["push"] = measure("push", store=work / "store", work=work, queries=REPO / "queries")
        log(f"push to oxigraph serve: {result['push']['full_seconds']:.1f} s")
    except RuntimeError as err:
        log(f"push to oxigraph serve failed: {err}")
    return result


def incremental(tmp: Path, notes: int, quick: bool = False) -> dict[str, Any]:
    folder = tmp / "split"
    files = sorted((tmp / "x1").iterdir()) if quick and (tmp / "x1").is_dir() else corpus_files()
    written = split_notes(files, folder, notes)
    log(f"incremental: {len(written)} notes")
    result = measure("incremental", notes_dir=folder, out=tmp / "out-split")
    log(f"full build {result['full']:.1f} s, one note changed {result['one_changed']:.1f} s")
    return result


def write_results(markdown: str, path: Path = RESULTS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Speed benchmark\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(f"{head}{START}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the bench in a few minutes")
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--base-words", type=int, default=40_000)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--incremental-notes", type=int, default=1_000)
    parser.add_argument("--rdflib-timeout", type=int, default=60)
    parser.add_argument("--only", default=",".join(PARTS),
                        help="parts to measure; the others are kept from the last bench/results.json")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--render", action="store_true", help="measure nothing: rewrite bench/RESULTS.md "
                        "from bench/results.json")
    args = parser.parse_args(argv)
    if args.render:
        write_results(render(json.loads((BENCH / "results.json").read_text(encoding="utf-8"))))
        return 0
    if args.quick:
        args.scales, args.base_words, args.triples, args.incremental_notes = "1,4", 5_000, 100_000, 100
        args.rdflib_timeout = 20
    scales = [int(s) for s in args.scales.split(",")]
    parts = set(args.only.split(","))
    results: dict[str, Any] = {"machine": machine(), "corpus": corpus_name(),
                               "started": time.strftime("%Y-%m-%d %H:%M"), "load_average_start": os.getloadavg()}
    started = time.perf_counter()
    if parts != set(PARTS) and (BENCH / "results.json").exists() and not args.no_write:
        previous = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
        results.update({k: previous[k] for k in PARTS if k in previous and k not in parts})  # keep the rest
    with tempfile.TemporaryDirectory(prefix="confkg-bench-") as tmp:
        if "throughput" in parts:
            results["throughput"] = throughput(Path(tmp), scales, args.base_words)
        if "rdf" in parts:
            results["rdf"] = rdf(Path(tmp), args.triples, args.rdflib_timeout, args.base_words)
        if "incremental" in parts:
            results["incremental"] = incremental(Path(tmp), args.incremental_notes, args.quick)
    for part in parts & set(PARTS):
        results[part]["measured"] = results["started"]
    results["minutes"] = (time.perf_counter() - started) / 60
    results["load_average_end"] = os.getloadavg()
    markdown = render(results)
    print(markdown)
    if not args.no_write:
        write_results(markdown)
        (BENCH / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
        log(f"wrote {RESULTS.relative_to(REPO)} and bench/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
