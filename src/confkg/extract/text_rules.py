"""Rules over the words of a section: events with years, citations, identifiers, name shapes.

Each rule is a pure function ``(text, ...) -> list[Candidate]`` over a section's clean text,
so it can be tested on sentences of any origin with parametrised ``(text, expected)`` tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from confkg.extract.candidates import PRIORITY_RULE, PRIORITY_SHAPE, Candidate
from confkg.extract.names import title_case_ratio
from confkg.model import line_bounds

RULE_EVENT = "rule:event-year.v1"
RULE_WORKSHOP = "rule:workshop-name.v1"
RULE_NAMED_EVENT = "rule:named-event.v1"
RULE_CITATION = "rule:citation.v1"
RULE_SHAPE = "rule:artifact-shape.v1"
RULE_QUOTED_TITLE = "rule:quoted-paper-title.v1"
RULE_ARXIV = "rule:arxiv-id.v1"

_YEAR = r"(?:\s*(?P<apos>['‘’`])?(?P<year>(?:19|20)\d{2}|\d{2})\b)?"
ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arXiv:\s?)(?P<id>\d{4}\.\d{4,5})(?:v\d+)?", re.I)


@dataclass(frozen=True, slots=True)
class EventName:
    """A surface form of an event series and the canonical series name it stands for."""

    surface: str
    canonical: str
    kind: str
    case_sensitive: bool


def full_year(digits: str, apostrophe: bool) -> str | None:
    """'2017' -> '2017'; "'93" -> '1993'; "‘16" -> '2016'; a bare two-digit number is no year."""
    if len(digits) == 4:
        return digits
    if not apostrophe:
        return None
    n = int(digits)
    return str(2000 + n if n < 50 else 1900 + n)


@lru_cache(maxsize=8)
def _event_regex(names: tuple[EventName, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    def alternation(items: Iterable[EventName]) -> str:
        forms = sorted({re.escape(n.surface) for n in items}, key=lambda s: (-len(s), s))
        return "|".join(forms) or r"(?!x)x"

    exact = [n for n in names if n.case_sensitive]
    loose = [n for n in names if not n.case_sensitive]
    pre = r"(?:(?P<pre>(?:19|20)\d{2})\s+)?"
    post = r"(?P<word>\s+(?:[Cc]onferences?|[Ss]ymposi(?:um|a)))?"
    pat_exact = re.compile(rf"(?<![\w-]){pre}(?P<name>{alternation(exact)}){_YEAR}{post}(?![\w-])")
    pat_loose = re.compile(rf"(?<![\w-]){pre}(?P<name>{alternation(loose)}){_YEAR}{post}(?![\w-])", re.I)
    return pat_exact, pat_loose


def event_candidates(text: str, names: tuple[EventName, ...]) -> list[Candidate]:
    """Conference series names, with the edition year when one follows ("ICML 2017", "NIPS ‘93")."""
    by_surface = {n.surface: n for n in names}
    by_lower = {n.surface.casefold(): n for n in names if not n.case_sensitive}
    out: list[Candidate] = []
    for pat in _event_regex(names):
        for m in pat.finditer(text):
            surface = m.group("name")
            name = by_surface.get(surface) or by_lower.get(surface.casefold())
            if name is None:
                continue
            year = full_year(m.group("year"), bool(m.group("apos"))) if m.group("year") else None
            if year is None and m.group("pre"):
                year = m.group("pre")  # "the 1987 ICCV"
            end = m.end("year") if year and m.group("year") else m.end("name")
            if m.group("word"):
                end = m.end("word")  # "the KDD Conference", "LREC conference"
            attrs: tuple[tuple[str, str], ...] = (("series", name.canonical), ("kind", name.kind))
            canonical = name.canonical
            if year:
                attrs += (("year", year),)
                canonical = f"{name.canonical} {year}"
            start = m.start() if m.group("pre") and year == m.group("pre") else m.start("name")
            out.append(Candidate(start, end, "Event", 0.95 if year else 0.9, RULE_EVENT,
                                 PRIORITY_RULE, canonical, attrs))
    return out


_WORKSHOP = re.compile(
    r"(?P<name>(?:[A-Z][\w'’\-]*|of|on|for|in|the|and|to|with|at)(?:\s+(?:[A-Z][\w'’\-]*|of|on|for|in|the|and|to|with|at|\d+))*?)"
    r"(?:\s+\((?P<acr>[A-Z][A-Za-z]{1,9})\))?\s+(?P<word>[Ww]orkshop|[Cc]onference|[Ss]ymposium)\b"
)
_WORKSHOP_ON = re.compile(
    r"\b[Ww]orkshop\s+on\s+(?P<name>[A-Z][\w'’\-]*(?:\s+(?:[A-Z][\w'’\-]*|of|on|for|in|the|and|to|with))*)"
)
_SMALL = {"of", "on", "for", "in", "the", "and", "to", "with", "at"}


def _trim_small_words(text: str, start: int, end: int) -> tuple[int, int]:
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group().casefold() in _SMALL | {"a", "an", "this", "that"}:
        words.pop(0)
    while words and words[-1].group().casefold() in _SMALL:
        words.pop()
    if not words:
        return start, start
    return start + words[0].start(), start + words[-1].end()


_NAMED_EVENT = re.compile(
    r"(?<![\w-])(?P<name>(?:(?:19|20)\d{2}\s+)?(?:[A-Z][\w\-]*\s+){0,5}"
    r"(?:Conference|Symposium|Congress|Summit|Workshop)"
    r"(?:\s+(?:on|of|for)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|and|of|for))*)?)"
)


def named_event_candidates(text: str) -> list[Candidate]:
    """Names built on an event word: "International Conference on Learning Representations"."""
    out: list[Candidate] = []
    for m in _NAMED_EVENT.finditer(text):
        s, e = _trim_small_words(text, m.start("name"), m.end("name"))
        name = text[s:e]
        words = name.split()
        if words and words[0] in {"The", "This", "A", "An", "Our", "Each"}:
            s += len(words[0]) + 1
            words = words[1:]
        capitalised = [w for w in words if w[0].isupper()]
        if len(capitalised) < 2 or words[-1] in {"Conference", "Symposium", "Congress", "Summit", "Workshop"} \
                and len(capitalised) < 3:
            continue
        out.append(Candidate(s, e, "Event", 0.7, RULE_NAMED_EVENT, PRIORITY_RULE, None,
                             (("kind", "workshop" if "Workshop" in words else "conference"),)))
    return out


def workshop_candidates(text: str) -> list[Candidate]:
    """Named workshops: "Reliable Machine Learning in the World workshop", "Workshop on Deep RL"."""
    out: list[Candidate] = []
    for pat in (_WORKSHOP, _WORKSHOP_ON):
        for m in pat.finditer(text):
            s, e = _trim_small_words(text, m.start("name"), m.end("name"))
            name = text[s:e]
            words = name.split()
            if len(words) < 2 or sum(1 for w in words if w[0].isupper()) < 2:
                continue
            if words[0] in {"The", "A", "An", "This", "Only", "Our"}:
                continue
            kind = "workshop" if "orkshop" in (m.groupdict().get("word") or "workshop") else "conference"
            out.append(Candidate(s, e, "Event", 0.75, RULE_WORKSHOP, PRIORITY_RULE, name, (("kind", kind),)))
    return out


_SURNAME = r"[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+)?"
_ET_AL = re.compile(rf"(?<![\w-])(?P<name>{_SURNAME})\s+et\.?\s*al\b\.?")
_PAIR = re.compile(
    r"(?<![\w-])(?P<a>[A-Z][a-zA-Z'’\-]+)(?:\s+(?:and|&)\s+|\s*,\s*)(?P<b>[A-Z][a-zA-Z'’\-]+)\s*,?\s*\(?"
    r"(?:19|20)\d{2}\b"
)
_NOT_NAMES = frozenset({"The", "This", "That", "These", "Those", "See", "In", "And", "Also", "Our", "Their"})


def citation_candidates(text: str) -> list[Candidate]:
    """Authors in citations: "Zhang et al.", "(Jetchev et al. 2016)", "Redondo and Morris (2010)"."""
    out: list[Candidate] = []
    for m in _ET_AL.finditer(text):
        name_start = m.start("name")
        words = m.group("name").split()
        while words and words[0] in _NOT_NAMES:
            name_start += len(words[0]) + 1
            words = words[1:]
        if words:
            out.append(Candidate(name_start, m.end("name"), "Person", 0.8, RULE_CITATION, PRIORITY_RULE))
    for m in _PAIR.finditer(text):
        for g in ("a", "b"):
            if m.group(g) not in _NOT_NAMES:
                out.append(Candidate(m.start(g), m.end(g), "Person", 0.7, RULE_CITATION, PRIORITY_RULE))
    return out


_SHAPE = re.compile(
    r"(?<![\w-])(?:"
    r"[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+[A-Z]*"          # CamelCase: HydraNet, ConvDraw, DeepLift
    r"|[A-Z]{2,}[a-z]+[A-Za-z]*"                      # RNNprop, LSTMs? (plural filtered below)
    r"|[A-Z][a-z]+[A-Z]{2,}[a-z0-9]*"                 # DiscoGAN, CycleGAN, LibSPN
    r"|[A-Za-z]*[A-Z][A-Za-z]*-\d+[A-Za-z]*"          # GPT-2, VQ-VAE2? CIFAR-10
    r"|[A-Z][A-Z0-9]*\d[A-Z0-9]*"                    # VQVAE2, T5, W2V
    r")(?:[-+][A-Za-z0-9]+)*(?![\w-])"
)
_SHAPE_STOP = re.compile(r"^(?:Mc|Mac|O')[A-Z]|^[A-Z]{2,}s$|^[A-Z]+ing$|^\d")


def shape_candidates(text: str) -> list[Candidate]:
    """Names shaped like models and systems (CamelCase, letters with digits): likely Artifacts."""
    out: list[Candidate] = []
    for m in _SHAPE.finditer(text):
        word = m.group()
        line_start, line_end = line_bounds(text, m.start(), m.end())
        if text[line_start:line_end].isupper():
            continue  # a line in capitals: every word looks like an acronym
        if _SHAPE_STOP.search(word) or len(word) < 3:
            continue
        out.append(Candidate(m.start(), m.end(), "Artifact", 0.55, RULE_SHAPE, PRIORITY_SHAPE))
    return out


_QUOTED = re.compile(r"[“\"](?P<title>[^”\"\n]{8,200}?)[”\"]")
_PAPER_CONTEXT = re.compile(r"\bpapers?\b|\bet\.?\s*al\b|\((?:[A-Z][\w\-]+[^()]{0,40})?(?:19|20)\d{2}\)", re.I)


def quoted_title_candidates(text: str, sentences: list[tuple[int, int]]) -> list[Candidate]:
    """Quoted, title-cased phrases in a sentence that speaks of papers: “Texture Synthesis with GANs”."""
    out: list[Candidate] = []
    for m in _QUOTED.finditer(text):
        title = m.group("title").strip()
        if len(title.split()) < 3 or title_case_ratio(title) < 0.6:
            continue
        sent = next(((s, e) for s, e in sentences if s <= m.start() < e), (m.start(), m.end()))
        if not _PAPER_CONTEXT.search(text[sent[0]:sent[1]]):
            continue
        s = m.start("title") + (len(m.group("title")) - len(m.group("title").lstrip()))
        out.append(Candidate(s, s + len(title), "Paper", 0.7, RULE_QUOTED_TITLE, PRIORITY_RULE, title))
    return out


_CITED_TITLE = re.compile(
    r"(?P<title>[A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|of|for|with|in|on|and|the|to|via|by|a|an)){1,12}?)"
    r"\s*\((?:[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et\.?\s*al\.?)?,?\s*(?:19|20)\d{2})\)"
)
RULE_CITED_TITLE = "rule:cited-title.v1"


def cited_title_candidates(text: str) -> list[Candidate]:
    """A title-cased name right before a citation is the cited paper: "Matching Network (Vinyals et al. 2016)"."""
    out: list[Candidate] = []
    for m in _CITED_TITLE.finditer(text):
        title = m.group("title")
        words = title.split()
        while words and words[0] in {"The", "A", "An", "In", "See", "Related", "Also"}:
            words = words[1:]
        if len(words) < 2 or title_case_ratio(" ".join(words)) < 0.6:
            continue
        start = m.start("title") + title.index(words[0])
        end = m.start("title") + len(title)
        out.append(Candidate(start, end, "Paper", 0.6, RULE_CITED_TITLE, PRIORITY_RULE, " ".join(words)))
    return out


def arxiv_ids(text: str) -> list[str]:
    """arXiv identifiers in a URL or an ``arXiv:`` reference, in order of appearance."""
    return [m.group("id") for m in ARXIV_ID.finditer(text)]


_ACRONYM_DEF = re.compile(
    r"(?P<exp>(?:[A-Za-z][\w\-]*\s+){1,7}?[A-Za-z][\w\-]*)\s*\(\s*(?P<acr>[A-Z][A-Za-z]{1,9})\s*\)"
)
_ACR_STOP = {"of", "the", "and", "for", "in", "on", "a", "an", "to", "with", "by"}


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """ "Automatic Domain Randomization (ADR)": the expansion's span and the acronym."""

    start: int
    end: int
    acronym: str


