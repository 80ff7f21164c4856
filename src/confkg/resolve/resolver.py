"""Mentions -> canonical entities: one node per real-world thing, across all notes.

Resolution runs in steps, each indexed by a normalised key so the cost stays linear:
1. each mention gets a name key (the gazetteer's or rule's canonical name, else its surface
   form without titles and possessives);
2. a name seen with several entity types gets one type, by evidence (gazetteer > rules > model,
   then summed confidence);
3. mentions with the same type and key become one entity (the find-or-create of
   ``sqlite-utils``' ``Table.lookup``);
4. a one-word person name ("Grace", "Hopper") joins the one full name that contains it, in
   the same note first, then across notes; never when two full names share the word;
5. an acronym defined in the text ("Automatic Domain Randomization (ADR)") joins its expansion.
Every merge records a reason, so ``confkg entities --explain`` can show why.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from confkg.extract.names import normalise, strip_title
from confkg.model import Entity, Mention

SETTLED_TYPES = frozenset({"Person", "Organization", "Artifact", "Topic", "Event"})
DEFAULT_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "sir", "dame"})


@dataclass
class Resolution:
    """Canonical entities, the entity of every mention, and why mentions were merged."""

    entities: list[Entity]
    entity_of: dict[tuple[str, int, int, str], str]
    reasons: dict[str, list[str]] = field(default_factory=dict)

    def by_key(self) -> dict[str, Entity]:
        return {e.key: e for e in self.entities}


def _evidence_rank(m: Mention) -> int:
    if m.extractor.startswith("gazetteer"):
        return 3
    if m.extractor.startswith("rule"):
        return 2
    return 1


def name_key(m: Mention, titles: frozenset[str] = DEFAULT_TITLES) -> str:
    """The key a mention is grouped by."""
    canonical = m.attr("canonical")
    if canonical:
        return normalise(canonical)
    surface = m.text
    if m.type == "Person":
        surface = strip_title(surface, titles)
    for suffix in ("'s", "’s"):
        if surface.endswith(suffix):
            surface = surface[: -len(suffix)]
    return normalise(surface)


def _settle_types(mentions: list[Mention], keys: dict[int, str], reasons: dict[str, list[str]]) -> list[Mention]:
    """Give every name one entity type, chosen by the strongest evidence."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    best_rank: dict[str, dict[str, int]] = defaultdict(dict)
    for i, m in enumerate(mentions):
        if m.type in SETTLED_TYPES:
            k = keys[i]
            votes[k][m.type] += round(m.score * 100)
            best_rank[k][m.type] = max(best_rank[k].get(m.type, 0), _evidence_rank(m))
    winner: dict[str, str] = {}
    for k, counter in votes.items():
        if len(counter) > 1:
            ranked = sorted(counter, key=lambda t: (-best_rank[k][t], -counter[t], t))
            winner[k] = ranked[0]
            evidence = {3: "gazetteer", 2: "rule", 1: "model"}[best_rank[k][ranked[0]]]
            reasons.setdefault(f"type:{k}", []).append(
                f"'{k}' seen as {', '.join(sorted(counter))}: kept {ranked[0]} (strongest evidence: {evidence})"
            )
    out = []
    for i, m in enumerate(mentions):
        w = winner.get(keys[i])
        if w and m.type in SETTLED_TYPES and m.type != w:
            m = Mention(m.note_id, m.section, m.start, m.end, m.text, w, m.score, m.extractor,
                        m.sent_start, m.sent_end, m.attrs)
        out.append(m)
    return out


def _retype_name_parts(mentions: list[Mention], keys: dict[int, str], reasons: dict[str, list[str]]
                       ) -> list[Mention]:
    """A one-word name the model typed as an organisation or artifact, that is the first name or
    surname of a person named in the same note, is that person ("Andrej might have some hints")."""
    parts: dict[str, set[str]] = defaultdict(set)
    for i, m in enumerate(mentions):
        words = keys[i].split()
        if m.type == "Person" and len(words) >= 2:
            parts[m.note_id] |= {words[0], words[-1]}
    out = []
    for i, m in enumerate(mentions):
        if (m.type in {"Organization", "Artifact"} and m.extractor.startswith("spacy")
                and len(keys[i].split()) == 1 and keys[i] in parts[m.note_id]):
            reasons.setdefault(f"Person:{keys[i]}", []).append(
                f"'{m.text}' in {m.note_id} retyped {m.type} -> Person: a name part of a person in that note")
            m = Mention(m.note_id, m.section, m.start, m.end, m.text, "Person", m.score, m.extractor,
                        m.sent_start, m.sent_end, m.attrs)
        out.append(m)
    return out


