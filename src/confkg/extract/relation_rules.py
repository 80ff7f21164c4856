"""Relations stated in prose: affiliation, creation, authorship, panels, moderators, code, topics.

These rules run after the merge, over the kept candidates of one section, so they relate
spans that survived as entities. Each rule reads the words *between* two mentions (or just
around one), which keeps them general: "X from ORG", "X (ORG)", "ORG's ARTIFACT",
"built by ORG", "He created ARTIFACT", "“Title” (Surname et al. 2016)", "Code: URL".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from confkg.extract.candidates import PRIORITY_STRUCTURE, Candidate
from confkg.extract.structure import CandidateRelation
from confkg.model import Section

RULE_AFFILIATION = "rule:affiliation.v1"
RULE_CREATOR = "rule:creator.v1"
RULE_AUTHOR = "rule:citation-author.v1"
RULE_PANEL = "rule:panel.v1"
RULE_MODERATOR = "rule:moderator.v1"
RULE_CODE = "rule:code-repository.v1"
RULE_ABOUT = "rule:about-topic.v1"
RULE_SPEAKER_PROSE = "rule:speaker-prose.v1"

_AFFIL_GAP = re.compile(r"^\s*(?:from|at|of|with|\(|,)\s*(?:the\s+)?$", re.I)
_ROLE_OF = re.compile(
    r"\b(?:chief scientist|ceo|cto|founder|co-?founder|director|head|professor|researcher|engineer|scientist|"
    r"vp|president|lead|manager|starter|member)\s+(?:of|at)\s+$",
    re.I,
)
_CREATE_VERB = re.compile(
    r"\b(?:created|built|wrote|developed|designed|invented|founded|started|made|released|open[- ]sourced|authored)\b",
    re.I,
)
_BY = re.compile(
    r"\b(?:built|developed|created|made|released|open[- ]sourced|designed|maintained|written|invented)\s+(?:by|at)\s+$",
    re.I,
)
_ROLE_PAREN = re.compile(r"^\s*\(\s*(?:the\s+)?(?:co-?)?(creator|author|inventor|developer|maintainer)\s+of\s+$", re.I)
_COMPARISON = re.compile(r"\b(?:to|like|than|vs\.?|versus|from|unlike)\s+$", re.I)
_PRONOUN = re.compile(r"\b(?:he|she|they)\s+(?:also\s+)?$", re.I)
_POSSESSIVE_GAP = re.compile(r"^(?:'s|’s)\s+(?:(?:first|new|latest|own|open[- ]source|next[- ]generation)\s+)*$")
_PANEL = re.compile(r"\bpanel(?:ists?)?\b.*\b(?:made up of|consist(?:s|ed)? of|includ(?:ed|es|ing)|featur(?:ed|es|ing)|"
                    r"with|were|was)\b", re.I)
_MODERATED = re.compile(r"\bmoderated by\s+$|\bmoderator\b[^.]*,\s*$", re.I)
_MODERATOR_AFTER = re.compile(r"^\W*\(?\s*(?:the\s+)?\W*moderator\b", re.I)
_CODE = re.compile(r"\bcode\s*:\s*", re.I)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "g.co/")
_SPEAKER_PROSE = re.compile(
    r"^\s+(?:is an?\s+(?:\w+\s+){0,3}speaker|gave|presented|delivered|talked|spoke|introduced|opened)\b", re.I
)


@dataclass(slots=True)
class RelationResult:
    relations: list[CandidateRelation] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


def _rel(s: Candidate, p: str, o: Candidate | None, start: int, end: int, rule: str, conf: float,
         value: str | None = None) -> CandidateRelation:
    return CandidateRelation(s, p, o, value, start, end, rule, conf)


def _sentence(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentences if s <= offset < e), (offset, offset))


def relation_candidates(section: Section, kept: list[Candidate], sentences: list[tuple[int, int]],
                        known: list[CandidateRelation] = ()) -> RelationResult:  # type: ignore[assignment]
    """Relations among the kept candidates of one section; ``known`` are the structural ones."""
    known = list(known)
    text = section.text
    out = RelationResult()
    ents = sorted((c for c in kept if c.type not in {"Talk", "Paper"}), key=lambda c: c.start)
    people = [c for c in ents if c.type == "Person"]
    orgs = [c for c in ents if c.type == "Organization"]
    artifacts = [c for c in ents if c.type == "Artifact"]
    papers = [c for c in kept if c.type == "Paper"]
    talks = [c for c in kept if c.type == "Talk" and dict(c.attrs).get("section") == str(section.index)]

    for p in people:
        for o in orgs:
            if o.start >= p.end and o.start - p.end <= 12 and _AFFIL_GAP.match(text[p.end:o.start]):
                if _sentence(sentences, p.start) == _sentence(sentences, o.start):
                    out.relations.append(_rel(p, "affiliation", o, p.start, o.end, RULE_AFFILIATION, 0.75))
            elif o.end <= p.start and p.start - o.end <= 3 and text[o.end:p.start].strip() in {"'s", "’s"}:
                out.relations.append(_rel(p, "affiliation", o, o.start, p.end, RULE_AFFILIATION, 0.7))
    for o in orgs:
        s0, s1 = _sentence(sentences, o.start)
        if _ROLE_OF.search(text[max(s0, o.start - 40):o.start]):
            in_sentence = [p for p in people if s0 <= p.start < s1]
            if len(in_sentence) == 1:
                p = in_sentence[0]
                out.relations.append(_rel(p, "affiliation", o, s0, s1, RULE_AFFILIATION, 0.6))

    _creators(text, sentences, people, orgs, artifacts, talks, known, out)
    _authors(text, papers, people, out)
    _panel_and_moderators(section, text, sentences, people, talks, out)
    _code(section, papers, out)
    _about(text, kept, talks, papers, out)
    return out


def _creators(text: str, sentences: list[tuple[int, int]], people: list[Candidate], orgs: list[Candidate],
              artifacts: list[Candidate], talks: list[Candidate], known: list[CandidateRelation],
              out: RelationResult) -> None:
    makers = sorted(people + orgs, key=lambda c: c.start)
    for a in artifacts:
        s0, s1 = _sentence(sentences, a.start)
        window = max(s0, a.start - 60)
        verbs = list(_CREATE_VERB.finditer(text, window, a.start))
        if verbs and not re.sub(r"\b(?:the|a|an)\b", "", text[verbs[-1].end():a.start]).strip(" ,:"):
            verb_start = verbs[-1].start()
            subj = [p for p in makers if s0 <= p.start and p.end <= verb_start and verb_start - p.end <= 3]
            if subj:
                out.relations.append(_rel(a, "creator", subj[-1], subj[-1].start, a.end, RULE_CREATOR, 0.75))
            elif _PRONOUN.search(text[s0:verb_start]):
                speaker = _section_speaker(talks, known) or next((p for p in reversed(people) if p.end <= s0), None)
                if speaker is not None:
                    out.relations.append(_rel(a, "creator", speaker, s0, s1, RULE_CREATOR, 0.6))
        # "ORG's first ARTIFACT"
        for o in orgs:
            if o.end <= a.start and _POSSESSIVE_GAP.match(text[o.end:a.start]):
                out.relations.append(_rel(a, "developer", o, o.start, a.end, RULE_CREATOR, 0.7))
        # "PERSON (creator of ARTIFACT)"
        for p in people:
            if p.end <= a.start and _ROLE_PAREN.match(text[p.end:a.start]):
                out.relations.append(_rel(a, "creator", p, p.start, a.end, RULE_CREATOR, 0.85))
    # "... built by ORG": the artifact before it in the sentence, else the section's main artifact
    counts = Counter(text[a.start:a.end] for a in artifacts)
    for maker in makers:
        s0, s1 = _sentence(sentences, maker.start)
        if not _BY.search(text[max(s0, maker.start - 30):maker.start]):
            continue
        before = [a for a in artifacts if s0 <= a.start and a.end <= maker.start
                  and not _COMPARISON.search(text[max(s0, a.start - 12):a.start])]
        pred = "developer" if maker.type == "Organization" else "creator"
        if before:
            out.relations.append(_rel(before[-1], pred, maker, s0, s1, RULE_CREATOR, 0.7))
        elif counts:
            main, n = counts.most_common(1)[0]
            target = next(a for a in artifacts if text[a.start:a.end] == main)
            if n >= 2:
                out.relations.append(_rel(target, pred, maker, s0, s1, RULE_CREATOR, 0.55))


def _section_speaker(talks: list[Candidate], known: list[CandidateRelation]) -> Candidate | None:
    """The one speaker of the talk this section covers, whom "he" or "she" most likely means."""
    speakers = {(r.obj.start, r.obj.end): r.obj for r in known
                if r.predicate == "speaker" and r.obj is not None and r.subject in talks}
    return next(iter(speakers.values())) if len(speakers) == 1 else None


def _authors(text: str, papers: list[Candidate], people: list[Candidate], out: RelationResult) -> None:
    """“Title” (Surname et al. 2016) and Title (Surname and Other, 2016): the cited authors."""
    for paper in papers:
        tail = text[paper.end:paper.end + 80]
        m = re.match(r"^[”\"’']?\s*\(", tail)
        if not m:
            continue
        close = tail.find(")")
        if close < 0:
            continue
        for p in people:
            if paper.end + m.end() <= p.start and p.end <= paper.end + close:
                out.relations.append(_rel(paper, "author", p, paper.start, paper.end + close + 1, RULE_AUTHOR, 0.8))


def _panel_and_moderators(section: Section, text: str, sentences: list[tuple[int, int]], people: list[Candidate],
                          talks: list[Candidate], out: RelationResult) -> None:
    session: Candidate | None = talks[0] if talks else None

    def the_session(kind: str) -> Candidate | None:
        nonlocal session
        if session is None and section.blocks and section.blocks[0].kind == "heading":
            b = section.blocks[0]
            label = re.sub(r"\s*\([^()]*\)\s*$", "", text[b.start:b.end]).strip()  # "Topic (morning)"
            if label:
                session = Candidate(b.start, b.start + len(label), "Talk", 0.6, RULE_MODERATOR, PRIORITY_STRUCTURE,
                                    None, (("kind", kind), ("section", str(section.index))))
                out.candidates.append(session)
        return session

    panel = next((t for t in talks if dict(t.attrs).get("kind") == "panel"), None)
    if panel is not None:
        # "- Ada Byron (role), Alan Turing (role)": the first line that starts with a name lists the panel
        for block in section.blocks[1:4]:
            names = [p for p in people if block.start <= p.start < block.end]
            if names and not text[block.start:names[0].start].strip(" -*•"):
                for p in names:
                    out.relations.append(_rel(panel, "panelist", p, block.start, block.end, RULE_PANEL, 0.7))
                break

    for s0, s1 in sentences:
        sentence = text[s0:s1]
        inside = [p for p in people if s0 <= p.start < s1]
        moderators = [p for p in inside if _MODERATED.search(text[max(s0, p.start - 60):p.start])
                      or _MODERATOR_AFTER.match(text[p.end:s1]) or _MODERATOR_AFTER.match(_after_org(text, p, s1))]
        if inside and _PANEL.search(sentence):
            talk = the_session("panel")
            if talk is not None:
                for p in inside:
                    if p not in moderators:
                        out.relations.append(_rel(talk, "panelist", p, s0, s1, RULE_PANEL, 0.75))
        for p in moderators:
            talk = the_session("session")
            if talk is not None:
                out.relations.append(_rel(talk, "moderator", p, s0, s1, RULE_MODERATOR, 0.75))
        for p in inside:
            if talks and _SPEAKER_PROSE.match(text[p.end:s1]):
                out.relations.append(_rel(talks[0], "speaker", p, s0, s1, RULE_SPEAKER_PROSE, 0.6))


def _after_org(text: str, p: Candidate, s1: int) -> str:
    """Text after "X from ORG" so that "X from ORG (the moderator)" is read as "X (the moderator)"."""
    m = re.match(r"^\s+(?:from|at)\s+[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*", text[p.end:s1])
    return text[p.end + m.end():s1] if m else ""


def _code(section: Section, papers: list[Candidate], out: RelationResult) -> None:
    """"Code: URL" (or a code-host link) in a paper's section: the paper's code repository."""
    if not papers:
        return
    text = section.text
    for link in section.links:
        url = link.url
        line_start = text.rfind("\n", 0, link.start) + 1
        labelled = bool(_CODE.search(text[line_start:link.start]))
        if not labelled and not any(h in url for h in _CODE_HOSTS):
            continue
        before = [p for p in papers if p.end <= link.start] or papers
        paper = before[-1]
        out.relations.append(_rel(paper, "codeRepository", None, line_start, max(link.end, link.start),
                                  RULE_CODE, 0.8 if labelled else 0.6, value=url))


def _about(text: str, kept: list[Candidate], talks: list[Candidate], papers: list[Candidate],
           out: RelationResult) -> None:
    """Topics named in a talk's or paper's title are what it is about."""
    topics = [c for c in kept if c.type == "Topic"]
    for container in talks + papers:
        for t in topics:
            if container.start <= t.start and t.end <= container.end:
                out.relations.append(_rel(container, "about", t, container.start, container.end, RULE_ABOUT, 0.8))
