"""``confkg query``: read-only SPARQL over the built graph."""

from __future__ import annotations

from pathlib import Path

import typer

from confkg.cli.options import OUT_DIR
from confkg.errors import QueryError
from confkg.pipeline import STORE_DIR


def register(app: typer.Typer) -> None:
    app.command("query")(query_cli)


def query_cli(
    sparql: str | None = typer.Argument(None, help="SPARQL 1.1 SELECT, ASK or CONSTRUCT query text."),
    file: Path | None = typer.Option(None, "--file", "-f", help="Read the query from a .rq file."),
    out: Path = OUT_DIR,
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Run a read-only SPARQL query (prefixes ckg:, schema:, skos:, rdfs:, ... are predeclared)."""
    from confkg.outputs.export import format_results
    from confkg.store import GraphStore

    if fmt not in {"table", "csv", "json"}:
        raise typer.BadParameter("use table, csv or json", param_hint="--format")
    if (sparql is None) == (file is None):
        raise QueryError("give a query text or --file, not both and not neither")
    text = file.read_text(encoding="utf-8") if file is not None else sparql
    store = GraphStore.open(out / STORE_DIR)
    result = store.query(text or "")
    typer.echo(format_results(result, fmt))
