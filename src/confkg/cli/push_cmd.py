"""``confkg push``: load the built graph into another triple store over HTTP."""

from __future__ import annotations

import json
import os
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
    changed: bool = typer.Option(
        False, "--changed",
        help="Send only the graphs that changed since the last --changed push to this target; empty the "
             "graphs of deleted notes."),
) -> None:
    """Upload the graph, one named graph per note plus entities and co-mentions; pushing again replaces them."""
    from confkg.store import GraphStore
    from confkg.store.remote import push

    if (endpoint is None) == (update is None):
        raise typer.BadParameter("give --endpoint (Graph Store Protocol) or --update (SPARQL Update)",
                                 param_hint="--endpoint/--update")
    if changed and graph is not None:
        raise typer.BadParameter("--changed sends named graphs; it cannot be combined with --graph",
                                 param_hint="--changed")
    store = GraphStore.open(out / STORE_DIR)
    target = endpoint or update or ""
    state = _read_state(out / PUSH_STATE) if changed else {}
    report = push(store, endpoint=endpoint, update=update, graph=graph, chunk_size=chunk_size, auth=auth,
                  previous=state.get(target, {}) if changed else None)
    if changed:
        state[target] = report.digests
        _write_state(out / PUSH_STATE, state)
    where = f"graph <{graph}>" if graph else f"{report.graphs} named graphs"
    extra = f"; {report.unchanged} unchanged, {report.emptied} emptied" if changed else ""
    typer.echo(f"pushed {report.triples:,} triples into {where} at {report.target} "
               f"({report.requests} requests, {report.seconds:.1f} s{extra})")


PUSH_STATE = ".push-state.json"
"""What each ``--changed`` push left in its target (graph digests by target URL), beside the store."""


def _read_state(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        typer.echo(f"warning: {path}: unreadable ({err}); pushing every graph", err=True)
        return {}
    return data if isinstance(data, dict) else {}


def _write_state(path: Path, state: dict[str, dict[str, str]]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
