"""Topics per event and year: counts, shares and change by hand; the chart; the sample graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from confkg.analytics.projection import AnalyticsError
from confkg.analytics.trends import plot_trends, topic_trends

PNG = b"\x89PNG\r\n\x1a\n"


def two_years(h) -> None:  # noqa: ANN001
    h.entity("Conf 2017", "Event", year=2017)
    h.entity("Conf 2020", "Event", year=2020)
    h.entity("Workshop 2020", "Event", year=2020)
    h.entity("GANs", "Topic")
    h.entity("transformers", "Topic")
    for note, event, gans, transformers in (("a.md", "Conf 2017", 3, 1), ("b.md", "Conf 2020", 1, 2),
                                            ("c.md", "Workshop 2020", 0, 1)):
        h.note_event(note, event)
        for i in range(gans):
            h.mention("GANs", note=note, line=i + 1)
        for i in range(transformers):
            h.mention("transformers", note=note, line=i + 1)


def test_trends_by_year_by_hand(hand) -> None:
    store, _ = hand(two_years)
    t = topic_trends(store)
    assert t.columns == ["2017", "2020"] and t.notes == {"2017": 1, "2020": 2}
    assert t.counts == {"GANs": {"2017": 3, "2020": 1}, "transformers": {"2017": 1, "2020": 3}}
    assert t.share("GANs", "2017") == pytest.approx(75.0)
    assert t.change("GANs") == pytest.approx(-50.0) and t.change("transformers") == pytest.approx(50.0)
    assert t.top(2) == ["GANs", "transformers"]  # 4 mentions each: by name
    assert t.top(1, "change") == ["transformers"]
    table = t.table(5, "change")
    assert table.columns == ["topic", "2017", "2020", "total", "change"]
    assert table.rows[0] == ["transformers", 1, 3, 4, 50.0]
    assert "+50.0" in table.to_text() and "-50.0" in table.to_text()
    assert "<td" in table._repr_html_()
    with pytest.raises(AnalyticsError, match="unknown sort"):
        t.top(3, "alphabet")


def test_trends_by_event(hand) -> None:
    store, _ = hand(two_years)
    t = topic_trends(store, by="event")
    assert t.columns == ["Conf 2017", "Conf 2020", "Workshop 2020"]
    assert t.counts["transformers"] == {"Conf 2017": 1, "Conf 2020": 2, "Workshop 2020": 1}


def test_chart(hand, tmp_path: Path) -> None:
    store, _ = hand(two_years)
    fig = plot_trends(topic_trends(store), tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == PNG
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2017 (1 note)", "2020 (2 notes)"]


def test_sample_trends(sample_store) -> None:
    t = topic_trends(sample_store)
    assert {"2017", "2020"} <= set(t.columns) and t.columns == sorted(t.columns)
    assert "reinforcement learning" in t.top(10)
    assert sum(t.notes.values()) == 5
