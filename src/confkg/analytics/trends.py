"""Topics per event and year (``confkg trends``): how often the notes of each event (or year) name
each topic, as a table and as a bar chart.

A note's event is its ``ckg:event`` and the year that event's ``ckg:year``. A topic counts for a
note when the note mentions it or is about it; its count is the number of its mentions in the
note. Shares (a topic's mentions over all topic mentions of the column) make events with long and
short notes comparable; ``change`` is the share in the last column minus the share in the first,
in percentage points: positive for topics that rose.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from confkg.analytics.projection import AnalyticsError
from confkg.analytics.table import Table
from confkg.store import GraphStore

GroupBy = Literal["year", "event"]
SORTS = ("total", "change")
NO_EVENT = "(no event)"
NO_YEAR = "(no year)"

TOPICS_PER_NOTE = """
SELECT ?note ?eventLabel ?year ?topicLabel (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?note a ckg:Note .
  { ?note ckg:mentions ?topic } UNION { ?note ckg:about ?topic }
  ?topic a ckg:Topic ; rdfs:label ?topicLabel .
  OPTIONAL { ?note ckg:event ?event . ?event rdfs:label ?eventLabel . OPTIONAL { ?event ckg:year ?year } }
  OPTIONAL { ?m ckg:refersTo ?topic ; ckg:inNote ?note }
}
GROUP BY ?note ?eventLabel ?year ?topicLabel"""


@dataclass
class Trends:
    """``counts[topic][column]``: mentions of the topic in the notes of the column."""

    by: str
    columns: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)

    def total(self, column: str) -> int:
        return sum(c.get(column, 0) for c in self.counts.values())

    def share(self, topic: str, column: str) -> float:
        """Percentage of the column's topic mentions that name ``topic``."""
        total = self.total(column)
        return 100.0 * self.counts[topic].get(column, 0) / total if total else 0.0

    def change(self, topic: str) -> float:
        """Share in the last column minus share in the first, in percentage points."""
        if len(self.columns) < 2:
            return 0.0
        return self.share(topic, self.columns[-1]) - self.share(topic, self.columns[0])

    def top(self, n: int = 10, sort: str = "total") -> list[str]:
        """The ``n`` topics with most mentions, or with the largest rise (``sort="change"``)."""
        if sort not in SORTS:
            raise AnalyticsError(f"unknown sort '{sort}': use {', '.join(SORTS)}")
        if sort == "change":
            key = lambda t: (-round(self.change(t), 9), t.casefold())  # noqa: E731
        else:
            key = lambda t: (-sum(self.counts[t].values()), t.casefold())  # noqa: E731
        return sorted(self.counts, key=key)[:n]

    def table(self, n: int = 10, sort: str = "total") -> Table:
        rows = []
        for topic in self.top(n, sort):
            counts = [self.counts[topic].get(c, 0) for c in self.columns]
            rows.append([topic, *counts, sum(counts), round(self.change(topic), 1) + 0.0])
        notes = ", ".join(f"{c}: {self.notes.get(c, 0)}" for c in self.columns)
        first_last = f"{self.columns[0]} to {self.columns[-1]}" if self.columns else ""
        return Table(["topic", *self.columns, "total", "change"], rows,
                     title=f"Topic mentions by {self.by}",
                     note=f"notes per {self.by}: {notes}; change: share of topic mentions, {first_last}, "
                          "in percentage points", formats={"change": "+.1f"})

    def as_dict(self) -> dict:
        return {"by": self.by, "columns": self.columns, "notes": self.notes, "counts": self.counts}


def topic_trends(store: GraphStore, by: GroupBy | str = "year") -> Trends:
    """Topic mention counts per year (or per event) of the notes' events."""
    if by not in ("year", "event"):
        raise AnalyticsError(f"unknown grouping '{by}': use year or event")
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    notes: dict[str, set[str]] = defaultdict(set)
    order: dict[str, tuple] = {}
    for note, event, year, topic, n in store.query(TOPICS_PER_NOTE).rows:
        column = (year or NO_YEAR) if by == "year" else (event or NO_EVENT)
        order[column] = (year is None, year or "", column)
        notes[column].add(note)
        counts[topic][column] = counts[topic].get(column, 0) + max(int(n), 1)
    columns = sorted(order, key=order.__getitem__)
    return Trends(by, columns, dict(counts), {c: len(notes[c]) for c in columns})


def plot_trends(trends: Trends, path: str | Path | None = None, *, top: int = 8, sort: str = "total"):
    """A grouped bar chart of the top topics' shares per column; written as PNG to ``path`` if
    given. Returns the matplotlib ``Figure`` (made without pyplot: no GUI, no global state)."""
    from matplotlib.figure import Figure

    topics = trends.top(top, sort)
    columns = trends.columns
    fig = Figure(figsize=(max(6.0, 1.1 * len(topics) + 2), 4.5), layout="constrained")
    ax = fig.add_subplot()
    width = 0.8 / max(len(columns), 1)
    for i, column in enumerate(columns):
        xs = [j + (i - (len(columns) - 1) / 2) * width for j in range(len(topics))]
        ax.bar(xs, [trends.share(t, column) for t in topics], width, label=f"{column} ({_notes(trends.notes[column])})")
    ax.set_xticks(range(len(topics)), [_wrap(t) for t in topics], fontsize=8)
    ax.set_ylabel("share of topic mentions (%)")
    ax.set_title(f"Topics by {trends.by}")
    ax.legend(fontsize=8)
    if path is not None:
        fig.savefig(path, dpi=100, format="png", metadata={"Software": None})
    return fig


def _wrap(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _notes(n: int) -> str:
    return f"{n} note" if n == 1 else f"{n} notes"
