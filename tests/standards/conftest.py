"""Helpers of the interoperability tests: run the CLI in-process, find a free port."""

from __future__ import annotations

import contextlib
import io
import socket
import sys

import pytest


def run_cli(*args: str) -> tuple[int, str, str]:
    """The console entry point (with its error handling), in this process: (status, stdout, stderr)."""
    from confkg.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    argv = sys.argv
    try:
        sys.argv = ["confkg", *args]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def cli():
    return run_cli


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def port_factory():
    return free_port
