"""GraphML, GEXF and CSV exports: networkx and the csv module read back what was written."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from confkg.outputs.export import export, export_files, normalise_format
from confkg.outputs.network_export import csv_paths, network
from confkg.store import GraphStore


@pytest.fixture(scope="module")
def expected(sample_store: GraphStore) -> dict[str, int]:
    def n(sparql: str) -> int:
        return int(sample_store.query(sparql).rows[0][0] or 0)

    return {
        "nodes": n("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t ; rdfs:label ?l . VALUES ?t { ckg:Person "
                   "ckg:Organization ckg:Event ckg:EventSeries ckg:Talk ckg:Paper ckg:Artifact ckg:Topic } }"),
        "comentions": n("SELECT (COUNT(*) AS ?n) WHERE { ?c a ckg:CoMention }"),
        "speakers": n("SELECT (COUNT(*) AS ?n) WHERE { ?t ckg:speaker ?p }"),
    }


def test_the_network_has_the_entities_and_their_links(sample_store: GraphStore, expected: dict[str, int]) -> None:
    g = network(sample_store)
    assert g.number_of_nodes() == expected["nodes"]
    kinds = [d["kind"] for _, _, d in g.edges(data=True)]
    assert kinds.count("comention") == expected["comentions"]
    speakers = [(s, o, d) for s, o, d in g.edges(data=True) if d["predicate"] == "speaker"]
    assert len(speakers) == expected["speakers"]
    assert all(g.nodes[s]["type"] == "Talk" and g.nodes[o]["type"] == "Person" for s, o, _ in speakers)
    assert all(0 < d["confidence"] <= 1 and d["weight"] >= 1 for _, _, d in speakers)
    assert {g.nodes[n]["type"] for n in g} == {"Person", "Organization", "Event", "EventSeries", "Talk", "Paper",
                                               "Artifact", "Topic"}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networkx_reads_back_graphml_and_gexf(sample_store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = export(sample_store, fmt, tmp_path / f"g.{fmt}")
    g = network(sample_store)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    node = "https://w3id.org/confkg/id/person/ilya-sutskever"
    assert back.nodes[node]["label"] == "Ilya Sutskever" and back.nodes[node]["type"] == "Person"
    if fmt == "gexf":  # no date in it: the same graph gives the same bytes
        assert export(sample_store, fmt, tmp_path / f"again.{fmt}").read_bytes() == path.read_bytes()


def test_csv_nodes_and_edges(sample_store: GraphStore, tmp_path: Path, expected: dict[str, int]) -> None:
    nodes_path, edges_path = export_files(sample_store, "csv", tmp_path / "graph.csv")
    assert (nodes_path.name, edges_path.name) == ("graph_nodes.csv", "graph_edges.csv")
    with open(nodes_path, newline="", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(edges_path, newline="", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert len(nodes) == expected["nodes"]
    assert list(nodes[0]) == ["Id", "Label", "type", "mentions", "aliases"]
    assert list(edges[0]) == ["Source", "Target", "Type", "Label", "kind", "confidence", "Weight"]
    comentions = [e for e in edges if e["kind"] == "comention"]
    assert len(comentions) == expected["comentions"] and {e["Type"] for e in comentions} == {"Undirected"}
    ids = {n["Id"] for n in nodes}
    assert all(e["Source"] in ids and e["Target"] in ids for e in edges)
    g = nx.MultiDiGraph()
    g.add_edges_from((e["Source"], e["Target"]) for e in edges)
    assert g.number_of_edges() == network(sample_store).number_of_edges()


def test_csv_file_names() -> None:
    assert csv_paths(Path("x/graph.csv")) == (Path("x/graph_nodes.csv"), Path("x/graph_edges.csv"))
    assert csv_paths(Path("x/graph")) == (Path("x/graph_nodes.csv"), Path("x/graph_edges.csv"))
    assert normalise_format("GraphML") == "graphml"


def test_export_command_writes_network_formats(sample_build, tmp_path: Path, cli) -> None:
    code, out, _ = cli("export", "--out", str(sample_build.out_dir), "--format", "csv", "-o", str(tmp_path))
    assert code == 0 and out.splitlines() == [f"wrote {tmp_path / 'nodes.csv'}", f"wrote {tmp_path / 'edges.csv'}"]
