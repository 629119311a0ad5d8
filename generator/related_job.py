"""Related papers, computed beside the rest of the build (``related.py`` computes them)."""

from __future__ import annotations

import atexit
import gc
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .related import Relatable


class Text(NamedTuple):
    """What relating needs of a paper: a build has it once papers are named, before their
    topics and venues; the worker process receives it as plain rows."""

    slug: str
    title: str
    abstract: str | None


@dataclass(frozen=True)
class Relation:
    """One related paper, and why."""

    slug: str
    """The related paper."""
    score: float
    """Cosine similarity of the two papers' strongest terms, rounded."""
    terms: tuple[str, ...]
    """The shared terms that weigh most in the score."""


Rows = list[tuple[str, str, "str | None"]]
Lists = dict[str, tuple[Relation, ...]]


class RelatedJob:
    """Related papers, computed beside the rest of the build.

    Importing NumPy and SciPy's sparse matrices costs half a second, and the computation
    seconds at 10,000 papers. So a build that starts cold runs it in a second process,
    started before the data is even read: its import and computation then overlap the
    gathering and the rendering of everything else, on a second core. A server's builds use
    the workers it keeps (``Workers``, below). A process that has loaded ``related`` already
    computes here (the test suite), and so does a machine with one core.
    """

    def __init__(self, worker: subprocess.Popen[bytes] | None, kept: Workers | None = None) -> None:
        self._worker = worker
        self._kept = kept
        self._rows: Rows | None = None

    @classmethod
    def start(cls) -> RelatedJob:
        """A job: with the server's workers, or a worker process of its own when ``related``
        is not loaded here."""
        if _workers is not None:
            return cls(None, _workers)
        in_process = f"{__package__}.related" in sys.modules or (os.cpu_count() or 1) < 2
        return cls(None) if in_process else cls.spawn()

    @classmethod
    def spawn(cls) -> RelatedJob:
        """A job with a worker process (``work``, below)."""
        try:
            worker = _start("work")
        except OSError:  # no second process here: compute in this one
            return cls(None)
        return cls(worker)

    def submit(self, papers: Sequence[Relatable]) -> None:
        """The papers to relate (the worker starts on them at once).

        A build submits them as soon as they are named, and again once the catalog is whole:
        the same slugs and texts change nothing; others (a bug) are related here instead."""
        rows = [(p.slug, p.title, p.abstract) for p in papers]
        if self._rows is not None:
            if rows == self._rows:
                return
            self.close()  # the worker has the first papers: relate these here
        self._rows = rows
        if self._kept is not None and not self._kept.send(rows):
            self._kept = None
        if self._worker is not None and self._worker.stdin is not None:
            try:
                with self._worker.stdin as pipe:
                    pickle.dump(rows, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except OSError:  # the worker died: compute here instead
                self.close()

    def result(self) -> Lists:
        """Each paper's related papers, by slug (the same lists wherever computed)."""
        if self._kept is not None:
            found = self._kept.receive()
            self._kept = None
            if found is not None:
                return found
        if self._worker is not None and self._worker.stdout is not None:
            with self._worker.stdout as pipe:
                out = pipe.read()
            failed, self._worker = self._worker.wait() != 0, None
            if not failed:  # else compute here: a bug in relating then shows its traceback
                return _lists(pickle.loads(out))
        from .related import related_rows

        return related_rows(tuple(self._rows or ()))

    def worker_pid(self) -> int | None:
        """The worker's process id, while there is one."""
        return self._worker.pid if self._worker is not None else None

    def close(self) -> None:
        """Stop the worker, if the build ends early (the server's workers drop the unread
        lists)."""
        if self._kept is not None:
            self._kept.drop()
            self._kept = None
        if self._worker is not None:
            self._worker.kill()
            self._worker.wait()
            for pipe in (self._worker.stdin, self._worker.stdout):
                if pipe is not None:
                    pipe.close()
            self._worker = None


def _start(name: str, *args: int) -> subprocess.Popen[bytes]:
    """A worker process running ``name(*args)`` of this module."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-c", f"from {__package__}.related_job import {name}; {name}{args!r}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        # A failing worker is replaced by the computation here, which shows the error.
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": path},
    )


def _lists(plain: dict[str, list[tuple[str, float, tuple[str, ...]]]]) -> Lists:
    return {slug: tuple(Relation(*r) for r in found) for slug, found in plain.items()}


def _plain(found: Lists) -> dict[str, list[tuple[str, float, tuple[str, ...]]]]:
    return {
        slug: [(r.slug, float(r.score), tuple(map(str, r.terms))) for r in rs]
        for slug, rs in found.items()
    }


class Workers:
    """The related-papers workers a server keeps for its many builds.

    Each is a process that has imported NumPy and SciPy once and remembers its texts' term
    ids; each computes the lists of its share of the papers (``related_papers``' ``share``),
    so the computation (about 1.7 s at 10,000 papers) runs on every core while the build renders
    everything else. The lists of the last papers are remembered here: an edit that changes
    no title or abstract sends nothing. A worker that fails is started again at the next
    build, and this build's lists are computed in the server's process.

    The server's threads make ``fork`` unsafe, but a worker is a new program
    (``subprocess``), and it ends when its pipe closes, that is with the server.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._procs: list[subprocess.Popen[bytes]] = []
        self._last: tuple[Rows, Lists] | None = None
        self._asked: Rows | None = None

    def send(self, rows: Rows) -> bool:
        """Ask for these papers' lists; False if no worker could take them."""
        self._asked = rows
        if self._last is not None and self._last[0] == rows:
            self._last = (rows, self._last[1])  # ``receive`` and ``drop`` know them by identity
            return True
        try:
            procs = self._started()
            request = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
            for proc in procs:
                assert proc.stdin is not None
                proc.stdin.write(request)
                proc.stdin.flush()
        except OSError:
            self.stop()
            return False
        return True

    def receive(self) -> Lists | None:
        """The lists asked for, or None if a worker failed (the caller computes them)."""
        rows, self._asked = self._asked, None
        if rows is None:
            return None
        if self._last is not None and self._last[0] is rows:
            return self._last[1]
        found: Lists = {}
        try:
            for proc in self._procs:
                assert proc.stdout is not None
                found.update(_lists(pickle.load(proc.stdout)))
        except (OSError, EOFError, pickle.UnpicklingError):
            self.stop()
            return None
        self._last = (rows, found)
        return found

    def drop(self) -> None:
        """Forget a request whose lists will not be read: the workers are stopped (they are
        busy with it) and started again at the next build."""
        if self._asked is not None and not (self._last and self._last[0] is self._asked):
            self.stop()
        self._asked = None

    def _started(self) -> list[subprocess.Popen[bytes]]:
        if len(self._procs) != self.size or any(p.poll() is not None for p in self._procs):
            self.stop()
            self._procs = [_start("serve_lists", part, self.size) for part in range(self.size)]
        return self._procs

    def stop(self) -> None:
        for proc in self._procs:
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    pipe.close()
        self._procs = []


_workers: Workers | None = None


def keep_workers() -> None:
    """From now on, builds in this process relate papers with kept workers (``mkdocs
    serve``); on one core, here."""
    global _workers
    cores = os.cpu_count() or 1
    if cores < 2:
        from . import related  # noqa: F401 - loaded once for every build
    elif _workers is None:
        _workers = Workers(min(cores, 2))
        atexit.register(_workers.stop)


def serve_lists(part: int, parts: int) -> None:
    """A kept worker: read rows, write the lists of its share of them, until the pipe ends."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            rows = pickle.load(source)
        except EOFError:
            return
        # Imported once the first rows are read, so the server never waits on a full pipe.
        from .related import related_papers

        found = related_papers([Text(*row) for row in rows], share=(part, parts))
        pickle.dump(_plain(found), sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


def work() -> None:
    """The worker: read the papers' slugs, titles and abstracts, write their related lists
    as plain tuples. The input is read while ``related`` imports NumPy and SciPy, so the
    build never waits on a full pipe."""
    gc.disable()  # a short-lived process that makes no reference cycles worth collecting
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(sys.stdin.buffer.read()))
    reader.start()
    from .related import related_rows

    reader.join()
    found = related_rows(tuple(pickle.loads(received[0])))
    sys.stdout.buffer.write(pickle.dumps(_plain(found), protocol=pickle.HIGHEST_PROTOCOL))
