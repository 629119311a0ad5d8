"""A server's background Pagefind run: each edit stops it, so the rebuild has the processor to
itself; the rebuild starts it again, or, when no rebuild follows, the watcher does; and it
ends with the server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator import mkdocs_hook, related_job
from generator.build import Options
from generator.summary import Summary

SLOW = [sys.executable, "-c", "import time; time.sleep(120)"]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A serving session whose Pagefind runs are long sleeps, stopped at the end."""
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session())
    monkeypatch.setattr(related_job, "keep_workers", lambda: None)
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        assert "pagefind" in command
        process = real(SLOW, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(mkdocs_hook.subprocess, "Popen", popen)
    mkdocs_hook.on_startup("serve", True)
    yield SimpleNamespace(session=mkdocs_hook._session, started=started)
    for process in started:
        process.kill()
        process.wait()


def config(tmp_path: Path) -> Any:
    return SimpleNamespace(
        extra={}, plugins={}, site_dir=str(tmp_path), site_url="", use_directory_urls=True
    )


def built(tmp_path: Path) -> None:
    """One build that the data watcher asked for, with Pagefind as the search engine."""
    mkdocs_hook._session.generated = True
    mkdocs_hook._session.engine = "pagefind"
    mkdocs_hook.on_pre_build(config(tmp_path))
    mkdocs_hook.on_post_build(config(tmp_path))


def running(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() is None


def test_a_rebuild_stops_the_last_index_run_and_starts_a_new_one(
    server: Any, tmp_path: Path
) -> None:
    built(tmp_path)
    assert len(server.started) == 1 and running(server.started[0])
    mkdocs_hook._session.generated = True
    mkdocs_hook.on_pre_build(config(tmp_path))
    assert not running(server.started[0])  # stopped before the rebuild's work
    mkdocs_hook.on_post_build(config(tmp_path))
    assert len(server.started) == 2 and running(server.started[1])


def test_the_server_stopping_stops_the_index_run(server: Any, tmp_path: Path) -> None:
    built(tmp_path)
    mkdocs_hook.on_shutdown()
    assert not running(server.started[0])


def test_a_failed_rebuild_indexes_the_site_again(server: Any, tmp_path: Path) -> None:
    built(tmp_path)
    mkdocs_hook._session.generated = True
    mkdocs_hook.on_pre_build(config(tmp_path))
    mkdocs_hook.on_build_error(RuntimeError("a page failed"))
    assert len(server.started) == 2 and running(server.started[1])


@pytest.mark.parametrize("outcome", ["nothing written", "data error", "generator bug", "written"])
def test_an_edit_stops_the_index_run_and_resumes_it_when_no_rebuild_follows(
    server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outcome: str
) -> None:
    built(tmp_path)
    options = Options(data_dir=tmp_path / "data", docs_dir=tmp_path / "docs", config_file=None)
    seen: list[bool] = []  # whether the index run was running while the generator ran

    def regenerate(options: Options) -> Summary | None:
        seen.append(running(server.started[0]))
        if outcome == "generator bug":
            raise RuntimeError("a generator bug")
        if outcome == "data error":
            return None
        return Summary(written=1 if outcome == "written" else 0)

    rebuilds: list[bool] = []
    monkeypatch.setattr(mkdocs_hook, "regenerate", regenerate)
    monkeypatch.setattr(mkdocs_hook, "inputs_changed", lambda options: True)
    server.session.rebuild = lambda: rebuilds.append(True)
    mkdocs_hook._data_changed(options)
    assert seen == [False]
    assert rebuilds == ([True] if outcome == "written" else [])
    # A rebuild starts Pagefind when it ends; without one, the watcher starts it again.
    assert len(server.started) == (1 if outcome == "written" else 2)
    assert not running(server.started[0])


def test_a_finished_index_run_is_not_started_again(server: Any, tmp_path: Path) -> None:
    built(tmp_path)
    server.started[0].kill()
    server.started[0].wait()  # as if it had finished
    mkdocs_hook._stop_pagefind()
    mkdocs_hook._resume_pagefind()
    assert len(server.started) == 1


def test_no_index_run_is_owed_once_the_site_uses_materials_search(
    server: Any, tmp_path: Path
) -> None:
    built(tmp_path)
    mkdocs_hook._session.generated = True
    mkdocs_hook._session.engine = "material"  # the list shrank below the threshold
    mkdocs_hook.on_pre_build(config(tmp_path))
    mkdocs_hook.on_post_build(config(tmp_path))
    mkdocs_hook._resume_pagefind()  # as after an edit that rebuilt nothing
    assert len(server.started) == 1 and not running(server.started[0])
