"""A cache of extraction results keyed by note content, so rebuilds re-extract only what changed.

The model is the costly part of a build. A note whose bytes (SHA-256) and whose extractor (the
model, the gazetteers and the extraction code, fingerprinted together) are unchanged gets its
mentions and relations back from ``<out>/cache/``; those entries are keyed by content only, so a
renamed file keeps them.

Parsing the notes (markdown, front matter, sections) is cheap beside the model but not beside an
incremental rebuild: 3.5 s for 860 notes, more than the rest of a rebuild after one edit. So the
parsed ``Note`` is cached too (``NoteCache``), keyed by content *and* location (file and root:
the note id, its path and a date read from the file name depend on them); every note file is
still read and hashed. Entries are JSON (nothing runs when reading them, unlike pickle) written
atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from confkg.ingest import load_note
from confkg.model import Block, Extraction, Link, Mention, Note, OffsetMap, Relation, Section, TextPiece

CACHE_FORMAT = 1
NOTE_FORMAT = 1


@lru_cache(maxsize=8)
def code_fingerprint(model: str) -> str:
    """Hash of the extraction code, the gazetteer files and the model name."""
    h = hashlib.sha256(f"{CACHE_FORMAT}|{model}".encode())
    pkg = Path(__file__).resolve().parents[1]
    for folder, pattern in (("extract", "*.py"), ("data", "*.jsonl"), ("data", "*.txt"), ("ingest", "*.py")):
        for path in sorted((pkg / folder).glob(pattern)):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def ingest_fingerprint() -> str:
    """Hash of the ingest code and of the records it makes: a parsed note stays valid while
    they are unchanged."""
    h = hashlib.sha256(f"{NOTE_FORMAT}".encode())
    pkg = Path(__file__).resolve().parents[1]
    for path in (*sorted((pkg / "ingest").glob("*.py")), pkg / "model.py"):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _mention_to_json(m: Mention) -> dict[str, Any]:
    d = asdict(m)
    d.pop("note_id")
    d["attrs"] = [list(a) for a in m.attrs]
    return d


def _mention_from_json(note_id: str, d: dict[str, Any]) -> Mention:
    return Mention(note_id=note_id, attrs=tuple(tuple(a) for a in d.pop("attrs")), **d)  # type: ignore[arg-type]


def _note_to_json(note: Note) -> list[Any]:
    sections = [[s.index, s.heading, s.level, s.text,
                 [[p.clean_start, p.source_start, p.length] for p in s.offsets.pieces],
                 [[b.kind, b.start, b.end, b.depth] for b in s.blocks], [[k.start, k.end, k.url] for k in s.links]]
                for s in note.sections]
    return [note.note_id, note.path, note.source, note.content_hash, note.format, note.title, note.date,
            list(note.categories), sections]


def _note_from_json(d: list[Any]) -> Note:
    sections = tuple(
        Section(index, heading, level, text, OffsetMap(tuple(TextPiece(*p) for p in pieces)),
                tuple(Block(*b) for b in blocks), tuple(Link(*k) for k in links))
        for index, heading, level, text, pieces, blocks, links in d[8]
    )
    return Note(*d[:7], categories=tuple(d[7]), sections=sections)


class ExtractionCache:
    """Mentions and relations of notes, by content hash and extractor fingerprint."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.fingerprint = fingerprint
        self.used: set[Path] = set()

    def _path(self, note: Note) -> Path:
        return self.directory / f"{note.content_hash}-{self.fingerprint}.json"

    def get(self, note: Note) -> Extraction | None:
        path = self._path(note)
        if not note.content_hash or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        mentions = [_mention_from_json(note.note_id, d) for d in data["mentions"]]
        relations = []
        for r in data["relations"]:
            obj = mentions[r["obj"]] if r["obj"] is not None else None
            relations.append(Relation(mentions[r["subject"]], r["predicate"], obj, r["value"], note.note_id,
                                      r["start"], r["end"], r["extractor"], r["confidence"]))
        self.used.add(path)
        return Extraction(note, tuple(mentions), tuple(relations))

    def put(self, ex: Extraction) -> None:
        if not ex.note.content_hash:
            return
        index = {m.key: i for i, m in enumerate(ex.mentions)}
        relations = []
        for r in ex.relations:
            if r.subject.key not in index or (r.obj is not None and r.obj.key not in index):
                continue
            relations.append({
                "subject": index[r.subject.key], "predicate": r.predicate,
                "obj": index[r.obj.key] if r.obj is not None else None, "value": r.value,
                "start": r.start, "end": r.end, "extractor": r.extractor, "confidence": r.confidence,
            })
        data = {"mentions": [_mention_to_json(m) for m in ex.mentions], "relations": relations}
        self._write(self._path(ex.note), data)

    def _write(self, path: Path, data: Any) -> None:
        _write_json(path, data)
        self.used.add(path)

    def prune(self) -> None:
        """Forget entries no note of this build used (deleted or edited notes, older extractors)."""
        _prune(self.directory, "[!n]*.json", self.used)


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """A note file's place in ``NoteCache``: ``note`` is the cached parse when the file did not
    change; ``path`` is None when the file could not be read (nothing is cached then)."""

    path: Path | None
    content_hash: str
    note: Note | None


class NoteCache:
    """Parsed notes, by content hash, location and the ingest code's fingerprint.

    Apart from ``ExtractionCache`` because it does not depend on the model: notes are read
    before the model is loaded (a build with no readable note stops without loading it).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.fingerprint = ingest_fingerprint()
        self.used: set[Path] = set()

    def load_note(self, file: Path, root: Path) -> Note:
        """``ingest.load_note(file, root)``, from the cache when this file had these bytes at
        the last build; raises ``NoteError`` like ``load_note`` (bad notes are not cached)."""
        entry = self.entry(file, root)
        if entry.note is not None:
            return entry.note
        note = load_note(file, root)
        self.keep(entry, note)
        return note

    def entry(self, file: Path, root: Path) -> NoteEntry:
        """Where the parse of ``file`` as it is now is cached, and the cached note if there is one."""
        try:
            data = file.read_bytes()
        except OSError:
            return NoteEntry(None, "", None)  # load_note says what is wrong, in its words
        content_hash = hashlib.sha256(data).hexdigest()
        where = hashlib.blake2b(f"{content_hash}|{file}|{root}".encode(), digest_size=16).hexdigest()
        path = self.directory / f"note-{where}-{self.fingerprint}.json"
        if path.is_file():
            try:
                note: Note | None = _note_from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError, IndexError):
                note = None
            if note is not None and note.content_hash == content_hash:
                self.used.add(path)
                return NoteEntry(path, content_hash, note)
        return NoteEntry(path, content_hash, None)

    def keep(self, entry: NoteEntry, note: Note) -> None:
        """Cache ``note``, read (parsed) afresh for ``entry``, for the next build."""
        if entry.path is not None and note.content_hash == entry.content_hash:
            # else the file changed while being read: not cached
            _write_json(entry.path, _note_to_json(note))
            self.used.add(entry.path)

    def prune(self) -> None:
        """Forget parsed notes no note of this build used."""
        _prune(self.directory, "note-*.json", self.used)


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # one call: json.dump encodes in Python
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _prune(directory: Path, pattern: str, used: set[Path]) -> None:
    if directory.is_dir():
        for path in directory.glob(pattern):
            if path not in used:
                path.unlink(missing_ok=True)
