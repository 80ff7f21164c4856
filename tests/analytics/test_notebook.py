"""``notebooks/tour.ipynb`` is kept without outputs and runs from top to bottom on the venv's Python."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "tour.ipynb"
KERNEL = "confkg-tour-test"


def test_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, cell.id


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernelspec that runs this Python (the venv's, with confkg installed), found through JUPYTER_PATH,
    whatever kernels the machine has; IPython and Jupyter state go to a temporary folder."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))


@pytest.mark.slow
def test_notebook_runs(sample_build, kernel_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    from confkg.pipeline import CACHE_DIR

    out = tmp_path / "out"
    # the session's extraction cache: the notebook's build then skips the model, as a rebuild would
    shutil.copytree(sample_build.out_dir / CACHE_DIR, out / CACHE_DIR)
    monkeypatch.setenv("CONFKG_TOUR_OUT", str(out))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name=KERNEL, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
                   ).execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Ilya Sutskever -> Netflix" in text
    rich = [o.data for o in outputs if o.output_type in ("display_data", "execute_result")]
    html = "\n".join(d.get("text/html", "") for d in rich)
    assert "<iframe srcdoc=" in html and "Talks and speakers" in html and "People by PageRank" in html
    assert any("image/png" in d for d in rich)
    assert (out / "graph.html").is_file() and (out / "trends.png").is_file()
