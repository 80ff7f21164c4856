"""The ``confkg`` command: a thin typer layer over the library.

Each ``*_cmd`` module of this package parses options, calls one library function and prints;
it registers its commands through ``register(app)``, found here by name, so adding a command
is adding a module. Library errors (``ConfkgError``) become one red line on stderr and a
non-zero exit status.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

import confkg.cli
from confkg.errors import ConfkgError, QueryError

app = typer.Typer(
    name="confkg",
    help="Turn machine-learning conference notes into a queryable RDF knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = sorted(m.name for m in pkgutil.iter_modules(confkg.cli.__path__) if m.name.endswith("_cmd"))
for _name in COMMAND_MODULES:
    importlib.import_module(f"confkg.cli.{_name}").register(app)


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
