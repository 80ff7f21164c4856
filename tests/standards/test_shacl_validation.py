"""SHACL: the sample graph conforms to ontology/shapes.ttl; broken graphs do not, and the
violations name the node, the path and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef, namespace
from rdflib.namespace import RDF, RDFS, SKOS

from confkg.graph.validate import SHAPES_FILE, ValidationReport, validate_file, validate_graph, validate_store
from confkg.pipeline import BuildReport
from confkg.vocab import CKG, ENTITIES_GRAPH, entity_iri, mention_iri, note_iri

pytest.importorskip("pyshacl")

XSD = Namespace(str(namespace.XSD))  # a plain Namespace: rdflib's XSD warns when pytest probes it

ADA = entity_iri("Person", "Ada Lovelace")
NOBODY = entity_iri("Person", "Nobody")
ACME = entity_iri("Organization", "Acme")
TALK = entity_iri("Talk", "Engines")
NOTE = note_iri("notes-a")
M1 = mention_iri("notes-a", 10, 22, "Person")
M2 = mention_iri("notes-a", 40, 30, "Person")


def good_mention(g: Graph, m: URIRef, start: int, end: int, confidence: str = "0.9") -> None:
    g.add((m, RDF.type, CKG.Mention))
    g.add((m, CKG.refersTo, ADA))
    g.add((m, CKG.inNote, NOTE))
    g.add((m, CKG.start, Literal(start, datatype=XSD.integer)))
    g.add((m, CKG.end, Literal(end, datatype=XSD.integer)))
    g.add((m, CKG.extractor, Literal("rule:test.v1")))
    g.add((m, CKG.confidence, Literal(confidence, datatype=XSD.decimal)))


def small_graph() -> Graph:
    g = Graph()
    g.add((ADA, RDF.type, CKG.Person))
    g.add((ADA, RDFS.label, Literal("Ada Lovelace")))
    g.add((ACME, RDF.type, CKG.Organization))
    g.add((ACME, RDFS.label, Literal("Acme")))
    g.add((TALK, RDF.type, CKG.Talk))
    g.add((TALK, RDFS.label, Literal("Engines")))
    g.add((TALK, CKG.speaker, ADA))
    g.add((NOTE, RDF.type, CKG.Note))
    g.add((NOTE, CKG.path, Literal("notes-a.md")))
    good_mention(g, M1, 10, 22)
    return g


def found(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(v.focus, v.path, v.constraint) for v in report.violations}


def test_a_small_correct_graph_conforms() -> None:
    report = validate_graph(small_graph())
    assert report.conforms, report.format()
    assert report.violations == []


def test_each_kind_of_violation_is_reported_with_node_path_and_message() -> None:
    g = small_graph()
    g.add((NOBODY, RDF.type, CKG.Person))  # no label
    g.add((ADA, SKOS.altLabel, Literal("")))  # empty alias
    g.add((TALK, CKG.speaker, ACME))  # a speaker must be a Person
    good_mention(g, M2, 40, 30, confidence="1.5")  # start after end, confidence above 1
    g.remove((M2, CKG.extractor, None))  # provenance missing
    g.add((ADA, CKG.partOf, ACME))  # partOf belongs on a Talk
    report = validate_graph(g)
    assert not report.conforms
    seen = found(report)
    assert ("id:person/nobody", "rdfs:label", "minCount") in seen
    assert ("id:person/ada-lovelace", "skos:altLabel", "minLength") in seen
    assert ("id:talk/engines", "ckg:speaker", "class") in seen
    m2 = "id:note/notes-a/mention/40-30-person"
    assert {(m2, "ckg:start", "lessThanOrEquals"), (m2, "ckg:confidence", "maxInclusive"),
            (m2, "ckg:extractor", "minCount")} <= seen
    assert ("id:person/ada-lovelace", "", "class") in seen  # the domain shape of ckg:partOf
    text = report.format()
    assert 'id:talk/engines  "Engines"' in text  # the node and its label
    assert "ckg:speaker [class]: a talk's ckg:speaker must be a ckg:Person  [value: id:organization/acme]" in text
    assert text.splitlines()[-1].startswith(f"{len(report.violations)} violations on 4 nodes")


def test_a_mention_must_refer_to_an_entity() -> None:
    g = small_graph()
    ghost = entity_iri("Topic", "ghost")
    g.set((M1, CKG.refersTo, ghost))  # a dangling reference: no such entity
    report = validate_graph(g)
    assert ("id:topic/ghost", "rdf:type", "minCount") in found(report)


def test_the_sample_graph_conforms(sample_store) -> None:
    report = validate_store(sample_store)
    print(f"\nfull validation of the sample graph: {report.triples} triples in {report.seconds:.1f} s")
    assert report.conforms, report.format(limit=20)
    assert report.triples == sample_store.count() and report.skipped == 0


def test_the_build_validated_its_own_output(sample_build: BuildReport) -> None:
    assert sample_build.violations == 0


def test_sampling_bounds_the_provenance_nodes_checked(sample_store) -> None:
    report = validate_store(sample_store, sample=50)
    assert report.conforms and report.skipped > 1000
    assert report.triples < sample_store.count() / 2


def test_a_broken_copy_of_the_sample_entities_does_not_conform(sample_store) -> None:
    g = Graph()
    for s, p, o, _ in sample_store.quads(ENTITIES_GRAPH):
        g.add((s, p, o))
    assert validate_graph(g).conforms
    person = next(s for s in g.subjects(RDF.type, CKG.Person))
    g.remove((person, RDFS.label, None))
    report = validate_graph(g)
    assert not report.conforms
    assert [(v.path, v.constraint) for v in report.violations] == [("rdfs:label", "minCount")]


def test_validate_command_exit_status_and_output(sample_build, tmp_path: Path, cli) -> None:
    code, out, _ = cli("validate", "--out", str(sample_build.out_dir), "--sample", "100")
    assert code == 0 and out.startswith("conforms (")
    broken = small_graph()
    broken.add((NOBODY, RDF.type, CKG.Person))
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    code, out, _ = cli("validate", str(path))
    assert code == 1
    assert "id:person/nobody" in out and "rdfs:label [minCount]: an entity needs exactly one" in out
    assert out.splitlines()[-1].startswith("1 violations on 1 nodes")
    code, _, err = cli("validate", str(tmp_path / "missing.ttl"))
    assert code == 1 and "no such file" in err


def test_validate_reads_any_rdf_format(tmp_path: Path) -> None:
    g = small_graph()
    for fmt, ext in (("nt", "nt"), ("json-ld", "jsonld"), ("xml", "rdf")):
        path = tmp_path / f"g.{ext}"
        g.serialize(path, format=fmt, encoding="utf-8")
        assert validate_file(path).conforms, ext


def test_build_warns_on_violations_and_keeps_going(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli) -> None:
    """--validate is the default; the count is printed as a warning and the status stays 0."""
    import confkg.cli.build_cmd as build_cmd

    calls = []

    def fake_build(paths, out, **options):
        calls.append(options["validate"])
        return BuildReport(Path(out), notes=["a"], violations=3 if options["validate"] else 0)

    monkeypatch.setattr(build_cmd, "build", fake_build)
    code, _, err = cli("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 0 and "warning: 3 SHACL violations" in err and "confkg validate" in err
    code, _, err = cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "--no-validate")
    assert code == 0 and "SHACL" not in err
    assert calls == [True, False]


def test_shapes_cover_every_class_of_the_ontology() -> None:
    ontology = Graph().parse(SHAPES_FILE.parent / "confkg.ttl")
    shapes = Graph().parse(SHAPES_FILE)
    sh = "http://www.w3.org/ns/shacl#"
    targeted = set(shapes.objects(None, URIRef(sh + "targetClass")))
    classes = {c for c in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))}
    assert classes <= targeted, classes - targeted
