"""The same notes give byte-identical Turtle and JSON-LD, whatever the order they are given in."""

from __future__ import annotations

import shutil
from pathlib import Path

from confkg.pipeline import build

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("scaledml-2017.txt", "socml-2017.md"):
        shutil.copy(NOTES / name, notes / name)
    a = build([notes], tmp_path / "a", html=False)
    b = build([notes / "socml-2017.md", notes / "scaledml-2017.txt"], tmp_path / "b", html=False)
    for name in ("graph.ttl", "graph.jsonld"):
        assert (a.out_dir / name).read_bytes() == (b.out_dir / name).read_bytes(), name
    again = build([notes], tmp_path / "a", html=False)  # rebuilding over an existing graph
    assert (again.out_dir / "graph.ttl").read_bytes() == (b.out_dir / "graph.ttl").read_bytes()
