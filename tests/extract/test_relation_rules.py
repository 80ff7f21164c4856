"""Relations stated in prose, on sentences written for these tests (run through the real extractor)."""

from __future__ import annotations

import pytest

from confkg.extract.extractor import text_note


def relations(extractor, text: str) -> set[tuple[str, str, str]]:
    (ex,) = list(extractor.extract_notes([text_note("t", text)]))
    out = set()
    for r in ex.relations:
        obj = r.obj.text if r.obj is not None else r.value
        out.add((r.subject.text, r.predicate, obj))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We chatted with Maria Lopez from Google about search.", ("Maria Lopez", "affiliation", "Google")),
        ("The keynote was given by Tom Baker (Stanford University) on Monday.",
         ("Tom Baker", "affiliation", "Stanford University")),
        ("Later, Microsoft's Ann Lee showed a demo.", ("Ann Lee", "affiliation", "Microsoft")),
        ("Anna Schmidt (creator of PyTorch) gave a great demo.", ("PyTorch", "creator", "Anna Schmidt")),
        ("Kim Park created Keras in a weekend.", ("Keras", "creator", "Kim Park")),
        ("They presented NVIDIA's first Jetson board.", ("Jetson", "developer", "NVIDIA")),
        ("We use Kubeflow a lot, which was built by Google.", ("Kubeflow", "developer", "Google")),
        ("They extend “Sparse Attention for Long Documents” (Okafor et al. 2021) to images.",
         ("Sparse Attention for Long Documents", "author", "Okafor")),
    ],
)
def test_prose_relations(extractor, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in relations(extractor, text)


def test_comparison_is_not_the_subject_of_built_by(extractor) -> None:
    text = ("Kubeflow is their workflow engine.\nKubeflow has parallels to Airflow, but built by Google "
            "and open source.\nKubeflow runs on Kubernetes.")
    found = relations(extractor, text)
    assert ("Kubeflow", "developer", "Google") in found
    assert not any(s == "Airflow" and p == "developer" for s, p, _ in found)


def test_panel_and_moderator(extractor) -> None:
    from confkg.model import Block, Note, OffsetMap, Section, TextPiece

    text = "Robots Panel\nThe panel is made up of John Smith, Alan Turing, and Grace Hopper, moderated by Jane Roe."
    blocks = (Block("heading", 0, 12), Block("paragraph", 13, len(text)))
    sec = Section(0, "Robots Panel", 2, text, OffsetMap((TextPiece(0, 0, len(text)),)), blocks)
    note = Note("t", "t", text, "", "text", None, None, (), (sec,))
    (ex,) = list(extractor.extract_notes([note]))
    found = {(r.subject.text, r.predicate, r.obj.text) for r in ex.relations if r.obj is not None}
    for person in ("John Smith", "Alan Turing", "Grace Hopper"):
        assert ("Robots Panel", "panelist", person) in found
    assert ("Robots Panel", "moderator", "Jane Roe") in found
    assert ("Robots Panel", "panelist", "Jane Roe") not in found
    assert not any(p == "speaker" for _, p, _ in found)


def test_code_line_gives_the_papers_repository(extractor) -> None:
    from confkg.model import Block, Link, Note, OffsetMap, Section, TextPiece

    text = "Learning Sparse Widgets with Gadgets\nCode: "
    sec = Section(0, None, 2, text, OffsetMap((TextPiece(0, 0, len(text)),)),
                  (Block("heading", 0, 36), Block("paragraph", 37, len(text))),
                  (Link(len(text), len(text), "https://github.com/example/widgets"),))
    note = Note("t", "t", text, "", "text", None, None, (), (sec,))
    kept, rels = extractor.section_candidates(sec, extractor.nlp(text), plain_text=True, in_session=True)
    assert any(r.predicate == "codeRepository" and r.value == "https://github.com/example/widgets" for r in rels)
    del note, kept


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("She was elected to the National Academy of Engineering in 2001.", "National Academy of Engineering",
         "Organization"),
        ("He studied at the University of Reading before moving.", "University of Reading", "Organization"),
        ("The Society for Robot Ethics gave him a prize.", "Society for Robot Ethics", "Organization"),
    ],
)
def test_organisation_names_by_their_words(extractor, text: str, name: str, type_: str) -> None:
    ((_, found),) = list(extractor.extract_texts([("x", text)]))
    assert (name, type_) in {(m.text, m.type) for m in found}


@pytest.mark.parametrize(
    "text",
    ["Accuracy isn’t everything.", "Cloud or on-premise clusters", "The Lipschitz constant matters.",
     "Pixel Input is what they used.", "LogitBoost is a boosting method."],
)
def test_words_and_phrases_are_not_people(extractor, text: str) -> None:
    ((_, found),) = list(extractor.extract_texts([("x", text)]))
    assert not [m for m in found if m.type in {"Person", "Organization"}]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("She is a Fellow of the Association for Computing Machinery.", "Association for Computing Machinery"),
    ],
)
def test_organisation_names_end_where_names_end(extractor, text: str, name: str) -> None:
    ((_, found),) = list(extractor.extract_texts([("x", text)]))
    assert name in {m.text for m in found if m.type == "Organization"}


@pytest.mark.parametrize(
    ("span", "core"),
    [("Zentrox Robotics introduced Face ID", "Zentrox Robotics"), ("Fellow of the Royal Society", "Royal Society"),
     ("Society for Robot Ethics Fellow", "Society for Robot Ethics"), ("School of Robotics at", "School of Robotics"),
     ("University of the Arts", "University of the Arts")],
)
def test_org_core(span: str, core: str) -> None:
    from confkg.extract.lexicon import _org_core

    s, e = _org_core(span, 0, len(span))
    assert span[s:e] == core
