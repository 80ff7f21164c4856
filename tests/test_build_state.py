"""The state an incremental build leaves, and the changes it reads from two states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from confkg import incremental
from confkg.graph.parts import Digests
from confkg.incremental import STATE_FILE, BuildState, Changes

A, B, C = "https://w3id.org/confkg/id/person/a", "https://w3id.org/confkg/id/person/b", "https://w3id.org/confkg/id/x/c"


def digests(**notes: str) -> Digests:
    return Digests(notes={f"g/{k}": v for k, v in notes.items()}, entities={A: "1", B: "2"},
                   comentions={(A, B): "3", (A, C): "4"})


def test_a_saved_state_reads_back(tmp_path: Path) -> None:
    state = BuildState("settings", (1, 2), digests(a="x"), "graph", 42, {"graph.ttl": {"graph": "graph"}}, 0)
    state.save(tmp_path)
    assert BuildState.load(tmp_path) == state
    assert not list(tmp_path.glob(".*.tmp"))
    BuildState.forget(tmp_path)
    assert BuildState.load(tmp_path) is None


@pytest.mark.parametrize("text", ["", "{", '{"format": 1}', '{"format": 2, "settings": "s"}', "[]"])
def test_an_unreadable_or_older_state_is_no_state(tmp_path: Path, text: str) -> None:
    (tmp_path / STATE_FILE).write_text(text, encoding="utf-8")
    assert BuildState.load(tmp_path) is None


def test_the_state_names_each_entity_of_a_link_once(tmp_path: Path) -> None:
    BuildState("s", (1, 2), digests(), "g", 0).save(tmp_path)
    saved = json.loads((tmp_path / STATE_FILE).read_text(encoding="utf-8"))["digests"]["comentions"]
    assert saved == {"entities": [A, B, C], "pairs": [[0, 1, "3"], [0, 2, "4"]]}


def test_changes_are_what_differs_or_is_gone() -> None:
    old = digests(a="1", b="1", c="1")
    new = Digests(notes={"g/a": "1", "g/b": "2", "g/d": "1"}, entities={A: "1"}, comentions={(A, B): "3", (B, C): "5"})
    changes = Changes.between(old, new)
    assert changes == Changes({"g/b", "g/c", "g/d"}, {B}, {(A, C), (B, C)})
    assert Changes.between(new, new) == Changes(set(), set(), set())


def test_too_many_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    new = Digests(notes={f"g/{i}": "x" for i in range(100)})
    assert not Changes({f"g/{i}" for i in range(25)}, set(), set()).too_many(new)
    assert Changes({f"g/{i}" for i in range(26)}, set(), set()).too_many(new)
    assert not Changes({"g/1", "g/2"}, set(), set()).too_many(Digests(notes={"g/1": "x", "g/2": "x"}))  # a few notes
    monkeypatch.setattr(incremental, "FULL_REBUILD_SHARE", 1.0)
    assert not Changes({f"g/{i}" for i in range(100)}, set(), set()).too_many(new)
