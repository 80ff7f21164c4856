"""An incremental build updates the store in place, and the result is the store of a full build.

The reference is a store built from scratch from the same extractions: the same notes built
into a folder that has their extraction cache but no ``build-state.json``. (That cached and
fresh extractions give the same graph is ``test_incremental.py``'s subject.)
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from confkg import incremental
from confkg.incremental import STATE_FILE
from confkg.pipeline import CACHE_DIR, STORE_DIR, BuildReport, build
from confkg.store import GraphStore
from confkg.store import oxigraph_store as store_module
from confkg.vocab import ID

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"
OPTIONS = {"html": False, "validate": False}


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    shutil.copy(NOTES / "scaledml-2017.txt", folder / "a.txt")
    shutil.copy(NOTES / "socml-2017.md", folder / "b.md")
    (folder / "c.md").write_text("# Robots 2031\n\nJane Roe from Acme Robotics talked about PyTorch.\n",
                                 encoding="utf-8")
    return folder


@pytest.fixture
def in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small corpora change a large share of their graph with every edit: update in place anyway."""
    monkeypatch.setattr(incremental, "FULL_REBUILD_SHARE", 1.0)


def content(out: Path) -> tuple[list[URIRef], set[tuple], set[tuple]]:
    """Named graphs, their quads, and the union (the default graph) of the store in ``out``."""
    with GraphStore.open(out / STORE_DIR) as store:
        return store.graphs(), set(store.quads()), set(store.triples())


def reference(out: Path, notes: Path, tmp_path: Path, **options: object) -> tuple[BuildReport, Path]:
    """A full build of ``notes`` from the extraction cache of ``out``."""
    ref = tmp_path / f"ref-{len(list(tmp_path.glob('ref-*')))}"
    shutil.copytree(out / CACHE_DIR, ref / CACHE_DIR)
    report = build([notes], ref, **{**OPTIONS, **options})  # type: ignore[arg-type]
    assert report.store_update == "full" and report.extracted == 0
    return report, ref


def assert_same_store(inc: BuildReport, notes: Path, tmp_path: Path) -> None:
    full, ref = reference(inc.out_dir, notes, tmp_path)
    assert content(inc.out_dir) == content(ref)
    assert inc.triples == full.triples == len(content(ref)[2])
    assert (inc.out_dir / "graph.ttl").read_bytes() == (ref / "graph.ttl").read_bytes()


def test_edits_additions_and_deletions_update_the_store_in_place(notes: Path, tmp_path: Path, in_place: None) -> None:
    out = tmp_path / "out"
    first = build([notes], out, **OPTIONS)
    assert first.store_update == "full"  # nothing to update yet

    with (notes / "c.md").open("a", encoding="utf-8") as f:
        f.write("\nGrace Hopper from Yale talked about COBOL at ICML 2031.\n")
    edited = build([notes], out, **OPTIONS)
    assert (edited.store_update, edited.extracted, edited.changed_graphs) == ("incremental", 1, 1)
    assert_same_store(edited, notes, tmp_path)

    (notes / "d.md").write_text("# Notes\n\nIon Stoica and Grace Hopper spoke about Ray.\n", encoding="utf-8")
    (notes / "b.md").unlink()
    changed = build([notes], out, **OPTIONS)
    assert changed.store_update == "incremental" and changed.extracted == 1
    assert_same_store(changed, notes, tmp_path)

    unchanged = build([notes], out, **OPTIONS)
    assert (unchanged.store_update, unchanged.changed_graphs, unchanged.extracted) == ("incremental", 0, 0)
    assert unchanged.triples == changed.triples
    assert unchanged.kept == [out / "graph.ttl", out / "graph.jsonld"] and unchanged.outputs == []


def test_a_new_full_name_changes_the_graphs_of_other_notes(notes: Path, tmp_path: Path, in_place: None) -> None:
    """Once another note names "Ion Stoica", "Stoica" in c.md (which the model missed) is found
    by name propagation and refers to him: c.md's graph changes although its file did not."""
    (notes / "c.md").write_text("# Panel\n\nStoica argued that Ray is fast. Later, Hopper left for Databricks.\n",
                                encoding="utf-8")
    (notes / "a.txt").unlink()
    out = tmp_path / "out"
    build([notes], out, **OPTIONS)
    (notes / "e.md").write_text("# Talk\n\nThe keynote was given by Ion Stoica, who founded Databricks.\n",
                                encoding="utf-8")
    added = build([notes], out, **OPTIONS)
    assert added.store_update == "incremental" and added.extracted == 1
    assert added.changed_graphs == 2  # the new note and c.md
    assert_same_store(added, notes, tmp_path)


