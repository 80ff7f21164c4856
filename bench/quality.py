"""Quality benchmark: confkg beside a bare-spaCy baseline, on the gold notes and on CrossNER.

usage: python bench/quality.py [--write-readme README.md]

Why a baseline in the same run: a number alone says little; the same model's bare NER shows
what the rules, gazetteers and resolution add. Two measures, each for both systems:

- the sample notes (``data/notes``) against the hand-written gold of ``<repo>/../shared/gold``:
  confkg builds its graph; the baseline graph holds one entity per distinct (type, text) that
  bare spaCy NER finds in each note's raw text. Both are scored by ``confkg.evaluation.gold``;
- CrossNER's AI dev split (``<repo>/../shared/eval/crossner_ai/dev.txt``), typed spans.

Prints a markdown table; ``--write-readme FILE`` also puts it between the markers
``<!-- quality:start -->`` and ``<!-- quality:end -->`` of FILE (left untouched without them).
A missing shared folder skips its part with a message.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from confkg.evaluation.gold import TYPES, GoldReport, evaluate, graph_from_file, load_gold, score_graph
from confkg.evaluation.ner import NER_TYPES, NerReport, evaluate_ner, spacy_model_name, spacy_spans
from confkg.evaluation.report import Score

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NOTES = REPO / "data" / "notes"
GOLD = SHARED / "gold"
CROSSNER_DEV = SHARED / "eval" / "crossner_ai" / "dev.txt"
START, END = "<!-- quality:start -->", "<!-- quality:end -->"


def baseline_turtle(notes_dir: Path, path: Path, model: str | None = None) -> int:
    """Bare spaCy NER over each note's raw text, one entity per distinct (type, text), as Turtle."""
    from rdflib import RDF, RDFS, Graph, Literal, URIRef

    from confkg.pipeline import load_notes
    from confkg.vocab import CLASS_OF_TYPE, ID

    notes, _ = load_notes([notes_dir])
    found = sorted({(s.type, s.text.strip()) for spans in spacy_spans([n.source for n in notes], model)
                    for s in spans if s.text.strip()})
    g = Graph()
    for i, (type_, text) in enumerate(found):
        node = URIRef(f"{ID}baseline/{type_.lower()}/{i}")
        g.add((node, RDF.type, CLASS_OF_TYPE[type_]))
        g.add((node, RDFS.label, Literal(text)))
    g.serialize(path, format="turtle")
    return len(found)


def gold_reports(model: str | None = None) -> tuple[GoldReport, GoldReport]:
    confkg = evaluate(GOLD, notes_dir=NOTES, model=model)
    with tempfile.TemporaryDirectory(prefix="confkg-quality-") as tmp:
        path = Path(tmp) / "baseline.ttl"
        baseline_turtle(NOTES, path, model)
        baseline = score_graph(graph_from_file(path), load_gold(GOLD), source="bare spaCy NER", gold_dir=str(GOLD))
    return confkg, baseline


def _cells(s: Score) -> str:
    return f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}"


def markdown_table(gold: tuple[GoldReport, GoldReport] | None, ner: tuple[NerReport, NerReport] | None,
                   model: str) -> str:
    """Rows: entity types on the gold notes, then CrossNER micro and per type; confkg beside the baseline."""
    rows = ["| measure | confkg P | confkg R | confkg F1 | spaCy P | spaCy R | spaCy F1 |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    if gold:
        ours, theirs = ({r.type: r.score for r in rep.entities} for rep in gold)
        rows += [f"| notes: {t} | {_cells(ours[t])} | {_cells(theirs[t])} |" for t in TYPES]
        rows.append(f"| notes: all entities | {_cells(gold[0].overall)} | {_cells(gold[1].overall)} |")
    if ner:
        rows.append(f"| CrossNER AI dev: micro | {_cells(ner[0].micro)} | {_cells(ner[1].micro)} |")
        rows += [f"| CrossNER AI dev: {t} | {_cells(ner[0].per_type[t])} | {_cells(ner[1].per_type[t])} |"
                 for t in NER_TYPES]
    parts = []
    if gold:
        parts.append(f"{len(gold[0].docs)} sample notes against `shared/gold`")
    if ner:
        parts.append(f"CrossNER AI dev split ({ner[0].sentences} sentences, exact typed spans)")
    caption = (f"Measured by `bench/quality.py`: {'; '.join(parts)}. "
               f"Baseline: bare spaCy `{model}` NER (PERSON, ORG, EVENT, PRODUCT).")
    return caption + "\n\n" + "\n".join(rows)


def write_readme(readme: Path, block: str) -> bool:
    """Replace what lies between the quality markers; leave the file as it is when they are missing."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        print(f"{readme}: no '{START}' ... '{END}' markers; left untouched", file=sys.stderr)
        return False
    new = text[: start + len(START)] + "\n" + block + "\n" + text[end:]
    if new != text:
        tmp = readme.with_name(f".{readme.name}.tmp")
        tmp.write_text(new, encoding="utf-8")
        tmp.replace(readme)
    print(f"{readme}: quality table updated", file=sys.stderr)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="confkg quality beside a bare-spaCy baseline.")
    parser.add_argument("--write-readme", type=Path, metavar="FILE", help="put the table between the markers of FILE")
    parser.add_argument("--model", default=None, help="spaCy model (default: the installed en_core_web_sm)")
    args = parser.parse_args(argv)
    model = spacy_model_name(args.model)
    started = time.perf_counter()
    gold = ner = None
    if GOLD.is_dir():
        gold = gold_reports(args.model)
    else:
        print(f"{GOLD}: not found; skipping the gold notes", file=sys.stderr)
    if CROSSNER_DEV.is_file():
        ner = (evaluate_ner(CROSSNER_DEV, model=args.model), evaluate_ner(CROSSNER_DEV, baseline=True, model=model))
    else:
        print(f"{CROSSNER_DEV}: not found; skipping CrossNER", file=sys.stderr)
    if gold is None and ner is None:
        print(f"nothing to measure: the shared folder ({SHARED}) is missing", file=sys.stderr)
        return 0
    table = markdown_table(gold, ner, model)
    print(table)
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    if args.write_readme is not None:
        write_readme(args.write_readme, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
