"""``confkg serve``: a local read-only SPARQL endpoint (and the explorer) over the built graph."""

from __future__ import annotations

from pathlib import Path

import typer

from confkg.cli.options import OUT_DIR
from confkg.pipeline import HTML_FILE, STORE_DIR


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cli)


def serve_cli(
    out: Path = OUT_DIR,
    port: int = typer.Option(7878, "--port", "-p", min=0, max=65535, help="TCP port (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; the endpoint has no authentication."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not log requests."),
) -> None:
    """Serve OUT as a SPARQL 1.1 Protocol endpoint at /sparql (read-only) and the explorer at /. Ctrl+C stops."""
    from confkg.store import GraphStore
    from confkg.store.server import SparqlServer, explorer_files, stderr_log

    if host not in {"127.0.0.1", "localhost", "::1"}:
        typer.secho(f"warning: serving on {host}: anyone who can reach it can query the graph", fg="yellow", err=True)
    store = GraphStore.open(out / STORE_DIR)
    try:
        server = SparqlServer(store, host, port, files=explorer_files(out, HTML_FILE),
                              log=None if quiet else stderr_log)
    except OSError as err:
        typer.secho(f"error: cannot listen on {host}:{port}: {err.strerror or err}", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"SPARQL endpoint: {server.endpoint}")
    if "/" in server.files:
        typer.echo(f"explorer:        {server.url}/")
    typer.echo("read-only; Ctrl+C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
