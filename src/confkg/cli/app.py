"""The ``confkg`` command: a thin typer layer over the library.

Each command module parses options, calls one library function and prints; library errors
(``ConfkgError``) become one red line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import sys

import typer

from confkg.cli import build_cmd, entities_cmd, eval_cmd, explain_cmd, export_cmd, mentions_cmd, query_cmd
from confkg.errors import ConfkgError, QueryError

app = typer.Typer(
    name="confkg",
    help="Turn machine-learning conference notes into a queryable RDF knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for module in (build_cmd, query_cmd, export_cmd, entities_cmd, explain_cmd, mentions_cmd, eval_cmd):
    module.register(app)


def main() -> None:
    """Console entry point: run the app, turning library errors into one-line messages."""
    try:
        app()
    except QueryError as err:
        typer.secho(f"error: {err}", fg="red", err=True)
        sys.exit(2)
    except ConfkgError as err:
        typer.secho(f"error: {err}", fg="red", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
