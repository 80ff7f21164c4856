"""``confkg explain``: where a fact came from (note, line, sentence)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from confkg.cli.options import OUT_DIR
from confkg.pipeline import STORE_DIR


def register(app: typer.Typer) -> None:
    app.command("explain")(explain_cli)


def explain_cli(
    subject: str = typer.Argument(..., help="Subject entity name (or IRI)."),
    predicate: str = typer.Argument(..., help="A confkg property: speaker, affiliation, creator, author, ..."),
    obj: str = typer.Argument(..., help="Object entity name, IRI or literal value."),
    out: Path = OUT_DIR,
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Show every note, line and sentence a fact was read from."""
    from confkg.explain import explain_fact
    from confkg.store import GraphStore

    found = explain_fact(GraphStore.open(out / STORE_DIR), subject, predicate, obj)
    if fmt == "json":
        typer.echo(json.dumps([_as_dict(e) for e in found], indent=1, ensure_ascii=False))
        return
    if not found:
        typer.echo(f"no assertion '{subject}' {predicate} '{obj}' in the graph")
        raise typer.Exit(1)
    for e in found:
        typer.echo(f"{e.subject} --{e.predicate}--> {e.obj}")
        typer.echo(f"  {e.path}:{e.line} [{e.start}:{e.end}] {e.extractor} (confidence {e.confidence:.2f})")
        typer.echo(f"  \"{e.sentence}\"")


def _as_dict(e: object) -> dict:
    return {k: getattr(e, k) for k in e.__slots__}  # type: ignore[attr-defined]
