"""``confkg entities``: the canonical entities with their mention counts."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from confkg.cli.options import OUT_DIR
from confkg.model import ENTITY_TYPES
from confkg.pipeline import STORE_DIR


def register(app: typer.Typer) -> None:
    app.command("entities")(entities_cli)


def entities_cli(
    type_: str | None = typer.Option(None, "--type", "-t", help="Only this type (Person, Organization, ...)."),
    fmt: str = typer.Option("table", "--format", help="table or jsonl."),
    out: Path = OUT_DIR,
) -> None:
    """List canonical entities, most mentioned first."""
    from confkg.store import GraphStore
    from confkg.store.entities import list_entities

    if type_ is not None and type_ not in ENTITY_TYPES:
        raise typer.BadParameter(f"use one of {', '.join(ENTITY_TYPES)}", param_hint="--type")
    if fmt not in {"table", "jsonl"}:
        raise typer.BadParameter("use table or jsonl", param_hint="--format")
    rows = list_entities(GraphStore.open(out / STORE_DIR), type_)
    if fmt == "jsonl":
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    width = max((len(r["label"]) for r in rows), default=5)
    typer.echo(f"{'type':<13} {'label':<{width}} mentions  aliases")
    for r in rows:
        aliases = ", ".join(r["aliases"])
        typer.echo(f"{r['type']:<13} {r['label']:<{width}} {r['mentions']:>8}  {aliases}")
    typer.echo(f"({len(rows)} entities)")
