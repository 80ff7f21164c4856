"""Generate docs/ontology.md from ontology/confkg.ttl: classes, properties, domains, ranges,
alignments, a Mermaid diagram, and an example of each class taken from the sample graph.

    python scripts/ontology_docs.py                 # builds data/notes in a temporary folder
    python scripts/ontology_docs.py --out out       # uses an existing build instead
    python scripts/ontology_docs.py --check         # exit 1 if docs/ontology.md is out of date

tests/standards/test_ontology_docs.py regenerates the page from the sample graph and compares.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "confkg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
DOC = ROOT / "docs" / "ontology.md"
NOTES = ROOT / "data" / "notes"

NS = "https://w3id.org/confkg/ns#"
ID = "https://w3id.org/confkg/id/"
PREFIXES = {
    "ckg": NS, "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "http://schema.org/", "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#", "oa": "http://www.w3.org/ns/oa#",
}
ENTITY_CLASSES = ("Person", "Organization", "Event", "EventSeries", "Talk", "Paper", "Artifact", "Topic")
# Instances shown as examples when the sample graph has them (else the most described one).
PREFERRED = {
    "Person": "person/ilya-sutskever", "Organization": "organization/openai", "Event": "event/neurips-2019",
    "EventSeries": "event/neurips", "Talk": "talk/ai-at-tesla", "Paper": "paper/neural-spline-flows",
    "Artifact": "artifact/gpt-2", "Topic": "topic/reinforcement-learning", "Note": "note/scaledml-2020-md",
}
MAX_TRIPLES = 14
MAX_TEXT = 90
MANY = 3  # above this many classes at one end of a relation, the diagram says "Entity"


def compact(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def local(iri: str) -> str:
    return iri[len(NS):] if iri.startswith(NS) else compact(iri).replace(":", "_")


# ---------------------------------------------------------------------- the sample graph


class Sample:
    """What the sample graph says about each class and property, read with SPARQL."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def rows(self, sparql: str) -> list[tuple[str, ...]]:
        return [tuple(c.value if c is not None else "" for c in s) for s in self.store.query(sparql)]

    def usage(self, prop: str) -> tuple[set[str], set[str]]:
        """Classes of the subjects and of the objects of ``prop`` in the sample graph."""
        rows = self.rows(f"SELECT DISTINCT ?sc ?oc WHERE {{ ?s <{prop}> ?o . ?s a ?sc . OPTIONAL {{ ?o a ?oc }} }}")
        return {s for s, _ in rows if s.startswith(NS)}, {o for _, o in rows if o.startswith(NS)}

    def example(self, cls: str) -> str | None:
        name = cls[len(NS):]
        preferred = PREFERRED.get(name)
        if preferred and bool(self.store.query(f"ASK {{ <{ID}{preferred}> a <{cls}> }}")):
            return ID + preferred
        if name in ("Mention", "Assertion"):
            subject = self.example(f"{NS}Talk") or ""
            link = "ckg:refersTo" if name == "Mention" else "rdf:subject"
            query = (f"PREFIX ckg: <{NS}> PREFIX rdf: <{RDF}> SELECT ?x WHERE {{ ?x a <{cls}> ; {link} <{subject}> ; "
                     f"ckg:start ?start }} ORDER BY ?start ?x LIMIT 1")
            found = self.rows(query)
            if found:
                return found[0][0]
        if name == "CoMention":
            found = self.rows(f"PREFIX ckg: <{NS}> SELECT ?x WHERE {{ ?x a ckg:CoMention ; ckg:weight ?w }} "
                              "ORDER BY DESC(?w) ?x LIMIT 1")
            return found[0][0] if found else None
        if name == "Section":
            found = self.rows(f"PREFIX ckg: <{NS}> SELECT ?x WHERE {{ ?x a ckg:Section ; ckg:heading ?h ; "
                              "ckg:start ?s } ORDER BY ?x LIMIT 1")
            return found[0][0] if found else None
        found = self.rows(f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?x a <{cls}> ; ?p ?o }} GROUP BY ?x "
                          "ORDER BY DESC(?n) ?x LIMIT 1")
        return found[0][0] if found else None

    def describe(self, iri: str) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
        rows = [(q.predicate.value, q.object) for q in
                self.store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph())]
        rank = {str(RDF.type): 0, str(RDFS.label): 1}
        return sorted(rows, key=lambda r: (rank.get(r[0], 2), compact(r[0]), str(r[1])))


