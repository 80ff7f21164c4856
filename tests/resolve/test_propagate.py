from __future__ import annotations

from confkg.extract.extractor import text_note
from confkg.model import Extraction, Mention
from confkg.resolve.propagate import propagate_surnames


def test_a_known_surname_is_found_again_where_the_model_missed_it() -> None:
    a = text_note("a.md", "Grace Hopper opened the day.")
    b = text_note("b.md", "Hopper did answer this. Then Smithers left. Hopper's point stood.")
    ma = Mention("a.md", 0, 0, 12, "Grace Hopper", "Person", 0.7, "spacy:x", 0, 28)
    out = propagate_surnames([Extraction(a, (ma,)), Extraction(b, ())], common_words={"opened"})
    found = [(m.text, m.start) for m in out[1].mentions]
    assert found == [("Hopper", 0), ("Hopper", b.source.rindex("Hopper"))]


def test_shared_surnames_and_english_words_are_not_propagated() -> None:
    a = text_note("a.md", "Ann Baker and Tom Baker met Jo Brown.")
    b = text_note("b.md", "Baker spoke. Brown paper.")
    ms = (Mention("a.md", 0, 0, 9, "Ann Baker", "Person", 0.7, "spacy:x", 0, 36),
          Mention("a.md", 0, 14, 23, "Tom Baker", "Person", 0.7, "spacy:x", 0, 36),
          Mention("a.md", 0, 28, 36, "Jo Brown", "Person", 0.7, "spacy:x", 0, 36))
    out = propagate_surnames([Extraction(a, ms), Extraction(b, ())], common_words={"brown"})
    assert out[1].mentions == ()
