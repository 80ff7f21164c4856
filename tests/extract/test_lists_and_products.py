"""Hearst lists, product heads and name repairs, on sentences written for these tests.

The whole extractor runs (spaCy model included), so what is asserted is what ``confkg mentions``
returns, not what a helper would return in isolation.
"""

from __future__ import annotations

import pytest

from confkg.extract.hypernyms import kinds, list_members
from confkg.extract.products import product_heads


def _mentions(extractor, text: str) -> dict[str, tuple[str, str | None]]:
    [(_, mentions)] = list(extractor.extract_texts([("t", text)]))
    return {m.text: (m.type, m.attr("canonical")) for m in mentions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Robot makers such as Fanuc, Yaskawa and Denso Wave were on the floor.", []),
        ("The big manufacturers such as Fanuc, Yaskawa and Denso Wave were on the floor.",
         [("Fanuc", "Organization"), ("Yaskawa", "Organization"), ("Denso Wave", "Organization")]),
        ("Regional meetings like EurIPS and the Montreal AI Symposium matter.",
         [("EurIPS", "Event"), ("Montreal AI Symposium", "Event")]),
        ("We kept notebooks in Jupyter, Binder and other tools.", [("Binder", "Artifact"), ("Jupyter", "Artifact")]),
        ("Startups including Cohere and Adept raised money; the rest did not.",
         [("Cohere", "Organization"), ("Adept", "Organization")]),
        ("Speakers included Jane Roe of Acme Labs and Richard Roe", [("Richard Roe", "Person")]),
        ("methods such as dropout and weight decay", []),
    ],
)
def test_list_members(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s:e], t) for s, e, t in list_members(text)] == expected


def test_kinds_and_heads_are_curated_data() -> None:
    assert kinds()["companies"] == "Organization"
    assert kinds()["conferences"] == "Event"
    assert set(kinds().values()) <= {"Person", "Organization", "Event", "Artifact"}
    assert "languages" not in kinds()  # natural languages are no artifacts
    heads = product_heads()
    assert "operating system" in heads and "toolkit" in heads
    assert heads.index("programming system") < heads.index("system")  # longest first


def test_a_hearst_list_types_what_the_model_missed(extractor) -> None:
    found = _mentions(extractor, "Other climate groups include Extinction Rebellion, the Sunrise Movement and "
                                 "SustainUS, among others.")
    assert found["Extinction Rebellion"][0] == "Organization"
    assert found["SustainUS"][0] == "Organization"


def test_a_product_head_belongs_to_the_mention_not_the_name(extractor) -> None:
    found = _mentions(extractor, "The app runs on the iOS operating system and calls the Java API.")
    assert found["iOS operating system"] == ("Artifact", "iOS")
    assert found["Java API"] == ("Artifact", "Java")
    assert "iOS" not in found and "Java" not in found


def test_an_unknown_name_with_a_product_head_is_an_artifact(extractor) -> None:
    found = _mentions(extractor, "Most of it was written in the Interlisp programming system at Xerox.")
    assert found["Interlisp programming system"][0] == "Artifact"
    titles = _mentions(extractor, "Towards Intelligent Systems: A Unified Framework for Assistive Robots")
    assert not any(t == "Artifact" for t, _ in titles.values())


def test_a_full_name_beats_a_term_that_is_a_given_name(extractor) -> None:
    found = _mentions(extractor, "In 1999, Ray Kurzweil wrote about machines; Adam Pease built an ontology.")
    assert found["Ray Kurzweil"][0] == "Person"
    assert found["Adam Pease"][0] == "Person"
    library = _mentions(extractor, "We scaled the training with Ray and tuned it with Adam.")
    assert library["Ray"][0] == "Artifact" and library["Adam"][0] == "Artifact"


def test_name_repairs(extractor) -> None:
    person = _mentions(extractor, "The method was proposed by Kwang-Ting Cheng and colleagues.")
    assert person["Kwang-Ting Cheng"][0] == "Person"  # the model splits it: "Kwang" (GPE) + "Ting Cheng"
    assert "Ting Cheng" not in person
    found = _mentions(extractor, "The talk compared the iPad Mini 2G with the iPad Pro 1G. "
                                 "The World Wide Web Consortium published the standard.")
    assert found["iPad Mini 2G"][0] == "Artifact" and found["iPad Pro 1G"][0] == "Artifact"
    assert found["World Wide Web Consortium"][0] == "Organization"  # the model says EVENT here
    assert "A." not in _mentions(extractor, "The paper by A. was cited by Geoffrey Hinton.")
