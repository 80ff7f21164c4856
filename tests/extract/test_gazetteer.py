"""Tests of the curated gazetteers (``confkg/data``) and of their loader."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from confkg.extract.gazetteer import (
    DATA_DIR,
    GAZETTEER_FILES,
    KINDS,
    Gazetteer,
    GazetteerEntry,
    default_gazetteer,
    load_jsonl,
    normalize,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def _raw_lines(filename: str) -> list[tuple[int, dict]]:
    path = DATA_DIR / filename
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            out.append((lineno, json.loads(line)))
    return out


# ---------------------------------------------------------------- the data files


@pytest.mark.parametrize(
    ("filename", "minimum"),
    [("events.jsonl", 100), ("organizations.jsonl", 350), ("artifacts.jsonl", 500), ("topics.jsonl", 250)],
)
def test_file_loads_with_enough_entries(filename: str, minimum: int) -> None:
    entries = load_jsonl(DATA_DIR / filename, GAZETTEER_FILES[filename])
    assert len(entries) >= minimum


@pytest.mark.parametrize("filename", sorted(GAZETTEER_FILES))
def test_every_line_is_a_clean_record(filename: str) -> None:
    for lineno, raw in _raw_lines(filename):
        where = f"{filename}:{lineno}"
        assert raw["type"] == GAZETTEER_FILES[filename], where
        assert raw["name"] == raw["name"].strip() and "  " not in raw["name"], where
        assert raw["source"].startswith(("https://", "http://")), where
        assert not any(c.isspace() for c in raw["source"]), where
        forms = [raw["name"], *raw.get("aliases", []), *raw.get("acronyms", []), *raw.get("former_names", [])]
        assert all(f == f.strip() and normalize(f) for f in forms), where
        if raw["type"] in KINDS:
            assert raw["kind"] in KINDS[raw["type"]], where


def test_no_duplicate_names_within_a_type(gaz: Gazetteer) -> None:
    assert gaz.duplicates() == []


def test_no_surface_form_names_two_entries_of_one_type(gaz: Gazetteer) -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in gaz.entries:
        for text, _kind, _exact in entry.forms():
            owners[(entry.type, normalize(text))].add(entry.name)
    clashes = {key: names for key, names in owners.items() if len(names) > 1}
    assert clashes == {}


def test_no_entity_name_or_alias_is_a_generic_term(gaz: Gazetteer) -> None:
    # Generic terms are dropped as Person/Organization/Event/Artifact candidates, so no such
    # entry may be known by one. Topics may (RL, NLP, CNN are generic words *and* topics).
    bad = [
        (e.type, e.name, text)
        for e in gaz.entries
        if e.type != "Topic"
        for text, _kind, _exact in e.forms()
        if gaz.is_generic(text)
    ]
    assert bad == []


def test_some_topics_own_generic_acronyms(gaz: Gazetteer) -> None:
    assert gaz.is_generic("RL") and gaz.canonical("RL").type == "Topic"


def test_developers_are_known_organisations(gaz: Gazetteer) -> None:
    orgs = {e.name for e in gaz.entries if e.type == "Organization"}
    unknown = {(e.name, e.developer) for e in gaz.entries if e.developer and e.developer not in orgs}
    assert unknown == set()
    assert all(e.type == "Artifact" for e in gaz.entries if e.developer or e.creator)


def test_topic_hierarchy_is_closed_and_acyclic(gaz: Gazetteer) -> None:
    parent = {e.name: e.broader for e in gaz.entries if e.type == "Topic"}
    assert {b for b in parent.values() if b} <= set(parent)
    for name in parent:
        seen = {name}
        node = parent[name]
        while node:
            assert node not in seen, f"cycle through {name}"
            seen.add(node)
            node = parent[node]


_PROPER_TOPIC_WORDS = {
    "Bayesian",
    "Gaussian",
    "Markov",
    "Monte",
    "Hebbian",
    "Boltzmann",
    "Hopfield",
    "Turing",
    "Winograd",
    "Q-learning",
}


def test_topic_names_are_lower_case_unless_proper_nouns(gaz: Gazetteer) -> None:
    bad = []
    for e in gaz.entries:
        if e.type != "Topic":
            continue
        first = e.name.split()[0]
        if first[0].isupper() and first == first.capitalize() and first not in _PROPER_TOPIC_WORDS:
            bad.append(e.name)
    assert bad == []


@pytest.mark.parametrize(
    ("name", "type_"),
    [
        ("PyTorch", "Artifact"),
        ("scikit-learn", "Artifact"),
        ("TensorFlow", "Artifact"),
        ("pandas", "Artifact"),
        ("NumPy", "Artifact"),
        ("Apache Arrow", "Artifact"),
        ("GPT-2", "Artifact"),
        ("ImageNet", "Artifact"),
        ("OpenAI", "Organization"),
        ("DeepMind", "Organization"),
        ("NVIDIA", "Organization"),
        ("Hugging Face", "Organization"),
        ("NeurIPS", "Event"),
        ("ScaledML", "Event"),
        ("SOCML", "Event"),
        ("reinforcement learning", "Topic"),
        ("transformers", "Topic"),
    ],
)
def test_canonical_spellings(gaz: Gazetteer, name: str, type_: str) -> None:
    assert gaz.by_name(name, type_) is not None


# ---------------------------------------------------------------- look-up behaviour


@pytest.mark.parametrize(
    ("surface", "type_", "expected"),
    [
        ("NIPS", "Event", "NeurIPS"),
        ("nips", "Event", "NeurIPS"),
        ("Neural Information Processing Systems", "Event", "NeurIPS"),
        ("SysML", "Event", "MLSys"),
        ("Spark + AI Summit", "Event", "Data + AI Summit"),
        ("Spark+AI Summit", "Event", "Data + AI Summit"),
        ("TheWebConf", "Event", "The Web Conference"),
        ("AWS re:Invent", "Event", "re:Invent"),
        ("GPT2", "Artifact", "GPT-2"),
        ("gpt-2", "Artifact", "GPT-2"),
        ("GPT 2", "Artifact", "GPT-2"),
        ("Pytorch", "Artifact", "PyTorch"),
        ("sklearn", "Artifact", "scikit-learn"),
        ("Pandas", "Artifact", "pandas"),
        ("DALL·E 2", "Artifact", "DALL-E 2"),
        ("C++", "Artifact", "C++"),
        ("C#", "Artifact", "C#"),
        ("Spark", "Artifact", "Apache Spark"),
        ("Arrow", "Artifact", "Apache Arrow"),
        ("Gym", "Artifact", "OpenAI Gym"),
        ("DQN", "Artifact", "Deep Q-Network"),
        ("FAIR", "Organization", "Facebook AI Research"),
        ("Facebook", "Organization", "Meta"),
        ("CMU", "Organization", "Carnegie Mellon University"),
        ("Google DeepMind", "Organization", "DeepMind"),
        ("ETH Zürich", "Organization", "ETH Zurich"),
        ("Universite de Montreal", "Organization", "Université de Montréal"),
        ("W&B", "Organization", "Weights & Biases"),
        ("CrowdFlower", "Organization", "Figure Eight"),
        ("AI2", "Organization", "Allen Institute for AI"),
        ("NLP", "Topic", "natural language processing"),
        ("GANs", "Topic", "generative adversarial networks"),
        ("deep RL", "Topic", "deep reinforcement learning"),
        ("Recommendation Systems", "Topic", "recommender systems"),
        ("Transformer", "Topic", "transformers"),
    ],
)
def test_lookup_finds_canonical_entry(gaz: Gazetteer, surface: str, type_: str, expected: str) -> None:
    entry = gaz.canonical(surface, type_)
    assert entry is not None, surface
    assert entry.name == expected


@pytest.mark.parametrize(
    ("surface", "exact_form"),
    [
        ("adam", "Adam"),
        ("ray", "Ray"),
        ("spark", "Spark"),
        ("git", "Git"),
        ("apple", "Apple"),
        ("amazon", "Amazon"),
        ("volta", "Volta"),
        ("arrow", "Arrow"),
        ("gym", "Gym"),
        ("go", "Go"),
        ("python", "Python"),
        ("julia", "Julia"),
        ("meta", "Meta"),
        ("bert", "BERT"),
        ("glue", "GLUE"),
        ("squad", "SQuAD"),
        ("mila", "Mila"),
        ("rl", "RL"),
        ("fair", "FAIR"),
        ("cv", "CV"),
    ],
)
def test_case_sensitive_forms_need_their_case(gaz: Gazetteer, surface: str, exact_form: str) -> None:
    assert gaz.lookup(surface) == ()
    assert gaz.lookup(exact_form) != ()


@pytest.mark.parametrize("surface", ["AdAM", "Bert", "Rl", "GIT", "SPARK", "Python's"])
def test_case_sensitive_forms_reject_other_cases(gaz: Gazetteer, surface: str) -> None:
    assert gaz.lookup(surface) == ()


@pytest.mark.parametrize("surface", ["tensorflow", "TENSORFLOW", "TensorFlow", "neurips", "NEURIPS"])
def test_case_insensitive_forms_match_any_case(gaz: Gazetteer, surface: str) -> None:
    assert gaz.lookup(surface)


def test_transformers_library_does_not_swallow_the_topic(gaz: Gazetteer) -> None:
    assert gaz.canonical("Transformers", "Artifact") is None
    assert gaz.canonical("transformers", "Artifact") is None
    assert gaz.canonical("Hugging Face Transformers").type == "Artifact"


@pytest.mark.parametrize("surface", ["attention", "exploration", "data", "model", "WWW", "CIFAR", "R"])
def test_ambiguous_words_are_not_entries(gaz: Gazetteer, surface: str) -> None:
    assert gaz.lookup(surface) == ()


def test_canonical_respects_type_and_ranks(gaz: Gazetteer) -> None:
    assert gaz.canonical("Midjourney").type == "Organization"
    assert gaz.canonical("Midjourney", "Artifact").kind == "product"
    assert gaz.canonical("no such thing at all") is None
    assert gaz.canonical("NeurIPS", "Artifact") is None
    # exact-case forms win: xAI is the company, XAI the research area
    assert gaz.canonical("xAI").type == "Organization"
    assert gaz.canonical("XAI").type == "Topic"


def test_entry_fields(gaz: Gazetteer) -> None:
    gpt2 = gaz.canonical("GPT-2")
    assert gpt2.developer == "OpenAI" and gpt2.kind == "model"
    assert gaz.canonical("pandas").creator == "Wes McKinney"
    neurips = gaz.canonical("NeurIPS")
    assert "NIPS" in neurips.former_names and neurips.full_name.startswith("Conference on Neural")
    assert gaz.canonical("deep reinforcement learning").broader == "reinforcement learning"
    assert gaz.canonical("Adam").kind == "algorithm" and gaz.canonical("Adam").case_sensitive


# ---------------------------------------------------------------- generic terms and titles


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("AI", True),
        ("ml", True),
        ("GPU", True),
        ("Q&A", True),
        ("TL;DR", True),
        ("tl;dr", True),
        ("Takeaways", True),
        ("Keynote", True),
        ("However", True),
        ("Labels", True),
        ("OpenAI", False),
        ("Stanford", False),
        ("Geoffrey", False),
    ],
)
def test_is_generic(gaz: Gazetteer, word: str, expected: bool) -> None:
    assert gaz.is_generic(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Dr", True),
        ("Dr.", True),
        ("prof.", True),
        ("Professor", True),
        ("Sir", True),
        ("Ph.D.", True),
        ("Yann", False),
        ("LeCun", False),
    ],
)
def test_person_titles(gaz: Gazetteer, word: str, expected: bool) -> None:
    assert gaz.is_title(word) is expected
    assert {"dr", "prof", "ph d", "ph.d"} <= gaz.titles


# ---------------------------------------------------------------- matcher patterns


def test_phrase_patterns_split_by_case(gaz: Gazetteer) -> None:
    lower, exact = gaz.phrase_patterns()
    lower_texts = {text for _label, _id, text in lower}
    exact_texts = {text for _label, _id, text in exact}
    assert ("Topic", "reinforcement learning", "RL") in exact
    assert "RL" not in lower_texts
    assert ("Artifact", "Adam", "Adam") in exact and "Adam" not in lower_texts
    assert ("Event", "NeurIPS", "NIPS") in lower
    assert "TensorFlow" in lower_texts and "TensorFlow" not in exact_texts
    names = {(e.type, e.name) for e in gaz.entries}
    assert all((label, ident) in names for label, ident, _text in lower + exact)
    assert len(lower) + len(exact) == sum(len(e.forms()) for e in gaz.entries)


def test_patterns_drive_a_spacy_phrase_matcher(gaz: Gazetteer) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    lower, exact = gaz.phrase_patterns()
    lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for matcher, patterns in ((lower_matcher, lower), (exact_matcher, exact)):
        by_key: dict[str, list] = defaultdict(list)
        for label, ident, text in patterns:
            by_key[f"{label}|{ident}"].append(nlp.make_doc(text))
        for key, docs in by_key.items():
            matcher.add(key, docs)
    doc = nlp.make_doc(
        "At nips 2017 DeepMind showed AlphaGo Zero; we trained it in pytorch with Adam, "
        "but adam alone is not a thing. Spark is, a spark is not."
    )
    found = {
        nlp.vocab.strings[key].split("|", 1)[1]
        for matcher in (lower_matcher, exact_matcher)
        for key, _start, _end in matcher(doc)
    }
    assert {"NeurIPS", "DeepMind", "AlphaGo Zero", "PyTorch", "Adam", "Apache Spark"} <= found
    adam_hits = [doc[s:e].text for key, s, e in exact_matcher(doc) if nlp.vocab.strings[key] == "Artifact|Adam"]
    assert adam_hits == ["Adam"]


def test_default_gazetteer_is_cached() -> None:
    assert default_gazetteer() is default_gazetteer()


# ---------------------------------------------------------------- validation errors


def _write(tmp_path: Path, filename: str, lines: list[str]) -> Path:
    path = tmp_path / filename
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_GOOD = json.dumps({"name": "ICML", "type": "Event", "kind": "conference", "source": "https://icml.cc"})


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "invalid JSON"),
        (json.dumps(["a list"]), "JSON object"),
        (json.dumps({"name": "X", "type": "Event", "kind": "conference"}), "source"),
        (json.dumps({"name": "X", "type": "Event", "kind": "conference", "source": ""}), "source"),
        (json.dumps({"name": "X", "type": "Event", "kind": "conference", "source": "neurips.cc"}), "http"),
        (json.dumps({"name": "", "type": "Event", "kind": "conference", "source": "https://x.org"}), "name"),
        (json.dumps({"name": "X", "type": "Venue", "kind": "conference", "source": "https://x.org"}), "type"),
        (json.dumps({"name": "X", "type": "Topic", "source": "https://x.org"}), "belong"),
        (json.dumps({"name": "X", "type": "Event", "source": "https://x.org"}), "kind"),
        (json.dumps({"name": "X", "type": "Event", "kind": "party", "source": "https://x.org"}), "kind"),
        (
            json.dumps({"name": "X", "type": "Event", "kind": "conference", "source": "https://x.org", "alias": ["Y"]}),
            "unknown field",
        ),
        (
            json.dumps({"name": "X", "type": "Event", "kind": "conference", "source": "https://x.org", "aliases": "Y"}),
            "aliases",
        ),
        (
            json.dumps(
                {"name": "X", "type": "Event", "kind": "conference", "source": "https://x.org", "case_sensitive": "yes"}
            ),
            "case_sensitive",
        ),
    ],
)
def test_bad_line_names_file_and_line(tmp_path: Path, bad_line: str, message: str) -> None:
    _write(tmp_path, "events.jsonl", [_GOOD, bad_line])
    with pytest.raises(ValueError, match=r"events\.jsonl:2: .*" + message):
        Gazetteer.load(tmp_path)


def test_load_from_a_directory(tmp_path: Path) -> None:
    _write(tmp_path, "events.jsonl", [_GOOD, ""])
    _write(tmp_path, "generic_terms.txt", ["# comment", "Keynote"])
    _write(tmp_path, "person_titles.txt", ["Dr"])
    gaz = Gazetteer.load(tmp_path)
    assert [e.name for e in gaz.entries] == ["ICML"]
    assert gaz.is_generic("keynote") and not gaz.is_generic("ICML")
    assert gaz.is_title("DR.")


def test_duplicates_are_reported() -> None:
    entries = [
        GazetteerEntry(name="GPT-2", type="Artifact", kind="model", source="https://openai.com"),
        GazetteerEntry(name="GPT 2", type="Artifact", kind="model", source="https://openai.com"),
        GazetteerEntry(name="GPT-2", type="Topic", source="https://openai.com"),
    ]
    dups = Gazetteer(entries).duplicates()
    assert dups == [("Artifact", "gpt 2", ("GPT-2", "GPT 2"))]
