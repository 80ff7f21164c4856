"""Running a user's SPARQL query on Oxigraph: prefixes, bindings, refusals, errors, results.

Kept apart from the store so that the rules about *what a query may do* (read only, no text
pasted in, one-line errors) sit in one small module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph as ox
from rdflib.term import Node

from confkg.errors import QueryError
from confkg.store.terms import OxTerm, rdflib_converter, to_ox
from confkg.vocab import PREFIXES

ResultKind = Literal["select", "ask", "graph"]

UPDATE_REFUSED = "updates are not allowed: the graph is read-only; rebuild it with 'confkg build'"

_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
# Comments, strings and IRIs may contain any word; they are removed before looking for the
# first keyword. Long strings first so that '''...''' is not read as three short strings.
_NOISE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)
_WORD = re.compile(r"[A-Za-z_][\w.-]*:?|:")
_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_UNBINDABLE = re.compile(r"does not contains? variable \?(\S+) in its SELECT projection")
_MAX_MESSAGE = 240


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, in plain Python values.

    ``rows`` hold strings (the IRI, the literal's lexical form, ``_:id`` for a blank node,
    ``None`` when a variable is unbound) for tables and CSV; ``terms`` hold the same cells
    as rdflib terms, which keep datatypes and language tags for JSON results and for Python
    callers. ``triples`` (rdflib terms) answer CONSTRUCT and DESCRIBE; ``boolean`` answers ASK.
    """

    kind: ResultKind
    variables: tuple[str, ...] = ()
    rows: list[tuple[str | None, ...]] = field(default_factory=list)
    terms: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def __len__(self) -> int:
        """Rows of a SELECT, triples of a CONSTRUCT, 1 for an ASK."""
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1


def run_query(store: ox.Store, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
    """Evaluate ``sparql`` on ``store`` (its default graph) and collect the result.

    The prefixes of ``vocab.PREFIXES`` are handed to Oxigraph's parser rather than pasted in
    front of the query, so a query's own ``PREFIX`` lines still win and the line numbers in
    syntax errors are those of the user's text.
    """
    substitutions = _substitutions(bindings)
    try:
        result = store.query(sparql, prefixes=PREFIXES, substitutions=substitutions)
        return _collect(result)
    except SyntaxError as err:
        if looks_like_update(sparql):
            raise QueryError(UPDATE_REFUSED) from None
        raise QueryError(syntax_message(str(err))) from None
    except RuntimeError as err:
        message = one_line(str(err))
        unbindable = _UNBINDABLE.search(message)
        if unbindable:
            raise QueryError(
                f"cannot bind ?{unbindable.group(1)}: the query does not return it (Oxigraph "
                "substitutes only variables of the SELECT clause, or of an ASK or CONSTRUCT pattern)"
            ) from None
        raise QueryError(f"query failed: {message}") from None
    except OSError as err:
        raise QueryError(f"query failed: {one_line(str(err))}") from None


def _substitutions(bindings: Mapping[str, Any] | None) -> dict[ox.Variable, OxTerm] | None:
    """Bindings become Oxigraph substitutions: terms, never query text."""
    if not bindings:
        return None
    substitutions: dict[ox.Variable, OxTerm] = {}
    for name, value in bindings.items():
        bare = name[1:] if name[:1] in "?$" else name
        try:
            variable = ox.Variable(bare)
            substitutions[variable] = to_ox(value)
        except (TypeError, ValueError) as err:
            raise QueryError(f"binding ?{bare}: {one_line(str(err))}") from None
    return substitutions


def _collect(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    convert = rdflib_converter()
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        triples = [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in result]
        return QueryResult(kind="graph", triples=triples)  # type: ignore[arg-type]
    variables = tuple(v.value for v in result.variables)
    rows: list[tuple[str | None, ...]] = []
    terms: list[tuple[Node | None, ...]] = []
    for solution in result:
        cells = tuple(solution)
        rows.append(tuple(_text(cell) for cell in cells))
        terms.append(tuple(convert(cell) for cell in cells))
    return QueryResult(kind="select", variables=variables, rows=rows, terms=terms)


def _text(term: OxTerm | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def looks_like_update(sparql: str) -> bool:
    """Whether the first keyword after the prologue starts a SPARQL 1.1 Update operation.

    Only asked once Oxigraph's *query* parser has rejected the text, so a valid query is
    never refused; this decides which of two messages the user sees.
    """
    words = _WORD.findall(_NOISE.sub(" ", sparql))
    i = 0
    while i < len(words):
        word = words[i].upper()
        if word == "BASE":
            i += 1
        elif word == "PREFIX":
            i += 2  # the prefix name ("ckg:"); its IRI was removed with the noise
        else:
            return word in _UPDATE_KEYWORDS
    return False


def syntax_message(message: str) -> str:
    """Oxigraph's parser message on one line, with the position spelt out (the user's own
    line numbers: no text is added in front of the query) and long lists cut short."""
    message = one_line(message)
    match = _POSITION.match(message)
    where = f" at line {match.group(1)}, column {match.group(2)}" if match else ""
    detail = message[match.end() :] if match else message
    if "Prefix not found" in detail:
        known = ", ".join(f"{p}:" for p in PREFIXES)
        detail = f"unknown prefix; declare it with PREFIX (predeclared: {known})"
    else:
        # Oxigraph also lists the character classes it would accept (['A' ..= 'Z' | ...]):
        # exact but unreadable; the quoted tokens before them are what a user needs.
        classes = detail.find(", [")
        if classes != -1:
            detail = detail[:classes] + ", …"
    message = f"SPARQL syntax error{where}: {detail}"
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1].rstrip(" ,|[") + "…"
    return message


def one_line(text: str) -> str:
    return " ".join(text.split())
