"""A confkg graph against hand-written gold annotations: entities per type, relations and talks.

The gold format and the entity matching rule are those of the reference scorer that ships with
the gold files (``score_graph.py``, see its README). They are reimplemented here, not imported,
so that the package needs nothing outside the repository; a test runs both on the same graph
and checks that they agree. Relations and talks, which the reference scorer leaves to
``confkg eval``, follow the same name matching, with two documented leniencies:

- a talk title matches when one normalised title contains the other as whole words (notes
  shorten and decorate titles), as long as the shorter one has at least two words so that a
  one-word session name does not match every talk that uses the word;
- gold talks marked ``untitled`` carry a made-up label, so they are matched by speaker instead.

Graph predicates are taken with their sub-properties from the ontology: ``ckg:panelist`` counts
as ``ckg:speaker`` and ``ckg:developer`` as ``ckg:creator``; a gold ``createdBy`` or
``developedBy`` is found through either predicate (the notes rarely make the distinction).
A node typed with two of the scored classes counts under each (the reference scorer keeps
whichever type its store lists last); confkg's graphs never type an entity twice.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from confkg.errors import InputError
from confkg.evaluation.report import GoldReport, RelationResult, Score, TalkResult, TypeResult

TYPES: tuple[str, ...] = ("Person", "Organization", "Event", "Paper", "Artifact", "Topic")
TALK = "Talk"
LIST_LIMIT = 40
NAME_PREDICATES: tuple[str, ...] = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://schema.org/name",
    "https://schema.org/name",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)
_LABEL = NAME_PREDICATES[0]
_CKG = "https://w3id.org/confkg/ns#"
_TITLE = re.compile(r"^(dr|prof|professor|mr|ms|mrs)\.?\s+")
_NOT_WORD = re.compile(r"[^\w]+")
_MIN_CONTAINED_WORDS = 2


@dataclass(frozen=True, slots=True)
class RelationKind:
    """How one gold predicate is looked for in the graph; ``reverse`` when the graph triple points
    from the gold object to the gold subject (``?talk ckg:speaker ?person`` for ``speakerOf``)."""

    name: str
    gold_predicate: str
    graph_predicates: tuple[str, ...]
    reverse: bool


RELATION_KINDS: tuple[RelationKind, ...] = (
    RelationKind("speaker", "speakerOf", ("speaker", "panelist"), reverse=True),
    RelationKind("affiliation", "affiliatedWith", ("affiliation",), reverse=False),
    RelationKind("author", "authorOf", ("author",), reverse=True),
    RelationKind("creator", "createdBy", ("creator", "developer"), reverse=False),
    RelationKind("developer", "developedBy", ("creator", "developer"), reverse=False),
)
_KIND_OF_PREDICATE = {k.gold_predicate: k for k in RELATION_KINDS}
_SPEAKER_PREDICATES = RELATION_KINDS[0].graph_predicates


def normalise(name: str) -> str:
    """Unicode fold, case fold, drop a leading title, punctuation to spaces (as the reference scorer)."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _TITLE.sub("", s)
    s = _NOT_WORD.sub(" ", s)
    return " ".join(s.split())


def _names(*labels: str) -> frozenset[str]:
    return frozenset(n for n in map(normalise, labels) if n)


