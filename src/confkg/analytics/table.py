"""Results of the analytics as small tables: aligned text for the terminal, HTML for notebooks,
plain rows for JSON. A ``Table`` displays itself in Jupyter (``_repr_html_``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from confkg.store import QueryResult

Cell = str | int | float | None


@dataclass(repr=False)
class Table:
    """Named columns and rows of plain values; ``title`` and ``note`` frame the text form."""

    columns: Sequence[str]
    rows: list[Sequence[Cell]] = field(default_factory=list)
    title: str = ""
    note: str = ""
    formats: dict[str, str] = field(default_factory=dict)  # column -> format spec of its numbers

    @classmethod
    def from_query(cls, result: QueryResult, title: str = "") -> Table:
        """A SPARQL SELECT result (cells as their text) as a table."""
        if result.kind != "select":
            raise ValueError("only SELECT results are tables")
        return cls(list(result.variables), [list(row) for row in result.rows], title=title)

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_text(self) -> str:
        body = [self._cells(row) for row in self.rows]
        widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(self.columns)]
        numeric = [bool(body) and all(_is_number(row[i]) for row in self.rows) for i in range(len(self.columns))]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(c.rjust(w) if num else c.ljust(w)
                             for c, w, num in zip(cells, widths, numeric, strict=True)).rstrip()

        lines = [self.title] if self.title else []
        lines += [line(list(self.columns)), "  ".join("-" * w for w in widths), *(line(r) for r in body)]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:  # the plain-text view of front ends without HTML
        return self.to_text()

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(c)}</th>" for c in self.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td{_align(c)}>{esc(t)}</td>" for c, t in zip(row, self._cells(row), strict=True))
            + "</tr>" for row in self.rows
        )
        caption = f"<caption>{esc(self.title)}</caption>" if self.title else ""
        note = f"<p>{esc(self.note)}</p>" if self.note else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}"


    def _cells(self, row: Sequence[Cell]) -> list[str]:
        return [_text(c, self.formats.get(col)) for col, c in zip(self.columns, row, strict=True)]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Cell, spec: str | None = None) -> str:
    if value is None:
        return ""
    if spec is not None and _is_number(value):
        return format(value, spec)
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1 else f"{value:.2f}"
    return " ".join(str(value).split())


def _align(value: Cell) -> str:
    return ' style="text-align:right"' if _is_number(value) else ""
