"""Cross-note steps that must stay linear in the size of the corpus give the results of their
straightforward (quadratic) definitions."""

from __future__ import annotations

import random

import pytest

from confkg.resolve.propagate import SurnameMatcher, surname_pattern

WORDS = ["Goodfellow", "Goodfellows", "O'Brien", "O’Brien", "Ng", "Smith-Jones", "Smith", "Jones", "Lee", "Leeds",
         "Zoë", "Müller", "Ph.D", "Jr.,", "Smith.", "Hinton's", "d'Alembert", "x", "the", "and", "–", "-", "(", ")",
         ",", ".", "'", "’", "Ian", "Geoffrey", "Yoshua", "Bengio", "Bengio’s", "LeCun", "42", "_", "foo_bar"]
SEPARATORS = [" ", "", "\n", ", ", "-", "'", "’", ".", "(", " ("]


@pytest.mark.parametrize("seed", range(40))
def test_surname_matcher_finds_what_the_regular_expression_finds(seed: int) -> None:
    rng = random.Random(seed)
    names = rng.sample(["Goodfellow", "O'Brien", "O’Brien", "Smith-Jones", "Smith", "Leeds", "Zoë", "Müller",
                        "Ph.D", "Jr.,", "Smith.", "Hinton", "d'Alembert", "Bengio", "LeCun", "Jones", "Lee"],
                       rng.randint(1, 10))
    text = "".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(300))
    expected = [(m.start(), m.end()) for m in surname_pattern(names).finditer(text)]
    assert list(SurnameMatcher(names).spans(text)) == expected
