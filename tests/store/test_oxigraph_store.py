"""GraphStore: building (atomically), opening, SPARQL over the union, bindings, refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import BNode, Literal, Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from confkg.errors import QueryError, StoreError
from confkg.store import GraphStore, QueryResult
from confkg.vocab import CKG, ENTITIES_GRAPH, entity_iri, graph_iri, mention_iri, note_iri, section_iri

ADA = entity_iri("Person", "Ada Lovelace")
BABBAGE = entity_iri("Person", "Charles Babbage")
TALK = entity_iri("Talk", "Notes on the Analytical Engine")
G_A, G_B = graph_iri("notes-a"), graph_iri("notes-b")
HOSTILE = 'x" } ; DROP ALL ; #'
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it


def sample_quads() -> list[tuple]:
    """Two notes and the entities graph; the talk's speaker is read from both notes."""
    quads = [
        (ADA, RDF.type, CKG.Person, ENTITIES_GRAPH),
        (ADA, RDFS.label, Literal("Ada Lovelace"), ENTITIES_GRAPH),
        (ADA, SKOS.altLabel, Literal("Augusta Ada King"), ENTITIES_GRAPH),
        (ADA, SKOS.altLabel, Literal("Ada", lang="en"), ENTITIES_GRAPH),
        (BABBAGE, RDF.type, CKG.Person, ENTITIES_GRAPH),
        (BABBAGE, RDFS.label, Literal("Charles Babbage"), ENTITIES_GRAPH),
        (TALK, RDF.type, CKG.Talk, ENTITIES_GRAPH),
        (TALK, RDFS.label, Literal("Notes on the Analytical Engine"), ENTITIES_GRAPH),
    ]
    for note_id, g, start in (("notes-a", G_A, 120), ("notes-b", G_B, 7)):
        note, section = note_iri(note_id), section_iri(note_id, 0)
        mention = mention_iri(note_id, start, start + 12, "Person")
        quads += [
            (note, RDF.type, CKG.Note, g),
            (note, CKG.path, Literal(f"{note_id}.md"), g),
            (note, DCTERMS.title, Literal(f"Notes {note_id[-1].upper()}"), g),
            (note, CKG.mentions, ADA, g),
            (section, RDF.type, CKG.Section, g),
            (section, CKG.sectionOf, note, g),
            (section, CKG.heading, Literal("Day 1"), g),
            (mention, RDF.type, CKG.Mention, g),
            (mention, CKG.refersTo, ADA, g),
            (mention, CKG.inNote, note, g),
            (mention, CKG.inSection, section, g),
            (mention, CKG.start, Literal(start, datatype=XSD.integer), g),
            (mention, CKG.end, Literal(start + 12, datatype=XSD.integer), g),
            (mention, CKG.line, Literal(3, datatype=XSD.integer), g),
            (mention, CKG.exact, Literal('Ada "the Countess"\nLovelace'), g),
            (mention, CKG.confidence, Literal("0.9", datatype=XSD.decimal), g),
            (mention, CKG.extractor, Literal("spacy:en_core_web_sm-3.8.0"), g),
            (TALK, CKG.speaker, ADA, g),  # the same triple in both note graphs
        ]
    return quads


def distinct_triples(quads: list[tuple]) -> set[tuple]:
    return {q[:3] for q in quads}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    directory = tmp_path_factory.mktemp("kg") / "store"
    GraphStore.build(directory, sample_quads()).close()
    return GraphStore.open(directory)


# ---------------------------------------------------------------------- opening


def test_open_without_a_store_names_the_directory_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        GraphStore.open(tmp_path / "nothing")
    assert str(err.value) == f"{tmp_path / 'nothing'}: no graph store here; run 'confkg build' first"


def test_build_refuses_to_replace_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.tex").write_text("precious")
    with pytest.raises(StoreError, match="not a graph store"):
        GraphStore.build(tmp_path / "docs", sample_quads())
    assert (tmp_path / "docs" / "thesis.tex").read_text() == "precious"


def test_read_only_store_refuses_changes(store: GraphStore) -> None:
    assert store.read_only
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graph(G_A, [])


