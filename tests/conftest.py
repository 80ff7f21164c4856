"""Shared fixtures: the spaCy pipeline and the sample graph are built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "data" / "notes"


@pytest.fixture(scope="session")
def extractor():
    from confkg.extract.extractor import Extractor

    return Extractor.create()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory):
    """``confkg build data/notes`` once, into a temporary folder."""
    from confkg.pipeline import build

    out = tmp_path_factory.mktemp("sample-build")
    report = build([NOTES], out)
    return report


@pytest.fixture(scope="session")
def sample_store(sample_build):
    from confkg.pipeline import STORE_DIR
    from confkg.store import GraphStore

    return GraphStore.open(sample_build.out_dir / STORE_DIR)
