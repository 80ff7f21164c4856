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
    infer: bool = typer.Option(False, "--infer",
                               help="Query with the ontology and its entailments (schema:Person, foaf:Person...)."),
    reasoner: str = typer.Option("closure", "--reasoner",
                                 help="With --infer: closure (subclass/subproperty, fast) or owlrl (OWL 2 RL, slow)."),
    endpoint: str | None = typer.Option(None, "--endpoint", "-e", help="Query this remote SPARQL endpoint instead."),
    auth: str | None = typer.Option(None, "--auth", envvar="CONFKG_AUTH", help="user:password for --endpoint."),
) -> None:
    """Run a read-only SPARQL query (prefixes ckg:, schema:, skos:, rdfs:, ... are predeclared)."""
    from confkg.outputs.export import format_results
    from confkg.store import GraphStore

    if fmt not in {"table", "csv", "json"}:
        raise typer.BadParameter("use table, csv or json", param_hint="--format")
    if (sparql is None) == (file is None):
        raise QueryError("give a query text or --file, not both and not neither")
    if reasoner not in {"closure", "owlrl"}:
        raise typer.BadParameter("use closure or owlrl", param_hint="--reasoner")
    if endpoint is not None and infer:
        raise typer.BadParameter("--infer works on the local store, not with --endpoint", param_hint="--infer")
    text = file.read_text(encoding="utf-8") if file is not None else sparql
    if endpoint is not None:
        from confkg.store.remote import remote_query

        result = remote_query(endpoint, text or "", auth=auth)
    elif infer:
        from confkg.graph.reasoning import query_with_inference

        result = query_with_inference(GraphStore.open(out / STORE_DIR), text or "", reasoner)
    else:
        store = GraphStore.open(out / STORE_DIR)
        result = store.query(text or "")
    typer.echo(format_results(result, fmt))