def test_contents(store: GraphStore) -> None:
    quads = sample_quads()
    assert store.graphs() == sorted([ENTITIES_GRAPH, G_A, G_B])
    assert set(store.quads()) == set(quads)
    assert set(store.triples()) == distinct_triples(quads)
    assert len(store) == store.count() == len(distinct_triples(quads)) == len(quads) - 1


# ---------------------------------------------------------------------- queries


def test_select_with_predeclared_prefixes(store: GraphStore) -> None:
    result = store.query("SELECT ?person ?label WHERE { ?person a ckg:Person ; rdfs:label ?label } ORDER BY ?label")
    assert isinstance(result, QueryResult) and result.kind == "select"
    assert result.variables == ("person", "label")
    assert result.rows == [(str(ADA), "Ada Lovelace"), (str(BABBAGE), "Charles Babbage")]
    assert result.terms[0] == (ADA, Literal("Ada Lovelace"))


def test_default_graph_is_the_union_with_set_semantics(store: GraphStore) -> None:
    """The speaker triple is in two note graphs: once in the union, twice with GRAPH."""
    union = store.query("SELECT ?talk ?who WHERE { ?talk ckg:speaker ?who }")
    assert union.rows == [(str(TALK), str(ADA))]
    named = store.query("SELECT ?g WHERE { GRAPH ?g { ?talk ckg:speaker ?who } } ORDER BY ?g")
    assert [row[0] for row in named.rows] == [str(G_A), str(G_B)]
    joined = store.query("SELECT ?m WHERE { ?m ckg:refersTo ?p . ?p rdfs:label 'Ada Lovelace' }")
    assert len(joined.rows) == 2  # the join crosses from note graphs to the entities graph


def test_unbound_optional_is_none(store: GraphStore) -> None:
    result = store.query("SELECT ?p ?alt WHERE { ?p a ckg:Person OPTIONAL { ?p skos:altLabel ?alt } }")
    assert (str(BABBAGE), None) in result.rows


def test_ask_construct_describe(store: GraphStore) -> None:
    assert store.query("ASK { ?p skos:altLabel 'Augusta Ada King' }").boolean is True
    assert store.query("ASK { ?p skos:altLabel 'Nobody' }").boolean is False
    graph = store.query("CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a ckg:Person ; rdfs:label ?l }")
    assert graph.kind == "graph"
    assert set(graph.triples) == {
        (ADA, RDFS.label, Literal("Ada Lovelace")),
        (BABBAGE, RDFS.label, Literal("Charles Babbage")),
    }
    described = store.query(f"DESCRIBE <{BABBAGE}>")
    assert described.kind == "graph" and (BABBAGE, RDF.type, CKG.Person) in described.triples


def test_a_declared_prefix_wins_over_the_predeclared_one(store: GraphStore) -> None:
    result = store.query("PREFIX rdfs: <http://example.org/not-rdfs#>\nASK { ?s rdfs:label ?o }")
    assert result.boolean is False


def test_literal_types_survive(store: GraphStore) -> None:
    result = store.query(
        "SELECT ?start ?conf ?alt WHERE { ?m ckg:start ?start ; ckg:confidence ?conf . "
        "?m ckg:refersTo ?p . ?p skos:altLabel ?alt FILTER(lang(?alt) = 'en') } "
        "ORDER BY ?start"
    )
    start, conf, alt = result.terms[0]
    assert start == Literal(7, datatype=XSD.integer) and conf == Literal("0.9", datatype=XSD.decimal)
    assert alt == Literal("Ada", lang="en")
    assert result.rows[0] == ("7", "0.9", "Ada")


# ---------------------------------------------------------------------- bindings


def test_bindings_of_terms_and_python_values(store: GraphStore) -> None:
    by_label = store.query("SELECT ?p ?label WHERE { ?p rdfs:label ?label }", {"label": "Charles Babbage"})
    assert by_label.rows == [(str(BABBAGE), "Charles Babbage")]
    by_iri = store.query("SELECT ?p ?label WHERE { ?p rdfs:label ?label }", {"?p": ADA})
    assert by_iri.rows == [(str(ADA), "Ada Lovelace")]
    by_int = store.query("ASK { ?m ckg:start ?n }", {"n": 120})
    assert by_int.boolean is True


