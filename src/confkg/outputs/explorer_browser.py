"""Opening explorer pages in a real headless Chromium, fully offline (tests, benchmark, screenshot).

Debian's ``chromium`` is driven by Playwright (``pip install playwright``; never ``playwright
install``: the browser is the system's). Every request whose URL is not ``file://`` is aborted
and recorded, console errors, page errors, failed requests and dialogs are recorded, so a
caller can assert that a page asked for nothing and ran nothing it should not have.

Playwright is a test extra, imported only when a browser is launched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
VIEWPORT = {"width": 1400, "height": 860}


def find_chromium() -> Path | None:
    """``$CONFKG_CHROMIUM`` if set, else Debian's chromium."""
    override = os.environ.get("CONFKG_CHROMIUM")
    candidates = (override,) if override else CHROMIUM_CANDIDATES
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return Path(c)
    return None


def browser_unavailable() -> str | None:
    """Why no browser can be driven here, or None when one can."""
    chromium = find_chromium()
    if chromium is None:
        where = os.environ.get("CONFKG_CHROMIUM") or " or ".join(CHROMIUM_CANDIDATES)
        return f"no Chromium at {where} (apt-get install chromium, or set CONFKG_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright; the browser is Debian's chromium)"
    return None


@contextmanager
def chromium_context(viewport: dict[str, int] | None = None) -> Iterator[Any]:
    """A Playwright browser context of a headless Chromium with a fresh user data dir, offline."""
    reason = browser_unavailable()
    if reason:
        raise RuntimeError(reason)
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="confkg-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=str(find_chromium()),
                headless=True,
                args=list(CHROMIUM_ARGS),
                viewport=viewport or VIEWPORT,
                service_workers="block",
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class PageLog:
    """What a page did that it should not: filled in while the page is open."""

    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"console error: {m}" for m in self.console_errors),
            *(f"page error: {m}" for m in self.page_errors),
            *(f"blocked request: {u}" for u in self.blocked),
            *(f"failed request: {u}" for u in self.failed),
            *(f"dialog: {m}" for m in self.dialogs),
        ]


def open_offline(context: Any, path: Path, *, timeout: float = 60.0) -> tuple[Any, PageLog]:
    """Open ``path`` in a new page with every non-file request aborted; wait until drawn."""
    page = context.new_page()
    log = PageLog()

    def route(r: Any) -> None:
        log.requests.append(r.request.url)
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            log.blocked.append(r.request.url)
            r.abort()

    def on_dialog(d: Any) -> None:
        log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: log.failed.append(r.url) if r.url not in log.blocked else None)
    page.on("dialog", on_dialog)
    page.route("**/*", route)
    page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
    wait_drawn(page, timeout=timeout)
    return page, log


def wait_drawn(page: Any, *, timeout: float = 60.0) -> None:
    """Until vis-network has drawn once (the page sets ``window.ckg.ready``).

    Polled with ``evaluate``, not ``wait_for_function``: the latter compiles code in the page,
    which the page's Content-Security-Policy forbids.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate("() => Boolean(window.ckg && window.ckg.ready)"):
        if time.monotonic() > deadline:
            raise TimeoutError("the explorer did not draw")
        page.wait_for_timeout(20)


def screenshot(html: Path, png: Path, *, search: str | None = None, viewport: dict[str, int] | None = None) -> Path:
    """A PNG of the explorer at ``html``, optionally after finding ``search`` in it."""
    with chromium_context(viewport) as context:
        page, log = open_offline(context, html)
        if search:
            page.fill("#search", search)
            page.press("#search", "Enter")
            page.wait_for_timeout(900)  # the zoom animation
        page.screenshot(path=str(png))
        if log.problems():
            raise RuntimeError("; ".join(log.problems()))
    return png
