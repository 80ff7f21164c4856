"""Does a NER component fine-tuned on CrossNER's train split pay? Prints the figures that answer it.

The small model's NER is fine-tuned (seeded, CPU, about a minute) on the 100 sentences of
CrossNER AI train, with CrossNER's types mapped onto spaCy's labels (researcher/person ->
PERSON, organisation/university -> ORG, conference -> EVENT, product/programlang -> PRODUCT,
country -> GPE, location -> LOC; algorithm/field/task/metrics -> no entity; misc -> unknown).
It is then measured on the dev split twice: alone, and in place of the model's NER inside
confkg's extraction. The stock model with confkg's rules is measured beside them.

    python bench/finetune_ner.py [--crossner ../shared/eval/crossner_ai] [--epochs 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from confkg.evaluation.ner import Span, confkg_spans, read_conll, score_spans
from confkg.extract.extractor import Extractor
from confkg.extract.gazetteer import default_gazetteer
from confkg.extract.nlp import available_model, load_pipeline

TO_SPACY = {"researcher": "PERSON", "person": "PERSON", "organisation": "ORG", "university": "ORG",
            "conference": "EVENT", "product": "PRODUCT", "programlang": "PRODUCT", "country": "GPE",
            "location": "LOC"}
NOT_ENTITIES = frozenset({"algorithm", "field", "task", "metrics"})
FROM_SPACY = {"PERSON": "Person", "ORG": "Organization", "EVENT": "Event", "PRODUCT": "Artifact"}


def examples(nlp: spacy.language.Language, path: Path) -> list[Example]:
    """CrossNER sentences as training examples, on CrossNER's own tokens."""
    out = []
    for sentence in read_conll(path):
        words = list(sentence.tokens)
        tags: list[str | None] = []
        for i, tag in enumerate(sentence.tags):
            prefix, _, label = tag.partition("-")
            if prefix == "O" or label in NOT_ENTITIES:
                tags.append("O")
            elif label not in TO_SPACY:
                tags.append(None)  # "misc": unknown, no gradient either way
            else:
                starts = prefix == "B" or i == 0 or sentence.tags[i - 1].partition("-")[2] != label
                tags.append(f"{'B' if starts else 'I'}-{TO_SPACY[label]}")
        out.append(Example(Doc(nlp.vocab, words=words), Doc(nlp.vocab, words=words, ents=tags)))
    return out


def fine_tune(model: str, train: Path, epochs: int, seed: int = 0) -> spacy.language.Language:
    fix_random_seed(seed)
    nlp = spacy.load(model, exclude=["parser", "lemmatizer"])
    data = examples(nlp, train)
    rng = random.Random(seed)
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        for _ in range(epochs):
            rng.shuffle(data)
            for batch in minibatch(data, size=8):
                nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crossner", type=Path, default=Path("../shared/eval/crossner_ai"))
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--model", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="save the fine-tuned pipeline here")
    args = parser.parse_args(argv)
    train, dev = args.crossner / "train.txt", args.crossner / "dev.txt"
    if not train.is_file() or not dev.is_file():
        print(f"{args.crossner}: no train.txt/dev.txt", file=sys.stderr)
        return 2
    model = args.model or available_model()
    sentences = read_conll(dev)
    texts = [s.text for s in sentences]
    started = time.perf_counter()
    tuned = fine_tune(model, train, args.epochs)
    seconds = time.perf_counter() - started
    alone = [[Span(e.start_char, e.end_char, FROM_SPACY[e.label_], e.text) for e in doc.ents
              if e.label_ in FROM_SPACY] for doc in tuned.pipe(texts)]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "tuned"
        tuned.to_disk(path)
        inside = confkg_spans(texts, Extractor(load_pipeline(str(path)), default_gazetteer()))
    stock = confkg_spans(texts, Extractor.create(model))
    print(f"fine-tuned {model} NER on {train} for {args.epochs} epochs in {seconds:.0f} s; dev: {dev}")
    print(f"{'system':<44} {'P':>6} {'R':>6} {'F1':>6}")
    for name, spans in (("fine-tuned NER alone", alone), ("confkg with the fine-tuned NER", inside),
                        ("confkg with the stock NER (shipped)", stock)):
        micro = score_spans(sentences, spans).micro
        print(f"{name:<44} {micro.precision:6.3f} {micro.recall:6.3f} {micro.f1:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