def acronym_definitions(text: str) -> list[AcronymDefinition]:
    """Acronyms defined in the text, when their letters are the initials of the words before them."""
    out: list[AcronymDefinition] = []
    for m in _ACRONYM_DEF.finditer(text):
        acr = m.group("acr")
        letters = [ch for ch in acr if ch.isupper()]
        words = m.group("exp").split()
        picked: list[str] = []
        for k in range(1, len(words) + 1):  # the fewest words from the end whose initials spell it
            cand = words[-k:]
            if cand[0].casefold() in _ACR_STOP:
                continue
            content = [w for w in cand if w.casefold() not in _ACR_STOP]
            initials = [w[0].upper() for w in content]
            expanded = [p[0].upper() for w in content for p in w.split("-") if p]
            # "Variational Ladder Autoencoder (VLAE)": one more letter from inside the last word
            inside = len(letters) == len(initials) + 1 and letters[:-1] == initials \
                and letters[-1].lower() in content[-1][1:].lower()
            if letters in (initials, expanded) or inside:
                picked = cand
                break
        if not picked:
            continue
        exp_text = " ".join(picked)
        start = m.start("exp") + m.group("exp").rfind(exp_text) if exp_text in m.group("exp") else -1
        if start < 0:
            continue
        out.append(AcronymDefinition(start, start + len(exp_text), acr))
    return out