def titles_match(a: str, b: str) -> bool:
    """Normalised talk titles: equal, or the shorter is a run of whole words of the longer."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short.split()) >= _MIN_CONTAINED_WORDS and f" {short} " in f" {long_} "


# ---------------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldEntity:
    type: str
    label: str
    names: frozenset[str]
    doc: str
    certain: bool  # counted by recall: marked certain, and this is its main type


@dataclass(frozen=True, slots=True)
class GoldTalk:
    label: str
    names: frozenset[str]
    speakers: tuple[str, ...]
    speaker_names: tuple[frozenset[str], ...]
    doc: str
    untitled: bool


@dataclass(frozen=True, slots=True)
class GoldRelation:
    kind: str
    s: str
    o: str
    s_names: frozenset[str]
    o_names: frozenset[str]
    doc: str
    talk: GoldTalk | None  # the gold talk a ``speakerOf`` points to


@dataclass(frozen=True, slots=True)
class Gold:
    docs: tuple[str, ...]
    entities: tuple[GoldEntity, ...]
    talks: tuple[GoldTalk, ...]
    relations: tuple[GoldRelation, ...]


def load_gold(gold_dir: str | Path, docs: Iterable[str] | None = None) -> Gold:
    """Read ``gold_dir/*.json`` (only the stems in ``docs`` when given)."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such gold folder")
    wanted = set(docs) if docs else None
    files = [f for f in sorted(folder.glob("*.json")) if wanted is None or f.stem in wanted]
    if not files:
        raise InputError(f"{folder}: no gold files" + (f" for {', '.join(sorted(wanted))}" if wanted else ""))
    entities: list[GoldEntity] = []
    talks: list[GoldTalk] = []
    relations: list[GoldRelation] = []
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            e, t, r = _read_doc(data, f.stem)
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise InputError(f"{f}: not a gold file ({type(err).__name__}: {err})") from None
        entities += e
        talks += t
        relations += r
    return Gold(tuple(f.stem for f in files), tuple(entities), tuple(talks), tuple(relations))


def _read_doc(data: Mapping[str, Any], doc: str) -> tuple[list[GoldEntity], list[GoldTalk], list[GoldRelation]]:
    entities: list[GoldEntity] = []
    aliases: dict[str, set[str]] = defaultdict(set)  # normalised label -> names, to widen relation ends
    for e in data.get("entities", []):
        names = _names(e["label"], *e.get("aliases", []))
        aliases[normalise(e["label"])] |= names
        certain = e.get("confidence", "certain") == "certain"
        for t in sorted({e["type"], e.get("alt_type")} & set(TYPES)):
            entities.append(GoldEntity(t, e["label"], names, doc, certain and t == e["type"]))
    for e in data.get("events", []):
        names = _names(e["label"], *e.get("aliases", []))
        aliases[normalise(e["label"])] |= names
        entities.append(GoldEntity("Event", e["label"], names, doc, e.get("confidence", "certain") == "certain"))

    def widen(label: str) -> frozenset[str]:
        return _names(label) | frozenset(aliases.get(normalise(label), ()))

    talks = [_talk(t["label"], t.get("speakers", []), doc, t.get("untitled"), widen, t.get("aliases", []))
             for t in data.get("talks", [])]
    by_title = {normalise(t.label): t for t in talks}
    relations: list[GoldRelation] = []
    for r in data.get("relations", []):
        kind = _KIND_OF_PREDICATE.get(r["p"])
        if kind is None:
            continue
        talk = None
        if kind.name == "speaker":
            talk = by_title.get(normalise(r["o"])) or _talk(r["o"], [r["s"]], doc, None, widen, [])
        relations.append(GoldRelation(kind.name, r["s"], r["o"], widen(r["s"]), widen(r["o"]), doc, talk))
    return entities, talks, relations


def _talk(label: str, speakers: Sequence[str], doc: str, untitled: Any,
          widen: Callable[[str], frozenset[str]], aliases: Sequence[str]) -> GoldTalk:
    made_up = untitled in (True, "true", "True") or "(untitled)" in label.lower()
    return GoldTalk(label, _names(label, *aliases), tuple(speakers), tuple(widen(s) for s in speakers), doc, made_up)


# ---------------------------------------------------------------------- graph

Rows = Callable[[str], Iterable[Sequence[str | None]]]

_TYPES_QUERY = "SELECT DISTINCT ?node ?class WHERE { ?node a ?class }"
_NAMES_QUERY = (
    "SELECT DISTINCT ?node ?p ?name WHERE { VALUES ?p { "
    + " ".join(f"<{p}>" for p in NAME_PREDICATES)
    + " } ?node ?p ?name FILTER(isLiteral(?name)) }"
)
_EDGES_QUERY = (
    "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { "
    + " ".join(f"<{_CKG}{p}>" for p in sorted({p for k in RELATION_KINDS for p in k.graph_predicates}))
    + " } ?s ?p ?o }"
)


@dataclass(frozen=True, slots=True)
class GraphView:
    """What scoring needs from a graph: typed nodes, their names, and the relation edges."""

    types: Mapping[str, frozenset[str]]  # node -> its types among TYPES and Talk
    names: Mapping[str, frozenset[str]]  # node -> normalised names
    labels: Mapping[str, str]  # node -> a name to show
    edges: Mapping[str, frozenset[tuple[str, str]]]  # ckg local name -> (subject, object)

    def nodes_of(self, type_: str) -> list[str]:
        return sorted(n for n, ts in self.types.items() if type_ in ts)


def read_graph(rows: Rows) -> GraphView:
    """Build the view from a SELECT runner returning rows of strings (IRIs and lexical forms)."""
    types: dict[str, set[str]] = defaultdict(set)
    for node, cls in rows(_TYPES_QUERY):
        local = re.split(r"[#/]", cls or "")[-1]
        if node and local in (*TYPES, TALK):
            types[node].add(local)
    names: dict[str, set[str]] = defaultdict(set)
    raw: dict[str, list[tuple[bool, str]]] = defaultdict(list)  # (not rdfs:label, name): labels first
    for node, pred, name in rows(_NAMES_QUERY):
        if node in types and name is not None:
            if n := normalise(name):
                names[node].add(n)
            raw[node].append((pred != _LABEL, name))
    labels = {node: min(raw[node])[1] if raw[node] else node for node in types}
    edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for s, p, o in rows(_EDGES_QUERY):
        if s and p and o:
            edges[p.removeprefix(_CKG)].add((s, o))
    return GraphView(
        {n: frozenset(ts) for n, ts in types.items()},
        {n: frozenset(names.get(n, ())) for n in types},
        labels,
        {p: frozenset(pairs) for p, pairs in edges.items()},
    )


def graph_from_file(path: str | Path) -> GraphView:
    """A Turtle, N-Triples, JSON-LD (or other RDF) file, bulk-loaded into an in-memory Oxigraph store."""
    import pyoxigraph as ox

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such graph file")
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError) as err:
        raise InputError(f"{path}: cannot read it as {fmt.name}: {' '.join(str(err).split())}") from None

    def value(term: Any) -> str | None:
        if term is None:
            return None
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value

    def rows(sparql: str) -> Iterable[tuple[str | None, ...]]:
        for solution in store.query(sparql, use_default_graph_as_union=True):
            yield tuple(value(term) for term in solution)

    return read_graph(rows)


def graph_from_store(directory: str | Path) -> GraphView:
    """The graph store built by ``confkg build`` (its default graph is the union of all notes)."""
    from confkg.store import GraphStore

    with GraphStore.open(Path(directory)) as store:
        return read_graph(lambda sparql: store.query(sparql).rows)


def graph_from_notes(notes_dir: str | Path, *, docs: Iterable[str] | None = None,
                     model: str | None = None) -> GraphView:
    """Build the notes (only the stems in ``docs`` when given) into a temporary folder and read that."""
    from confkg.pipeline import STORE_DIR, build

    folder = Path(notes_dir)
    if not folder.exists():
        raise InputError(f"{folder}: no such notes folder")
    paths: list[Path] = [folder]
    if docs:
        wanted = set(docs)
        paths = sorted(p for p in folder.rglob("*") if p.is_file() and p.stem in wanted)
        if not paths:
            raise InputError(f"{folder}: no notes named {', '.join(sorted(wanted))}")
    with tempfile.TemporaryDirectory(prefix="confkg-eval-") as tmp:
        build(paths, tmp, model=model, html=False)
        return graph_from_store(Path(tmp) / STORE_DIR)


# ---------------------------------------------------------------------- scoring


def score_entities(view: GraphView, gold: Gold) -> tuple[TypeResult, ...]:
    """Per type: precision over the graph's entities, recall over the certain gold entities."""
    results = []
    for t in TYPES:
        nodes = view.nodes_of(t)
        any_gold = [g for g in gold.entities if g.type == t]
        counted = [g for g in any_gold if g.certain]
        gold_names = frozenset().union(*(g.names for g in any_gold))
        graph_names = frozenset().union(*(view.names[n] for n in nodes))
        wrong = [n for n in nodes if not view.names[n] & gold_names]
        missed = [g.label for g in counted if not g.names & graph_names]
        score = Score(len(nodes) - len(wrong), len(nodes), len(counted) - len(missed), len(counted))
        results.append(TypeResult(t, score, tuple(sorted(missed)[:LIST_LIMIT]),
                                  tuple(sorted(view.labels[n] for n in wrong)[:LIST_LIMIT])))
    return tuple(results)


def _talk_matches(talk: GoldTalk, node: str, view: GraphView, speakers: Mapping[str, set[str]]) -> bool:
    if talk.untitled:
        heard = frozenset().union(*(view.names.get(p, frozenset()) for p in speakers.get(node, ())))
        return any(names & heard for names in talk.speaker_names)
    return any(titles_match(g, n) for g in talk.names for n in view.names.get(node, ()))


def _speakers(view: GraphView) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for p in _SPEAKER_PREDICATES:
        for talk, person in view.edges.get(p, ()):
            out[talk].add(person)
    return out


def score_talks(view: GraphView, gold: Gold) -> TalkResult:
    """Gold talks found (by title, or by speaker when untitled), and found with all their speakers."""
    nodes = view.nodes_of(TALK)
    speakers = _speakers(view)
    missed: list[str] = []
    incomplete: list[str] = []
    found = with_speakers = 0
    for talk in gold.talks:
        matches = [n for n in nodes if _talk_matches(talk, n, view, speakers)]
        if not matches:
            missed.append(talk.label)
            continue
        found += 1
        lacking = min(([s for s, names in zip(talk.speakers, talk.speaker_names, strict=True)
                        if not any(view.names.get(p, frozenset()) & names for p in speakers.get(n, ()))]
                       for n in matches), key=len)
        if lacking:
            incomplete.append(f"{talk.label}: {', '.join(lacking)}")
        else:
            with_speakers += 1
    invented = [n for n in nodes if not any(_talk_matches(t, n, view, speakers) for t in gold.talks)]
    return TalkResult(len(gold.talks), found, with_speakers, len(nodes), len(nodes) - len(invented),
                      tuple(sorted(missed)[:LIST_LIMIT]), tuple(sorted(incomplete)[:LIST_LIMIT]),
                      tuple(sorted(view.labels[n] for n in invented)[:LIST_LIMIT]))


def score_relations(view: GraphView, gold: Gold) -> tuple[RelationResult, ...]:
    """Recall of each gold relation kind: some graph edge links a name of ``s`` to a name of ``o``."""
    speakers = _speakers(view)
    results = []
    for kind in RELATION_KINDS:
        pairs = {(o, s) if kind.reverse else (s, o) for p in kind.graph_predicates for s, o in view.edges.get(p, ())}
        wanted = [r for r in gold.relations if r.kind == kind.name]
        missed = []
        for r in wanted:
            if not any(view.names.get(a, frozenset()) & r.s_names and _object_matches(r, b, view, speakers)
                       for a, b in pairs):
                missed.append(f"{r.s} -> {r.o}")
        results.append(RelationResult(kind.name, kind.gold_predicate, len(wanted), len(wanted) - len(missed),
                                      len(pairs), tuple(sorted(missed)[:LIST_LIMIT])))
    return tuple(results)


def _object_matches(r: GoldRelation, node: str, view: GraphView, speakers: Mapping[str, set[str]]) -> bool:
    if r.talk is not None:
        return _talk_matches(r.talk, node, view, speakers)
    return bool(view.names.get(node, frozenset()) & r.o_names)


def score_graph(view: GraphView, gold: Gold, *, source: str = "", gold_dir: str = "") -> GoldReport:
    entities = score_entities(view, gold)
    overall = sum((r.score for r in entities), Score(0, 0, 0, 0))
    return GoldReport(source, gold_dir, gold.docs, entities, overall, score_relations(view, gold),
                      score_talks(view, gold))


def evaluate(gold_dir: str | Path, *, graph_file: str | Path | None = None, notes_dir: str | Path | None = None,
             out_dir: str | Path | None = None, docs: Iterable[str] | None = None,
             model: str | None = None) -> GoldReport:
    """``confkg eval``: score a graph file, a built store (``out_dir/store``, default ``out``) or
    notes built on the fly, against the gold files in ``gold_dir``."""
    from confkg.pipeline import STORE_DIR

    if sum(x is not None for x in (graph_file, notes_dir, out_dir)) > 1:
        raise InputError("give one of a graph file, a notes folder or a build folder")
    docs = sorted(set(docs)) if docs else None
    gold = load_gold(gold_dir, docs)
    if graph_file is not None:
        view, source = graph_from_file(graph_file), str(graph_file)
    elif notes_dir is not None:
        view, source = graph_from_notes(notes_dir, docs=docs, model=model), f"notes {notes_dir} (built)"
    else:
        store = Path(out_dir if out_dir is not None else "out") / STORE_DIR
        view, source = graph_from_store(store), str(store)
    return score_graph(view, gold, source=source, gold_dir=str(gold_dir))
