"""The CLI over the sample graph and over bad input, run as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confkg.cli.app import app

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"
runner = CliRunner()


def test_query_table_csv_json(sample_build, cli) -> None:
    q = 'SELECT ?l WHERE { ?e a ckg:Event ; rdfs:label ?l } ORDER BY ?l'
    code, out, _ = cli("query", "--out", str(sample_build.out_dir), q)
    assert code == 0 and "ICML 2017" in out
    code, out, _ = cli("query", "--out", str(sample_build.out_dir), "--format", "csv", q)
    assert code == 0 and out.splitlines()[0].strip() == "l"
    code, out, _ = cli("query", "--out", str(sample_build.out_dir), "--format", "json", q)
    data = json.loads(out)
    assert data["head"]["vars"] == ["l"]
    assert any(b["l"]["value"] == "NeurIPS 2019" for b in data["results"]["bindings"])


def test_query_from_file_and_ask(sample_build, tmp_path: Path, cli) -> None:
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?p a ckg:Person }")
    code, out, _ = cli("query", "--out", str(sample_build.out_dir), "--file", str(f))
    assert code == 0 and "true" in out.lower()


def test_query_syntax_error_exits_2_with_the_parser_message(sample_build, cli) -> None:
    code, _, err = cli("query", "--out", str(sample_build.out_dir), "SELECT ?x WHERE { ?x ")
    assert code == 2
    assert "error" in err.lower() and len(err.strip().splitlines()) == 1


def test_update_is_refused(sample_build, cli) -> None:
    code, _, err = cli("query", "--out", str(sample_build.out_dir), "DELETE WHERE { ?s ?p ?o }")
    assert code == 2 and "not allowed" in err


def test_query_without_a_build(tmp_path: Path, cli) -> None:
    code, _, err = cli("query", "--out", str(tmp_path / "nothing"), "ASK {}")
    assert code == 1 and "confkg build" in err


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "ntriples", "trig", "nquads"])
def test_export_formats(sample_build, tmp_path: Path, fmt: str, cli) -> None:
    dest = tmp_path / f"g.{fmt}"
    code, out, _ = cli("export", "--out", str(sample_build.out_dir), "--format", fmt, "-o", str(dest))
    assert code == 0 and dest.stat().st_size > 1000


def test_entities_table_and_jsonl(sample_build, cli) -> None:
    code, out, _ = cli("entities", "--out", str(sample_build.out_dir), "--type", "Person", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows and all(r["type"] == "Person" for r in rows)
    assert any(r["label"] == "Ilya Sutskever" and r["mentions"] >= 2 for r in rows)
    code, out, _ = cli("entities", "--out", str(sample_build.out_dir))
    assert code == 0 and "Organization" in out and "entities)" in out


def test_explore_writes_html(sample_build, tmp_path: Path, cli) -> None:
    dest = tmp_path / "x.html"
    code, _, _ = cli("explore", "--out", str(sample_build.out_dir), "-o", str(dest))
    assert code == 0 and "<html" in dest.read_text(encoding="utf-8").lower()


def test_mentions_contract(tmp_path: Path, cli) -> None:
    lines = [
        {"id": "a", "text": "Grace Hopper joined OpenAI after NeurIPS 2019 to work on GPT-2."},
        {"id": 7, "text": "Nothing to see here."},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    code, out, _ = cli("mentions", str(src))
    assert code == 0
    got = [json.loads(line) for line in out.splitlines()]
    assert [g["id"] for g in got] == ["a", 7]
    text = lines[0]["text"]
    found = {(m["text"], m["type"]) for m in got[0]["mentions"]}
    assert {("Grace Hopper", "Person"), ("OpenAI", "Organization"), ("NeurIPS 2019", "Event"),
            ("GPT-2", "Artifact")} <= found
    for m in got[0]["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"] and 0 <= m["score"] <= 1
    assert got[1]["mentions"] == []


def test_mentions_from_stdin_and_bad_line(cli) -> None:
    code, out, _ = cli("mentions", "-", input='{"id": 1, "text": "Ada Byron met Alan Turing."}\n')
    assert code == 0 and json.loads(out)["id"] == 1
    code, _, err = cli("mentions", "-", input="not json\n")
    assert code == 1 and "-:1" in err


def test_build_reports_bad_notes_and_builds_the_rest(tmp_path: Path, cli) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "scaledml-2017.txt", notes / "good.txt")
    (notes / "binary.md").write_bytes(b"\x00\x01\x02binary")
    (notes / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (notes / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    out = tmp_path / "out"
    code, stdout, err = cli("build", str(notes), "--out", str(out), "--no-html")
    assert code == 0
    for name in ("binary.md", "latin1.txt", "broken.md"):
        assert name in err
    assert (out / "graph.ttl").exists()
    assert "notes" in stdout and "triples" in stdout


def test_build_store_only_then_export_on_demand(tmp_path: Path, cli) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "scaledml-2017.txt", notes / "a.txt")
    out = tmp_path / "out"
    code, stdout, _ = cli("build", str(notes), "--out", str(out), "--store-only", "--no-validate")
    assert code == 0 and "built anew" in stdout and "wrote" not in stdout
    assert (out / "store").is_dir() and not (out / "graph.ttl").exists()
    code, stdout, _ = cli("build", str(notes), "--out", str(out), "--store-only", "--no-validate")
    assert code == 0 and "updated in place (0 note graphs)" in stdout
    code, stdout, _ = cli("export", "--out", str(out), "--format", "turtle", "-o", str(out / "graph.ttl"))
    assert code == 0 and (out / "graph.ttl").stat().st_size > 0


def test_build_with_nothing_to_build_fails(tmp_path: Path, cli) -> None:
    code, _, err = cli("build", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert code == 1 and "missing" in err and len(err.strip().splitlines()) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = cli("build", str(empty), "--out", str(tmp_path / "o"))
    assert code == 1 and "empty" in err


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and len(result.output) > 100, name
        assert f"confkg {name}" in readme, f"README lacks 'confkg {name}'"
