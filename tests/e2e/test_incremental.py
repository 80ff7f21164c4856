"""Adding or editing one note re-extracts only that note and gives the graph of a full rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from confkg.extract.extractor import Extractor
from confkg.pipeline import build

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"


def test_incremental_equals_full_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "scaledml-2017.txt", notes / "a.txt")
    shutil.copy(NOTES / "socml-2017.md", notes / "b.md")
    inc = tmp_path / "inc"
    first = build([notes], inc, html=False)
    assert first.extracted == 2

    with monkeypatch.context() as patch:  # nothing to extract: the model is not even loaded
        patch.setattr(Extractor, "create", classmethod(lambda *a, **k: pytest.fail("model loaded")))
        unchanged = build([notes], inc, html=False)
    assert unchanged.extracted == 0
    assert unchanged.timings["model"] == 0.0
    assert unchanged.triples == first.triples

    (notes / "c.md").write_text("# Robots 2031\n\nJane Roe from Acme Robotics talked about PyTorch.\n")
    text = (notes / "a.txt").read_text(encoding="utf-8")
    (notes / "a.txt").write_text(text.replace("Ion Stoica", "Ion Stoica and Grace Hopper"), encoding="utf-8")
    added = build([notes], inc, html=False)
    assert added.extracted == 2  # the new note and the edited one, not b.md

    full = build([notes], tmp_path / "full", html=False, incremental=False)
    assert full.extracted == 3
    assert (inc / "graph.ttl").read_bytes() == (full.out_dir / "graph.ttl").read_bytes()
    entries = [p.name for p in (inc / "cache").glob("*.json")]
    assert len([n for n in entries if not n.startswith("note-")]) == 3  # the old entry of the edited note is gone
    assert len([n for n in entries if n.startswith("note-")]) == 3  # and its parsed note
