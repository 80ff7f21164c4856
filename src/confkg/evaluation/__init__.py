"""Measuring confkg: the graph against hand-written gold annotations (``confkg eval``) and
extraction against public NER data (``confkg eval-ner``), each beside a bare-spaCy baseline.

Kept out of the build path: nothing here runs unless asked, and nothing here changes a graph.
"""

from confkg.evaluation.gold import GoldReport, evaluate, load_gold, normalise, score_graph
from confkg.evaluation.ner import NerReport, evaluate_ner, read_conll, score_spans, spacy_spans
from confkg.evaluation.report import Score

__all__ = [
    "GoldReport",
    "NerReport",
    "Score",
    "evaluate",
    "evaluate_ner",
    "load_gold",
    "normalise",
    "read_conll",
    "score_graph",
    "score_spans",
    "spacy_spans",
]