def test_a_hostile_binding_is_a_value_not_query_text(store: GraphStore) -> None:
    before = store.count()
    result = store.query("SELECT ?p ?label WHERE { ?p rdfs:label ?label }", {"label": HOSTILE})
    assert result.rows == []
    assert store.query("ASK { ?p rdfs:label ?label }", {"label": HOSTILE}).boolean is False
    assert store.count() == before


def test_binding_a_variable_the_select_does_not_return(store: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"cannot bind \?label"):
        store.query("SELECT ?p WHERE { ?p rdfs:label ?label }", {"label": "Ada Lovelace"})


def test_binding_an_unsupported_value(store: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"binding \?p"):
        store.query("SELECT ?p WHERE { ?p ?x ?y }", {"p": object()})


# ---------------------------------------------------------------------- errors


def test_syntax_error_is_one_line_with_the_users_line_number(store: GraphStore) -> None:
    query = "SELECT ?x\nWHERE {\n  ?x rdfs:label ?l ;\n  ?y }"
    with pytest.raises(QueryError) as err:
        store.query(query)
    message = str(err.value)
    assert message.startswith("SPARQL syntax error at line 4, column 7: expected")
    assert "\n" not in message and len(message) <= 240


def test_unknown_prefix_is_explained(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="unknown prefix; declare it with PREFIX"):
        store.query("SELECT ?x WHERE { ?x foo:bar ?y }")


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "CREATE GRAPH <urn:g>",
        "LOAD <http://example.org/data.ttl>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "# a comment with SELECT in it\nPREFIX ex: <http://example.org/#>\nprefix : <urn:x#>\n"
        "insert { ex:a :b 'SELECT' } where {}",
    ],
)
def test_updates_are_refused(store: GraphStore, update: str) -> None:
    before = store.count()
    with pytest.raises(QueryError) as err:
        store.query(update)
    assert str(err.value) == "updates are not allowed: the graph is read-only; rebuild it with 'confkg build'"
    assert store.count() == before


def test_a_query_followed_by_an_update_is_a_syntax_error(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="syntax error"):
        store.query("SELECT * WHERE { ?s ?p ?o } ; DROP ALL")


# ---------------------------------------------------------------------- building


