"""Work in a forked child: the same result as here, or the work done here when the child fails."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import forked, layout, render
from generator.build import Options, build
from generator.forked import Forked

from .conftest import ROOT, copy_project


@pytest.fixture
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even though earlier tests of the session left threads (servers, browsers) behind:
    they are idle, and these children only compute and pickle."""
    monkeypatch.setattr(forked, "can_fork", lambda beside_threads=False: True)


def test_a_lone_process_may_fork() -> None:
    probe = "from generator import forked; print(forked.can_fork())"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "True"


@pytest.mark.usefixtures("may_fork")
def test_the_child_computes_the_result_in_another_process() -> None:
    job = Forked.start(lambda: {"pid": os.getpid(), "text": "é" * 100_000})
    assert job.in_child
    found = job.result()
    assert not job.in_child
    assert found["pid"] != os.getpid()
    assert found["text"] == "é" * 100_000


@pytest.mark.usefixtures("may_fork")
def test_a_failing_child_is_replaced_by_the_work_here() -> None:
    calls: list[int] = []

    def work() -> int:
        calls.append(os.getpid())  # in the child, this list is the child's copy
        if len(calls) == 1 and os.getpid() != parent:
            raise RuntimeError("child failed")
        return os.getpid()

    parent = os.getpid()
    assert Forked.start(work).result() == parent
    assert calls == [parent]


@pytest.mark.usefixtures("may_fork")
def test_without_a_child_the_work_is_done_here_when_read() -> None:
    done: list[int] = []
    job = Forked.start(lambda: done.append(os.getpid()) or len(done), fork=False)
    assert not job.in_child
    assert done == []  # nothing yet: the caller chooses when the work happens
    assert job.result() == 1
    assert done == [os.getpid()]


def test_an_error_in_the_work_is_raised_here() -> None:
    def work() -> int:
        raise ValueError("bad work")

    with pytest.raises(ValueError, match="bad work"):
        Forked.start(work).result()


@pytest.mark.usefixtures("may_fork")
def test_close_stops_and_reaps_the_child() -> None:
    job = Forked.start(lambda: __import__("time").sleep(60))
    child = job._child
    assert child is not None
    job.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)


def test_no_fork_beside_another_thread() -> None:
    """The real test: a thread could hold a lock the child would wait on forever."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        job = Forked.start(os.getpid)
        assert job._child is None
        assert job.result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def outputs(docs: Path) -> dict[str, bytes]:
    """Every generated file but the manifest, which records modification times."""
    return {
        str(p.relative_to(docs)): p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and p.name != layout.MANIFEST
    }


def test_a_build_with_a_forked_child_writes_what_one_without_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seed list, built once with its exports and part of its paper pages rendered in two
    children, once without."""
    children: list[Forked[object]] = []
    pids: list[int | None] = []
    start = Forked.start

    def recorded(work: Callable[[], object], fork: bool = True) -> Forked[object]:
        children.append(start(work, fork))
        pids.append(children[-1]._child)
        return children[-1]

    monkeypatch.setattr(Forked, "start", recorded)
    monkeypatch.setattr(render, "FORK_FROM", 2)  # the seed's 96 papers are below the bar
    built = []
    for name, fork in (("forked", True), ("alone", False)):
        root = tmp_path / name
        root.mkdir()
        copy_project(root)
        monkeypatch.setattr(forked, "can_fork", lambda beside_threads=False, fork=fork: fork)
        build(Options(root / "data", root / "docs", root / "mkdocs.yml"))
        built.append(outputs(root / "docs"))
    assert len(children) == 4  # the exports' and the paper pages', in each build
    assert None not in pids[:2] and pids[2:] == [None, None]  # two children, then none
    assert all(job._child is None and job._file is None for job in children)  # reaped, closed
    forked_docs, alone_docs = built
    assert len(forked_docs) > 200
    assert forked_docs == alone_docs


def test_a_child_may_be_forked_beside_threads_and_its_wait_is_bounded() -> None:
    """A server forks beside its threads; a child that does not end in time (as one stuck on
    a lock a thread held at the fork would not) is stopped, and the work is done here."""
    import threading
    import time

    parent = os.getpid()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert forked.can_fork(beside_threads=True)
        quick = Forked.start(os.getpid, beside_threads=True)
        assert quick.in_child
        assert quick.result(timeout=30) not in (None, parent)

        def stuck() -> int:
            if os.getpid() != parent:
                time.sleep(60)
            return os.getpid()

        job = Forked.start(stuck, beside_threads=True)
        child = job._child
        assert child is not None
        started = time.monotonic()
        assert job.result(timeout=0.3) == parent
        assert time.monotonic() - started < 10
        with pytest.raises(ChildProcessError):  # stopped and reaped
            os.waitpid(child, os.WNOHANG)
    finally:
        stop.set()
        thread.join()
