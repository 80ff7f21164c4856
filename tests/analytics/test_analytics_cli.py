"""``confkg stats``, ``central``, ``communities``, ``path`` and ``trends`` on the sample graph, run as a
user runs them."""

from __future__ import annotations

import json
from pathlib import Path


def test_stats(sample_build, cli) -> None:
    code, out, _ = cli("stats", "--out", str(sample_build.out_dir))
    assert code == 0
    for title in ("Entities by type", "Links by predicate", "Degree distribution", "Connected components"):
        assert title in out
    code, out, _ = cli("stats", "--out", str(sample_build.out_dir), "--edges", "asserted", "--format", "json")
    data = json.loads(out)
    assert data["comention_edges"] == 0 and data["predicates"]["speaker"] > 0


def test_central(sample_build, cli) -> None:
    d = str(sample_build.out_dir)
    code, out, _ = cli("central", "--out", d, "--type", "Person", "--top", "3")
    assert code == 0 and "Most central entities (Person) by pagerank" in out
    assert len(out.strip().splitlines()) == 3 + 3
    code, out, _ = cli("central", "--out", d, "--by", "degree", "--event", "ScaledML 2020", "--format", "json")
    rows = json.loads(out)
    assert len(rows) == 10 and rows[0]["rank"] == 1 and "degree" in rows[0]
    code, _, err = cli("central", "--out", d, "--by", "closeness")
    assert code == 2 and "pagerank, betweenness, degree" in err
    code, _, err = cli("central", "--out", d, "--event", "Atlantis 3000")
    assert code == 1 and err.strip() == "error: no event named 'Atlantis 3000'"


def test_central_and_communities_write_to_the_graph(writable_sample: Path, cli) -> None:
    d = str(writable_sample)
    code, _, err = cli("central", "--out", d, "--write", "--top", "1")
    assert code == 0 and "stored" in err and "graph/analytics" in err
    code, out, _ = cli("query", "--out", d, "--format", "json",
                       "SELECT ?e ?pr WHERE { ?e ckg:pagerank ?pr } ORDER BY DESC(?pr) LIMIT 3")
    assert code == 0 and len(json.loads(out)["results"]["bindings"]) == 3
    code, _, _ = cli("communities", "--out", d, "--write")
    assert code == 0
    code, out, _ = cli("query", "--out", d, "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e ckg:community ?c ; ckg:pagerank ?pr"
                                            " } GROUP BY ?c")
    assert code == 0 and "(1 row)" not in out and "(0 rows)" not in out
    code, _, err = cli("central", "--out", d, "--write", "--event", "ScaledML 2020")
    assert code == 2 and "not with --event" in err


def test_communities(sample_build, cli) -> None:
    code, out, _ = cli("communities", "--out", str(sample_build.out_dir), "--top", "3")
    assert code == 0 and "Communities (Louvain, co-mentions)" in out
    code, again, _ = cli("communities", "--out", str(sample_build.out_dir), "--top", "3")
    assert again == out
    code, out, _ = cli("communities", "--out", str(sample_build.out_dir), "--format", "json", "--top", "2")
    assert [c["index"] for c in json.loads(out)] == [1, 2]


def test_path(sample_build, cli) -> None:
    code, out, _ = cli("path", "--out", str(sample_build.out_dir), "Ilya Sutskever", "Netflix")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Ilya Sutskever -> Netflix: ")
    assert "--speaker--" in lines[1] and ".md:" in lines[2]
    code, _, err = cli("path", "--out", str(sample_build.out_dir), "Ilya Sutskever", "Nobody At All")
    assert code == 1 and err.strip() == "error: no entity named 'Nobody At All'"


def test_trends_with_chart(sample_build, tmp_path: Path, cli) -> None:
    chart = tmp_path / "chart.png"
    code, out, err = cli("trends", "--out", str(sample_build.out_dir), "--top", "5", "-o", str(chart))
    assert code == 0 and out.startswith("Topic mentions by year") and f"wrote {chart}" in err
    assert chart.read_bytes()[:4] == b"\x89PNG"
    code, out, _ = cli("trends", "--out", str(sample_build.out_dir), "--by", "event", "--format", "json")
    data = json.loads(out)
    assert "ScaledML 2020" in data["columns"] and len(data["top"]) == 10


def test_commands_without_a_store(tmp_path: Path, cli) -> None:
    code, _, err = cli("stats", "--out", str(tmp_path))
    assert code == 1 and "run 'confkg build' first" in err
