"""``confkg eval`` and ``confkg eval-ner``: how good the graph and the extraction are, in numbers."""

from __future__ import annotations

from pathlib import Path

import typer

from confkg.cli.options import MODEL

FORMATS = ("table", "json")


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cli)
    app.command("eval-ner")(eval_ner_cli)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise typer.BadParameter("use table or json", param_hint="--format")


def eval_cli(
    gold_dir: Path = typer.Argument(..., help="Folder of gold JSON files (one per note, same stem)."),
    graph: Path | None = typer.Option(None, "--graph", help="Score this Turtle, N-Triples or JSON-LD file."),
    notes: Path | None = typer.Option(None, "--notes", help="Build these notes in a temporary folder and score them."),
    out: Path | None = typer.Option(None, "--out", "-d", help="Score the store built in OUT/store [default: out]."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    docs: str | None = typer.Option(None, "--docs", help="Only these gold files (and notes), by stem: a,b."),
    model: str | None = MODEL,
) -> None:
    """Precision, recall and F1 of entities per type, relation and talk recall, against gold files."""
    from confkg.evaluation.gold import evaluate
    from confkg.evaluation.report import gold_table, gold_to_dict, to_json

    _check_format(fmt)
    if sum(x is not None for x in (graph, notes, out)) > 1:
        raise typer.BadParameter("give only one of --graph, --notes, --out")
    stems = [d.strip() for d in docs.split(",") if d.strip()] if docs else None
    report = evaluate(gold_dir, graph_file=graph, notes_dir=notes, out_dir=out, docs=stems, model=model)
    typer.echo(to_json(gold_to_dict(report)) if fmt == "json" else gold_table(report))


def eval_ner_cli(
    file: Path = typer.Argument(..., help="CoNLL-style file: token<TAB>BIO-tag lines, blank line between sentences."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N sentences."),
    baseline: bool = typer.Option(False, "--baseline", help="Score bare spaCy NER (same model) instead of confkg."),
    model: str | None = MODEL,
) -> None:
    """Typed-span precision, recall and F1 of the extraction on CoNLL NER data (Person, Organization, Event,
    Artifact)."""
    from confkg.evaluation.ner import evaluate_ner
    from confkg.evaluation.report import ner_table, ner_to_dict, to_json

    _check_format(fmt)
    report = evaluate_ner(file, limit=limit, baseline=baseline, model=model)
    typer.echo(to_json(ner_to_dict(report)) if fmt == "json" else ner_table(report))
