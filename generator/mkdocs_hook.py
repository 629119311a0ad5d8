"""Thin MkDocs hook: run the generator before each build, and keep ``mkdocs serve`` alive.

In ``mkdocs serve``, a data error is logged as ``path:line: message`` and the server keeps
serving the last good pages. In ``mkdocs build``, it aborts the build. When the list uses
Pagefind (``search`` in ``data/settings.yaml``), Material's search is switched off and Pagefind
indexes the paper pages after the build.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from generator.build import Options, build
from generator.diagnostics import DataError
from generator.layout import Urls

log = logging.getLogger("mkdocs.hooks.generator")
_state = {"command": "build", "engine": "material"}


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is ``serve``, where errors must not stop the server."""
    _state["command"] = command


def on_pre_build(config: Any) -> None:
    """Regenerate docs/ from data/ next to mkdocs.yml, and choose the search engine."""
    root = Path(config.config_file_path).parent
    options = Options(
        data_dir=root / "data",
        docs_dir=Path(config.docs_dir),
        config_file=None,
        site_url=config.site_url or None,
        directory_urls=config.use_directory_urls,
    )
    try:
        summary = build(options)
    except DataError as failure:
        for diagnostic in failure.diagnostics.sorted():
            log.error(str(diagnostic))
        if _state["command"] != "serve":
            raise Abort("the reading-list data has errors; nothing was generated") from None
        log.error("data errors: still serving the last good pages")
        return
    for warning in summary.warnings:
        log.warning(str(warning))
    log.info("generator: " + "; ".join(summary.lines()[:3]))
    _state["engine"] = summary.search_engine
    config.extra["search_engine"] = summary.search_engine
    search = config.plugins.get("material/search")
    if search is not None:
        search.config.enabled = summary.search_engine == "material"


def on_post_build(config: Any) -> None:
    """Index the paper pages with Pagefind, when the list uses it."""
    if _state["engine"] != "pagefind":
        return
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        config.site_dir,
        "--glob",
        Urls(config.site_url or "", config.use_directory_urls).built_paper_pages(),
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log.error(f"Pagefind failed: {done.stderr.strip() or done.stdout.strip()}")
        if _state["command"] != "serve":
            raise Abort("Pagefind could not index the site")