def turtle(subject: str, triples: list[tuple[str, ox.NamedNode | ox.Literal]]) -> str:
    """A small Turtle block; entity IRIs relative to ``@base <https://w3id.org/confkg/id/>``."""
    shown = triples[:MAX_TRIPLES]
    lines = [term(ox.NamedNode(subject))]
    for i, (p, o) in enumerate(shown):
        end = " ." if i == len(shown) - 1 else " ;"
        lines.append(f"    {'a' if p == str(RDF.type) else compact(p)} {term(o)}{end}")
    if len(triples) > len(shown):
        lines.append(f"# ... and {len(triples) - len(shown)} more triples")
    return "\n".join(lines)


def term(t: ox.NamedNode | ox.Literal) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<{t.value[len(ID):]}>" if t.value.startswith(ID) else compact(t.value)
    text = t.value if len(t.value) <= MAX_TEXT else t.value[: MAX_TEXT - 1] + "…"
    quoted = json.dumps(text, ensure_ascii=False)
    datatype = t.datatype.value if t.datatype else ""
    if t.language:
        return f"{quoted}@{t.language}"
    if datatype.endswith(("#integer", "#decimal")):
        return t.value
    if datatype and not datatype.endswith("#string"):
        return f"{quoted}^^{compact(datatype)}"
    return quoted


# ---------------------------------------------------------------------- the page


def render(ontology: Graph, sample: Sample) -> str:
    ont = URIRef(NS.rstrip("#"))
    classes = sorted((c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(NS)), key=_order)
    objects = sorted(p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(NS))
    datatypes = sorted(p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) if str(p).startswith(NS))
    out = [
        "# The confkg ontology",
        "",
        "<!-- Generated by scripts/ontology_docs.py from ontology/confkg.ttl and the sample graph of data/notes:",
        "     edit those and run `python scripts/ontology_docs.py`, not this file. -->",
        "",
        f"**{ontology.value(ont, RDFS.label)}** (`{NS}`, version {ontology.value(ont, OWL.versionInfo)}): "
        f"{ontology.value(ont, RDFS.comment)}",
        "",
        f"{len(classes)} classes, {len(objects)} object properties and {len(datatypes)} datatype properties. "
        "Every term is aligned, where one fits, to schema.org, FOAF, SKOS, Dublin Core, PROV-O or the W3C Web "
        "Annotation vocabulary (`rdfs:subClassOf`, `rdfs:subPropertyOf`): with RDFS inference "
        "(`confkg query --infer`, `confkg export --infer`) a query for `schema:Person` or `skos:Concept` finds "
        "confkg's people and topics. The graph is checked against the SHACL shapes of "
        "[`ontology/shapes.ttl`](../ontology/shapes.ttl) (`confkg validate`).",
        "",
        "Prefixes: " + ", ".join(f"`{p}:` {ns}" for p, ns in PREFIXES.items()) + "; entity IRIs are under "
        f"`{ID}` (the examples below use it as `@base`).",
        "",
        "## Diagram",
        "",
        "Classes and the relations between them. A solid arrow is declared in the ontology "
        "(`rdfs:domain` and `rdfs:range`); a dotted one completes an undeclared end with the classes that "
        f"the sample graph uses there (*Entity* stands for more than {MANY} entity classes).",
        "",
        "```mermaid",
        *diagram(ontology, objects, sample),
        "```",
        "",
        "## Alignments",
        "",
        "| confkg term | is a kind of |",
        "|---|---|",
    ]
    for t in [*classes, *objects, *datatypes]:
        parents = _parents(ontology, t)
        if parents:
            out.append(f"| `{compact(str(t))}` | {', '.join(f'`{compact(str(p))}`' for p in parents)} |")
    out += ["", "## Classes", ""]
    for c in classes:
        out += class_section(ontology, c, sample)
    out += ["## Object properties", "", *property_table(ontology, objects), "",
            "## Datatype properties", "", *property_table(ontology, datatypes), ""]
    return "\n".join(out)


def _order(c: URIRef) -> tuple[int, str]:
    name = str(c)[len(NS):]
    return (ENTITY_CLASSES.index(name) if name in ENTITY_CLASSES else len(ENTITY_CLASSES), name)


def _parents(ontology: Graph, t: URIRef) -> list[URIRef]:
    return sorted({*ontology.objects(t, RDFS.subClassOf), *ontology.objects(t, RDFS.subPropertyOf)}, key=str)


