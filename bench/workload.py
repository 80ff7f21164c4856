"""The notes the speed benchmark runs on, made in temporary folders (never in the repository).

The corpus is ``<repo>/../shared/corpus`` (public posts whose licences mostly allow no copy: it
is read from there, and only copied to temporary folders that the benchmark deletes); without
it, the sample notes of ``data/notes``. From it:

- ``subsample``: whole files, picked in a fixed pseudo-random order, until about N words (the
  "1x" of the scale runs);
- ``replicate``: N copies of a folder (``copy-01/``, ...): the same text N times, so the cost
  per word is the same at every scale and only the size changes;
- ``split_notes``: every file cut at blank lines into notes of about the same number of words
  (a corpus of ~1,000 short notes, for the incremental rebuild).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
SAMPLE_NOTES = REPO / "data" / "notes"
NOTE_SUFFIXES = (".md", ".markdown", ".txt")
NOT_NOTES = {"readme.md"}  # the corpus's own description


def corpus_files(corpus: Path | None = None) -> list[Path]:
    """The note files of the benchmark corpus (the shared corpus when present, else the samples)."""
    folder = corpus or (SHARED_CORPUS if SHARED_CORPUS.is_dir() else SAMPLE_NOTES)
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in NOTE_SUFFIXES and p.name.lower() not in NOT_NOTES)


def corpus_name(corpus: Path | None = None) -> str:
    folder = corpus or (SHARED_CORPUS if SHARED_CORPUS.is_dir() else SAMPLE_NOTES)
    return "../shared/corpus" if folder == SHARED_CORPUS else str(folder.relative_to(REPO))


def words_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8", errors="replace").split())


def folder_words(folder: Path) -> int:
    return sum(words_of(p) for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in NOTE_SUFFIXES)


def subsample(files: list[Path], words: int, dest: Path, *, seed: int = 8) -> int:
    """Copy whole files (fixed pseudo-random order) into ``dest`` until about ``words`` words.

    When the corpus is smaller than ``words``, its files are copied again under other names.
    Returns the number of words copied.
    """
    dest.mkdir(parents=True, exist_ok=True)
    order = list(files)
    random.Random(seed).shuffle(order)
    total = 0
    round_ = 0
    while total < words * 0.97:
        added = False
        for path in order:
            n = words_of(path)
            if total + n > words * 1.03 and total > 0:
                continue
            name = path.name if round_ == 0 else f"r{round_}-{path.name}"
            if (dest / name).exists():
                continue
            shutil.copy(path, dest / name)
            total += n
            added = True
            if total >= words * 0.97:
                break
        if not added and total >= words * 0.5:
            break  # nothing else fits: close enough
        round_ += 1
    return total


def replicate(src: Path, copies: int, dest: Path) -> Path:
    """``copies`` copies of the notes of ``src`` under ``dest/copy-NN/``."""
    for k in range(1, copies + 1):
        shutil.copytree(src, dest / f"copy-{k:02d}")
    return dest


def _front_matter(text: str) -> tuple[str, str]:
    """(front matter block with its fences, the rest) of a note; ("", text) without one."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            cut = text.find("\n", end + 4)
            cut = len(text) if cut < 0 else cut + 1
            return text[:cut], text[cut:]
    return "", text


def split_notes(files: list[Path], dest: Path, notes: int = 1000) -> list[Path]:
    """Cut every file at blank lines into notes of about ``total words / notes`` words each.

    A file's front matter stays with its first piece. A cut can fall inside a fenced code block
    (its rest is then read as code): this changes what is extracted, not how fast.
    """
    dest.mkdir(parents=True, exist_ok=True)
    texts = [(p, p.read_text(encoding="utf-8", errors="replace")) for p in files]
    per_note = max(50, sum(len(t.split()) for _, t in texts) // notes)
    written: list[Path] = []
    for path, text in texts:
        head, body = _front_matter(text)
        pieces: list[str] = []
        current: list[str] = []
        words = 0
        for para in body.split("\n\n"):
            current.append(para)
            words += len(para.split())
            if words >= per_note:
                pieces.append("\n\n".join(current))
                current, words = [], 0
        if current:
            if pieces and words < per_note // 3:
                pieces[-1] += "\n\n" + "\n\n".join(current)
            else:
                pieces.append("\n\n".join(current))
        for i, piece in enumerate(pieces):
            out = dest / f"{path.stem}-{i:04d}{path.suffix}"
            out.write_text((head if i == 0 else "") + piece.strip("\n") + "\n", encoding="utf-8")
            written.append(out)
    return written
