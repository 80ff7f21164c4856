"""Curated gazetteers: known events, organisations, artifacts and topics of the ML field.

The data lives in ``confkg/data/*.jsonl`` (one JSON object per line, see ``data/README.md``)
plus two plain word lists, ``generic_terms.txt`` and ``person_titles.txt``.

Every entry has a canonical ``name`` and may have ``aliases``, ``former_names``, a
``full_name`` and ``acronyms``. Matching works on a normalised form of the text (Unicode
NFKD without accents, case-folded, punctuation turned into spaces, spaces collapsed), so
``"GPT-2"``, ``"gpt 2"`` and ``"GPT–2"`` are the same key. Two kinds of form are stricter:

* every form of an entry with ``case_sensitive: true`` (names that are also ordinary words or
  first names: ``Adam``, ``Ray``, ``Spark``, ``Apple``) matches only when written with the
  same letter case;
* ``acronyms`` always match with their exact case (``RL``, ``NLP``, ``FAIR``), whatever
  ``case_sensitive`` says.

``Gazetteer.phrase_patterns()`` hands the same split to a spaCy matcher: the first list is
meant for matching on the ``LOWER`` attribute, the second on ``ORTH``.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: gazetteer files and the one entity type each of them holds
GAZETTEER_FILES: dict[str, str] = {
    "events.jsonl": "Event",
    "organizations.jsonl": "Organization",
    "artifacts.jsonl": "Artifact",
    "topics.jsonl": "Topic",
}
GENERIC_TERMS_FILE = "generic_terms.txt"
PERSON_TITLES_FILE = "person_titles.txt"

ALLOWED_TYPES: frozenset[str] = frozenset({"Person", "Organization", "Event", "Talk", "Paper", "Artifact", "Topic"})
#: allowed ``kind`` values per type; a type missing here takes no ``kind``
KINDS: dict[str, frozenset[str]] = {
    "Event": frozenset({"conference", "workshop", "summit", "meetup", "competition", "school"}),
    "Organization": frozenset({"company", "lab", "university", "institute", "nonprofit", "government", "publication"}),
    "Artifact": frozenset(
        {
            "model",
            "software",
            "library",
            "dataset",
            "benchmark",
            "hardware",
            "environment",
            "algorithm",
            "service",
            "product",
            "language",
        }
    ),
}
#: types whose entries must have a ``kind``
KIND_REQUIRED: frozenset[str] = frozenset(KINDS)

_REQUIRED = ("name", "type", "source")
_LIST_FIELDS = ("aliases", "acronyms", "former_names")
_STR_FIELDS = ("kind", "developer", "creator", "broader", "full_name")
_KNOWN_FIELDS = frozenset({*_REQUIRED, *_LIST_FIELDS, *_STR_FIELDS, "case_sensitive"})

#: how a surface form relates to its entry, best first
FORM_RANK = {"name": 0, "acronym": 1, "full_name": 2, "alias": 3, "former_name": 4}
_TYPE_RANK = {t: i for i, t in enumerate(("Event", "Organization", "Artifact", "Topic", "Person", "Paper"))}

# '+', '#' and '&' stay when glued to a word (C++, C#, F#, AT&T, W&B); other punctuation
# and symbols become spaces.
_KEEP_GLUED = re.compile(r"(?<=\w)([+#]+)(?!\w)|(?<=\w)(&)(?=\w)")
_PLACEHOLDER = {"+": "\uf000", "#": "\uf001", "&": "\uf002"}
_RESTORE = {v: k for k, v in _PLACEHOLDER.items()}


def _protect(match: re.Match[str]) -> str:
    return "".join(_PLACEHOLDER[c] for c in match.group(0))


def normalize(text: str, *, fold_case: bool = True) -> str:
    """The lookup key of ``text``: accents removed, case folded, punctuation as spaces.

    With ``fold_case=False`` the letter case is kept (used for case-sensitive forms).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    chars = "".join(c for c in decomposed if not unicodedata.combining(c))
    if fold_case:
        chars = chars.casefold()
    chars = _KEEP_GLUED.sub(_protect, chars)
    out = []
    for c in chars:
        if c in _RESTORE:
            out.append(_RESTORE[c])
        elif unicodedata.category(c)[0] in "PSZC":
            out.append(" ")
        else:
            out.append(c)
    return " ".join("".join(out).split())


