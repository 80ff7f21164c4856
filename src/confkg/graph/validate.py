"""SHACL validation of a confkg graph against ``ontology/shapes.ttl`` (with pySHACL).

``validate_store`` checks the built store (``confkg validate``, and the end of ``confkg build``);
``validate_file`` checks any RDF file (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML);
``validate_graph`` checks an rdflib Graph. Each returns a ``ValidationReport`` whose
violations are plain values: the focus node, a readable name for it, the path, the value
and the shape's message.

Cost: pySHACL's time grows with focus nodes x constraints (about 25 microseconds per
constraint and node). The shapes are laid out for that (see the comments in ``shapes.ttl``):
the sample graph (47k triples) validates in about 4 s, plus 1 s to copy it into rdflib.
At a larger scale ``sample`` bounds the cost: every entity, note and section is checked, and
at most ``sample`` nodes of each provenance class (mentions, assertions, co-mentions), which
grow with the text, chosen by a hash of their IRI so that the same graph gives the same sample.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from confkg.errors import ConfkgError
from confkg.vocab import CKG, ONTOLOGY_DIR, PREFIXES

if TYPE_CHECKING:  # the graph stage comes before the store: no import of it at run time
    from confkg.store import GraphStore

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
SAMPLED_CLASSES = (CKG.Mention, CKG.Assertion, CKG.CoMention)
"""The classes whose nodes grow with the text, validated by sample when ``sample`` is given."""

BUILD_SAMPLE = 500
"""``confkg build`` validates at most this many nodes of each of ``SAMPLED_CLASSES``."""

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_NAMESPACES = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


class ValidationError(ConfkgError):
    """The graph to validate could not be read."""


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, in plain text."""

    focus: str
    """The focus node: an IRI, or a literal's text."""
    path: str
    """The property path in compact form (``ckg:confidence``), empty for node constraints."""
    message: str
    value: str = ""
    """The offending value, when the result names one."""
    name: str = ""
    """A readable name for the focus node: its label, a mention's text, a note's path."""
    severity: str = "violation"
    shape: str = ""
    constraint: str = ""
    """The SHACL constraint that failed, e.g. ``maxCount``, ``class``, ``lessThanOrEquals``."""


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    """Triples of the data graph that was validated."""
    skipped: int = 0
    """Provenance nodes left out by sampling (0 when everything was checked)."""
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.violations)

    def format(self, limit: int | None = 50) -> str:
        """Violations grouped by focus node (at most ``limit`` nodes), then a summary line."""
        return format_report(self, limit)


@cache
def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    """The shapes graph (parsed once per process)."""
    return Graph().parse(path, format="turtle")


def validate_graph(graph: Graph, shapes: Graph | None = None, *, skipped: int = 0) -> ValidationReport:
    """Validate an rdflib Graph (left unchanged) against the confkg shapes."""
    import pyshacl

    started = time.perf_counter()
    conforms, results, _text = pyshacl.validate(
        graph, shacl_graph=shapes if shapes is not None else load_shapes(), inference="none", advanced=False,
        inplace=True, allow_infos=True, allow_warnings=True,
    )
    violations = sorted(_violations(results, graph))
    return ValidationReport(bool(conforms), violations, triples=len(graph), skipped=skipped,
                            seconds=time.perf_counter() - started)


def validate_store(store: GraphStore, *, sample: int | None = None, shapes: Graph | None = None) -> ValidationReport:
    """Validate the union of the store's graphs; with ``sample``, at most that many nodes of
    each class of ``SAMPLED_CLASSES`` (their triples are left out of the data graph)."""
    from confkg.store.terms import rdflib_converter

    started = time.perf_counter()
    left_out = _left_out(store, sample) if sample is not None else set()
    graph = Graph()
    convert = rdflib_converter()
    union = store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())
    graph.addN((convert(q.subject), convert(q.predicate), convert(q.object), graph)
               for q in union if q.subject.value not in left_out)
    report = validate_graph(graph, shapes, skipped=len(left_out))
    report.seconds = time.perf_counter() - started
    return report


def validate_file(path: Path, shapes: Graph | None = None) -> ValidationReport:
    """Validate an RDF file; datasets (TriG, N-Quads) are validated as the union of their graphs."""
    started = time.perf_counter()
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in read_triples(path))
    report = validate_graph(graph, shapes)
    report.seconds = time.perf_counter() - started
    return report


