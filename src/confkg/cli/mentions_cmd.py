"""``confkg mentions``: the extraction contract on JSON Lines, for measuring extraction."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from confkg.cli.options import MODEL
from confkg.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("mentions")(mentions_cli)


def mentions_cli(
    source: str = typer.Argument("-", help="JSON Lines file of {\"id\", \"text\"} objects, or - for stdin."),
    model: str | None = MODEL,
    batch_size: int = typer.Option(64, "--batch-size", help="Texts per spaCy batch."),
) -> None:
    """Read {"id", "text"} lines; write {"id", "mentions": [{start, end, text, type, score}]} lines."""
    from confkg.mentions import mentions_jsonl

    if source == "-":
        lines = sys.stdin
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source}: no such file")
        lines = path.open(encoding="utf-8")
    for out in mentions_jsonl(lines, model=model, batch_size=batch_size, source=source):
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
