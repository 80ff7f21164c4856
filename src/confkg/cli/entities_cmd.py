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
    explain: str | None = typer.Option(None, "--explain", help="Show which mentions merged into NAME, and why."),
    out: Path = OUT_DIR,
) -> None:
    """List canonical entities, most mentioned first; or explain how one entity was resolved."""
    from confkg.store import GraphStore
    from confkg.store.entities import list_entities

    if type_ is not None and type_ not in ENTITY_TYPES:
        raise typer.BadParameter(f"use one of {', '.join(ENTITY_TYPES)}", param_hint="--type")
    if fmt not in {"table", "jsonl"}:
        raise typer.BadParameter("use table or jsonl", param_hint="--format")
    store = GraphStore.open(out / STORE_DIR)
    if explain is not None:
        _explain(store, out, explain, fmt)
        return
    rows = list_entities(store, type_)
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


def _explain(store, out: Path, name: str, fmt: str) -> None:  # noqa: ANN001
    from confkg.explain import explain_entity

    found = explain_entity(store, out, name)
    if not found:
        typer.echo(f"no entity named '{name}'")
        raise typer.Exit(1)
    if fmt == "jsonl":
        for item in found:
            typer.echo(json.dumps(item, ensure_ascii=False))
        return
    for item in found:
        n = sum(len(v) for v in item["mentions"].values())
        typer.echo(f"{item['label']} ({item['type']}, {n} mentions) {item['iri']}")
        for form, places in sorted(item["mentions"].items()):
            where = ", ".join(f"{p['note']}:{p['line']}" for p in places[:6]) + (" ..." if len(places) > 6 else "")
            extractors = ", ".join(sorted({p["extractor"] for p in places}))
            typer.echo(f"  '{form}' x{len(places)}  [{extractors}]  {where}")
        for reason in item["reasons"]:
            typer.echo(f"  why: {reason}")
