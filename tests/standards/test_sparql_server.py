"""``confkg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built store, tested over
real HTTP on 127.0.0.1 (one server for the module, in a thread; one run of the command)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from confkg.store import GraphStore
from confkg.store.remote import remote_query
from confkg.store.server import SparqlServer, explorer_files, negotiate

PEOPLE = "SELECT ?l WHERE { ?p a ckg:Person ; rdfs:label ?l } ORDER BY ?l LIMIT 3"


@pytest.fixture(scope="module")
def server(sample_build) -> Iterator[SparqlServer]:
    store = GraphStore.open(sample_build.out_dir / "store")
    srv = SparqlServer(store, "127.0.0.1", 0, files=explorer_files(sample_build.out_dir)).start()
    yield srv
    srv.stop()


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def get(server: SparqlServer, query: str, accept: str | None = None, **params: str) -> tuple[int, str, bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return request(f"{server.endpoint}?{qs}", headers={"Accept": accept} if accept else {})


def test_get_returns_sparql_json(server: SparqlServer, sample_store: GraphStore) -> None:
    started = time.perf_counter()
    status, ctype, body = get(server, PEOPLE)
    print(f"\nserve: one SELECT over HTTP in {1000 * (time.perf_counter() - started):.0f} ms")
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    doc = json.loads(body)
    expected = [row[0] for row in sample_store.query(PEOPLE).rows]
    assert [b["l"]["value"] for b in doc["results"]["bindings"]] == expected


def test_post_query_body_and_form(server: SparqlServer) -> None:
    status, ctype, body = request(server.endpoint, data=PEOPLE.encode(),
                                  headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["l"] and len(rows) == 4
    form = urllib.parse.urlencode({"query": "ASK { ?p a ckg:Person }"}).encode()
    status, ctype, body = request(server.endpoint, data=form,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html;q=0.9, application/json;q=0.5", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
])
def test_results_format_by_accept_header(server: SparqlServer, accept: str, media: str) -> None:
    status, ctype, body = get(server, PEOPLE, accept)
    assert status == 200 and ctype.startswith(media) and body


def test_construct_in_rdf_formats(server: SparqlServer, sample_store: GraphStore) -> None:
    query = "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a ckg:Person ; rdfs:label ?l }"
    status, ctype, body = get(server, query)
    assert status == 200 and ctype.startswith("text/turtle") and b"@prefix rdfs:" in body
    status, ctype, body = get(server, query, "application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples")
    assert body.count(b"\n") == len(sample_store.query(query))
    status, _, _ = get(server, query, "text/csv")
    assert status == 406


def test_updates_are_refused(server: SparqlServer, sample_store: GraphStore) -> None:
    before = sample_store.count()
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> 'c' }"
    form = urllib.parse.urlencode({"update": update}).encode()
    answers = [
        request(server.endpoint, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}),
        request(server.endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        get(server, update),
        request(server.url + "/update", data=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        request(server.endpoint, data=b"", method="PUT"),
    ]
    for status, _, body in answers:
        assert status == 403 and b"read-only" in body
    assert sample_store.count() == before


def test_errors_are_one_line_messages(server: SparqlServer) -> None:
    status, ctype, body = get(server, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400 and ctype.startswith("text/plain") and body.startswith(b"SPARQL syntax error at line 1")
    status, _, _ = request(server.url + "/nowhere")
    assert status == 404


def test_the_explorer_and_a_form_are_served(server: SparqlServer, sample_build) -> None:
    status, ctype, body = request(server.url + "/")
    assert status == 200 and ctype.startswith("text/html")
    assert body == (sample_build.out_dir / "graph.html").read_bytes()
    status, ctype, body = request(server.endpoint)
    assert status == 200 and b"<form" in body
    status, ctype, body = request(server.url + "/graph.ttl")
    assert status == 200 and ctype.startswith("text/turtle")


def test_remote_query_reads_the_endpoint_like_a_local_query(server: SparqlServer, sample_store: GraphStore) -> None:
    query = "SELECT ?talk ?speaker WHERE { ?t a ckg:Talk ; rdfs:label ?talk ; ckg:speaker/rdfs:label ?speaker }"
    remote = remote_query(server.endpoint, query)
    local = sample_store.query(query)
    assert sorted(remote.rows) == sorted(local.rows) and remote.variables == local.variables
    assert remote_query(server.endpoint, "ASK { ?x a ckg:Talk }").boolean is True


def test_rdflib_sparqlstore_is_a_client(server: SparqlServer, sample_store: GraphStore) -> None:
    """Another tool's SPARQL client (rdflib's SPARQLStore: GET, XML results) reads the endpoint."""
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server.endpoint))
    query = ("PREFIX ckg: <https://w3id.org/confkg/ns#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a ckg:Person }")
    [(n,)] = list(graph.query(query))
    assert int(n) == len(sample_store.query("SELECT ?p WHERE { ?p a ckg:Person }"))


def test_negotiation() -> None:
    offers = {"a/x": 1, "a/y": 2, "b/z": 3}
    assert negotiate("a/y, a/x", offers, "a/x") == "a/y"
    assert negotiate("a/y;q=0.1, a/x", offers, "a/x") == "a/x"
    assert negotiate("b/*", offers, "a/x") == "b/z"
    assert negotiate("c/c", offers, "a/x") is None
    assert negotiate("a/y;q=0", offers, "a/x") is None


def test_serve_command(sample_build, port_factory) -> None:
    """The real command in a subprocess: prints its URL, answers, stops on SIGTERM."""
    port = port_factory()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "confkg.cli.app", "serve", "--out", str(sample_build.out_dir),
                             "--port", str(port), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=Path(__file__).parent)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.strip() == f"SPARQL endpoint: http://127.0.0.1:{port}/sparql", proc.stderr and proc.stderr.read()
        qs = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        status, _, body = request(f"http://127.0.0.1:{port}/sparql?{qs}")
        assert status == 200
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == sample_build.triples
    finally:
        proc.terminate()
        proc.wait(timeout=10)
