"""How long the explorer takes to write and to open, on a generated graph of 5,000 entities.

    python bench/explorer_bench.py                 # 5,000 entities, prints a table
    python bench/explorer_bench.py --nodes 20000   # another size
    python bench/explorer_bench.py --rdflib        # also time the rdflib path (slow)
    python bench/explorer_bench.py --open out/graph.html  # only time opening a page
    python bench/explorer_bench.py --screenshot docs/explorer.png --page out/graph.html

The graph has the shape the pipeline writes: typed, labelled entities with aliases, notes with
sections, a Mention (note, line, offsets, sentence, confidence) for every time an entity is
named, relations as direct triples plus reified Assertions, and CoMention links between the
entities named in the same section; hub entities are named far more often than the rest.
It is loaded into a confkg GraphStore (Oxigraph), the page is written from the store, and
opened in headless Chromium (Debian's, through Playwright), offline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from confkg.outputs.explorer import explorer_data, render_explorer, write_explorer, write_explorer_from_store
from confkg.outputs.explorer_browser import browser_unavailable, chromium_context, open_offline, screenshot
from confkg.store import GraphStore
from confkg.vocab import CKG, ID

TYPES = ("Person", "Organization", "Event", "Talk", "Paper", "Artifact", "Topic")
PREDICATES = {  # subject type -> (predicate, object type)
    "Talk": ("speaker", "Person"),
    "Paper": ("about", "Topic"),
    "Person": ("affiliation", "Organization"),
    "Artifact": ("developer", "Organization"),
    "Event": ("subEventOf", "Event"),
    "Organization": ("about", "Topic"),
    "Topic": ("about", "Topic"),
}
WORDS = ("deep", "sparse", "neural", "graph", "robust", "scalable", "learning", "attention", "policy", "agent", "data")


def synthetic_quads(n: int, seed: int = 1) -> Iterator[tuple]:
    """Quads of a graph of ``n`` entities, about 3 links per entity, in the pipeline's shape."""
    rng = random.Random(seed)
    ents = [(URIRef(f"{ID}{TYPES[i % 7].lower()}/e{i}"), TYPES[i % 7]) for i in range(n)]
    by_type: dict[str, list[URIRef]] = {t: [e for e, tt in ents if tt == t] for t in TYPES}
    g = URIRef(f"{ID}graph/entities")
    for i, (e, t) in enumerate(ents):
        words = " ".join(rng.choice(WORDS).title() for _ in range(2 + i % 3))
        yield e, RDF.type, CKG[t], g
        yield e, RDFS.label, Literal(f"{words} {i}"), g
        if i % 5 == 0:
            yield e, SKOS.altLabel, Literal(f"E{i}"), g

    everyone = [e for e, _ in ents]

    def pick(pool: list[URIRef]) -> URIRef:
        return pool[int(len(pool) * rng.random() ** 2.5)]  # skewed: hubs come first

    notes = max(4, n // 20)
    sections_per_note = 8
    line = 0
    for k in range(notes):
        note = URIRef(f"{ID}note/n{k}")
        ng = URIRef(f"{ID}graph/n{k}")
        yield note, RDF.type, CKG.Note, ng
        yield note, DCTERMS.title, Literal(f"Conference notes {k}"), ng
        yield note, CKG.path, Literal(f"notes/n{k}.md"), ng
        yield note, CKG.event, by_type["Event"][k % len(by_type["Event"])], ng
        for s in range(sections_per_note):
            section = URIRef(f"{note}/section/{s}")
            yield section, RDF.type, CKG.Section, ng
            yield section, CKG.sectionOf, note, ng
            yield section, CKG.heading, Literal(f"Session {s}"), ng
            named = sorted({pick(everyone) for _ in range(4)})
            offset = 1000 * s
            for e in named:
                line += 1
                label = f"entity {e.rsplit('e', 1)[1]}"
                sentence = f"Then {label} came up, with more on {rng.choice(WORDS)} {rng.choice(WORDS)} methods."
                m = URIRef(f"{note}/mention/{offset}-{line}")
                for p, o in (
                    (RDF.type, CKG.Mention), (CKG.refersTo, e), (CKG.inNote, note), (CKG.inSection, section),
                    (CKG.line, Literal(line)), (CKG.start, Literal(offset + 5)),
                    (CKG.end, Literal(offset + 5 + len(label))), (CKG.exact, Literal(label)),
                    (CKG.sentence, Literal(sentence)), (CKG.sentenceStart, Literal(offset)),
                    (CKG.sentenceEnd, Literal(offset + len(sentence))),
                    (CKG.confidence, Literal("0.8", datatype=XSD.decimal)),
                ):
                    yield m, p, o, ng
                yield note, CKG.mentions, e, ng
            for a_i, a in enumerate(named):
                for b in named[a_i + 1 :]:
                    c = URIRef(f"{note}/comention/{s}/{a.rsplit('/', 1)[1]}-{b.rsplit('/', 1)[1]}")
                    for p, o in (
                        (RDF.type, CKG.CoMention), (CKG.coMentioned, a), (CKG.coMentioned, b),
                        (CKG.weight, Literal(1)), (CKG.inSection, section),
                        (CKG.confidence, Literal("0.3", datatype=XSD.decimal)),
                    ):
                        yield c, p, o, ng
    for i, (e, t) in enumerate(ents):
        pred, target_type = PREDICATES[t]
        o = pick(by_type[target_type])
        if o == e:
            continue
        k = i % notes
        note, ng = URIRef(f"{ID}note/n{k}"), URIRef(f"{ID}graph/n{k}")
        yield e, CKG[pred], o, ng
        a = URIRef(f"{note}/assertion/{i}")
        sentence = f"A sentence that says entity {i} has {pred} entity {o.rsplit('e', 1)[1]}."
        for p, v in (
            (RDF.type, CKG.Assertion), (RDF.subject, e), (RDF.predicate, CKG[pred]), (RDF.object, o),
            (CKG.inNote, note), (CKG.line, Literal(i)), (CKG.sentence, Literal(sentence)),
            (CKG.start, Literal(100)), (CKG.end, Literal(100 + len(sentence))), (CKG.sentenceStart, Literal(100)),
            (CKG.confidence, Literal(str(round(0.5 + 0.5 * rng.random(), 2)), datatype=XSD.decimal)),
        ):
            yield a, p, v, ng


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def open_figures(html: Path, repeat: int) -> dict[str, float]:
    """Median seconds, in headless Chromium, to open and draw, to show all, to select, to switch links."""
    out: dict[str, list[float]] = {}
    with chromium_context() as context:
        for _ in range(repeat):
            t0 = time.perf_counter()
            page, log = open_offline(context, html, timeout=300)
            out.setdefault("open until first draw (wall)", []).append(time.perf_counter() - t0)
            out.setdefault("first draw after navigation start (page clock)", []).append(
                page.evaluate("ckg.firstDrawMs") / 1000
            )
            shown = page.evaluate("ckg.visibleNodeIds().length")
            out.setdefault("nodes drawn at opening", []).append(shown)

            def draw_after(action: str, page: object = page) -> float:
                return page.evaluate(  # type: ignore[attr-defined]
                    """action => new Promise(done => { const t0 = performance.now();
                         network.once('afterDrawing', () => done((performance.now() - t0) / 1000));
                         if (action === 'all') document.getElementById('show-all').click();
                         else if (action === 'both') document.querySelector('input[value=both]').click();
                         else if (action === 'select') ckg.selectNode(0);
                         network.redraw(); })""",
                    action,
                )

            if not page.is_hidden("#more-box"):
                out.setdefault("'show all' until drawn", []).append(draw_after("all"))
            out.setdefault("nodes drawn after 'show all'", []).append(page.evaluate("ckg.visibleNodeIds().length"))
            out.setdefault("select the top hub until drawn", []).append(draw_after("select"))
            out.setdefault("links: relations -> both, until drawn", []).append(draw_after("both"))
            out.setdefault("links drawn in 'both'", []).append(page.evaluate("ckg.visibleEdgeIds().length"))
            if log.problems():
                raise RuntimeError("; ".join(log.problems()))
            page.close()
    return {k: statistics.median(v) for k, v in out.items()}


def bench(nodes: int, repeat: int, with_rdflib: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        quads = list(synthetic_quads(nodes))
        load, store = timed(lambda: GraphStore.build(tmp_path / "store", quads))
        rows: list[tuple[str, str]] = [
            ("entities", f"{nodes:,}"),
            ("triples", f"{len(store):,}"),
            ("load into the store", f"{load:.2f} s"),
        ]
        seconds, page = timed(lambda: write_explorer_from_store(store, tmp_path / "graph.html"), repeat)
        rows.append(("write the page from the store just built (as build does)", f"{seconds:.2f} s"))
        store.close()
        store = GraphStore.open(tmp_path / "store")
        seconds, page = timed(lambda: write_explorer_from_store(store, tmp_path / "graph.html"), repeat)
        rows.append(("write the page from the store opened read-only (as explore does)", f"{seconds:.2f} s"))
        seconds, data = timed(lambda: explorer_data(store), repeat)
        rows.append(("  of which: read the graph, PageRank, layout", f"{seconds:.2f} s"))
        seconds, _ = timed(lambda: render_explorer(data).encode("utf-8"), repeat)  # type: ignore[arg-type]
        rows.append(("  of which: render the HTML (pyvis, Jinja, JSON)", f"{seconds:.2f} s"))
        rows.append(("page size", f"{page.stat().st_size / 1e6:.1f} MB"))
        if with_rdflib:
            from rdflib import Graph

            def copy_into_rdflib() -> Graph:
                graph = Graph()
                for triple in store.triples():
                    graph.add(triple)
                return graph

            copy, graph = timed(copy_into_rdflib)  # once: it is slow
            seconds, _ = timed(lambda: write_explorer(graph, tmp_path / "graph-rdflib.html"))
            rows.append(("copy the store into an rdflib Graph", f"{copy:.2f} s"))
            rows.append(("write the page from the rdflib Graph", f"{seconds:.2f} s"))
        reason = browser_unavailable()
        if reason:
            rows.append(("browser", f"skipped: {reason}"))
        else:
            for name, value in open_figures(page, repeat).items():
                rows.append((name, f"{value:,.0f}" if name.startswith(("nodes", "links drawn")) else f"{value:.2f} s"))
        store.close()
    width = max(len(k) for k, _ in rows)
    print(f"explorer benchmark: {nodes:,} entities, median of {repeat}")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib", action="store_true", help="also time the rdflib path")
    parser.add_argument("--screenshot", type=Path, help="write a PNG of --page instead of benchmarking")
    parser.add_argument("--page", type=Path, default=Path("out/graph.html"))
    parser.add_argument("--search", default="Wes McKinney", help="entity to find before the screenshot")
    parser.add_argument("--open", type=Path, help="only time opening this page in Chromium")
    args = parser.parse_args(argv)
    if args.open:
        for name, value in open_figures(args.open, args.repeat).items():
            shown = f"{value:,.0f}" if name.startswith(("nodes", "links drawn")) else f"{value:.2f} s"
            print(f"  {name:<48}  {shown}")
        return 0
    if args.screenshot:
        screenshot(args.page, args.screenshot, search=args.search or None)
        print(f"wrote {args.screenshot}")
        return 0
    bench(args.nodes, args.repeat, args.rdflib)
    return 0


if __name__ == "__main__":
    sys.exit(main())
