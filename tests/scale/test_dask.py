"""``--dask ADDRESS``: extraction on a Dask cluster gives the graph of a local build."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from confkg.cli.app import app

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None) as c:
        yield c


@pytest.mark.slow
def test_dask_build_is_byte_identical_to_a_local_build(cluster, few_notes: Path, local_build, tmp_path: Path) -> None:
    out = tmp_path / "dask"
    result = CliRunner().invoke(app, ["build", str(few_notes), "--out", str(out), "--no-html", "--no-validate",
                                      "--full", "--dask", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert (out / "graph.ttl").read_bytes() == (local_build.out_dir / "graph.ttl").read_bytes()


def test_build_documents_workers_and_dask() -> None:
    result = CliRunner().invoke(app, ["build", "--help"])
    assert "--workers" in result.output and "--dask" in result.output
