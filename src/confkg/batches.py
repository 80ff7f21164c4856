"""Cutting a stream into lists of a bounded size: the store's loader, its sorter and ``push``
each work a chunk at a time so that memory does not grow with the graph.

``itertools.batched`` does this from Python 3.12 (as tuples); confkg supports 3.11.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items of ``items`` (the last one shorter); none when empty."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
