"""Thin MkDocs hook: run the generator before each build, and keep ``mkdocs serve`` alive.

In ``mkdocs serve``, a data error is logged as ``path:line: message`` and the server keeps
serving the last good pages. In ``mkdocs build``, it aborts the build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

from generator.build import Options, build
from generator.diagnostics import DataError

log = logging.getLogger("mkdocs.hooks.generator")
_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is ``serve``, where errors must not stop the server."""
    global _command
    _command = command


def on_pre_build(config: Any) -> None:
    """Regenerate docs/ from data/ next to mkdocs.yml."""
    root = Path(config.config_file_path).parent
    options = Options(
        data_dir=root / "data",
        docs_dir=Path(config.docs_dir),
        config_file=None,
        site_url=config.site_url or None,
    )
    try:
        summary = build(options)
    except DataError as failure:
        for diagnostic in failure.diagnostics.sorted():
            log.error(str(diagnostic))
        if _command != "serve":
            raise Abort("the reading-list data has errors; nothing was generated") from None
        log.error("data errors: still serving the last good pages")
        return
    for warning in summary.warnings:
        log.warning(str(warning))
    log.info("generator: " + "; ".join(summary.lines()[:3]))