def test_graphs_written_by_other_commands_are_dropped_like_a_full_build_does(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([notes], out, **OPTIONS)
    analytics = URIRef(f"{ID}graph/analytics")
    with GraphStore.open(out / STORE_DIR, read_only=False) as store:  # as `confkg central --write` does
        store.replace_graph(analytics, [(URIRef(f"{ID}person/x"), RDFS.label, Literal("x"))])
    again = build([notes], out, **OPTIONS)
    assert again.store_update == "incremental"
    assert analytics not in content(out)[0]
    assert_same_store(again, notes, tmp_path)


def test_too_many_changes_rebuild_the_store(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([notes], out, **OPTIONS)
    for name in ("c.md", "a.txt", "b.md"):
        with (notes / name).open("a", encoding="utf-8") as f:
            f.write("\nAda Lovelace wrote about the Analytical Engine.\n")
    rebuilt = build([notes], out, **OPTIONS)
    assert rebuilt.store_update == "full"  # every note changed: one bulk load beats a large transaction
    assert_same_store(rebuilt, notes, tmp_path)


def test_other_settings_rebuild_the_store(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([notes], out, **OPTIONS)
    stricter = build([notes], out, min_confidence=0.5, **OPTIONS)
    assert stricter.store_update == "full"
    full, ref = reference(out, notes, tmp_path, min_confidence=0.5)
    assert content(out) == content(ref) and stricter.triples == full.triples
    assert build([notes], out, incremental=False, **OPTIONS).store_update == "full"  # --full


def test_a_failed_update_leaves_the_old_store_and_no_state(notes: Path, tmp_path: Path, in_place: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([notes], out, **OPTIONS)
    before = content(out)
    with (notes / "c.md").open("a", encoding="utf-8") as f:
        f.write("\nGrace Hopper from Yale talked about COBOL.\n")

    def broken(verb: str, named: object, union: object) -> str:
        raise OSError("disk full")  # while the update is being prepared: nothing is written

    with monkeypatch.context() as patch:
        patch.setattr(store_module, "_data", broken)
        with pytest.raises(OSError, match="disk full"):
            build([notes], out, **OPTIONS)
    assert content(out) == before
    assert not (out / STATE_FILE).exists()  # so the next build cannot trust digests of a store it did not write
    recovered = build([notes], out, **OPTIONS)
    assert recovered.store_update == "full" and recovered.extracted == 0
    assert_same_store(recovered, notes, tmp_path)


def test_a_store_replaced_behind_the_builds_back_is_rebuilt(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([notes], out, **OPTIONS)
    GraphStore.build(out / STORE_DIR, []).close()  # another store swapped in: the state is not about it
    assert build([notes], out, **OPTIONS).store_update == "full"
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert state["format"] == incremental.STATE_FORMAT and state["digests"]["notes"]


def test_outputs_are_written_again_only_when_their_graph_or_file_changed(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([notes], out, **OPTIONS)
    assert first.outputs == [out / "graph.ttl", out / "graph.jsonld"]
    (out / "graph.jsonld").write_text("{}", encoding="utf-8")  # changed by hand: written again
    again = build([notes], out, **OPTIONS)
    assert again.outputs == [out / "graph.jsonld"] and again.kept == [out / "graph.ttl"]
    assert json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))["@graph"]
    with_html = build([notes], out, html=True, validate=False)
    assert with_html.outputs == [out / "graph.html"]


def test_store_only_builds_write_no_output_and_export_writes_them_later(notes: Path, tmp_path: Path) -> None:
    from confkg.outputs.export import export

    out = tmp_path / "out"
    report = build([notes], out, outputs=False, **OPTIONS)
    assert report.outputs == [] and not (out / "graph.ttl").exists()
    with (notes / "c.md").open("a", encoding="utf-8") as f:
        f.write("\nGrace Hopper from Yale talked about COBOL.\n")
    build([notes], out, outputs=False, **OPTIONS)
    full, ref = reference(out, notes, tmp_path)
    with GraphStore.open(out / STORE_DIR) as store:
        export(store, "turtle", tmp_path / "on-demand.ttl")
    assert (tmp_path / "on-demand.ttl").read_bytes() == (ref / "graph.ttl").read_bytes()


def test_validation_is_not_run_again_for_the_same_graph(notes: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from confkg.graph import validate

    out = tmp_path / "out"
    first = build([notes], out, html=False)
    calls: list[int] = []
    real = validate.validate_store
    monkeypatch.setattr(validate, "validate_store", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = build([notes], out, html=False)
    assert calls == [] and again.violations == first.violations
    with (notes / "c.md").open("a", encoding="utf-8") as f:
        f.write("\nGrace Hopper from Yale talked about COBOL.\n")
    build([notes], out, html=False)
    assert calls == [1]
