"""Other triple stores over HTTP: push the graph to one (``confkg push``) and query a remote
SPARQL endpoint (``confkg query --endpoint``). Standard protocols only, through urllib:

* SPARQL 1.1 Graph Store Protocol (``--endpoint``): Oxigraph ``http://host:7878/store``,
  Apache Jena Fuseki ``http://host:3030/DATASET/data``, GraphDB
  ``http://host:7200/repositories/REPO/rdf-graphs/service``, Virtuoso
  ``http://host:8890/sparql-graph-crud``;
* SPARQL 1.1 Update (``--update``): Oxigraph ``/update``, Fuseki ``/DATASET/update``, GraphDB
  ``/repositories/REPO/statements``, Virtuoso ``/sparql`` (with update rights);
* SPARQL 1.1 Protocol for queries: ``/query``, ``/DATASET/sparql``, ``/repositories/REPO``,
  ``/sparql``.

Pushing is idempotent: each named graph of the store (one per note, the entities, the
co-mentions) replaces the graph of the same IRI in the target (its first chunk is a PUT, or
``DROP SILENT GRAPH`` + ``INSERT DATA``; the next chunks are added to it), so pushing twice
leaves the same data. With ``graph``, the union of all graphs goes into that one graph.
Graphs that exist only in the target (a note deleted since) are left alone, unless the push
is incremental: given the digests of the last push to that target (``previous``), only graphs
whose content changed are sent, and graphs that push sent but the store no longer has are
emptied. A digest is order-independent (a sum of triple hashes), so it costs one pass over the
store and no sorting.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Node

from confkg import __version__
from confkg.batches import batched
from confkg.errors import ConfkgError, QueryError
from confkg.store.oxigraph_store import GraphStore
from confkg.store.sparql import QueryResult, looks_like_update
from confkg.store.terms import rdflib_converter
from confkg.vocab import PREFIXES

DEFAULT_CHUNK = 20_000
"""Triples per request: small enough for any server's request size limit, large enough that
the sample graph goes in a dozen requests."""
TIMEOUT = 120.0
USER_AGENT = f"confkg/{__version__}"
RESULTS_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                  "text/tab-separated-values;q=0.8, text/turtle;q=0.9, application/n-triples;q=0.8")
_TURTLE = "text/turtle; charset=utf-8"
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+)")


class RemoteError(ConfkgError):
    """The remote endpoint could not be reached or refused the request."""


@dataclass
class PushReport:
    target: str
    graphs: int = 0
    triples: int = 0
    """Triples sent (a triple held by two graphs is sent twice; the union counts it once)."""
    requests: int = 0
    seconds: float = 0.0
    unchanged: int = 0
    """Graphs not sent because they are as the last push left them (incremental push)."""
    emptied: int = 0
    """Graphs the last push sent that the store no longer has, emptied in the target."""
    digests: dict[str, str] = field(default_factory=dict)
    """Digest of every graph now in the target as pushed: the ``previous`` of the next push."""


Progress = Callable[[str, int], None]


def push(store: GraphStore, *, endpoint: str | None = None, update: str | None = None, graph: str | None = None,
         chunk_size: int = DEFAULT_CHUNK, auth: str | None = None, timeout: float = TIMEOUT,
         progress: Progress | None = None, previous: dict[str, str] | None = None) -> PushReport:
    """Upload the store to a Graph Store Protocol ``endpoint`` or a SPARQL Update ``update``
    endpoint (exactly one of them), graph by graph, ``chunk_size`` triples per request.

    ``graph``: an IRI that receives the union of all graphs instead of one graph per note.
    ``auth``: ``user:password`` for HTTP Basic authentication. ``progress(graph, triples)``
    is called after each request. ``previous``: the ``digests`` of the last push's report to
    the same target; only what changed since is sent (not with ``graph``).
    """
    if (endpoint is None) == (update is None):
        raise RemoteError("give a Graph Store Protocol endpoint or a SPARQL Update endpoint, not both and not neither")
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")
    if graph is not None:
        _check_iri(graph)
    if graph is not None and previous is not None:
        raise RemoteError("an incremental push sends named graphs: it cannot be combined with one target graph")
    client = _Client(auth, timeout)
    report = PushReport(target=endpoint or update or "")
    started = time.perf_counter()
    sources: Iterable[tuple[str, Iterable[ox.Quad]]] = _sources(store, graph)
    if previous is not None:
        sources = _changed(store, previous, report)
    for name, quads in sources:
        report.graphs += 1
        for index, chunk in enumerate(_chunks(quads, chunk_size)):
            if endpoint is not None:
                body = ox.serialize((q.triple for q in chunk), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
                url = _graph_url(endpoint, name)
                client.send("PUT" if index == 0 else "POST", url, body, _TURTLE)
            else:
                client.send("POST", update or "", _update_text(name, chunk, first=index == 0).encode(),
                            "application/sparql-update; charset=utf-8")
            report.requests += 1
            report.triples += len(chunk)
            if progress:
                progress(name, len(chunk))
    report.seconds = time.perf_counter() - started
    return report


def _sources(store: GraphStore, graph: str | None) -> Iterator[tuple[str, Iterator[ox.Quad]]]:
    """(target graph IRI, quads) pairs: every named graph, or the union into ``graph``."""
    db = store.oxigraph
    if graph is not None:
        yield graph, db.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return
    for name in sorted(db.named_graphs(), key=lambda g: g.value):
        if isinstance(name, ox.NamedNode):
            yield name.value, db.quads_for_pattern(None, None, None, name)


def graph_digest(quads: Iterable[ox.Quad]) -> str:
    """Order-independent digest of a graph's triples: the sum of their BLAKE2b hashes modulo 2**128."""
    total = 0
    count = 0
    for q in quads:
        total += int.from_bytes(hashlib.blake2b(f"{q.subject} {q.predicate} {q.object}".encode(),
                                                digest_size=16).digest(), "big")
        count += 1
    return f"{count}:{total % (1 << 128):032x}"


