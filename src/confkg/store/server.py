"""A local, read-only SPARQL 1.1 Protocol endpoint over a built store (``confkg serve``).

``/sparql`` answers ``GET ?query=...`` and ``POST`` (``application/sparql-query`` or a
form-encoded ``query=``), with the optional ``default-graph-uri`` and ``named-graph-uri``
parameters. Queries run on Oxigraph (the store's engine) over the union of all graphs, with
confkg's prefixes predeclared; results are written by Oxigraph's serialisers in the format the
``Accept`` header asks for: SPARQL JSON (the default), XML, CSV or TSV for SELECT and ASK;
Turtle (the default), N-Triples, RDF/XML, JSON-LD, N-Quads or TriG for CONSTRUCT and DESCRIBE.
A ``format=json|xml|csv|tsv|turtle|ntriples|rdfxml|jsonld`` parameter overrides ``Accept``.

Updates are refused (403): an ``update=`` parameter, an ``application/sparql-update`` body,
``/update``, or an update sent as a query. ``/`` serves the HTML explorer of the build
(``graph.html``), and ``/graph.ttl`` and ``/graph.jsonld`` the exports, when they exist.
Responses allow any origin (CORS), so a notebook or a web page on another port can query.

The server is Python's ``ThreadingHTTPServer``: one thread per request, all sharing the store
opened read-only (Oxigraph allows concurrent readers). It binds to 127.0.0.1 unless told
otherwise, and has no authentication: do not expose it to a network you do not trust.
"""

from __future__ import annotations

import sys
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from confkg import __version__
from confkg.store.oxigraph_store import GraphStore
from confkg.store.sparql import looks_like_update, one_line, syntax_message
from confkg.vocab import PREFIXES

DEFAULT_PORT = 7878
MAX_BODY = 10 * 1024 * 1024
SPARQL_PATH = "/sparql"
UPDATE_REFUSED_HERE = "updates are not allowed: this endpoint is read-only (the graph is rebuilt with 'confkg build')"

JSON, XML, CSV, TSV = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                       ox.QueryResultsFormat.TSV)
SOLUTION_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": JSON,
    "application/json": JSON,
    "application/sparql-results+xml": XML,
    "application/xml": XML,
    "text/xml": XML,
    "text/csv": CSV,
    "text/tab-separated-values": TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}

Log = Callable[[str], None]