def _label(group: list[Mention]) -> str:
    canon = Counter(m.attr("canonical") for m in group if m.attr("canonical"))
    if canon:
        return sorted(canon.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
    forms = Counter(m.text.strip() for m in group)
    full = Counter({f: n for f, n in forms.items() if len(f.split()) >= 2})
    if group[0].type == "Person" and full:
        forms = full  # a person is named by their full name, however often the surname alone appears
    return sorted(forms.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


def resolve(mentions: Iterable[Mention], titles: frozenset[str] = DEFAULT_TITLES) -> Resolution:
    """Group mentions into canonical entities (deterministic: same mentions, same entities)."""
    ms = sorted(mentions, key=lambda m: (m.note_id, m.start, m.end, m.type))
    reasons: dict[str, list[str]] = {}
    keys = {i: name_key(m, titles) for i, m in enumerate(ms)}
    ms = _settle_types(ms, keys, reasons)
    ms = _retype_name_parts(ms, keys, reasons)

    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for i, m in enumerate(ms):
        if keys[i]:
            groups[(m.type, keys[i])].append(m)

    _merge_person_parts(groups, reasons)
    _merge_acronyms(groups, reasons)

    entities: list[Entity] = []
    entity_of: dict[tuple[str, int, int, str], str] = {}
    for (type_, key), group in sorted(groups.items()):
        label = _label(group)
        ekey = f"{type_}:{key}"
        aliases = sorted({m.text.strip() for m in group
                          if normalise(m.text) != normalise(label) and not m.attr("untitled")} - {label})
        attrs = sorted({(k, v) for m in group for k, v in m.attrs if k not in {"canonical", "section", "primary"}})
        if any(m.attr("primary") for m in group):
            attrs.append(("primary", "true"))
        entities.append(Entity(ekey, type_, label, tuple(aliases), tuple(group), tuple(attrs)))
        for m in group:
            entity_of[m.key] = ekey
        if len({normalise(m.text) for m in group}) > 1:
            reasons.setdefault(ekey, []).insert(
                0, f"{len(group)} mentions share the key '{key}' ({', '.join(sorted({m.text for m in group}))})"
            )
    return Resolution(entities, entity_of, reasons)


def _merge_person_parts(groups: dict[tuple[str, str], list[Mention]], reasons: dict[str, list[str]]) -> None:
    """Fold one-word person names into the single full name that contains that word."""
    full = [k for (t, k) in groups if t == "Person" and len(k.split()) >= 2]
    by_part: dict[str, set[str]] = defaultdict(set)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for k in full:
        parts = k.split()
        by_part[parts[0]].add(k)
        by_part[parts[-1]].add(k)
        by_surname[parts[-1]].add(k)
    for t, k in sorted(groups):
        if t != "Person" or len(k.split()) != 1 or k not in by_part:
            continue
        group = groups[(t, k)]
        notes = {m.note_id for m in group}
        local = {c for c in by_part[k] if notes & {m.note_id for m in groups[("Person", c)]}}
        # across notes only a surname is distinctive enough: "Bill" in one note is not "Bill Gates" of another
        candidates = local if local else by_surname.get(k, set())
        if len(candidates) != 1:
            if len(candidates) > 1:
                reasons.setdefault(f"Person:{k}", []).append(
                    f"'{k}' not merged: it could be any of {', '.join(sorted(candidates))}"
                )
            continue
        (target,) = candidates
        groups[("Person", target)].extend(group)
        del groups[(t, k)]
        where = "in the same note" if local else "across notes"
        reasons.setdefault(f"Person:{target}", []).append(
            f"'{group[0].text}' merged into '{target}': the only full name {where} containing '{k}'"
        )


def _merge_acronyms(groups: dict[tuple[str, str], list[Mention]], reasons: dict[str, list[str]]) -> None:
    """Fold an acronym into its expansion when a note defines it: "Expansion Words (EW)"."""
    for (t, k), group in sorted(groups.items()):
        for m in group:
            acr = m.attr("acronym")
            if not acr:
                continue
            akey = normalise(acr)
            for t2 in SETTLED_TYPES:
                other = groups.get((t2, akey))
                if other is not None and (t2, akey) != (t, k):
                    group.extend(other)
                    del groups[(t2, akey)]
                    reasons.setdefault(f"{t}:{k}", []).append(f"'{acr}' is defined as '{m.text}' in {m.note_id}")
