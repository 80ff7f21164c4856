"""Measures and how they are shown: one ``Score`` record for every count, plain-text tables and JSON.

Why one record for entities and spans alike: entity precision and recall do not share a true
positive count (a graph entity is right when it matches any gold entity, a gold entity is found
when any graph entity matches it), so ``Score`` keeps both; for span matching they are equal.
Rendering is kept apart from scoring so that the CLI, the benchmark and the tests read the same
numbers, and JSON carries the full lists while tables show the first few.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DIGITS = 3


@dataclass(frozen=True, slots=True)
class Score:
    """``correct`` of ``predicted`` predictions were right; ``found`` of ``gold`` gold items were found."""

    correct: int
    predicted: int
    found: int
    gold: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.correct + other.correct, self.predicted + other.predicted,
                     self.found + other.found, self.gold + other.gold)

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, DIGITS),
            "recall": round(self.recall, DIGITS),
            "f1": round(self.f1, DIGITS),
            "correct": self.correct,
            "predicted": self.predicted,
            "found": self.found,
            "gold": self.gold,
        }


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# ---------------------------------------------------------------------- result records


@dataclass(frozen=True, slots=True)
class TypeResult:
    type: str
    score: Score
    missed: tuple[str, ...]
    invented: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RelationResult:
    kind: str
    gold_predicate: str
    gold: int
    found: int
    graph: int
    missed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TalkResult:
    gold: int
    found: int
    with_speakers: int
    graph: int
    correct: int
    missed: tuple[str, ...]
    speakers_missed: tuple[str, ...]
    invented: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GoldReport:
    source: str
    gold_dir: str
    docs: tuple[str, ...]
    entities: tuple[TypeResult, ...]
    overall: Score
    relations: tuple[RelationResult, ...]
    talks: TalkResult


@dataclass(frozen=True, slots=True)
class NerReport:
    source: str
    system: str
    sentences: int
    micro: Score
    per_type: Mapping[str, Score]
    false_positives: tuple[tuple[str, str, int], ...]  # (type, text, count), most frequent first
    false_negatives: tuple[tuple[str, str, int], ...]


# ---------------------------------------------------------------------- graph vs gold


def gold_to_dict(report: GoldReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "gold_dir": report.gold_dir,
        "docs": list(report.docs),
        "entities": {
            r.type: {**r.score.to_dict(), "missed": list(r.missed), "invented": list(r.invented)}
            for r in report.entities
        },
        "entities_all": report.overall.to_dict(),
        "relations": {
            r.kind: {"gold_predicate": r.gold_predicate, "recall": round(ratio(r.found, r.gold), DIGITS),
                     "found": r.found, "gold": r.gold, "graph": r.graph, "missed": list(r.missed)}
            for r in report.relations
        },
        "talks": {
            "recall": round(ratio(report.talks.found, report.talks.gold), DIGITS),
            "recall_with_speakers": round(ratio(report.talks.with_speakers, report.talks.gold), DIGITS),
            "precision": round(ratio(report.talks.correct, report.talks.graph), DIGITS),
            "found": report.talks.found,
            "with_speakers": report.talks.with_speakers,
            "gold": report.talks.gold,
            "correct": report.talks.correct,
            "graph": report.talks.graph,
            "missed": list(report.talks.missed),
            "speakers_missed": list(report.talks.speakers_missed),
            "invented": list(report.talks.invented),
        },
    }


def gold_table(report: GoldReport) -> str:
    """The plain-text report of ``confkg eval``."""
    lines = [f"graph: {report.source}", f"gold:  {report.gold_dir} ({', '.join(report.docs) or 'no documents'})", ""]
    lines.append(f"{'entities':<14}{'P':>7}{'R':>7}{'F1':>7}{'graph':>8}{'gold':>6}")
    for r in report.entities:
        lines.append(_score_line(r.type, r.score))
    lines.append(_score_line("all", report.overall))
    lines += ["", f"{'relations':<14}{'recall':>7}{'found':>8}{'graph':>8}  gold predicate"]
    for rel in report.relations:
        lines.append(f"{rel.kind:<14}{ratio(rel.found, rel.gold):>7.3f}{f'{rel.found}/{rel.gold}':>8}"
                     f"{rel.graph:>8}  {rel.gold_predicate}")
    t = report.talks
    lines += [
        "",
        f"{'talks':<14}{'value':>7}{'count':>8}",
        f"{'recall':<14}{ratio(t.found, t.gold):>7.3f}{f'{t.found}/{t.gold}':>8}",
        f"{'+ speakers':<14}{ratio(t.with_speakers, t.gold):>7.3f}{f'{t.with_speakers}/{t.gold}':>8}",
        f"{'precision':<14}{ratio(t.correct, t.graph):>7.3f}{f'{t.correct}/{t.graph}':>8}",
        "",
        "missed (gold not found) and invented (graph, not in gold); first 40 each",
    ]
    for r in report.entities:
        lines += _listing(f"{r.type} missed", r.score.gold - r.score.found, r.missed)
        lines += _listing(f"{r.type} invented", r.score.predicted - r.score.correct, r.invented)
    for rel in report.relations:
        lines += _listing(f"{rel.kind} missed", rel.gold - rel.found, rel.missed)
    lines += _listing("talks missed", t.gold - t.found, t.missed)
    lines += _listing("talk speakers missed", t.found - t.with_speakers, t.speakers_missed)
    lines += _listing("talks invented", t.graph - t.correct, t.invented)
    return "\n".join(lines)


def _score_line(name: str, s: Score) -> str:
    return f"{name:<14}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.predicted:>8}{s.gold:>6}"


def _listing(title: str, count: int, items: tuple[str, ...]) -> list[str]:
    if not count:
        return []
    return [f"{title} ({count}): " + "; ".join(items)]


# ---------------------------------------------------------------------- NER spans


def ner_to_dict(report: NerReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "system": report.system,
        "sentences": report.sentences,
        "micro": report.micro.to_dict(),
        "types": {t: s.to_dict() for t, s in report.per_type.items()},
        "false_positives": [{"type": t, "text": x, "count": n} for t, x, n in report.false_positives],
        "false_negatives": [{"type": t, "text": x, "count": n} for t, x, n in report.false_negatives],
    }


def ner_table(report: NerReport, top: int = 15) -> str:
    """The plain-text report of ``confkg eval-ner``."""
    lines = [f"data:   {report.source} ({report.sentences} sentences)", f"system: {report.system}", ""]
    lines.append(f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}{'gold':>7}{'tp':>6}")
    for name, s in [*report.per_type.items(), ("micro", report.micro)]:
        lines.append(f"{name:<14}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.predicted:>7}{s.gold:>7}{s.correct:>6}")
    for title, items in (("most frequent false positives", report.false_positives),
                         ("most frequent false negatives", report.false_negatives)):
        lines += ["", f"{title}:"]
        lines += [f"  {n:>3}  {t:<13} {x}" for t, x, n in items[:top]] or ["  (none)"]
    return "\n".join(lines)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
