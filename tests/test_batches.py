"""``batches.batched``: the chunking that the store's loader, sorter and ``push`` share."""

from __future__ import annotations

import pytest

from confkg.batches import batched


@pytest.mark.parametrize(("n", "size"), [(0, 3), (1, 3), (3, 3), (7, 3), (7, 1), (5, 10)])
def test_batches_cover_the_items_in_order_and_only_the_last_is_short(n: int, size: int) -> None:
    got = list(batched(iter(range(n)), size))
    assert [x for batch in got for x in batch] == list(range(n))
    assert all(len(batch) == size for batch in got[:-1])
    assert all(0 < len(batch) <= size for batch in got)
    assert len(got) == -(-n // size)


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(batched([1, 2], 0))
