"""Browser-test harness: a static server on 127.0.0.1 and Chromium driven by Playwright.

The browser is a setting: ``READING_LIST_CHROMIUM`` names its executable (default: Debian's
``/usr/bin/chromium``, no download), or is ``playwright`` for Playwright's own build (used on
GitHub's runners, where ``/usr/bin/chromium`` is a snap stub).
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_options() -> dict[str, Any]:
    """Playwright launch options for the configured Chromium."""
    setting = os.environ.get("READING_LIST_CHROMIUM", "/usr/bin/chromium")
    options: dict[str, Any] = {"args": CHROMIUM_ARGS}
    if setting != "playwright":
        if not Path(setting).exists():
            pytest.fail(
                f"Chromium not found at {setting}: run ./dev.sh test (it installs Debian's chromium) "
                "or set READING_LIST_CHROMIUM"
            )
        options["executable_path"] = setting
    return options


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base signature
        pass


@contextmanager
def static_server(root: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build_site(project: Path) -> Path:
    """Run ``mkdocs build --strict`` in a project folder; return its site/."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


class PageWatch:
    """Records what a page did that a reader would not want: errors, failures, foreign hosts."""

    def __init__(self, page: Any, base_url: str):
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        origin = base_url.rstrip("/")

        def on_request(request: Any) -> None:
            if not request.url.startswith((origin + "/", "data:", "blob:", "about:")):
                self.foreign.append(request.url)

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("request", on_request)
        page.on("dialog", on_dialog)

    def assert_clean(self) -> None:
        assert (self.console_errors, self.failed, self.foreign, self.dialogs) == ([], [], [], [])


SEARCH_BOX = {"material": "input.md-search__input", "pagefind": ".pagefind-ui__search-input"}
SEARCH_RESULT = {"material": ".md-search-result__item", "pagefind": ".pagefind-ui__result"}


def search(page: Any, base_url: str, query: str, engine: str = "material") -> Any:
    """Type a query into the site's search box; return the result items once one shows."""
    from playwright.sync_api import expect

    page.goto(base_url, wait_until="networkidle")
    page.locator(SEARCH_BOX[engine]).click()
    page.locator(SEARCH_BOX[engine]).press_sequentially(query, delay=20)
    results = page.locator(SEARCH_RESULT[engine])
    expect(results.first).to_be_visible(timeout=15000)
    return results


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot under test-artifacts/screenshots/."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path
