"""Rules over the structure of notes: talk headings, invited talks, paper links and paper lists.

Notes say the most in their shape: "Title - Speaker, Org" headings, "Invited Talk by X: Title"
lines, list items that link to arXiv, paper titles standing alone under a "Session" heading.
These rules read ``Section.blocks`` and ``Section.links`` and return candidates together with
the relations the shape states (speaker, affiliation, creator), each with its evidence span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from confkg.extract.candidates import PRIORITY_STRUCTURE, Candidate
from confkg.extract.names import looks_like_org, looks_like_person, title_case_ratio, trim_span
from confkg.extract.text_rules import ARXIV_ID
from confkg.model import Block, Section

RULE_TALK = "rule:talk-heading.v1"
RULE_INVITED = "rule:invited-talk.v1"
RULE_SPEAKER_HEADING = "rule:speaker-heading.v1"
RULE_PAPER_LINK = "rule:paper-link.v1"
RULE_PAPER_LIST = "rule:paper-list-item.v1"
RULE_SESSION_PAPER = "rule:session-paper-heading.v1"
RULE_SESSION = "rule:session-heading.v1"
RULE_PAPER_VENUE = "rule:paper-with-venue.v1"
# "Deep information propagation, ICLR 2017." / "Some title, under review": a reading-list entry
_VENUE_TAIL = re.compile(
    r"^(?P<title>[A-Z][^,\n]{8,200}?),\s*(?:(?:[A-Z][A-Za-z]*\s+)?[A-Z]{2,}[A-Za-z]*\s*['‘’]?(?:19|20)?\d{2}"
    r"|under review|arXiv(?: preprint)?[^,]*|preprint)\.?\s*$"
)
RULE_TUTORIAL = "rule:tutorial-heading.v1"

PAPER_HOSTS = (
    "arxiv.org", "papers.nips.cc", "proceedings.neurips.cc", "openreview.net", "proceedings.mlr.press",
    "aclweb.org", "aclanthology.org", "doi.org", "dl.acm.org", "ieeexplore.ieee.org", "biorxiv.org",
    "semanticscholar.org", "jmlr.org", "openaccess.thecvf.com", "ojs.aaai.org", "ijcai.org",
)
_GENERIC_ANCHORS = frozenset({"paper", "here", "link", "pdf", "arxiv", "this paper", "the paper", "slides", "code",
                              "video", "blog", "blog post", "source", "website", "project page", "this"})
_DASH_SPLIT = re.compile(r"\s+[-–—]\s+")
_INVITED = re.compile(
    r"^(?P<kind>invited talk|keynote(?: talk)?|tutorial|talk|plenary(?: talk)?)"
    r"(?:\s+by\s+(?P<by>[^:–—]+?))?\s*(?:[:–—]|\s-\s)\s*(?P<rest>.+?)\.?$",
    re.I,
)
_SESSION = re.compile(r"^(?:session|track)\s+\w+\b", re.I)
_DAY = re.compile(r"^(?:day\s+\w+|invited talk|keynote|workshops?|tutorials?|posters?)\b", re.I)
_PANEL = re.compile(r"^(?:panel(?: discussion)?|fireside chat|q\s*&\s*a)$", re.I)
_PAREN = re.compile(r"\s*\((?P<inner>[^()]*)\)")
_CREATOR = re.compile(r"^(?:the\s+)?(?:co-?)?(?:creator|author|inventor|founder|maintainer)\s+of\s+(?P<what>.+)$", re.I)
_TEAM = re.compile(r"\s+(?:team|group|folks|people)$", re.I)


@dataclass(frozen=True, slots=True)
class CandidateRelation:
    """A relation between two candidates of the same section (or a candidate and a literal)."""

    subject: Candidate
    predicate: str
    obj: Candidate | None
    value: str | None
    start: int
    end: int
    extractor: str
    confidence: float


@dataclass(slots=True)
class StructureResult:
    candidates: list[Candidate] = field(default_factory=list)
    relations: list[CandidateRelation] = field(default_factory=list)


def is_paper_url(url: str) -> bool:
    host = urlparse(url if "://" in url else f"http://{url}").netloc.lower()
    return any(host == h or host.endswith("." + h) for h in PAPER_HOSTS)


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    return trim_span(text, start, end)


def _cand(text: str, start: int, end: int, type_: str, score: float, rule: str,
          canonical: str | None = None, attrs: tuple[tuple[str, str], ...] = ()) -> Candidate | None:
    s, e = _span(text, start, end)
    if e <= s:
        return None
    return Candidate(s, e, type_, score, rule, PRIORITY_STRUCTURE, canonical, attrs)


def _speakers(text: str, start: int, end: int, rule: str, block_end: int,
              talk: Candidate, out: StructureResult, *, require_full: bool = True) -> bool:
    """Parse "A & B Team, Org (creator of X)" into speaker, affiliation and creator facts."""
    segment = text[start:end]
    creators: list[tuple[int, int]] = []
    for m in _PAREN.finditer(segment):
        inner = m.group("inner")
        cm = _CREATOR.match(inner)
        if cm:
            w0 = start + m.start("inner") + cm.start("what")
            creators.append((w0, w0 + len(cm.group("what"))))
    clean = _PAREN.sub(lambda m: " " * len(m.group()), segment)
    orig_text, text = text, text[:start] + clean + text[end:]  # parentheticals blanked, offsets kept
    parts = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^,;]+", clean)]
    if not parts:
        return False
    first_s, first_e = parts[0]
    people: list[Candidate] = []
    orgs: list[Candidate] = []
    for m in re.finditer(r"[^&]+|(?<=&)", text[first_s:first_e]):
        for piece in re.split(r"\s+and\s+", m.group()):
            if not piece.strip():
                continue
            ps = first_s + m.start() + m.group().index(piece)
            s, e = _span(text, ps, ps + len(piece))
            name = text[s:e]
            team = _TEAM.search(name)
            if team and looks_like_org(name[: team.start()]):
                c = _cand(text, s, s + team.start(), "Organization", 0.8, rule)
                if c:
                    orgs.append(c)
            elif looks_like_person(name) and (len(name.split()) >= 2 or not require_full):
                c = _cand(text, s, e, "Person", 0.9, rule)
                if c:
                    people.append(c)
            else:
                return False
    if not people:
        return False
    for s0, e0 in parts[1:]:
        s, e = _span(text, s0, e0)
        name = text[s:e]
        if looks_like_org(name) and not looks_like_person(name):
            c = _cand(text, s, e, "Organization", 0.8, rule)
            if c:
                orgs.append(c)
    out.candidates.extend(people + orgs)
    for p in people:
        out.relations.append(CandidateRelation(talk, "speaker", p, None, talk.start, block_end, rule, 0.9))
        for o in orgs:
            out.relations.append(CandidateRelation(p, "affiliation", o, None, talk.start, block_end, rule, 0.8))
    for s0, e0 in creators:
        what = _cand(orig_text, s0, e0, "Artifact", 0.8, rule)
        if what and len(people) == 1:
            out.candidates.append(what)
            out.relations.append(CandidateRelation(what, "creator", people[0], None, talk.start, block_end,
                                                   rule, 0.85))
    return True


def _short_name(text: str) -> bool:
    return looks_like_person(text) and 2 <= len(text.split()) <= 3


def _talk_line(text: str, block: Block, section_index: int, out: StructureResult) -> bool:
    """A heading, list item or line that names a talk; returns True when it did."""
    s, e = _span(text, block.start, block.end)
    line = text[s:e]
    if not line or "\n" in line or len(line) > 240:
        return False
    covered = (("section", str(section_index)),) if block.kind == "heading" else ()
    m = _INVITED.match(line)
    if m:
        kind = m.group("kind").lower()
        if kind.startswith("keynote"):
            kind = "keynote"
        rest_s, rest_e = s + m.start("rest"), s + m.end("rest")
        rest = m.group("rest")
        if m.group("by"):
            talk = _cand(text, rest_s, rest_e, "Talk", 0.9, RULE_INVITED, attrs=(("kind", kind),) + covered)
            if talk and _speakers(text, s + m.start("by"), s + m.end("by"), RULE_INVITED, e, talk, out,
                                  require_full=False):
                out.candidates.append(talk)
                return True
            return False
        if looks_like_person(rest) and len(rest.split()) >= 2:
            label = f"{m.group('kind').title()}: {rest}"
            talk = Candidate(s, e, "Talk", 0.8, RULE_INVITED, PRIORITY_STRUCTURE, label,
                             (("kind", kind), ("untitled", "true")) + covered)
            if _speakers(text, rest_s, rest_e, RULE_INVITED, e, talk, out):
                out.candidates.append(talk)
                return True
        comma = rest.rfind(",")
        if comma > 0 and looks_like_person(rest[comma + 1:].strip()):
            talk = _cand(text, rest_s, rest_s + comma, "Talk", 0.85, RULE_INVITED, attrs=(("kind", kind),) + covered)
            if talk and _speakers(text, rest_s + comma + 1, rest_e, RULE_INVITED, e, talk, out):
                out.candidates.append(talk)
                return True
        talk = _cand(text, rest_s, rest_e, "Talk", 0.75, RULE_INVITED, attrs=(("kind", kind),) + covered)
        if talk:
            out.candidates.append(talk)
            return True
        return False
    if _SESSION.match(line):
        if block.kind == "heading" and _DASH_SPLIT.search(line) or ":" in line:
            out.candidates.append(Candidate(s, e, "Talk", 0.8, RULE_SESSION, PRIORITY_STRUCTURE, None,
                                            (("kind", "session"),) + covered))
            return True
        return False
    dashes = list(_DASH_SPLIT.finditer(line))
    for d in reversed(dashes):
        title = line[: d.start()].strip()
        rest = line[d.end():].strip()
        if not _title_like(title, min_words=2) and not _short_name(title):
            continue  # "Worrying about X is like worrying about Y - Someone" is a quote, not a talk
        if _PANEL.match(rest.rstrip(" *")):
            talk = _cand(text, s, s + d.start(), "Talk", 0.85, RULE_TALK, attrs=(("kind", "panel"),) + covered)
            if talk:
                out.candidates.append(talk)
                return True
            continue
        talk = _cand(text, s, s + d.start(), "Talk", 0.9, RULE_TALK, attrs=(("kind", "talk"),) + covered)
        if talk and _speakers(text, s + d.end(), e, RULE_TALK, e, talk, out):
            out.candidates.append(talk)
            return True
        if _short_name(title) and len(rest.split()) >= 2:
            # "Speaker - Title": the name comes first
            talk = _cand(text, s + d.end(), e, "Talk", 0.85, RULE_TALK, attrs=(("kind", "talk"),) + covered)
            if talk and _speakers(text, s, s + d.start(), RULE_TALK, e, talk, out):
                out.candidates.append(talk)
                return True
    return False


def talk_candidates(section: Section, *, plain_text: bool,
                    person_spans: list[tuple[int, int]] | None = None) -> StructureResult:
    """Talks named by headings, list items and lines of a section.

    A heading that is only a name counts as a speaker's talk in plain-text notes; when the
    model's person spans are given, the name must be one of them.
    """
    out = StructureResult()
    text = section.text
    for block in section.blocks:
        if block.kind == "list_item" and block.depth > 1:
            continue
        if _talk_line(text, block, section.index, out):
            continue
        if block.kind == "heading" and plain_text:
            s, e = _span(text, block.start, block.end)
            name = text[s:e]
            is_person = person_spans is None or any(a <= s and e <= b for a, b in person_spans)
            if looks_like_person(name) and 2 <= len(name.split()) <= 3 and is_person:
                talk = Candidate(s, e, "Talk", 0.7, RULE_SPEAKER_HEADING, PRIORITY_STRUCTURE, f"Talk by {name}",
                                 (("kind", "talk"), ("untitled", "true"), ("section", str(section.index))))
                person = Candidate(s, e, "Person", 0.8, RULE_SPEAKER_HEADING, PRIORITY_STRUCTURE)
                out.candidates += [talk, person]
                out.relations.append(CandidateRelation(talk, "speaker", person, None, s, e, RULE_SPEAKER_HEADING, 0.7))
    return out


def _paper_attrs(url: str) -> tuple[tuple[str, str], ...]:
    attrs: tuple[tuple[str, str], ...] = (("url", url),)
    m = ARXIV_ID.search(url)
    if m:
        attrs += (("arxiv", m.group("id")),)
    return attrs


def _title_like(title: str, *, min_words: int = 3, min_ratio: float = 0.5) -> bool:
    words = title.split()
    if not min_words <= len(words) <= 25 or not title[0].isupper():
        return False
    if re.search(r"[.!;?]\s", title) or title.endswith((".", ",")) or re.search(r"\b(?:I|I'm|my|we)\b", title):
        return False
    return title_case_ratio(title) >= min_ratio or ":" in title


def _block_of(section: Section, offset: int) -> Block | None:
    for b in section.blocks:
        if b.start <= offset <= b.end:
            return b
    return None


def paper_candidates(section: Section, *, in_session: bool) -> StructureResult:
    """Papers: linked titles, titles before a bare paper URL, title-like items of paper lists."""
    out = StructureResult()
    text = section.text
    linked_blocks: set[int] = set()
    for link in section.links:
        if not is_paper_url(link.url):
            continue
        block = _block_of(section, link.start)
        if link.end > link.start:
            anchor = text[link.start:link.end].strip()
            if anchor.casefold() in _GENERIC_ANCHORS or len(anchor.split()) < 2:
                continue
            c = _cand(text, link.start, link.end, "Paper", 0.9, RULE_PAPER_LINK, attrs=_paper_attrs(link.url))
        elif block is not None:
            head = text[block.start:link.start]
            d = _DASH_SPLIT.search(head)
            cut = block.start + (d.start() if d else len(head))
            c = _cand(text, block.start, cut, "Paper", 0.8, RULE_PAPER_LINK, attrs=_paper_attrs(link.url))
            short = c is not None and len(text[c.start:c.end].split()) <= 10
            if c and not _title_like(text[c.start:c.end], min_words=2, min_ratio=0.0 if short else 0.5):
                c = None
        else:
            c = None
        if c:
            out.candidates.append(c)
            if block is not None:
                linked_blocks.add(block.start)
    if len(linked_blocks) >= 2:
        for block in section.blocks:
            if block.kind != "list_item" or block.start in linked_blocks:
                continue
            line = text[block.start:block.end]
            d = _DASH_SPLIT.search(line)
            title_end = block.start + (d.start() if d else len(line))
            paren = _PAREN.search(text, block.start, title_end)
            if paren and paren.end() >= title_end - 1:
                title_end = paren.start()  # "Bayesian Layers (Author Name)"
            s, e = _span(text, block.start, title_end)
            title = text[s:e]
            if e > s and _title_like(title, min_words=2 if paren else 3):
                paper = Candidate(s, e, "Paper", 0.6, RULE_PAPER_LIST, PRIORITY_STRUCTURE)
                out.candidates.append(paper)
                if paren:
                    who = _cand(text, paren.start("inner") - 0, paren.end("inner"), "Person", 0.6, RULE_PAPER_LIST)
                    if who and looks_like_person(text[who.start:who.end]) and len(text[who.start:who.end].split()) > 1:
                        out.candidates.append(who)
                        out.relations.append(CandidateRelation(paper, "author", who, None, block.start, block.end,
                                                               RULE_PAPER_LIST, 0.6))
    if in_session:
        for block in section.blocks:
            if block.kind != "heading":
                continue
            s, e = _span(text, block.start, block.end)
            title = text[s:e]
            # under a session heading a standing-alone line is a paper title, even in sentence case
            if _title_like(title, min_words=2, min_ratio=0.0) and not _SESSION.match(title) \
                    and not _DAY.match(title) and not _DASH_SPLIT.search(title):
                out.candidates.append(Candidate(s, e, "Paper", 0.75, RULE_SESSION_PAPER, PRIORITY_STRUCTURE))
    for block in section.blocks:
        if block.kind not in {"list_item", "line", "paragraph"}:
            continue
        m = _VENUE_TAIL.match(text[block.start:block.end])
        if m and _title_like(m.group("title"), min_words=2, min_ratio=0.0):
            s = block.start + m.start("title")
            out.candidates.append(Candidate(s, s + len(m.group("title")), "Paper", 0.8, RULE_PAPER_VENUE,
                                            PRIORITY_STRUCTURE))
    return out


def session_state(section: Section, in_session: bool) -> bool:
    """Whether the headings of the *next* sections stand under a "Session ..." heading."""
    if section.heading is None:
        return in_session
    heading = section.heading.strip()
    if _SESSION.match(heading):
        return True
    if _DAY.match(heading):
        return False
    return in_session


def is_session_heading(section: Section) -> bool:
    return bool(section.heading and _SESSION.match(section.heading.strip()))


_DAY_KIND = re.compile(r"^day\s+\w+\s*[-–—:]\s*(?P<kind>tutorials?|workshops?|posters?)\b", re.I)


def day_kind(section: Section, current: str | None) -> str | None:
    """"Day 1 - Tutorials": the kind of the talks whose headings follow, until the next day heading."""
    if section.heading is None:
        return current
    heading = section.heading.strip()
    m = _DAY_KIND.match(heading)
    if m:
        return m.group("kind").lower().rstrip("s")
    if re.match(r"^day\s+\w+", heading, re.I):
        return None
    return current


def tutorial_candidate(section: Section) -> Candidate | None:
    """A title-like heading under a "Tutorials" day heading is a tutorial."""
    if not section.blocks or section.blocks[0].kind != "heading":
        return None
    b = section.blocks[0]
    s, e = _span(section.text, b.start, b.end)
    title = section.text[s:e]
    if not _title_like(title, min_words=2) or _DAY.match(title):
        return None
    return Candidate(s, e, "Talk", 0.7, RULE_TUTORIAL, PRIORITY_STRUCTURE, None,
                     (("kind", "tutorial"), ("section", str(section.index))))
