"""The saved queries, rewritten for speed (``queries/*.rq``), answer on the sample graph what their
plain formulations answer: the rewrites change how Oxigraph evaluates them, not what they say."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PLAIN = {
    "fact-provenance": """
        SELECT ?subject ?predicate ?object ?note ?line ?start ?end ?sentenceStart ?sentenceEnd ?sentence ?extractor
               ?confidence WHERE {
          ?a a ckg:Assertion ; rdf:subject ?s ; rdf:predicate ?predicate ; rdf:object ?o ;
             ckg:inNote/ckg:path ?note ; ckg:line ?line ; ckg:start ?start ; ckg:end ?end ;
             ckg:sentenceStart ?sentenceStart ; ckg:sentenceEnd ?sentenceEnd ; ckg:sentence ?sentence ;
             ckg:extractor ?extractor ; ckg:confidence ?confidence .
          ?s rdfs:label ?subject .
          OPTIONAL { ?o rdfs:label ?objectLabel }
          BIND(COALESCE(?objectLabel, STR(?o)) AS ?object)
        } ORDER BY ?note ?start ?predicate""",
    "papers-with-code": """
        SELECT DISTINCT ?paper ?code ?event WHERE {
          ?p a ckg:Paper ; rdfs:label ?paper ; ckg:codeRepository ?code .
          OPTIONAL { ?n ckg:mentions ?p ; ckg:event/rdfs:label ?event . }
        } ORDER BY ?event ?paper""",
    "people-affiliations": """
        SELECT DISTINCT ?person ?organization ?note WHERE {
          ?p a ckg:Person ; rdfs:label ?person ; ckg:affiliation ?o .
          ?o rdfs:label ?organization .
          ?a a ckg:Assertion ; rdf:subject ?p ; rdf:predicate ckg:affiliation ; rdf:object ?o ;
             ckg:inNote/ckg:path ?note .
        } ORDER BY ?person ?organization ?note""",
    "speakers-on-topic": """
        SELECT DISTINCT ?event ?topic ?speaker ?organization ?talk WHERE {
          ?t a ckg:Talk ; rdfs:label ?talk ; ckg:partOf/rdfs:label ?event ; ckg:speaker ?p .
          { ?t ckg:about ?tp } UNION { ?t ckg:mentions ?tp . ?tp a ckg:Topic }
          ?tp rdfs:label ?topic .
          ?p rdfs:label ?speaker .
          OPTIONAL { ?p ckg:affiliation/rdfs:label ?organization }
        } ORDER BY ?event ?topic ?speaker""",
}
SORT_KEYS = {"fact-provenance": (3, 5, 1), "papers-with-code": (2, 0), "speakers-on-topic": (0, 1, 2)}


def saved(store, name: str):
    return store.query((ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8"))


def ordered_groups(rows: list[tuple], key: tuple[int, ...]) -> list[tuple[tuple, list[tuple]]]:
    """Rows cut into runs of equal ORDER BY keys, each run as a sorted list: the order SPARQL
    defines (the order of rows with equal keys is left to the engine)."""
    def by(row: tuple) -> tuple:
        return tuple(row[i] for i in key)

    return [(k, sorted(g, key=lambda r: tuple(map(str, r)))) for k, g in groupby(rows, key=by)]


def test_ordered_queries_give_the_rows_of_their_plain_formulation(sample_store) -> None:
    for name, key in SORT_KEYS.items():
        rewritten, plain = saved(sample_store, name), sample_store.query(PLAIN[name])
        assert rewritten.variables == plain.variables, name
        assert len(rewritten.rows) == len(plain.rows) >= 3, name
        assert ordered_groups(rewritten.rows, key) == ordered_groups(plain.rows, key), name


def test_people_affiliations_groups_the_notes_of_the_plain_formulation(sample_store) -> None:
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for person, organization, note in sample_store.query(PLAIN["people-affiliations"]).rows:
        notes[(person, organization)].append(note)
    expected = [(person, org, ", ".join(sorted(paths))) for (person, org), paths in sorted(notes.items())]
    rewritten = saved(sample_store, "people-affiliations")
    assert rewritten.variables == ("person", "organization", "note")
    assert rewritten.rows == expected and len(expected) >= 3
