"""``--workers N``: chunks of notes in worker processes, merged in note order into the same graph."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from confkg.extract.extractor import text_note
from confkg.model import Mention
from confkg.parallel import ChunkOutput, WorkerMismatchError, merge_in_order, plan_chunks, wait_first
from confkg.pipeline import build


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
