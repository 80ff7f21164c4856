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


def run_cli(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """The console entry point (with its error handling), in this process, as a user runs it:
    (status, stdout, stderr); ``input`` is what stdin holds."""
    import contextlib
    import io
    import sys

    from confkg.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    argv, stdin = sys.argv, sys.stdin
    try:
        sys.argv = ["confkg", *args]
        if input is not None:
            sys.stdin = io.StringIO(input)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv, sys.stdin = argv, stdin
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def cli():
    """``run_cli``: ``code, out, err = cli("query", ...)``."""
    return run_cli
