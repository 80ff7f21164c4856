"""Candidate spans from every extractor, and the merge that keeps the best non-overlapping set.

Each extractor (statistical NER, gazetteers, text rules, structural rules) proposes candidates
over one section's clean text. The merge is the one place where they compete, so the policy is
explicit and testable: higher priority wins, then the longer span, then the higher score.
Titles of papers and talks are a separate layer: they may contain other entities (a paper
title names a model), but statistical-NER guesses inside a title are dropped, because title
case fools the model.
"""

from __future__ import annotations

from dataclasses import dataclass

# Priorities: structural rules know the most about a span, statistical NER the least.
PRIORITY_STRUCTURE = 50
PRIORITY_RULE = 40
PRIORITY_GAZETTEER = 30
PRIORITY_NER_PERSON = 25
PRIORITY_SHAPE = 20
PRIORITY_NER = 10

CONTAINER_TYPES = frozenset({"Paper", "Talk"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed typed span in a section's clean text.

    ``canonical`` is the name a gazetteer or rule knows the entity by (``None`` when the
    surface form is all there is); ``attrs`` carries typed extras (``year``, ``arxiv``, ``url``).
    """

    start: int
    end: int
    type: str
    score: float
    extractor: str
    priority: int
    canonical: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end

    def inside(self, other: Candidate) -> bool:
        return other.start <= self.start and self.end <= other.end


def _rank(c: Candidate) -> tuple[int, int, float, int, str]:
    return (-c.priority, -c.length, -c.score, c.start, c.type)


def merge_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the best candidates: no two entity spans overlap; titles form their own layer.

    Among overlapping entity candidates the higher priority wins, then the longer span.
    Candidates of the same span and type from several extractors collapse into the best one.
    """
    containers = [c for c in candidates if c.type in CONTAINER_TYPES]
    others = [c for c in candidates if c.type not in CONTAINER_TYPES]

    kept_containers: list[Candidate] = []
    for c in sorted(containers, key=_rank):
        if not any(c.overlaps(k) and k.type == c.type for k in kept_containers):
            kept_containers.append(c)

    kept: list[Candidate] = []
    for c in sorted(others, key=_rank):
        if c.priority <= PRIORITY_NER_PERSON and any(c.inside(t) for t in kept_containers):
            continue  # statistical guesses inside a title are title-case noise
        if c.priority == PRIORITY_SHAPE and any(c.inside(t) for t in kept_containers):
            continue
        if any(c.overlaps(k) for k in kept):
            continue
        kept.append(c)
    return sorted(kept + kept_containers, key=lambda c: (c.start, c.end, c.type))