@dataclass(frozen=True)
class GazetteerEntry:
    """One curated entity with all the names it is known by."""

    name: str
    type: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    case_sensitive: bool = False
    source: str = ""
    developer: str | None = None
    creator: str | None = None
    broader: str | None = None
    former_names: tuple[str, ...] = ()
    full_name: str | None = None

    def forms(self) -> tuple[tuple[str, str, bool], ...]:
        """Every surface form as ``(text, form_kind, exact_case)``, name first, no repeats."""
        out: list[tuple[str, str, bool]] = []
        seen: set[tuple[str, bool]] = set()

        def add(text: str, form_kind: str, exact: bool) -> None:
            key = (normalize(text, fold_case=not exact), exact)
            if key[0] and key not in seen:
                seen.add(key)
                out.append((text, form_kind, exact))

        add(self.name, "name", self.case_sensitive)
        for a in self.acronyms:
            add(a, "acronym", True)
        if self.full_name:
            add(self.full_name, "full_name", self.case_sensitive)
        for a in self.aliases:
            add(a, "alias", self.case_sensitive)
        for a in self.former_names:
            add(a, "former_name", self.case_sensitive)
        return tuple(out)


@dataclass(frozen=True)
class _Form:
    entry: GazetteerEntry
    text: str
    form_kind: str
    exact: bool
    exact_key: str  # normalised without case folding


def _fail(path: Path, lineno: int, message: str) -> ValueError:
    return ValueError(f"{path.name}:{lineno}: {message}")


def _parse_entry(raw: object, path: Path, lineno: int, expected_type: str | None) -> GazetteerEntry:
    if not isinstance(raw, dict):
        raise _fail(path, lineno, "expected a JSON object")
    unknown = sorted(set(raw) - _KNOWN_FIELDS)
    if unknown:
        raise _fail(path, lineno, f"unknown field(s) {', '.join(unknown)}")
    for key in _REQUIRED:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _fail(path, lineno, f"missing or empty required field {key!r}")
    etype = raw["type"]
    if etype not in ALLOWED_TYPES:
        raise _fail(path, lineno, f"type {etype!r} is not one of {sorted(ALLOWED_TYPES)}")
    if expected_type is not None and etype != expected_type:
        raise _fail(path, lineno, f"type {etype!r} does not belong in this file ({expected_type})")
    source = raw["source"].strip()
    if not source.startswith(("http://", "https://")) or " " in source:
        raise _fail(path, lineno, f"source {source!r} is not an http(s) URL")
    for key in _STR_FIELDS:
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise _fail(path, lineno, f"field {key!r} must be a non-empty string")
    for key in _LIST_FIELDS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise _fail(path, lineno, f"field {key!r} must be a list of non-empty strings")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise _fail(path, lineno, "field 'case_sensitive' must be true or false")
    kind = raw.get("kind")
    if etype in KIND_REQUIRED and kind is None:
        raise _fail(path, lineno, f"{etype} entries need a 'kind'")
    if kind is not None and kind not in KINDS.get(etype, frozenset()):
        raise _fail(path, lineno, f"kind {kind!r} is not allowed for {etype}")
    if not normalize(raw["name"]):
        raise _fail(path, lineno, f"name {raw['name']!r} has no letters or digits")
    return GazetteerEntry(
        name=raw["name"].strip(),
        type=etype,
        kind=kind,
        aliases=tuple(a.strip() for a in raw.get("aliases", [])),
        acronyms=tuple(a.strip() for a in raw.get("acronyms", [])),
        case_sensitive=case_sensitive,
        source=source,
        developer=raw.get("developer"),
        creator=raw.get("creator"),
        broader=raw.get("broader"),
        former_names=tuple(a.strip() for a in raw.get("former_names", [])),
        full_name=raw.get("full_name"),
    )


def load_jsonl(path: Path, expected_type: str | None = None) -> list[GazetteerEntry]:
    """Entries of one gazetteer file; a bad line raises ``ValueError`` naming file and line."""
    entries = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise _fail(path, lineno, f"invalid JSON ({exc.msg})") from None
            entries.append(_parse_entry(raw, path, lineno, expected_type))
    return entries


def load_word_list(path: Path) -> list[str]:
    """Non-empty lines of a word list, without ``#`` comment lines."""
    if not path.exists():
        return []
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            words.append(text)
    return words


