from __future__ import annotations

import pytest

from confkg.extract.names import looks_like_person, normalise, strip_title, title_case_ratio, trim_span


@pytest.mark.parametrize(
    ("text", "expected"),
    [("**Jane Roe** *", "Jane Roe"), ("Acme's", "Acme"), ("Foo Labs *\nnext", "Foo Labs"),
     ("Acme Inc.", "Acme Inc."), ("J.", "J."), ("“Quoted”", "Quoted")],
)
def test_trim_span(text: str, expected: str) -> None:
    s, e = trim_span(text, 0, len(text))
    assert text[s:e] == expected


@pytest.mark.parametrize(
    ("name", "ok"),
    [("Jane Roe", True), ("Ludwig van Beethoven", True), ("RL", False), ("ML Infrastructure", False),
     ("Acme Labs", False), ("jane roe", False), ("Matroid](https://x", False), ("Cloud TPU v3", False)],
)
def test_looks_like_person(name: str, ok: bool) -> None:
    assert looks_like_person(name) is ok


def test_normalise_and_titles() -> None:
    assert normalise("Ça-Va  Éte!") == "ca va ete"
    assert strip_title("Dr. Jane Roe", frozenset({"dr"})) == "Jane Roe"
    assert strip_title("Dr.", frozenset({"dr"})) == "Dr."
    assert title_case_ratio("Learning Fast Models with Sparse Data") > 0.8
    assert title_case_ratio("we learned that models were fast") == 0.0
