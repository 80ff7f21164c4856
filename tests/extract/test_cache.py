"""The caches of a build folder: parsed notes (by content and location) beside extractions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from confkg.errors import NoteError
from confkg.extract.cache import ExtractionCache, NoteCache
from confkg.ingest import load_note
from confkg.model import Extraction, Mention

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(NOTES / "socml-2017.md", folder / "sub" / "socml-2017.md")
    shutil.copy(NOTES / "scaledml-2017.txt", folder / "2020-01-31-scaledml.txt")
    return folder


def entries(cache_dir: Path) -> list[str]:
    return sorted(p.name for p in cache_dir.glob("note-*.json"))


def test_a_cached_note_is_the_note_ingest_reads(notes: Path, tmp_path: Path) -> None:
    files = [notes / "sub" / "socml-2017.md", notes / "2020-01-31-scaledml.txt"]
    first = NoteCache(tmp_path / "cache")
    parsed = [first.load_note(f, notes) for f in files]
    assert parsed == [load_note(f, notes) for f in files]
    assert len(entries(tmp_path / "cache")) == 2
    again = NoteCache(tmp_path / "cache")
    assert [again.load_note(f, notes) for f in files] == parsed
    assert parsed[1].date == "2020-01-31" and parsed[0].note_id == "sub/socml-2017.md"
    assert again.used == {tmp_path / "cache" / name for name in entries(tmp_path / "cache")}


def test_an_edited_moved_or_damaged_note_is_read_again(notes: Path, tmp_path: Path) -> None:
    cache = NoteCache(tmp_path / "cache")
    note = notes / "sub" / "socml-2017.md"
    cache.load_note(note, notes)
    note.write_text(note.read_text(encoding="utf-8") + "\nGrace Hopper came too.\n", encoding="utf-8")
    assert cache.load_note(note, notes) == load_note(note, notes)
    moved = notes / "socml.md"
    shutil.copy(note, moved)
    assert cache.load_note(moved, notes).note_id == "socml.md"  # same bytes elsewhere: another id
    assert cache.load_note(note, notes.parent).note_id == "notes/sub/socml-2017.md"  # another root
    for entry in (tmp_path / "cache").glob("note-*.json"):
        entry.write_text('["truncated', encoding="utf-8")
    assert NoteCache(tmp_path / "cache").load_note(note, notes) == load_note(note, notes)


def test_a_broken_note_raises_and_is_not_cached(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\ntext\n", encoding="utf-8")
    with pytest.raises(NoteError, match="front matter"):
        NoteCache(tmp_path / "cache").load_note(bad, tmp_path)
    with pytest.raises(NoteError, match="cannot read file"):
        NoteCache(tmp_path / "cache").load_note(tmp_path / "gone.md", tmp_path)
    assert entries(tmp_path / "cache") == []


def test_each_cache_prunes_only_its_own_entries(notes: Path, tmp_path: Path) -> None:
    note_cache = NoteCache(tmp_path / "cache")
    note = note_cache.load_note(notes / "2020-01-31-scaledml.txt", notes)
    extractions = ExtractionCache(tmp_path / "cache", "fp")
    extractions.put(Extraction(note, (Mention(note.note_id, 0, 0, 3, "ICML", "Event", 0.9, "test", 0, 3),)))
    ExtractionCache(tmp_path / "cache", "fp").prune()  # used nothing: its entry goes, the note's stays
    NoteCache(tmp_path / "cache").prune()  # likewise
    assert list((tmp_path / "cache").glob("*.json")) == []
    note_cache.load_note(notes / "2020-01-31-scaledml.txt", notes)
    extractions.prune()
    assert len(entries(tmp_path / "cache")) == 1
