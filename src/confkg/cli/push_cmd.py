"""``confkg push``: load the built graph into another triple store over HTTP."""

from __future__ import annotations

from pathlib import Path

import typer

from confkg.cli.options import OUT_DIR
from confkg.pipeline import STORE_DIR


def register(app: typer.Typer) -> None:
    app.command("push")(push_cli)


def push_cli(
    out: Path = OUT_DIR,
    endpoint: str | None = typer.Option(
        None, "--endpoint", "-e",
        help="SPARQL 1.1 Graph Store Protocol URL (Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DS/data)."),
    update: str | None = typer.Option(
        None, "--update", "-u", help="SPARQL 1.1 Update URL instead (Oxigraph /update, Fuseki /DS/update)."),
    graph: str | None = typer.Option(
        None, "--graph", "-g", help="Put the union of all graphs into this one named graph (IRI)."),
    chunk_size: int = typer.Option(20_000, "--chunk-size", min=1, help="Triples per request."),
    auth: str | None = typer.Option(None, "--auth", envvar="CONFKG_AUTH",
                                    help="user:password for HTTP Basic authentication (or $CONFKG_AUTH)."),
) -> None:
    """Upload the graph, one named graph per note plus entities and co-mentions; pushing again replaces them."""
    from confkg.store import GraphStore
    from confkg.store.remote import push

    if (endpoint is None) == (update is None):
        raise typer.BadParameter("give --endpoint (Graph Store Protocol) or --update (SPARQL Update)",
                                 param_hint="--endpoint/--update")
    store = GraphStore.open(out / STORE_DIR)
    report = push(store, endpoint=endpoint, update=update, graph=graph, chunk_size=chunk_size, auth=auth)
    where = f"graph <{graph}>" if graph else f"{report.graphs} named graphs"
    typer.echo(f"pushed {report.triples:,} triples into {where} at {report.target} "
               f"({report.requests} requests, {report.seconds:.1f} s)")
