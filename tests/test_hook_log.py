"""The MkDocs hook's log: a server that builds after every edit shows each data warning once."""

from __future__ import annotations

import logging

import pytest

from generator import mkdocs_hook
from generator.build import Options

from .conftest import Project, abstract


def test_a_server_logs_each_warning_when_it_first_appears(
    project: Project, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session(command="serve"))
    options = Options(data_dir=project.data, docs_dir=project.docs, config_file=None)
    project.digest("2025-03-20.txt", [("Vision Paper", abstract()), ("Quantum Soup", abstract())])

    def logged() -> tuple[list[str], list[str]]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs.hooks.generator"):
            assert mkdocs_hook.regenerate(options) is not None
        records = caplog.records
        return (
            [r.getMessage() for r in records if r.levelno == logging.WARNING],
            [r.getMessage() for r in records if r.levelno == logging.INFO],
        )

    first, _ = logged()
    assert any("no topic matched 'Quantum Soup'" in w for w in first)
    # No topic for the soup, no authors for either paper, no paper in the language topic.
    assert len(first) == 4
    again, info = logged()
    assert again == []
    assert "4 data warnings as before (not repeated)" in info
    project.digest("2025-03-21.txt", [("Quantum Stew", abstract())], date_line="Mar 21")
    new, info = logged()
    assert len(new) == 2 and all("Quantum Stew" in w for w in new)
    assert "4 data warnings as before (not repeated)" in info


def test_a_single_build_logs_every_warning(
    project: Project, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session(command="build"))
    options = Options(data_dir=project.data, docs_dir=project.docs, config_file=None)
    project.digest("2025-03-20.txt", [("Quantum Soup", abstract())])
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.generator"):
        mkdocs_hook.regenerate(options)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 4  # no topic, no authors, and neither topic holds a paper