def graph_digests(store: GraphStore) -> dict[str, str]:
    """The digest of every named graph of the store, by graph IRI."""
    return {name: graph_digest(quads) for name, quads in _sources(store, None)}


def _changed(store: GraphStore, previous: dict[str, str], report: PushReport
             ) -> Iterator[tuple[str, Iterable[ox.Quad]]]:
    """The graphs whose digest differs from ``previous``, then the empty graphs that replace what
    the last push sent and the store no longer has; ``report.digests`` is filled as it goes."""
    db = store.oxigraph
    for name, digest in graph_digests(store).items():
        report.digests[name] = digest
        if previous.get(name) == digest:
            report.unchanged += 1
            continue
        yield name, db.quads_for_pattern(None, None, None, ox.NamedNode(name))
    for name in sorted(set(previous) - set(report.digests)):
        report.emptied += 1
        yield name, ()


def _chunks(quads: Iterable[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    empty = True
    for chunk in batched(quads, size):
        empty = False
        yield chunk
    if empty:
        yield []  # an empty graph is still replaced (emptied) in the target


def _graph_url(endpoint: str, graph: str) -> str:
    """Graph Store Protocol indirect identification: ``endpoint?graph=<encoded IRI>``."""
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}graph={urllib.parse.quote(graph, safe='')}"


def _update_text(graph: str, chunk: list[ox.Quad], *, first: bool) -> str:
    """``DROP SILENT GRAPH`` (first chunk) + ``INSERT DATA``; terms written by Oxigraph's own
    N-Triples serialiser (``str(term)``), which escapes them."""
    name = f"<{graph}>"
    triples = "\n".join(f"  {q.subject} {q.predicate} {q.object} ." for q in chunk)
    insert = f"INSERT DATA {{ GRAPH {name} {{\n{triples}\n}} }}" if chunk else ""
    if first:
        return f"DROP SILENT GRAPH {name} ;\n{insert}" if insert else f"DROP SILENT GRAPH {name}"
    return insert


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as err:
        raise RemoteError(f"not an absolute IRI: {iri!r} ({err})") from None
    if ":" not in iri:
        raise RemoteError(f"not an absolute IRI: {iri!r}")


# ---------------------------------------------------------------------- remote queries


def remote_query(endpoint: str, sparql: str, *, auth: str | None = None, timeout: float = TIMEOUT) -> QueryResult:
    """Run a read-only query on a SPARQL 1.1 Protocol endpoint and collect the result like a
    local query (``GraphStore.query``), so ``format_results`` prints it the same way.

    confkg's prefixes (``ckg:``, ``schema:``, ...) are declared in front of the query (a
    query's own ``PREFIX`` lines, after them, still win). Updates are refused, as locally.
    """
    if not isinstance(sparql, str):
        raise QueryError("a SPARQL query must be text")
    if looks_like_update(sparql):
        raise QueryError("updates are not sent: 'confkg query' is read-only; use 'confkg push' to load data")
    prologue = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())
    client = _Client(auth, timeout)
    try:
        body, content_type = client.send("POST", endpoint, f"{prologue}\n{sparql}".encode(),
                                         "application/sparql-query; charset=utf-8", accept=RESULTS_ACCEPT, query=True)
    except QueryError as err:
        # Oxigraph's messages say "error at LINE:COLUMN"; give the user's own line numbers back.
        message = _OXIGRAPH_POSITION.sub(lambda m: f"error at {int(m.group(1)) - 1}:{m.group(2)}", str(err))
        raise QueryError(message) from None
    return parse_results(body, content_type)