def class_section(ontology: Graph, c: URIRef, sample: Sample) -> list[str]:
    name = str(c)[len(NS):]
    lines = [f"### {name}", "", str(ontology.value(c, RDFS.comment) or ontology.value(c, RDFS.label) or ""), ""]
    parents = _parents(ontology, c)
    if parents:
        lines += ["Subclass of " + ", ".join(f"`{compact(str(p))}`" for p in parents) + ".", ""]
    props = sorted({str(p) for p in ontology.subjects(RDFS.domain, c)})
    if props:
        lines += ["Domain of " + ", ".join(f"`{compact(p)}`" for p in props) + ".", ""]
    example = sample.example(str(c))
    if example is None:
        lines += ["No instance in the sample graph.", ""]
    else:
        lines += ["Example from the sample graph:", "", "```turtle", turtle(example, sample.describe(example)), "```",
                  ""]
    return lines


def property_table(ontology: Graph, props: Iterable[URIRef]) -> list[str]:
    lines = ["| property | label | domain | range | subproperty of | description |", "|---|---|---|---|---|---|"]
    for p in props:
        def cell(values: Iterable[object]) -> str:
            return ", ".join(f"`{compact(str(v))}`" for v in sorted(values, key=str)) or "—"

        comment = str(ontology.value(p, RDFS.comment) or "").replace("|", "\\|")
        inverse = [f"inverse of `{compact(str(i))}`" for i in ontology.objects(p, OWL.inverseOf)]
        comment = " ".join([comment, *inverse]).strip()
        lines.append(f"| `{compact(str(p))}` | {ontology.value(p, RDFS.label) or ''} | "
                     f"{cell(ontology.objects(p, RDFS.domain))} | {cell(ontology.objects(p, RDFS.range))} | "
                     f"{cell(ontology.objects(p, RDFS.subPropertyOf))} | {comment} |")
    return lines


def diagram(ontology: Graph, objects: list[URIRef], sample: Sample) -> list[str]:
    edges: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    for p in objects:
        domains = {str(d) for d in ontology.objects(p, RDFS.domain)}
        ranges = {str(r) for r in ontology.objects(p, RDFS.range)}
        used_domains, used_ranges = sample.usage(str(p)) if not (domains and ranges) else (set(), set())
        declared = bool(domains and ranges)
        for d in _ends(domains or used_domains):
            for r in _ends(ranges or used_ranges):
                edges[(d, r, declared)].append(str(p)[len(NS):])
    lines = ["classDiagram", "    direction LR"]
    names = sorted({end for d, r, _ in edges for end in (d, r)} |
                   {str(c)[len(NS):] for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(NS)})
    for name in names:
        lines.append(f"    class {name}")
    for (d, r, declared), props in sorted(edges.items()):
        arrow = "-->" if declared else "..>"
        lines.append(f"    {d} {arrow} {r} : {', '.join(sorted(props))}")
    if "Entity" in names:
        lines.append(f"    note for Entity \"any of {', '.join(ENTITY_CLASSES)}\"")
    return lines


def _ends(classes: set[str]) -> list[str]:
    names = sorted(c[len(NS):] for c in classes if c.startswith(NS))
    entities = [n for n in names if n in ENTITY_CLASSES]
    if len(entities) > MANY:
        names = sorted({*(n for n in names if n not in ENTITY_CLASSES), "Entity"})
    return names


# ---------------------------------------------------------------------- command line


def generate(store: ox.Store, ontology_file: Path = ONTOLOGY) -> str:
    return render(Graph().parse(ontology_file, format="turtle"), Sample(store))


def _sample_store(out: Path | None, tmp: Path) -> ox.Store:
    if out is not None:
        return ox.Store.read_only(str(out / "store"))
    sys.path.insert(0, str(ROOT / "src"))
    from confkg.pipeline import build

    build([NOTES], tmp, html=False, validate=False, incremental=False)
    return ox.Store.read_only(str(tmp / "store"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="an existing build of data/notes (default: build one)")
    parser.add_argument("--output", type=Path, default=DOC, help=f"page to write (default {DOC.relative_to(ROOT)})")
    parser.add_argument("--check", action="store_true", help="compare with the page instead of writing it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="confkg-docs-") as tmp:
        text = generate(_sample_store(args.out, Path(tmp)))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(), "committed", "generated", lineterm="")
            print("\n".join(list(diff)[:40]))
            print(f"{args.output} is out of date: run python scripts/ontology_docs.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