def _title_keys(word: str) -> set[str]:
    """Normalised form plus the ``rstrip('.').casefold()`` form used by simple token checks."""
    return {normalize(word), word.strip().rstrip(".").casefold()}


class Gazetteer:
    """Look-up of curated entities by any of their names."""

    def __init__(
        self,
        entries: Iterable[GazetteerEntry],
        generic_terms: Iterable[str] = (),
        titles: Iterable[str] = (),
    ) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self.generic_terms: frozenset[str] = frozenset(normalize(t) for t in generic_terms) - {""}
        self.titles: frozenset[str] = frozenset(k for t in titles for k in _title_keys(t)) - {""}
        self._index: dict[str, list[_Form]] = {}
        for entry in self.entries:
            for text, form_kind, exact in entry.forms():
                form = _Form(entry, text, form_kind, exact, normalize(text, fold_case=False))
                self._index.setdefault(normalize(text), []).append(form)

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Gazetteer:
        """Read and validate every gazetteer file of ``data_dir`` (default: the packaged data)."""
        root = Path(data_dir) if data_dir is not None else DATA_DIR
        entries: list[GazetteerEntry] = []
        for filename, etype in GAZETTEER_FILES.items():
            path = root / filename
            if path.exists():
                entries.extend(load_jsonl(path, etype))
        return cls(
            entries,
            generic_terms=load_word_list(root / GENERIC_TERMS_FILE),
            titles=load_word_list(root / PERSON_TITLES_FILE),
        )

    def __len__(self) -> int:
        return len(self.entries)

    def _matching_forms(self, surface: str) -> list[_Form]:
        forms = self._index.get(normalize(surface), [])
        if not forms:
            return []
        exact_key = normalize(surface, fold_case=False)
        matched = [f for f in forms if not f.exact or f.exact_key == exact_key]

        def rank(f: _Form) -> tuple[int, int, int]:
            return (
                0 if f.exact_key == exact_key else 1,
                FORM_RANK[f.form_kind],
                _TYPE_RANK.get(f.entry.type, len(_TYPE_RANK)),
            )

        return sorted(matched, key=rank)

    def lookup(self, surface: str) -> tuple[GazetteerEntry, ...]:
        """Entries one of whose forms is ``surface``, best match first.

        Case-sensitive forms (acronyms, entries marked ``case_sensitive``) only match when
        ``surface`` has the same letter case.
        """
        out: list[GazetteerEntry] = []
        for form in self._matching_forms(surface):
            if form.entry not in out:
                out.append(form.entry)
        return tuple(out)

    def canonical(self, surface: str, type: str | None = None) -> GazetteerEntry | None:
        """The best entry for ``surface`` (of ``type`` if given), or ``None``."""
        for entry in self.lookup(surface):
            if type is None or entry.type == type:
                return entry
        return None

    def by_name(self, name: str, type: str | None = None) -> GazetteerEntry | None:
        """The entry whose canonical name is ``name`` (exactly), optionally of ``type``."""
        for entry in self.entries:
            if entry.name == name and (type is None or entry.type == type):
                return entry
        return None

    def is_generic(self, word: str) -> bool:
        """Whether ``word`` is a generic term that must never be a Person or Organization alone."""
        return normalize(word) in self.generic_terms

    def is_title(self, word: str) -> bool:
        """Whether ``word`` (``Dr``, ``Dr.``, ``Prof.``...) is an honorific to strip from names."""
        return normalize(word) in self.titles

    def duplicates(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """``(type, normalised name, names)`` for every name used by two entries of one type."""
        seen: dict[tuple[str, str], list[str]] = {}
        for entry in self.entries:
            seen.setdefault((entry.type, normalize(entry.name)), []).append(entry.name)
        return [(t, key, tuple(names)) for (t, key), names in seen.items() if len(names) > 1]

    def phrase_patterns(self) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
        """``(lower_patterns, exact_patterns)``, each a list of ``(label, id, text)``.

        ``label`` is the entity type, ``id`` the canonical name, ``text`` the form as written.
        Match the first list on spaCy's ``LOWER`` attribute, the second on ``ORTH``.
        """
        lower: list[tuple[str, str, str]] = []
        exact: list[tuple[str, str, str]] = []
        for entry in self.entries:
            for text, _kind, is_exact in entry.forms():
                (exact if is_exact else lower).append((entry.type, entry.name, text))
        return lower, exact


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once."""
    return Gazetteer.load()