RULE_COORDINATED = "rule:coordinated-name.v1"
_COORD = re.compile(r"^\s+(?:and|&)\s+(?P<name>[A-Z][a-z][\w'’\-]*)\b")
_COORD_BEFORE = re.compile(r"(?<![\w-])(?P<name>[A-Z][a-z][\w'’\-]*)\s+(?:and|&)\s+$")


def coordinated_person_candidates(text: str, people: list[Candidate], common: frozenset[str]) -> list[Candidate]:
    """ "Oriol and Navdeep did ...": a lone capitalised word joined by "and" to a person is a person too."""
    out: list[Candidate] = []

    def lone(s: int, e: int) -> bool:
        """The word stands alone: no capitalised word right before or after it, no person over it."""
        prev = re.search(r"([A-Za-z][\w'’\-]*)\s+$", text[max(0, s - 30):s])
        nxt = re.match(r"^\s+([A-Za-z][\w'’\-]*)", text[e:e + 30])
        if prev and prev.group(1)[0].isupper() or nxt and nxt.group(1)[0].isupper():
            return False
        return not any(q.start < e and s < q.end for q in people)

    for p in people:
        after = _COORD.match(text[p.end:p.end + 40])
        if after and after.group("name").lower() not in common:
            s = p.end + after.start("name")
            e = s + len(after.group("name"))
            if lone(s, e):
                out.append(Candidate(s, e, "Person", 0.55, RULE_COORDINATED, PRIORITY_RULE))
        before = _COORD_BEFORE.search(text[max(0, p.start - 40):p.start])
        if before and before.group("name").lower() not in common:
            s = max(0, p.start - 40) + before.start("name")
            e = s + len(before.group("name"))
            if lone(s, e):
                out.append(Candidate(s, e, "Person", 0.55, RULE_COORDINATED, PRIORITY_RULE))
    return out
