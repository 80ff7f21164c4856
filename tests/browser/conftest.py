"""Browser fixtures: one headless Chromium per test module, every non-file:// request aborted.

The browser is Debian's chromium driven by Playwright (never ``playwright install``); where
either is missing the tests here skip and say why (``make test`` installs chromium with apt
when it can).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from confkg.outputs.explorer_browser import PageLog, browser_unavailable, chromium_context, open_offline

OpenPage = Callable[[Path], tuple[Any, PageLog]]


@pytest.fixture(scope="module")
def browser_context() -> Iterator[Any]:
    reason = browser_unavailable()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    with chromium_context() as context:
        yield context


@pytest.fixture
def open_page(browser_context: Any) -> Iterator[OpenPage]:
    """Open a page offline (waits until vis-network has drawn); pages are closed afterwards."""
    pages: list[Any] = []

    def opener(path: Path) -> tuple[Any, PageLog]:
        page, log = open_offline(browser_context, path)
        pages.append(page)
        return page, log

    yield opener
    for page in pages:
        page.close()
