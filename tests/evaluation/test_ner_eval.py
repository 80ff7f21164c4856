"""CoNLL reading, typed-span scoring, the bare-spaCy baseline and ``confkg eval-ner``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from confkg.cli import eval_cmd
from confkg.errors import InputError
from confkg.evaluation.ner import (
    NER_TYPES,
    Span,
    bio_spans,
    confkg_spans,
    evaluate_ner,
    parse_conll,
    read_conll,
    score_spans,
    spacy_spans,
)
from confkg.evaluation.report import ner_table, ner_to_dict

CONLL = """\
Ada\tB-researcher
Quill\tI-researcher
joined\tO
Zephyr\tB-university
Labs\tI-university
to\tO
study\tO
deep\tB-field
learning\tI-field
.\tO

She\tO
wrote\tO
QuillNet\tB-product
in\tO
Rust\tB-programlang
for\tO
FooConf\tB-conference
2031\tI-conference
.\tO
"""


@pytest.fixture()
def conll_file(tmp_path: Path) -> Path:
    f = tmp_path / "tiny.txt"
    f.write_text(CONLL)
    return f


def test_bio_spans_typed_and_unmapped_dropped() -> None:
    tokens = ["Ada", "Quill", "met", "Bo", "in", "deep", "learning", "Cy"]
    tags = ["B-researcher", "I-researcher", "O", "B-person", "O", "B-field", "I-field", "I-person"]
    spans = bio_spans(tokens, tags)
    text = " ".join(tokens)
    assert [(s.type, s.text) for s in spans] == [("Person", "Ada Quill"), ("Person", "Bo"), ("Person", "Cy")]
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_bio_i_tag_of_another_type_starts_a_span() -> None:
    spans = bio_spans(["Zephyr", "Labs", "QuillNet"], ["B-organisation", "I-organisation", "I-product"])
    assert [(s.type, s.text) for s in spans] == [("Organization", "Zephyr Labs"), ("Artifact", "QuillNet")]
    spans = bio_spans(["A", "B"], ["B-person", "B-person"])
    assert [s.text for s in spans] == ["A", "B"]


def test_parse_conll(conll_file: Path) -> None:
    sentences = read_conll(conll_file)
    assert len(sentences) == 2
    assert sentences[0].text == "Ada Quill joined Zephyr Labs to study deep learning ."
    assert [(s.type, s.text) for s in sentences[1].spans] == [
        ("Artifact", "QuillNet"), ("Artifact", "Rust"), ("Event", "FooConf 2031")]
    assert len(read_conll(conll_file, limit=1)) == 1
    with pytest.raises(InputError, match="x.txt:2"):
        parse_conll(["Ada\tB-person", "oops", ""], "x.txt")
    with pytest.raises(InputError):
        read_conll(conll_file.with_name("missing.txt"))


def test_scoring_per_type_micro_and_errors(conll_file: Path) -> None:
    sentences = read_conll(conll_file)
    predicted = [
        [Span(0, 9, "Person", "Ada Quill"), Span(17, 23, "Organization", "Zephyr"),  # right, a partial span
         Span(41, 54, "Topic", "deep learning")],  # a type CrossNER does not know: not counted
        [Span(10, 18, "Person", "QuillNet"), Span(22, 26, "Artifact", "Rust"), Span(31, 43, "Event", "FooConf 2031")],
    ]
    report = score_spans(sentences, predicted)
    assert set(report.per_type) == set(NER_TYPES)
    assert (report.micro.correct, report.micro.predicted, report.micro.gold) == (3, 5, 5)
    assert report.per_type["Person"].precision == 0.5 and report.per_type["Person"].recall == 1.0
    assert report.per_type["Organization"].f1 == 0.0
    assert report.per_type["Artifact"].recall == 0.5
    assert ("Person", "QuillNet", 1) in report.false_positives
    assert ("Artifact", "QuillNet", 1) in report.false_negatives
    assert ("Organization", "Zephyr Labs", 1) in report.false_negatives
    data = ner_to_dict(report)
    assert data["micro"]["precision"] == 0.6
    assert "micro" in ner_table(report)
    with pytest.raises(ValueError):
        score_spans(sentences, predicted[:1])


def test_baseline_maps_spacy_labels() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "Ada Quill"},
        {"label": "ORG", "pattern": "Zephyr Labs"},
        {"label": "PRODUCT", "pattern": "QuillNet"},
        {"label": "EVENT", "pattern": "FooConf"},
        {"label": "GPE", "pattern": "Paris"},
    ])
    spans = spacy_spans(["Ada Quill of Zephyr Labs showed QuillNet at FooConf in Paris ."], nlp=nlp)
    assert [(s.type, s.text) for s in spans[0]] == [
        ("Person", "Ada Quill"), ("Organization", "Zephyr Labs"), ("Artifact", "QuillNet"), ("Event", "FooConf")]


def test_confkg_extraction_in_one_stream(extractor, conll_file: Path) -> None:
    sentences = read_conll(conll_file)
    spans = confkg_spans([s.text for s in sentences], extractor)
    assert len(spans) == len(sentences)
    for sentence, found in zip(sentences, spans, strict=True):
        assert all(s.type in NER_TYPES and sentence.text[s.start:s.end] == s.text for s in found)
    report = evaluate_ner(conll_file, extractor=extractor)
    assert report.sentences == 2 and report.micro.gold == 5


def test_cli_eval_ner(extractor, conll_file: Path) -> None:
    app = typer.Typer()
    eval_cmd.register(app)
    result = CliRunner().invoke(app, ["eval-ner", str(conll_file), "--format", "json", "--limit", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sentences"] == 1 and data["micro"]["gold"] == 2
    assert data["system"].startswith("confkg")