def test_a_failed_rebuild_leaves_the_previous_store_intact(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    GraphStore.build(directory, sample_quads()).close()

    def half_then_crash():
        for i, quad in enumerate(sample_quads()):
            if i == 20:
                raise RuntimeError("extraction crashed")
            yield (quad[0], quad[1], Literal("replacement"), quad[3])

    with pytest.raises(RuntimeError, match="extraction crashed"):
        GraphStore.build(directory, half_then_crash())
    with GraphStore.open(directory) as reopened:
        assert reopened.count() == len(distinct_triples(sample_quads()))
        assert reopened.query("ASK { ?s ?p 'replacement' }").boolean is False
    assert sorted(os.listdir(tmp_path)) == ["store"]  # no half-built sibling left behind


def test_a_rebuild_replaces_the_content(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    GraphStore.build(directory, sample_quads()).close()
    smaller = [q for q in sample_quads() if q[3] == ENTITIES_GRAPH]
    with GraphStore.build(directory, smaller) as rebuilt:
        assert rebuilt.graphs() == [ENTITIES_GRAPH]
        assert rebuilt.count() == len(smaller)
    assert sorted(os.listdir(tmp_path)) == ["store"]


def test_a_crash_between_the_two_renames_is_repaired(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    GraphStore.build(directory, sample_quads()).close()
    directory.rename(tmp_path / f".store.old-{os.getpid()}-0000")  # as if killed mid-swap
    with GraphStore.open(directory) as reopened:
        assert reopened.count() == len(distinct_triples(sample_quads()))


def test_blank_nodes_and_missing_graphs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="blank node"):
        GraphStore.build(tmp_path / "a", [(BNode("b0"), RDFS.label, Literal("x"), G_A)])
    with pytest.raises(ValueError, match="named graph"):
        GraphStore.build(tmp_path / "b", [(ADA, RDFS.label, Literal("x"), None)])
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_oxigraph_stores_numeric_literals_in_canonical_form(tmp_path: Path) -> None:
    """Oxigraph normalises numbers on load (oxigraph issue #526): "0.850" comes back "0.85",
    xsd:nonNegativeInteger as xsd:integer. Same values, other lexical forms."""
    quads = [
        (ADA, CKG.confidence, Literal("0.850", datatype=XSD.decimal), G_A),
        (ADA, CKG.start, Literal("7", datatype=XSD.nonNegativeInteger), G_A),
    ]
    with GraphStore.build(tmp_path / "store", quads) as built:
        assert set(built.triples()) == {
            (ADA, CKG.confidence, Literal("0.85", datatype=XSD.decimal)),
            (ADA, CKG.start, Literal("7", datatype=XSD.integer)),
        }


# ---------------------------------------------------------------------- incremental updates


def test_replace_graph_keeps_the_union_right(tmp_path: Path) -> None:
    with GraphStore.build(tmp_path / "store", sample_quads()) as built:
        new_note = [
            (note_iri("notes-a"), RDF.type, CKG.Note),
            (note_iri("notes-a"), RDFS.label, Literal(HOSTILE + "\n}")),
            (TALK, CKG.speaker, BABBAGE),
        ]
        built.replace_graph(G_A, new_note)
        assert set(built.quads(G_A)) == {(*t, G_A) for t in new_note}
        speakers = built.query("SELECT ?who WHERE { ?t ckg:speaker ?who } ORDER BY ?who").rows
        assert speakers == [(str(ADA),), (str(BABBAGE),)]  # Ada is still a speaker in notes-b
        assert built.query("ASK { ?n ckg:path 'notes-a.md' }").boolean is False
        assert built.query("ASK { ?n ckg:path 'notes-b.md' }").boolean is True
        assert built.query("SELECT ?l WHERE { ?n rdfs:label ?l }", {"l": HOSTILE + "\n}"}).rows

        built.remove_graph(G_B)
        assert built.graphs() == [ENTITIES_GRAPH, G_A]
        assert built.query("SELECT ?who WHERE { ?t ckg:speaker ?who }").rows == [(str(BABBAGE),)]
        expected = distinct_triples([q for q in sample_quads() if q[3] == ENTITIES_GRAPH]) | set(new_note)
        assert set(built.triples()) == expected


def test_replace_graph_rejects_quads_of_another_graph(tmp_path: Path) -> None:
    with GraphStore.build(tmp_path / "store", sample_quads()) as built:
        before = set(built.quads())
        with pytest.raises(ValueError, match="given to replace_graph"):
            built.replace_graph(G_A, [(ADA, RDFS.label, Literal("x"), G_B)])
        assert set(built.quads()) == before


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    built = GraphStore.build(tmp_path / "store", sample_quads())
    built.close()
    with pytest.raises(StoreError, match="closed"):
        built.query("ASK {}")


def test_graph_names_are_iris(tmp_path: Path) -> None:
    with GraphStore.build(tmp_path / "store", sample_quads()) as built, pytest.raises(TypeError):
        built.replace_graph(Literal("urn:g"), [])  # type: ignore[arg-type]


# ---------------------------------------------------------------------- several graphs in one transaction


def expected_store(quads: list[tuple]) -> tuple[list, set, set]:
    """Graphs, quads and union of a store built from scratch from ``quads``."""
    return sorted({q[3] for q in quads}), set(quads), distinct_triples(quads)


def test_replace_graphs_gives_the_store_a_fresh_build_would_give(tmp_path: Path) -> None:
    old = sample_quads()
    note_a = [q for q in old if q[3] == G_A and q[1] != CKG.speaker] + [(TALK, CKG.speaker, BABBAGE, G_A)]
    entities = [q for q in old if q[3] == ENTITIES_GRAPH and q[0] != BABBAGE]  # Babbage's description goes
    entities.append((ADA, RDFS.label, Literal("Augusta Ada King"), ENTITIES_GRAPH))
    new = note_a + entities  # notes-b is deleted
    with GraphStore.build(tmp_path / "store", old) as built:
        before = len(built)
        gained = built.replace_graphs(
            {G_A: note_a, G_B: [], ENTITIES_GRAPH: [q for q in entities if q[0] in (ADA, BABBAGE)]},
            subjects={ENTITIES_GRAPH: [ADA, BABBAGE]},
        )
        assert (built.graphs(), set(built.quads()), set(built.triples())) == expected_store(new)
        assert before + gained == len(built) == len(distinct_triples(new))


def test_replace_graphs_keeps_a_triple_that_moves_between_graphs_in_the_union(tmp_path: Path) -> None:
    moving = (TALK, CKG.speaker, BABBAGE)
    with GraphStore.build(tmp_path / "store", [(*moving, G_A), (ADA, RDFS.label, Literal("Ada"), G_B)]) as built:
        gained = built.replace_graphs({G_A: [], G_B: [(*moving, G_B), (ADA, RDFS.label, Literal("Ada"), G_B)]})
        assert set(built.triples()) == {moving, (ADA, RDFS.label, Literal("Ada"))}
        assert gained == 0 and built.graphs() == [G_B]


def test_replace_graphs_compares_values_as_the_store_keeps_them(tmp_path: Path) -> None:
    """The builder writes confidences as "0.300", Oxigraph gives back "0.3": not a change."""
    with GraphStore.build(tmp_path / "store", [(ADA, CKG.confidence, Literal("0.3", datatype=XSD.decimal), G_A)]
                          ) as built:
        gained = built.replace_graphs({G_A: [(ADA, CKG.confidence, Literal("0.300", datatype=XSD.decimal), G_A)]})
        assert gained == 0 and len(built) == 1


def test_replace_graphs_of_subjects_rejects_other_subjects_and_drops_an_emptied_graph(tmp_path: Path) -> None:
    quads = [q for q in sample_quads() if q[3] == ENTITIES_GRAPH]
    with GraphStore.build(tmp_path / "store", quads) as built:
        with pytest.raises(ValueError, match="not a subject to replace"):
            built.replace_graphs({ENTITIES_GRAPH: [(TALK, RDFS.label, Literal("x"))]}, subjects={ENTITIES_GRAPH: [ADA]})
        built.replace_graphs({ENTITIES_GRAPH: []}, subjects={ENTITIES_GRAPH: [ADA, BABBAGE]})
        assert built.graphs() == [ENTITIES_GRAPH] and {q[0] for q in built.quads()} == {TALK}
        built.replace_graphs({ENTITIES_GRAPH: []}, subjects={ENTITIES_GRAPH: [TALK]})
        assert built.graphs() == [] and len(built) == 0


def test_a_failing_update_writes_nothing(tmp_path: Path) -> None:
    """What ``replace_graphs`` relies on: Oxigraph applies one update request, however many
    operations it holds, in one transaction."""
    with GraphStore.build(tmp_path / "store", sample_quads()) as built:
        before = set(built.quads())
        with pytest.raises(RuntimeError, match="does not exist"):
            built.oxigraph.update(f"INSERT DATA {{ GRAPH <{G_A}> {{ <{ADA}> <{RDFS.label}> 'x' }} }} ;"
                                  " DROP GRAPH <urn:confkg:no-such-graph>")
        assert set(built.quads()) == before


def test_replace_graphs_is_exact_where_pattern_lookups_are_not(tmp_path: Path) -> None:
    """On disk, pyoxigraph 0.5.13 finds ``<s> <p> 2514`` for the pattern ``<s> <p> 2303``: the
    union copy of 2303 must still go when its graph does, and the count must stay right."""
    s, p = section_iri("notes-a", 5), CKG.end
    a, b, c = (Literal(n, datatype=XSD.integer) for n in (2303, 2514, 7))
    with GraphStore.build(tmp_path / "store", [(s, p, a, G_A), (s, p, b, G_B)]) as built:
        gained = built.replace_graphs({G_A: [(s, p, c)]})
        assert set(built.triples()) == {(s, p, c), (s, p, b)}
        assert gained == 0 and len(built) == 2