def read_triples(path: Path) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of an RDF file (any format Oxigraph reads, chosen by extension), each once."""
    from confkg.store.terms import rdflib_converter

    path = Path(path)
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) if path.suffix else None
    if fmt is None:
        raise ValidationError(f"{path}: unknown RDF format; use .ttl, .nt, .trig, .nq, .jsonld or .rdf")
    if not path.is_file():
        raise ValidationError(f"{path}: no such file")
    convert = rdflib_converter()
    seen: set[tuple[Node, Node, Node]] = set()
    try:
        for q in ox.parse(path=str(path), format=fmt):
            triple = (convert(q.subject), convert(q.predicate), convert(q.object))
            if triple not in seen:
                seen.add(triple)
                yield triple  # type: ignore[misc]
    except (SyntaxError, ValueError) as err:
        raise ValidationError(f"{path}: not valid {fmt.name}: {' '.join(str(err).split())}") from None


def _left_out(store: GraphStore, sample: int) -> set[str]:
    """IRIs of the provenance nodes that are not in the sample."""
    out: set[str] = set()
    for cls in SAMPLED_CLASSES:
        nodes = [q.subject.value for q in store.oxigraph.quads_for_pattern(
            None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(cls)), ox.DefaultGraph())]
        if len(nodes) > sample:
            nodes.sort(key=lambda iri: hashlib.sha1(iri.encode()).digest())
            out.update(nodes[sample:])
    return out


def _violations(results: Graph, data: Graph) -> Iterator[Violation]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        shape = results.value(result, SH.sourceShape)
        component = str(results.value(result, SH.sourceConstraintComponent) or "")
        constraint = component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        yield Violation(
            focus=_text(focus),
            path=_path_text(results, path),
            message=messages[0] if messages else "",
            value=_text(value) if value is not None else "",
            name=_name(data, focus),
            severity=_SEVERITY.get(severity, str(severity)),  # type: ignore[arg-type]
            shape=compact(str(shape)) if isinstance(shape, URIRef) else "",
            constraint=constraint[:1].lower() + constraint[1:],
        )


def _path_text(results: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return compact(str(path))
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(results, inverse)
    if (path, RDF.first, None) in results:
        items = []
        while path is not None and path != RDF.nil:
            items.append(_path_text(results, results.value(path, RDF.first)))
            path = results.value(path, RDF.rest)
        return "/".join(items)
    return "(complex path)"


def _name(data: Graph, node: Node | None) -> str:
    """A readable name: the label, a mention's text, a section's heading or a note's path."""
    if node is None or isinstance(node, Literal):
        return ""
    for prop in (RDFS.label, CKG.exact, CKG.heading, CKG.path):
        value = data.value(node, prop)
        if value is not None:
            return str(value)
    return ""


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return compact(str(node))
    return str(node)


def compact(iri: str) -> str:
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def format_report(report: ValidationReport, limit: int | None = 50) -> str:
    """Readable text: one block per focus node (its name, then ``path: message [value]``)."""
    lines: list[str] = []
    by_focus: dict[tuple[str, str], list[Violation]] = {}
    for v in report.violations:
        by_focus.setdefault((v.focus, v.name), []).append(v)
    shown = list(by_focus.items()) if not limit else list(by_focus.items())[:limit]
    for (focus, name), items in shown:
        lines.append(f"{focus}" + (f'  "{_short(name)}"' if name else ""))
        for v in items:
            where = (v.path or "(node)") + (f" [{v.constraint}]" if v.constraint else "")
            value = f"  [value: {_short(v.value)}]" if v.value and v.value != focus else ""
            tag = "" if v.severity == "violation" else f"{v.severity}: "
            lines.append(f"  {where}: {tag}{v.message}{value}")
    if len(shown) < len(by_focus):
        lines.append(f"... and {len(by_focus) - len(shown)} more nodes with violations (--limit 0 shows all)")
    lines.append(summary_line(report))
    return "\n".join(lines)


def summary_line(report: ValidationReport) -> str:
    nodes = len({v.focus for v in report.violations})
    sampled = f", {report.skipped:,} provenance nodes left out by sampling" if report.skipped else ""
    head = "conforms" if report.conforms else f"{len(report.violations)} violations on {nodes} nodes"
    return f"{head} ({report.triples:,} triples checked against {SHAPES_FILE.name} in {report.seconds:.1f} s{sampled})"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

