"""The bulk loader (``store.bulk``) and the union's external sort (``snapshot.SortedLines``):
chunks loaded by a second thread and sorted runs on disk give the store and the bytes that one
chunk in memory gives, and a failure part-way leaves nothing behind."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from confkg.store import GraphStore, bulk, snapshot
from confkg.vocab import CKG, ENTITIES_GRAPH, entity_iri, graph_iri

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it


def graph_quads(notes: int = 12) -> list[tuple]:
    """Quads of several notes with repeated triples, typed literals the store rewrites and text
    that N-Triples must escape (quotes, tabs, newlines, non-ASCII)."""
    rng = random.Random(5)
    people = [entity_iri("Person", name) for name in ("Ada Lovelace", "Zoë Ng", "Émile Borel", "Al \"Q\" Smith")]
    out: list[tuple] = []
    for person in people:
        out += [(person, RDF.type, CKG.Person, ENTITIES_GRAPH),
                (person, RDFS.label, Literal(str(person)), ENTITIES_GRAPH)]
    for n in range(notes):
        g = graph_iri(f"note-{n}")
        for k in range(rng.randint(3, 9)):
            person = rng.choice(people)
            out.append((person, CKG.confidence, Literal(f"0.{rng.randint(1, 9)}50", datatype=XSD.decimal), g))
            out.append((person, CKG.exact, Literal(f"said\t\"{k}\"\nat café {n % 3}"), g))
            out.append((person, CKG.affiliation, URIRef("https://example.org/org/acme"), g))
    return out


def stored(path: Path) -> set[str]:
    return {str(q) for q in ox.Store.read_only(str(path))}


def test_small_chunks_and_runs_give_the_store_and_bytes_of_one_chunk(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    quads = graph_quads()
    GraphStore.build(tmp_path / "one", quads).close()
    monkeypatch.setattr(bulk, "CHUNK", 7)
    monkeypatch.setattr(snapshot, "RUN", 5)
    GraphStore.build(tmp_path / "many", iter(quads)).close()
    assert stored(tmp_path / "many") == stored(tmp_path / "one")
    union = (tmp_path / "many" / snapshot.FILE_NAME).read_bytes()
    assert union == (tmp_path / "one" / snapshot.FILE_NAME).read_bytes()
    with GraphStore.open(tmp_path / "many") as store:
        assert store.query("ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }").boolean is False


def test_a_failure_part_way_raises_and_leaves_the_previous_store(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK", 4)
    quads = graph_quads()
    GraphStore.build(tmp_path / "store", quads[:10]).close()
    before = stored(tmp_path / "store")

    def failing() -> Iterator[tuple]:
        yield from quads[:30]  # several chunks are loaded by then
        raise RuntimeError("the graph builder failed")

    with pytest.raises(RuntimeError, match="the graph builder failed"):
        GraphStore.build(tmp_path / "store", failing())
    assert stored(tmp_path / "store") == before
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # no half-built sibling is left


def test_a_bad_quad_in_a_later_chunk_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK", 4)
    quads = [*graph_quads(3), (URIRef("https://example.org/s"), RDFS.label, Literal("x"), None)]
    with pytest.raises(ValueError, match="named graph"):
        GraphStore.build(tmp_path / "store", quads)
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("run", [1, 3, 50, 10_000])
def test_sorted_lines_are_the_distinct_lines_in_code_point_order(run: int) -> None:
    """Lines that are prefixes of one another, tabs (which sort below the newline the runs are
    written with) and characters of one, two, three and four UTF-8 bytes."""
    rng = random.Random(run)
    alphabet = ["a", "b", "\t", " ", "\"", "é", "ß", "中", "😀", "<", ">"]
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(300)]
    lines += lines[:100]  # repeats
    rng.shuffle(lines)
    sorter = snapshot.SortedLines(run=run)
    for start in range(0, len(lines), 7):
        sorter.extend(lines[start : start + 7])
    with sorter.ntriples() as result:
        got = result.read().decode().split(" .\n")
    assert got[-1] == ""
    assert got[:-1] == sorted(set(lines))
