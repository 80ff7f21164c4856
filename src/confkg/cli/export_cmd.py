"""``confkg export`` and ``confkg explore``: files from the built graph."""

from __future__ import annotations

from pathlib import Path

import typer

from confkg.cli.options import MIN_CONFIDENCE, OUT_DIR
from confkg.pipeline import STORE_DIR

FORMATS = ("turtle", "jsonld", "ntriples", "trig", "nquads")


def register(app: typer.Typer) -> None:
    app.command("export")(export_cli)
    app.command("explore")(explore_cli)


def export_cli(
    fmt: str = typer.Option("turtle", "--format", help="turtle, jsonld, ntriples, trig or nquads."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write."),
    out: Path = OUT_DIR,
    min_confidence: float = MIN_CONFIDENCE,
) -> None:
    """Export the whole graph (provenance included); TriG and N-Quads keep one named graph per note."""
    from confkg.outputs.export import export_filtered
    from confkg.store import GraphStore

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    path = export_filtered(GraphStore.open(out / STORE_DIR), fmt, output, min_confidence=min_confidence)
    typer.echo(f"wrote {path}")


def explore_cli(
    output: Path = typer.Option(Path("graph.html"), "--output", "-o", help="HTML file to write."),
    out: Path = OUT_DIR,
    min_confidence: float = MIN_CONFIDENCE,
) -> None:
    """Write the interactive HTML explorer: one self-contained file that works offline."""
    from confkg.outputs.explorer import write_explorer
    from confkg.pipeline import store_graph
    from confkg.store import GraphStore

    graph = store_graph(GraphStore.open(out / STORE_DIR))
    path = write_explorer(graph, output, min_confidence=min_confidence)
    typer.echo(f"wrote {path}")
