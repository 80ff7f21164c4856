"""``confkg build``: notes in, graph store and outputs out, with progress and a summary."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from confkg.cli.options import MIN_CONFIDENCE, MODEL, OUT_DIR
from confkg.pipeline import BuildReport, build


def register(app: typer.Typer) -> None:
    app.command("build")(build_cli)


def build_cli(
    paths: list[Path] = typer.Argument(..., help="Note files or folders (searched recursively)."),
    out: Path = OUT_DIR,
    model: str | None = MODEL,
    min_confidence: float = MIN_CONFIDENCE,
    html: bool = typer.Option(True, "--html/--no-html", help="Also write the HTML explorer."),
    store_only: bool = typer.Option(False, "--store-only",
                                    help="Write only OUT/store: no Turtle, JSON-LD or HTML (write them later with "
                                         "'confkg export' and 'confkg explore'). For large corpora."),
    incremental: bool = typer.Option(True, "--incremental/--full",
                                     help="Re-extract only notes that changed since the last build into OUT and "
                                          "update its store in place; --full re-extracts all and rebuilds the store."),
    validate: bool = typer.Option(True, "--validate/--no-validate",
                                  help="Check the graph against ontology/shapes.ttl (SHACL) and warn on violations."),
    workers: int = typer.Option(1, "--workers", "-j", min=1,
                                help="Read and extract the notes in N processes on this machine "
                                     "(same graph as one process)."),
    dask: str | None = typer.Option(None, "--dask", metavar="ADDRESS",
                                    help="Extract on the Dask cluster whose scheduler is at ADDRESS "
                                         "(tcp://host:port, or a scheduler file .json)."),
) -> None:
    """Build the knowledge graph of the notes: OUT/store, OUT/graph.ttl, OUT/graph.jsonld, OUT/graph.html."""
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False, disable=not console.is_terminal) as bar:
        task = bar.add_task("reading notes", total=None)

        def on_notes(notes: list) -> None:
            bar.update(task, total=len(notes), description="extracting")

        def progress(note_id: str, words: int) -> None:
            bar.update(task, advance=1, description=f"extracted {note_id}")

        report = build([str(p) for p in paths], out, model=model, min_confidence=min_confidence, html=html,
                       outputs=not store_only, incremental=incremental, validate=validate, progress=progress,
                       on_notes=on_notes, workers=workers, dask=dask)
        bar.update(task, description="done")
    for err in report.errors:
        typer.secho(f"skipped {err}", fg="yellow", err=True)
    Console().print(summary_table(report))
    if report.violations:
        typer.secho(f"warning: {report.violations} SHACL violations in the graph (outputs written anyway); "
                    f"see 'confkg validate --out {out}'", fg="yellow", err=True)


def summary_table(report: BuildReport) -> Table:
    table = Table(title=f"confkg build -> {report.out_dir}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("notes", str(len(report.notes)))
    table.add_row("  extracted", str(report.extracted))
    table.add_row("  unchanged", str(len(report.notes) - report.extracted))
    if report.errors:
        table.add_row("notes skipped", str(len(report.errors)))
    for type_, n in report.entities_per_type.items():
        table.add_row(f"  {type_}", str(n))
    table.add_row("entities", str(sum(report.entities_per_type.values())))
    table.add_row("mentions", str(report.mentions))
    table.add_row("relations", str(report.relations))
    table.add_row("triples", str(report.triples))
    store = "built anew" if report.store_update == "full" else f"updated in place ({report.changed_graphs} note graphs)"
    table.add_row("store", store)
    table.add_row("seconds", f"{report.seconds:.1f}")
    for p in report.outputs:
        table.add_row("wrote", str(p))
    for p in report.kept:
        table.add_row("unchanged", str(p))
    return table
