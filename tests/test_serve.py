"""A real ``mkdocs serve``: curator edits show up, and a broken edit never kills the server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .browser import free_port
from .conftest import copy_project

pytestmark = pytest.mark.browser
MAMBA = "papers/mamba-linear-time-sequence-modeling-selective/"
TITLE_LINE = "- title: 'Mamba: Linear-Time Sequence Modeling with Selective State Spaces'\n"


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path, subprocess.Popen[bytes]]]:
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=stream,
            stderr=subprocess.STDOUT,
            # mkdocs.yml reads site_url through !ENV; serve mounts the site at its path.
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"},
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for(lambda: "Mamba" in fetch(base + MAMBA), "mkdocs serve to start")
            yield project, base, log, process
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_note_edit_shows_after_reload_and_broken_edit_keeps_serving(
    served, browser: Browser
) -> None:
    project, base, log, process = served
    papers = project / "data/papers.yaml"
    text = papers.read_text()
    assert TITLE_LINE in text
    papers.write_text(
        text.replace(TITLE_LINE, TITLE_LINE + "  notes: A curator note, xyzzy-plugh.\n")
    )
    context = browser.new_context()
    page = context.new_page()
    try:

        def note_shown() -> bool:
            page.goto(base + MAMBA, wait_until="domcontentloaded")
            return page.locator(".rl-notes", has_text="xyzzy-plugh").count() == 1

        wait_for(note_shown, "the edited note to show")
        papers.write_text(text.replace(TITLE_LINE, TITLE_LINE + "  year: [unclosed\n"))
        wait_for(
            lambda: (
                "papers.yaml:" in log.read_text(errors="replace")
                and "error" in log.read_text(errors="replace")
            ),
            "the path:line error in the server's log",
        )
        time.sleep(2)
        assert process.poll() is None, "mkdocs serve died on a data error"
        page.goto(base + MAMBA, wait_until="domcontentloaded")
        assert page.locator("h1").count() == 1
        assert page.locator(".rl-notes", has_text="xyzzy-plugh").count() == 1  # the last good page
    finally:
        context.close()
    output = log.read_text(errors="replace")
    assert "Traceback" not in output
    error_lines = [line for line in output.splitlines() if "papers.yaml:" in line]
    assert any("not valid YAML" in line for line in error_lines), error_lines
