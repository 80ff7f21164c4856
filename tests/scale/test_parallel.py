"""``--workers N``: chunks of notes in worker processes, merged in note order into the same graph."""

from __future__ import annotations

import pickle
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from confkg.errors import NoteError
from confkg.extract.cache import NoteCache
from confkg.extract.extractor import text_note
from confkg.ingest import try_load_note
from confkg.model import Mention
from confkg.parallel import ChunkOutput, WorkerMismatchError, WorkerPool, merge_in_order, plan_chunks, wait_first
from confkg.pipeline import build, load_notes


def notes_of(*words: int):
    return [text_note(f"n{i}", " ".join(["word"] * n)) for i, n in enumerate(words)]


def test_chunks_are_consecutive_and_cover_every_note() -> None:
    notes = notes_of(*([500] * 40), 30_000, 10, 10)
    chunks = plan_chunks(notes, workers=2)
    assert [i for chunk in chunks for i in chunk] == list(range(len(notes)))
    assert len(chunks) > 2
    assert [40] in chunks  # a note longer than a chunk is a chunk of its own


def test_one_chunk_for_a_few_short_notes() -> None:
    assert plan_chunks(notes_of(10, 20, 30), workers=2) == [[0, 1, 2]]


def fake_output(chunk, fingerprint="fp") -> ChunkOutput:
    results = []
    for note in chunk:
        m = Mention(note.note_id, 0, 0, 4, "word", "Topic", 0.5, "test", 0, 4)
        results.append(((m,), ()))
    return ChunkOutput(fingerprint, results)


def test_results_come_in_note_order_whatever_order_chunks_finish_in() -> None:
    notes = notes_of(*([2_500] * 8))
    chunks = plan_chunks(notes, workers=2)
    assert len(chunks) == 8
    delays = iter([0.25, 0.2, 0.15, 0.1, 0.05, 0.0, 0.0, 0.0])  # the first chunk finishes last

    def slow(chunk, delay):
        time.sleep(delay)
        return fake_output(chunk)

    with ThreadPoolExecutor(4) as pool:
        got = list(merge_in_order(notes, chunks, lambda c: pool.submit(slow, c, next(delays)), 4, "fp",
                                  wait_any=wait_first))
    assert [ex.note.note_id for ex in got] == [n.note_id for n in notes]
    assert all(ex.mentions[0].note_id == ex.note.note_id for ex in got)


def test_a_worker_with_other_code_stops_the_build() -> None:
    notes = notes_of(3_000, 3_000)
    with ThreadPoolExecutor(1) as pool, pytest.raises(WorkerMismatchError, match="other extraction code"):
        list(merge_in_order(notes, [[0], [1]], lambda c: pool.submit(fake_output, c, "other"), 2, "fp",
                            wait_any=wait_first))


@pytest.mark.slow
def test_two_workers_give_the_byte_identical_graph_and_fill_the_cache(few_notes: Path, local_build,
                                                                       tmp_path: Path) -> None:
    out = tmp_path / "two"
    report = build([few_notes], out, html=False, validate=False, workers=2)
    assert report.extracted == 3
    assert report.notes == local_build.notes
    assert (out / "graph.ttl").read_bytes() == (local_build.out_dir / "graph.ttl").read_bytes()
    assert (out / "graph.jsonld").read_bytes() == (local_build.out_dir / "graph.jsonld").read_bytes()
    again = build([few_notes], out, html=False, validate=False, workers=2)
    assert again.extracted == 0  # the cache written from the workers' results serves the next build
    assert (out / "graph.ttl").read_bytes() == (local_build.out_dir / "graph.ttl").read_bytes()


def test_a_note_error_survives_the_trip_from_a_worker_process() -> None:
    err = pickle.loads(pickle.dumps(NoteError("notes/a.md", "binary file (contains NUL bytes), not a text note")))
    assert (err.path, err.problem) == ("notes/a.md", "binary file (contains NUL bytes), not a text note")
    assert str(err) == "notes/a.md: binary file (contains NUL bytes), not a text note"


@pytest.mark.slow
def test_notes_read_in_worker_processes_equal_notes_read_here(few_notes: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    shutil.copytree(few_notes, folder)
    (folder / "broken.md").write_bytes(b"# Title\n\x00\x01")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    here, here_errors = load_notes([folder, tmp_path / "missing"])
    cache = NoteCache(tmp_path / "cache")
    with WorkerPool(2) as pool:
        there, there_errors = load_notes([folder, tmp_path / "missing"], cache, pool)
        assert there == here
        assert sorted(map(str, there_errors)) == sorted(map(str, here_errors))
        assert len(here_errors) == 3
    # the notes parsed there went into the cache: the next read parses only the broken files again
    again = NoteCache(tmp_path / "cache")
    parsed: list[tuple[Path, Path]] = []

    def read_here(files):
        parsed.extend(files)
        return iter([try_load_note(*file) for file in files])

    pool.read = read_here  # type: ignore[method-assign]
    cached, errors = load_notes([folder], again, pool)
    assert cached == here
    assert sorted(file.name for file, _ in parsed) == ["broken.md", "empty.txt"]
    assert len(errors) == 2
    assert len(again.used) == len(here)
