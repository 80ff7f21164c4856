"""What a build knows of the spaCy model without loading it: its ``meta.json``."""

from __future__ import annotations

import pytest

from confkg.errors import ModelError
from confkg.extract.extractor import Extractor, ModelOnDemand
from confkg.extract.nlp import load_pipeline, model_id, model_meta, package_name


def test_the_meta_names_the_model_as_the_loaded_pipeline_does() -> None:
    nlp = load_pipeline()
    assert model_id(model_meta()) == model_id(nlp)
    assert package_name(model_meta()) == package_name(nlp)


def test_a_model_that_is_not_installed_is_a_one_line_error_naming_it() -> None:
    with pytest.raises(ModelError, match="cannot load spaCy model 'en_no_such_model'"):
        model_meta("en_no_such_model")


def test_the_model_on_demand_is_loaded_once_and_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str | None] = []
    real = Extractor.create.__func__  # type: ignore[attr-defined]

    def counting(cls, model=None, **kwargs):
        loads.append(model)
        return real(cls, model, **kwargs)

    monkeypatch.setattr(Extractor, "create", classmethod(counting))
    on_demand = ModelOnDemand()
    assert loads == []
    assert on_demand.model == Extractor.create().model
    loads.clear()
    assert on_demand.extractor is on_demand.extractor
    assert loads == [None]
    assert on_demand.load_seconds > 0
