"""The graph cut into parts that an incremental build compares with the last build's, by digest.

Why: after one note of a thousand changes, most of the graph is the same as before, but which
part is not known without looking: a new full name in the edited note can merge a surname of
another note (its mentions then refer to another IRI), and the entities and co-mentions graphs
sum over every note. Making every quad again to compare them costs as much as the graph
builder itself (several seconds at 600,000 triples), so each part gets a digest computed from
what its quads are made of, and only the quads of parts whose digest changed are made:

- a note's named graph (``id:graph/<note>``): from the note's id, content hash and front
  matter, its mentions and relations after name propagation, and the IRI each of them
  resolves to; no quad is made for an unchanged note;
- an entity of ``id:graph/entities`` (all triples whose subject it is): from its quads, which
  are few (about three per entity);
- a co-mention link of ``id:graph/comentions``: from its two entities, its weight and its
  sections.

What the quads also depend on and no digest covers (the code of the builder, of the store
and of extraction, ``min_confidence``) is ``settings_digest``: when it differs from the last
build's, nothing is compared and the store is rebuilt.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from confkg.graph.builder import (
    COMENTION_CONFIDENCE,
    CoMentions,
    Pair,
    Quad,
    entity_nodes,
    entity_quads,
    kept_entities,
    note_quads,
)
from confkg.model import Extraction
from confkg.resolve.resolver import Resolution
from confkg.vocab import graph_iri

PARTS_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]
_CODE = ("graph/builder.py", "graph/parts.py", "vocab.py", "store/oxigraph_store.py", "store/terms.py")
"""The code between extractions and stored quads: a change to it makes every digest stale."""


def settings_digest(*, min_confidence: float, extraction: str) -> str:
    """Digest of what every part depends on: this code, ``min_confidence`` and the extraction
    fingerprint (``extract.cache.code_fingerprint``: ingest, extraction code, gazetteers, model)."""
    h = hashlib.sha256(f"{PARTS_FORMAT}|{min_confidence!r}|{extraction}".encode())
    for name in _CODE:
        h.update((_PACKAGE / name).read_bytes())
    return h.hexdigest()[:32]


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


@dataclass
class Digests:
    """Digest of every part, by named graph IRI (notes), subject IRI (entities) and pair of
    entity IRIs (co-mention links: the link's own IRI is minted only for links that changed,
    not for the 60,000 of the ``bench/`` corpus at every build)."""

    notes: dict[str, str] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)
    comentions: dict[Pair, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A form for JSON: the pairs as indices into the list of their entities (half the size)."""
        names = sorted({name for pair in self.comentions for name in pair})
        index = {name: i for i, name in enumerate(names)}
        pairs = [[index[a], index[b], digest] for (a, b), digest in self.comentions.items()]
        return {"notes": self.notes, "entities": self.entities, "comentions": {"entities": names, "pairs": pairs}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Digests:
        names = data["comentions"]["entities"]
        pairs = {(names[a], names[b]): digest for a, b, digest in data["comentions"]["pairs"]}
        return cls(dict(data["notes"]), dict(data["entities"]), pairs)

    def graph(self, settings: str) -> str:
        """One digest for the whole graph, to know that outputs written from it are still right.

        The sum of the parts' digests (each part's digest covers its key): it does not depend on
        the order of the parts, and costs one addition per part instead of sorting 60,000 keys.
        """
        total = sum(int(d, 16) for kind in (self.notes, self.entities, self.comentions) for d in kind.values())
        return _digest(settings, f"{total % (1 << 128):032x}", str(len(self.notes)), str(len(self.entities)),
                       str(len(self.comentions)))


class GraphParts:
    """Every quad of the graph (``quads``, the same set as ``build_quads``), by part.

    Made once per build from the extractions (after name propagation) and their resolution.
    Note quads are made on demand, graph by graph; entity quads (small) and co-mention counts
    (one pass over the mentions) are made here.
    """

    def __init__(self, extractions: Sequence[Extraction], resolution: Resolution, *, min_confidence: float = 0.0,
                 series_names: Mapping[str, Sequence[str]] | None = None) -> None:
        self.resolution = resolution
        self.min_confidence = min_confidence
        self.nodes = entity_nodes(resolution)
        self.notes: dict[URIRef, list[Extraction]] = defaultdict(list)
        """Extractions by named graph, in note order (two note ids can slugify to one graph)."""
        for ex in extractions:
            self.notes[graph_iri(ex.note.note_id)].append(ex)
        kept = kept_entities(extractions, resolution, min_confidence=min_confidence)
        self.entities: dict[URIRef, list[Quad]] = defaultdict(list)
        """Quads of ``id:graph/entities`` by subject."""
        for quad in entity_quads(resolution, self.nodes, kept, series_names):
            self.entities[quad[0]].append(quad)  # type: ignore[index]
        self.comentions = CoMentions(self.nodes)
        if min_confidence <= COMENTION_CONFIDENCE:
            for ex in extractions:
                self.comentions.count(ex, resolution)

    # ------------------------------------------------------------------ quads

    def quads(self) -> Iterator[Quad]:
        """Every quad: the notes' graphs, then the entities, then the co-mentions."""
        for graph in self.notes:
            yield from self.note_graph_quads(graph)
        for quads in self.entities.values():
            yield from quads
        yield from self.comentions.quads()

    def note_graph_quads(self, graph: URIRef) -> Iterator[Quad]:
        """The quads of one note's named graph (nothing for a graph no note has any more)."""
        for ex in self.notes.get(graph, ()):
            yield from note_quads(ex, self.resolution, self.nodes, min_confidence=self.min_confidence)

    def entity_quads(self, subjects: Iterable[str]) -> Iterator[Quad]:
        """The quads of ``id:graph/entities`` whose subject is one of ``subjects``."""
        for subject in subjects:
            yield from self.entities.get(URIRef(subject), ())

    def comention_quads(self, pairs: Iterable[Pair]) -> Iterator[Quad]:
        """The quads of the co-mention links of ``pairs`` that still exist."""
        where = self.comentions.where
        return self.comentions.quads(pair for pair in pairs if pair in where)

    # ------------------------------------------------------------------ digests

    def digests(self) -> Digests:
        sections = self.comentions.sections
        return Digests(
            notes={str(g): _digest(g, *(self._note_digest(ex) for ex in exs)) for g, exs in self.notes.items()},
            entities={str(s): _digest(s, *sorted({f"{q[1].n3()} {q[2].n3()}" for q in quads}))
                      for s, quads in self.entities.items()},
            # what ``CoMentions.quads`` writes of a link: its weight (one per section) and sections
            comentions={pair: _digest(*pair, str(len(found)), *(found if len(found) == 1 else sections(pair)))
                        for pair, found in self.comentions.where.items()},
        )

    def _note_digest(self, ex: Extraction) -> str:
        """What ``note_quads`` reads: the note (its content by hash, its metadata), each mention
        and relation, and the IRI that resolution gives each of them (or none)."""
        note, entity_of, nodes = ex.note, self.resolution.entity_of, self.nodes

        def iri(key: tuple[str, int, int, str]) -> str:
            entity = entity_of.get(key)
            return str(nodes[entity]) if entity is not None else "-"

        head = repr((note.note_id, note.content_hash, note.format, note.title, note.date, note.categories))
        mentions = (f"{m!r} {iri(m.key)}" for m in ex.mentions)
        relations = (f"{r!r} {iri(r.subject.key)} {iri(r.obj.key) if r.obj is not None else '-'}"
                     for r in ex.relations)
        return _digest(head, *mentions, *relations)