class SparqlServer(ThreadingHTTPServer):
    """The endpoint. ``serve_forever()`` runs it; ``start()`` runs it in a background thread."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, store: GraphStore, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
                 files: Mapping[str, Path] | None = None, log: Log | None = None) -> None:
        self.store = store
        self.files = dict(files or {})
        """URL path -> file served as it is (``/`` -> the explorer, ``/graph.ttl``, ...)."""
        self.log = log
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}"

    @property
    def endpoint(self) -> str:
        return self.url + SPARQL_PATH

    def start(self) -> SparqlServer:
        """Serve in a daemon thread (for tests and notebooks); ``stop()`` ends it."""
        self._thread = threading.Thread(target=self.serve_forever, name="confkg-sparql", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def explorer_files(out: Path, html: str = "graph.html") -> dict[str, Path]:
    """The files of a build directory that the server offers, by URL path."""
    files = {"/": out / html, f"/{html}": out / html, "/graph.ttl": out / "graph.ttl",
             "/graph.jsonld": out / "graph.jsonld"}
    return {path: file for path, file in files.items() if file.is_file()}


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = f"confkg/{__version__}"
    protocol_version = "HTTP/1.1"

    # ------------------------------------------------------------------ methods

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urllib.parse.urlsplit(self.path)
        if url.path == SPARQL_PATH:
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if "update" in params:
                return self._refuse()
            if "query" not in params:
                return self._send(HTTPStatus.OK, _FORM.encode(), "text/html; charset=utf-8")
            return self._query(params["query"][0], params)
        if url.path == "/update":
            return self._refuse()
        file = self.server.files.get(url.path)
        if file is not None and file.is_file():
            return self._send(HTTPStatus.OK, file.read_bytes(), _file_type(file))
        if url.path == "/":
            return self._send(HTTPStatus.OK, _FORM.encode(), "text/html; charset=utf-8")
        return self._not_found(url.path)

    do_HEAD = do_GET  # noqa: N815

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/update":
            return self._refuse()
        if url.path != SPARQL_PATH:
            return self._not_found(url.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
        body = self.rfile.read(length) if length else b""
        media = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return self._refuse()
        if media == "application/sparql-query":
            return self._query(body.decode("utf-8", errors="replace"), params)
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            if "update" in params:
                return self._refuse()
            if "query" in params:
                return self._query(params["query"][0], params)
            return self._error(HTTPStatus.BAD_REQUEST, "missing query parameter")
        return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "POST application/sparql-query or application/x-www-form-urlencoded (query=...)")

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # ------------------------------------------------------------------ queries

    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        options: dict[str, Any] = {"prefixes": PREFIXES}
        try:
            if params.get("default-graph-uri"):
                options["default_graph"] = [ox.NamedNode(g) for g in params["default-graph-uri"]]
            if params.get("named-graph-uri"):
                options["named_graphs"] = [ox.NamedNode(g) for g in params["named-graph-uri"]]
        except ValueError as err:
            return self._error(HTTPStatus.BAD_REQUEST, f"bad graph IRI: {one_line(str(err))}")
        try:
            result = self.server.store.oxigraph.query(text, **options)
        except SyntaxError as err:
            if looks_like_update(text):
                return self._refuse()
            return self._error(HTTPStatus.BAD_REQUEST, syntax_message(str(err)))
        except (RuntimeError, OSError, ValueError) as err:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {one_line(str(err))}")
        wanted = FORMAT_NAMES.get(params.get("format", [""])[0].lower()) or self.headers.get("Accept") or "*/*"
        try:
            if isinstance(result, ox.QueryTriples):
                media = negotiate(wanted, GRAPH_FORMATS, "text/turtle")
                if media is None:
                    return self._not_acceptable(GRAPH_FORMATS)
                rdf_format = GRAPH_FORMATS[media]
                prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
                data = ox.serialize(result, format=rdf_format, prefixes=prefixes)
                return self._send(HTTPStatus.OK, data or b"", f"{rdf_format.media_type}; charset=utf-8")
            media = negotiate(wanted, SOLUTION_FORMATS, "application/sparql-results+json")
            if media is None:
                return self._not_acceptable(SOLUTION_FORMATS)
            results_format = SOLUTION_FORMATS[media]
            data = result.serialize(format=results_format)
        except (RuntimeError, OSError, ValueError) as err:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {one_line(str(err))}")
        self._send(HTTPStatus.OK, data or b"", f"{results_format.media_type}; charset=utf-8")

    # ------------------------------------------------------------------ responses

    def _refuse(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, UPDATE_REFUSED_HERE)

    def _not_found(self, path: str) -> None:
        self._error(HTTPStatus.NOT_FOUND, f"no such resource: {path}; the SPARQL endpoint is {SPARQL_PATH}")

    def _not_acceptable(self, offers: Mapping[str, object]) -> None:
        self._error(HTTPStatus.NOT_ACCEPTABLE, "cannot answer in the requested type; available: " + ", ".join(offers))

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        log = self.server.log
        if log is not None:
            log(f"{self.address_string()} {format % args}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.log is not None:
            self.log_message('"%s" %s', self.requestline[:200], str(code))


def negotiate(accept: str, offers: Mapping[str, object], default: str) -> str | None:
    """The offered media type the ``Accept`` header prefers (q-values honoured, the header's
    order breaking ties); ``default`` for ``*/*``; None when nothing offered is acceptable."""
    ranges: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept.split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((-quality, index, media.lower()))
    for negative_quality, _, media in sorted(ranges):
        if negative_quality >= 0:
            break
        if media in offers:
            return media
        if media == "*/*":
            return default
        if media.endswith("/*"):
            family = media[:-1]
            if default.startswith(family):
                return default
            match = next((offer for offer in offers if offer.startswith(family)), None)
            if match:
                return match
    return None


def _file_type(path: Path) -> str:
    return {".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
            ".jsonld": "application/ld+json"}.get(path.suffix, "application/octet-stream")


def stderr_log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>confkg SPARQL endpoint</title>
<style>body{font:15px system-ui,sans-serif;margin:2em;max-width:60em}textarea{width:100%;font:14px monospace}</style>
</head><body>
<h1>confkg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the union of all graphs; prefixes <code>ckg:</code>, <code>id:</code>,
<code>rdfs:</code>, <code>schema:</code>, <code>skos:</code>, ... are predeclared.</p>
<form action="/sparql" method="get">
<textarea name="query" rows="10">SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type }
GROUP BY ?type ORDER BY DESC(?n)</textarea>
<p><label>format <select name="format"><option>json</option><option>xml</option><option>csv</option>
<option>tsv</option></select></label> <button>Run</button></p>
</form></body></html>
"""
