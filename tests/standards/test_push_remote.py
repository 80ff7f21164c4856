"""``confkg push`` and ``confkg query --endpoint`` against a real Oxigraph server, started by this
module on 127.0.0.1 (a free port, a temporary directory) and stopped after."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from confkg.errors import QueryError
from confkg.store import GraphStore
from confkg.store.remote import RemoteError, push, remote_query


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, port_factory) -> Iterator[str]:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph): cannot test push")
    port = port_factory()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def remote_count(url: str, pattern: str = "GRAPH ?g { ?s ?p ?o }", distinct: bool = True) -> int:
    inner = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {pattern} }}" if distinct else f"SELECT * WHERE {{ {pattern} }}"
    result = remote_query(f"{url}/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} }}")
    return int(result.rows[0][0] or 0)


@pytest.fixture(scope="module")
def pushed(oxigraph: str, sample_store: GraphStore) -> str:
    """The sample graph pushed once, graph by graph, with the Graph Store Protocol."""
    report = push(sample_store, endpoint=f"{oxigraph}/store")
    print(f"\npush (Graph Store Protocol): {report.triples} triples, {report.requests} requests, "
          f"{report.seconds:.1f} s")
    return oxigraph


def test_push_graph_by_graph_twice_leaves_the_same_data(pushed: str, sample_store: GraphStore) -> None:
    quads = sum(1 for _ in sample_store.oxigraph_quads())
    assert remote_count(pushed) == sample_store.count()
    report = push(sample_store, endpoint=f"{pushed}/store")  # again: each graph is replaced, not added to
    assert report.graphs == len(sample_store.graphs()) and report.triples == quads
    assert report.requests > report.graphs  # the big graphs went in several chunks
    assert remote_count(pushed) == sample_store.count()
    assert remote_count(pushed, distinct=False) == quads
    names = remote_query(f"{pushed}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert [row[0] for row in names.rows] == [str(g) for g in sample_store.graphs()]


def test_push_the_union_into_one_graph_with_sparql_update(oxigraph: str, sample_build, sample_store: GraphStore,
                                                          cli) -> None:
    graph = "https://example.org/graphs/confkg"
    report = push(sample_store, update=f"{oxigraph}/update", graph=graph, chunk_size=30_000)
    print(f"\npush (SPARQL Update): {report.triples} triples, {report.requests} requests, {report.seconds:.1f} s")
    assert report.graphs == 1 and report.triples == sample_store.count()
    assert report.requests == -(-sample_store.count() // 30_000)  # in chunks
    assert remote_count(oxigraph, f"GRAPH <{graph}> {{ ?s ?p ?o }}", distinct=False) == sample_store.count()
    # the command, a second time: the graph is replaced, not added to
    code, out, _ = cli("push", "--out", str(sample_build.out_dir), "--update", f"{oxigraph}/update", "--graph", graph)
    assert code == 0 and out.startswith("pushed ") and f"into graph <{graph}> at {oxigraph}/update" in out
    assert remote_count(oxigraph, f"GRAPH <{graph}> {{ ?s ?p ?o }}", distinct=False) == sample_store.count()
    code, _, err = cli("push", "--out", str(sample_build.out_dir))
    assert code != 0 and "--endpoint" in err


def test_query_command_with_an_endpoint(pushed: str, cli) -> None:
    query = ("SELECT DISTINCT ?talk ?speaker WHERE { GRAPH ?g { ?t a ckg:Talk ; rdfs:label ?talk ; ckg:speaker ?p } "
             "GRAPH ?h { ?p rdfs:label ?speaker } FILTER(?talk = 'AI at Tesla') }")
    code, out, _ = cli("query", "--endpoint", f"{pushed}/query", query)
    assert code == 0
    assert out.splitlines()[2].split("|")[0].strip() == "AI at Tesla" and "Andrej Karpathy" in out
    assert out.rstrip().endswith("(1 row)")
    code, out, _ = cli("query", "--endpoint", f"{pushed}/query", "--format", "json", "ASK { GRAPH ?g { ?s ?p ?o } }")
    assert code == 0 and '"boolean": true' in out
    code, _, err = cli("query", "--endpoint", f"{pushed}/query", "SELECT ?x WHERE { ?x ?y }")
    assert code == 2 and "HTTP 400" in err and "error at 1:" in err  # the user's own line number
    code, _, err = cli("query", "--endpoint", f"{pushed}/query", "DROP ALL")
    assert code == 2 and "read-only" in err


def test_unreachable_and_refusing_endpoints(sample_store: GraphStore, port_factory) -> None:
    with pytest.raises(RemoteError, match="cannot reach"):
        push(sample_store, endpoint=f"http://127.0.0.1:{port_factory()}/store", chunk_size=10)
    with pytest.raises(QueryError, match="read-only"):
        remote_query("http://127.0.0.1:9/query", "INSERT DATA { <a:a> <a:b> <a:c> }")
    with pytest.raises(RemoteError, match="not both"):
        push(sample_store)


def test_remote_errors_name_the_status(oxigraph: str, sample_store: GraphStore) -> None:
    with pytest.raises(RemoteError, match="HTTP 4"):
        push(sample_store, endpoint=f"{oxigraph}/nowhere", chunk_size=10)


def test_push_changed_sends_only_what_changed_and_empties_deleted_notes(oxigraph: str, sample_build, cli,
                                                                       sample_store: GraphStore,
                                                                       tmp_path: Path) -> None:
    from rdflib import URIRef

    from confkg.pipeline import STORE_DIR

    out = tmp_path / "out"
    shutil.copytree(sample_build.out_dir / STORE_DIR, out / STORE_DIR)
    endpoint = f"{oxigraph}/store"
    args = ("push", "--out", str(out), "--endpoint", endpoint, "--changed")
    with GraphStore.open(out / STORE_DIR) as store:
        graphs = [str(g) for g in store.graphs()]
        notes = [g for g in graphs if not g.endswith(("/entities", "/comentions"))]
    assert len(notes) >= 2
    code, first, _ = cli(*args)
    assert code == 0 and f"into {len(graphs)} named graphs" in first and "0 unchanged, 0 emptied" in first
    code, again, _ = cli(*args)
    assert code == 0 and again.startswith("pushed 0 triples into 0 named graphs")
    assert f"{len(graphs)} unchanged" in again

    # one note edited (a triple fewer), another deleted
    edited, deleted = URIRef(notes[0]), URIRef(notes[1])
    with GraphStore.open(out / STORE_DIR, read_only=False) as store:
        kept = list(store.quads(edited))[1:]
        store.replace_graph(edited, [(s, p, o) for s, p, o, _ in kept])
        store.remove_graph(deleted)
    code, third, _ = cli(*args)
    assert code == 0 and "into 2 named graphs" in third and f"{len(graphs) - 2} unchanged, 1 emptied" in third
    assert remote_count(oxigraph, f"GRAPH <{edited}> {{ ?s ?p ?o }}", distinct=False) == len(kept)
    assert remote_count(oxigraph, f"GRAPH <{deleted}> {{ ?s ?p ?o }}", distinct=False) == 0
    code, _, err = cli("push", "--out", str(out), "--endpoint", endpoint, "--changed", "--graph", "https://x.org/g")
    assert code != 0 and "--graph" in err
    push(sample_store, endpoint=endpoint)  # the other tests of this module expect the sample graph there
