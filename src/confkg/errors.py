"""Errors the library raises; the CLI turns each into one line naming the file and the problem."""

from __future__ import annotations


class ConfkgError(Exception):
    """Base class: ``str(err)`` is a complete one-line message for the user."""


class NoteError(ConfkgError):
    """A note could not be read (missing, binary, not UTF-8, broken front matter)."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")

    def __reduce__(self) -> tuple[type[NoteError], tuple[str, str]]:
        # sent back from the worker process that read the note (``parallel.WorkerPool.read``)
        return type(self), (self.path, self.problem)


class InputError(ConfkgError):
    """The paths given to a command hold nothing that can be built."""


class ModelError(ConfkgError):
    """No spaCy model could be loaded."""


class StoreError(ConfkgError):
    """The graph store is missing or cannot be opened."""


class QueryError(ConfkgError):
    """A SPARQL query could not be parsed or is not allowed (updates are refused)."""
