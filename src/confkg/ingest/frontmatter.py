"""Note metadata: Jekyll YAML front matter, and dates written in the text or the file name.

Dates are reduced to ISO ``YYYY-MM-DD`` or left out: a date that cannot be read is ``None``
rather than a raw string, so every later stage can rely on one format. YAML timestamps are not
resolved by the YAML loader (``2020-13-45`` would make it raise, ``2019-1-1`` stays a string
anyway); all dates go through :func:`parse_date` instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml


class FrontMatterError(ValueError):
    """The front matter cannot be used; ``problem`` is a one-line explanation."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Meta:
    title: str | None = None
    date: str | None = None
    categories: tuple[str, ...] = ()


class _Loader(yaml.SafeLoader):
    """Safe YAML loading with dates kept as strings."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %d %B %Y",
    "%A, %B %d, %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
)
_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^(?:posted|published|date|written|updated)(?:\s+on)?\s*:?\s*", re.IGNORECASE)
_FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def parse_date(value: Any) -> str | None:
    """ISO date of a YAML value or a written date (``6 August 2017``), else ``None``."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    m = _ISO_PREFIX.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    text = _ORDINAL.sub("", text).strip(" .")
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_categories(value: Any) -> tuple[str, ...]:
    """Categories from a YAML list, or from a string split on commas and spaces."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else re.split(r"[,\s]+", str(value))
    out: list[str] = []
    for item in items:
        name = " ".join(str(item).split()) if item is not None else ""
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _title(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    title = " ".join(str(value).split())
    return title or None


def read_front_matter(text: str, first_line: int) -> Meta:
    """Title, date and categories of YAML front matter starting at 0-based file line ``first_line``."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = getattr(err, "problem", None) or " ".join(str(err).split())
        where = f" at line {first_line + mark.line + 1}" if mark is not None else ""
        raise FrontMatterError(f"broken YAML front matter{where}: {problem}") from None
    except (ValueError, TypeError, RecursionError) as err:
        raise FrontMatterError(f"broken YAML front matter: {' '.join(str(err).split())}") from None
    if data is None:
        return Meta()
    if not isinstance(data, dict):
        raise FrontMatterError("broken YAML front matter: expected 'key: value' lines")
    categories = data.get("categories", data.get("category"))
    return Meta(_title(data.get("title")), parse_date(data.get("date")), parse_categories(categories))


def unclosed_front_matter(text: str) -> bool:
    """Whether ``text`` opens front matter (``---`` then a ``key:`` line) that never closes.

    Called when the markdown parser found no front matter: a file that merely starts with a
    ``---`` rule is fine, but one whose second line is a YAML key lost its closing ``---``.
    """
    lines = text.splitlines()
    return (
        len(lines) >= 2
        and re.fullmatch(r"-{3,}\s*", lines[0]) is not None
        and _YAML_KEY.match(lines[1]) is not None
    )


def date_from_lines(lines: list[str]) -> str | None:
    """A date written near the top of a text note: ``Posted: 6 August 2017`` or a bare date."""
    for line in lines:
        labelled = _DATE_LABEL.match(line)
        found = parse_date(line[labelled.end() :] if labelled else line)
        if found:
            return found
    return None


def date_from_filename(name: str) -> str | None:
    """The date of a Jekyll post name such as ``2020-03-01-scaledml.md``."""
    m = _FILENAME_DATE.match(name)
    return parse_date(m[1]) if m else None
