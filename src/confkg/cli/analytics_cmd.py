"""``confkg stats``, ``central``, ``communities``, ``path`` and ``trends``: graph analytics over the
built graph (``confkg.analytics``), as tables or JSON; ``--write`` stores results in the graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from confkg.cli.options import OUT_DIR
from confkg.pipeline import STORE_DIR

EDGES = typer.Option("both", "--edges", help="Edges to use: asserted (relations), comention, or both.")
FORMAT = typer.Option("table", "--format", help="table or json.")
PANEL = "Graph analytics"


def register(app: typer.Typer) -> None:
    app.command("stats", rich_help_panel=PANEL)(stats_cli)
    app.command("central", rich_help_panel=PANEL)(central_cli)
    app.command("communities", rich_help_panel=PANEL)(communities_cli)
    app.command("path", rich_help_panel=PANEL)(path_cli)
    app.command("trends", rich_help_panel=PANEL)(trends_cli)


def _open(out: Path, write: bool = False):  # -> GraphStore
    from confkg.store import GraphStore

    return GraphStore.open(out / STORE_DIR, read_only=not write)


def _check(fmt: str, edges: str = "both") -> None:
    from confkg.analytics.projection import EDGE_KINDS

    if fmt not in {"table", "json"}:
        raise typer.BadParameter("use table or json", param_hint="--format")
    if edges not in EDGE_KINDS:
        raise typer.BadParameter(f"use one of {', '.join(EDGE_KINDS)}", param_hint="--edges")


def _json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=1, ensure_ascii=False))


def _tables(tables: list) -> None:
    typer.echo("\n\n".join(t.to_text() for t in tables))


def stats_cli(out: Path = OUT_DIR, edges: str = EDGES, fmt: str = FORMAT) -> None:
    """Entities by type, links by predicate, the degree distribution and the connected components."""
    from confkg.analytics.metrics import stats

    _check(fmt, edges)
    result = stats(_open(out), edges)
    _json(result.as_dict()) if fmt == "json" else _tables(result.tables())


def central_cli(
    type_: str | None = typer.Option(None, "--type", "-t", help="Rank only this type (Person, Topic, ...)."),
    by: str = typer.Option("pagerank", "--by", help="pagerank, betweenness or degree."),
    top: int = typer.Option(10, "--top", min=1, help="How many entities to show."),
    event: str | None = typer.Option(None, "--event", help="Only the part of the graph about this event or series."),
    write: bool = typer.Option(False, "--write", help="Store pagerank and degree (and --by) scores in the graph."),
    out: Path = OUT_DIR,
    edges: str = EDGES,
    fmt: str = FORMAT,
) -> None:
    """The most central entities, by PageRank, betweenness or degree."""
    from confkg.analytics.annotate import ANALYTICS_GRAPH, write_scores
    from confkg.analytics.metrics import MEASURES, central, centrality
    from confkg.analytics.projection import ENTITY_TYPES

    _check(fmt, edges)
    if by not in MEASURES:
        raise typer.BadParameter(f"use one of {', '.join(MEASURES)}", param_hint="--by")
    if type_ is not None and type_ not in ENTITY_TYPES:
        raise typer.BadParameter(f"use one of {', '.join(ENTITY_TYPES)}", param_hint="--type")
    if write and event is not None:
        raise typer.BadParameter("not with --event (scores of the whole graph)", param_hint="--write")
    store = _open(out, write)
    result = central(store, by, event=event, edges=edges)
    if fmt == "json":
        _json(result.ranking(type_=type_, top=top))
    else:
        typer.echo(result.table(type_=type_, top=top).to_text())
    if write:
        scores = {m: result.scores if m == by else centrality(result.graph, m) for m in dict.fromkeys(
            ("pagerank", "degree", by))}
        n = write_scores(store, scores)
        typer.echo(f"stored {n} scores ({', '.join(scores)}) in <{ANALYTICS_GRAPH}>", err=True)


def communities_cli(
    top: int = typer.Option(10, "--top", min=1, help="How many communities to show."),
    min_size: int = typer.Option(3, "--min-size", min=1, help="Hide communities smaller than this."),
    seed: int = typer.Option(42, "--seed", help="Seed of Louvain (same seed, same communities)."),
    resolution: float = typer.Option(1.0, "--resolution", min=0.0, help="Above 1: more, smaller communities."),
    write: bool = typer.Option(False, "--write", help="Store every community (ckg:community) in the graph."),
    out: Path = OUT_DIR,
    fmt: str = FORMAT,
) -> None:
    """Communities of the co-mention graph (Louvain), each named by its top topics and entities."""
    from confkg.analytics.annotate import ANALYTICS_GRAPH, write_communities
    from confkg.analytics.communities import communities_table, find_communities

    _check(fmt)
    store = _open(out, write)
    found = find_communities(store, seed=seed, resolution=resolution)
    if fmt == "json":
        _json([c.as_dict() for c in found if c.size >= min_size][:top])
    else:
        typer.echo(communities_table(found, top=top, min_size=min_size).to_text())
    if write:
        n = write_communities(store, found)
        typer.echo(f"stored {len(found)} communities ({n} triples) in <{ANALYTICS_GRAPH}>", err=True)


def path_cli(
    source: str = typer.Argument(..., help="Name (label or alias) or IRI of the first entity."),
    target: str = typer.Argument(..., help="Name (label or alias) or IRI of the second entity."),
    out: Path = OUT_DIR,
    edges: str = EDGES,
    fmt: str = FORMAT,
) -> None:
    """How two entities are connected: the shortest path, each hop with its note and sentence.

    Asserted relations are preferred; co-mentions (named in the same section) are the fallback."""
    from confkg.analytics.paths import find_path

    _check(fmt, edges)
    result = find_path(_open(out), source, target, edges=edges)
    _json(result.as_dict()) if fmt == "json" else typer.echo(result.to_text())


def trends_cli(
    by: str = typer.Option("year", "--by", help="Columns: year or event."),
    top: int = typer.Option(10, "--top", min=1, help="How many topics."),
    sort: str = typer.Option("total", "--sort", help="total (most mentioned) or change (largest rise)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Also draw the top topics as a PNG chart."),
    out: Path = OUT_DIR,
    fmt: str = FORMAT,
) -> None:
    """Topics per year (or event) of the notes: mention counts and the change in share."""
    from confkg.analytics.trends import SORTS, plot_trends, topic_trends

    _check(fmt)
    if by not in {"year", "event"}:
        raise typer.BadParameter("use year or event", param_hint="--by")
    if sort not in SORTS:
        raise typer.BadParameter(f"use one of {', '.join(SORTS)}", param_hint="--sort")
    trends = topic_trends(_open(out), by)
    table = trends.table(top, sort)
    if fmt == "json":
        _json({**trends.as_dict(), "top": table.records()})
    else:
        typer.echo(table.to_text())
    if output is not None:
        plot_trends(trends, output, top=top, sort=sort)
        typer.echo(f"wrote {output}", err=True)