def parse_results(body: bytes, content_type: str) -> QueryResult:
    """A SPARQL results document (JSON, XML, TSV) or an RDF document (CONSTRUCT, DESCRIBE) as a
    ``QueryResult``."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json":
        media = "application/sparql-results+json"
    results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
    if media == "text/csv":
        raise RemoteError("the endpoint answered in CSV, which loses term types; it should offer JSON")
    if results_format is not None:
        try:
            parsed = ox.parse_query_results(body, format=results_format)
        except (SyntaxError, ValueError) as err:
            raise RemoteError(f"unreadable {media} results: {' '.join(str(err).split())}") from None
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(parsed))
        return _solutions(parsed)
    rdf_format = ox.RdfFormat.from_media_type(media) if media else None
    if rdf_format is None:
        raise RemoteError(f"unexpected answer of type {content_type or 'unknown'}: {_excerpt(body)}")
    convert = rdflib_converter()
    try:
        triples = [(convert(q.subject), convert(q.predicate), convert(q.object))
                   for q in ox.parse(body, format=rdf_format)]
    except (SyntaxError, ValueError) as err:
        raise RemoteError(f"unreadable {media} answer: {' '.join(str(err).split())}") from None
    return QueryResult(kind="graph", triples=triples)  # type: ignore[arg-type]


def _solutions(solutions: ox.QuerySolutions) -> QueryResult:
    convert = rdflib_converter()
    variables = tuple(v.value for v in solutions.variables)
    rows: list[tuple[str | None, ...]] = []
    terms: list[tuple[Node | None, ...]] = []
    for solution in solutions:
        cells = tuple(convert(solution[v]) for v in variables)
        terms.append(cells)
        rows.append(tuple(_text(c) for c in cells))
    return QueryResult(kind="select", variables=variables, rows=rows, terms=terms)


def _text(term: Node | None) -> str | None:
    if term is None:
        return None
    return f"_:{term}" if isinstance(term, BNode) else str(term)


# ---------------------------------------------------------------------- HTTP


class _Client:
    def __init__(self, auth: str | None, timeout: float) -> None:
        self.timeout = timeout
        self.headers = {"User-Agent": USER_AGENT}
        if auth:
            if ":" not in auth:
                raise RemoteError("credentials must be given as user:password")
            self.headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode("ascii")

    def send(self, method: str, url: str, body: bytes, content_type: str, *, accept: str = "*/*",
             query: bool = False) -> tuple[bytes, str]:
        if not url.startswith(("http://", "https://")):
            raise RemoteError(f"not an http(s) URL: {url!r}")
        headers = {**self.headers, "Content-Type": content_type, "Accept": accept}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            detail = _excerpt(err.read())
            error = QueryError if query and err.code == 400 else RemoteError
            raise error(f"{method} {url}: HTTP {err.code} {err.reason}" + (f": {detail}" if detail else "")) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise RemoteError(f"{method} {url}: cannot reach the endpoint: {reason}") from None


def _excerpt(body: bytes, width: int = 300) -> str:
    text = " ".join(body.decode("utf-8", errors="replace").split())
    return text if len(text) <= width else text[: width - 1] + "…"
