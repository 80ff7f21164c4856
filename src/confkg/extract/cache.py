"""A cache of extraction results keyed by note content, so rebuilds re-extract only what changed.

The model is the costly part of a build. A note whose bytes (SHA-256) and whose extractor (the
model, the gazetteers and the extraction code, fingerprinted together) are unchanged gets its
mentions and relations back from ``<out>/cache/``; the note itself is re-read (ingest is cheap),
so a renamed file keeps its cache entry. Entries are JSON written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from confkg.model import Extraction, Mention, Note, Relation

CACHE_FORMAT = 1


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


def _mention_to_json(m: Mention) -> dict[str, Any]:
    d = asdict(m)
    d.pop("note_id")
    d["attrs"] = [list(a) for a in m.attrs]
    return d


def _mention_from_json(note_id: str, d: dict[str, Any]) -> Mention:
    return Mention(note_id=note_id, attrs=tuple(tuple(a) for a in d.pop("attrs")), **d)  # type: ignore[arg-type]


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
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(ex.note)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
        self.used.add(path)

    def prune(self) -> None:
        """Forget entries no note of this build used (deleted or edited notes, older extractors)."""
        if not self.directory.is_dir():
            return
        for path in self.directory.glob("*.json"):
            if path not in self.used:
                path.unlink(missing_ok=True)
