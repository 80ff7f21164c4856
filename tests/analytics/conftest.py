"""Small graphs written as confkg RDF (entities, relations with their assertions, co-mentions,
notes) into a real store, for analytics whose answer is known by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from confkg.store import GraphStore
from confkg.vocab import (
    CKG,
    COMENTIONS_GRAPH,
    ENTITIES_GRAPH,
    assertion_iri,
    comention_iri,
    entity_iri,
    graph_iri,
    mention_iri,
    note_iri,
    section_iri,
)


class HandGraph:
    """Builds the quads of a tiny confkg graph; names are labels, IRIs are minted as confkg does."""

    def __init__(self) -> None:
        self.quads: list[tuple] = []
        self.iris: dict[str, URIRef] = {}
        self._offset = 0
        self._sections: dict[tuple[str, str], int] = {}

    def entity(self, name: str, type_: str = "Person", **attrs: object) -> URIRef:
        iri = entity_iri(type_, name)
        if name not in self.iris:
            self.iris[name] = iri
            self.quads += [(iri, RDF.type, getattr(CKG, type_), ENTITIES_GRAPH),
                           (iri, RDFS.label, Literal(name), ENTITIES_GRAPH)]
            if "year" in attrs:
                self.quads.append((iri, CKG.year, Literal(str(attrs["year"]), datatype=rns.XSD.gYear), ENTITIES_GRAPH))
        return iri

    def iri(self, name: str) -> str:
        return str(self.iris[name])

    def _note(self, note: str) -> tuple[URIRef, URIRef]:
        n, g = note_iri(note), graph_iri(note)
        self.quads += [(n, RDF.type, CKG.Note, g), (n, CKG.path, Literal(note), g)]
        return n, g

    def relate(self, s: str, p: str, o: str, *, note: str = "hand.md", line: int = 1, sentence: str = "") -> None:
        n, g = self._note(note)
        subj, obj, pred = self.iris[s], self.iris[o], getattr(CKG, p)
        self._offset += 10
        a = assertion_iri(note, f"{self._offset:016x}")
        self.quads += [
            (subj, pred, obj, g), (a, RDF.type, CKG.Assertion, g), (a, RDF.subject, subj, g),
            (a, RDF.predicate, pred, g), (a, RDF.object, obj, g), (a, CKG.inNote, n, g),
            (a, CKG.line, Literal(line), g), (a, CKG.sentence, Literal(sentence or f"{s} {p} {o}."), g),
            (a, CKG.confidence, Literal("0.900", datatype=rns.XSD.decimal), g),
        ]

    def mention(self, name: str, *, note: str = "hand.md", section: str = "Intro", line: int = 1,
                sentence: str = "") -> None:
        n, g = self._note(note)
        index = self._sections.setdefault((note, section), len(self._sections))
        sec = section_iri(note, index)
        self._offset += 10
        m = mention_iri(note, self._offset, self._offset + 5, "x")
        self.quads += [
            (sec, RDF.type, CKG.Section, g), (sec, CKG.sectionOf, n, g), (sec, CKG.heading, Literal(section), g),
            (n, CKG.mentions, self.iris[name], g),
            (m, RDF.type, CKG.Mention, g), (m, CKG.refersTo, self.iris[name], g), (m, CKG.inNote, n, g),
            (m, CKG.inSection, sec, g), (m, CKG.line, Literal(line), g),
            (m, CKG.sentence, Literal(sentence or f"About {name}."), g),
        ]

    def comention(self, a: str, b: str, weight: int = 1, *, note: str = "hand.md", section: str = "Intro",
                  line: int = 1, sentence: str = "") -> None:
        text = sentence or f"{a} and {b}."
        self.mention(a, note=note, section=section, line=line, sentence=text)
        self.mention(b, note=note, section=section, line=line, sentence=text)
        index = self._sections[(note, section)]
        c = comention_iri(self.iri(a), self.iri(b))
        self.quads += [(c, RDF.type, CKG.CoMention, COMENTIONS_GRAPH),
                       (c, CKG.coMentioned, self.iris[a], COMENTIONS_GRAPH),
                       (c, CKG.coMentioned, self.iris[b], COMENTIONS_GRAPH),
                       (c, CKG.weight, Literal(weight), COMENTIONS_GRAPH),
                       (c, CKG.inSection, section_iri(note, index), COMENTIONS_GRAPH)]

    def note_event(self, note: str, event: str) -> None:
        n, g = self._note(note)
        self.quads.append((n, CKG.event, self.iris[event], g))

    def store(self, directory: Path) -> GraphStore:
        return GraphStore.build(directory, sorted(set(self.quads)))


@pytest.fixture
def hand(tmp_path: Path):
    """``hand(build)``: the store of the HandGraph that ``build`` fills, and the HandGraph."""

    def make(build) -> tuple[GraphStore, HandGraph]:  # noqa: ANN001
        h = HandGraph()
        build(h)
        return h.store(tmp_path / "hand-store"), h

    return make


@pytest.fixture(scope="session")
def sample_graph(sample_store):
    """The sample graph projected with asserted relations and co-mentions (read-only use)."""
    from confkg.analytics.projection import project

    return project(sample_store, "both")


@pytest.fixture
def writable_sample(sample_build, tmp_path: Path) -> Path:
    """A copy of the sample build (store and cache) that a test may write to."""
    from confkg.pipeline import STORE_DIR

    out = tmp_path / "sample"
    out.mkdir()
    shutil.copytree(sample_build.out_dir / STORE_DIR, out / STORE_DIR)
    return out
