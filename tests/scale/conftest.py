"""A small local build (three sample notes, one process): the reference the parallel builds must equal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "notes"
FEW = ("scaledml-2017.txt", "socml-2017.md", "scaledml-2020.md")


@pytest.fixture(scope="session")
def few_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("few-notes")
    for name in FEW:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def local_build(few_notes: Path, tmp_path_factory: pytest.TempPathFactory):
    from confkg.pipeline import build

    return build([few_notes], tmp_path_factory.mktemp("local-build"), html=False, validate=False,
                 incremental=False)
