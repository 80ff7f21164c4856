"""``confkg validate``: check the graph against the SHACL shapes of ``ontology/shapes.ttl``."""

from __future__ import annotations

from pathlib import Path

import typer

from confkg.cli.options import OUT_DIR
from confkg.pipeline import STORE_DIR


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cli)


def validate_cli(
    graph_file: Path | None = typer.Argument(
        None, help="RDF file to check (.ttl, .nt, .trig, .nq, .jsonld, .rdf); default: the store in OUT."),
    out: Path = OUT_DIR,
    sample: int | None = typer.Option(
        None, "--sample", min=1,
        help="Check at most N mentions, assertions and co-mentions each (entities, notes, sections: all)."),
    limit: int = typer.Option(50, "--limit", min=0, help="Show at most N nodes with violations (0: all)."),
) -> None:
    """Validate the graph with pySHACL; print each violation (node, path, message); exit 1 if any."""
    from confkg.graph.validate import validate_file, validate_store
    from confkg.store import GraphStore

    if graph_file is not None:
        if sample is not None:
            raise typer.BadParameter("--sample applies to the store, not to a file", param_hint="--sample")
        report = validate_file(graph_file)
    else:
        report = validate_store(GraphStore.open(out / STORE_DIR), sample=sample)
    typer.echo(report.format(limit))
    if not report.conforms:
        raise typer.Exit(1)
