"""``confkg export`` and ``confkg explore``: files from the built graph."""

from __future__ import annotations

from pathlib import Path

import typer

from confkg.cli.options import MIN_CONFIDENCE, OUT_DIR
from confkg.pipeline import STORE_DIR

FORMATS = ("turtle", "jsonld", "ntriples", "trig", "nquads", "graphml", "gexf", "csv")


def register(app: typer.Typer) -> None:
    app.command("export")(export_cli)
    app.command("explore")(explore_cli)


def export_cli(
    fmt: str = typer.Option("turtle", "--format",
                            help="turtle, jsonld, ntriples, trig, nquads; graphml, gexf, csv (entity network)."),
    output: Path = typer.Option(..., "--output", "-o",
                                help="File to write (csv: FILE_nodes.csv and FILE_edges.csv, or DIR/nodes.csv...)."),
    out: Path = OUT_DIR,
    min_confidence: float = MIN_CONFIDENCE,
    infer: bool = typer.Option(False, "--infer",
                               help="Add the triples the ontology entails (schema:Person...), in id:graph/inferred."),
    reasoner: str = typer.Option("closure", "--reasoner",
                                 help="With --infer: closure (subclass/subproperty, fast) or owlrl (OWL 2 RL, slow)."),
    frame: str | None = typer.Option(None, "--frame",
                                     help="With jsonld: a list of objects of one type (person, talk, paper, ...)."),
) -> None:
    """Export the whole graph (provenance included); TriG and N-Quads keep one named graph per note."""
    from confkg.outputs.export import export_files
    from confkg.outputs.jsonld_frame import frame_names
    from confkg.store import GraphStore

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    if reasoner not in {"closure", "owlrl"}:
        raise typer.BadParameter("use closure or owlrl", param_hint="--reasoner")
    if frame is not None and (fmt != "jsonld" or frame not in frame_names()):
        raise typer.BadParameter(f"use --format jsonld and one of {', '.join(frame_names())}", param_hint="--frame")
    paths = export_files(GraphStore.open(out / STORE_DIR), fmt, output, min_confidence=min_confidence,
                         infer=reasoner if infer else None, frame=frame)
    for path in paths:
        typer.echo(f"wrote {path}")


def explore_cli(
    output: Path = typer.Option(Path("graph.html"), "--output", "-o", help="HTML file to write."),
    out: Path = OUT_DIR,
    min_confidence: float = MIN_CONFIDENCE,
    open_nodes: int = typer.Option(1500, "--open-nodes", min=1,
                                   help="Beyond this many entities the page opens on the most central ones."),
) -> None:
    """Write the interactive HTML explorer: one self-contained file that works offline."""
    from confkg.outputs.explorer import write_explorer_from_store
    from confkg.store import GraphStore

    with GraphStore.open(out / STORE_DIR) as store:
        path = write_explorer_from_store(store, output, min_confidence=min_confidence, open_nodes=open_nodes)
    typer.echo(f"wrote {path}")
