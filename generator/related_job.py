"""Related papers, computed beside the rest of the build (``related.py`` computes them)."""

from __future__ import annotations

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


class RelatedJob:
    """Related papers, computed beside the rest of the build.

    Importing NumPy and SciPy's sparse matrices costs half a second, and the computation
    seconds at 10,000 papers. So a build that starts cold runs it in a second process,
    started before the data is even read: its import and computation then overlap the
    gathering and the rendering of everything else, on a second core. A process that has
    loaded ``related`` already computes here: ``mkdocs serve``, whose hook imports it once for
    its many rebuilds, and the test suite. So does a machine with one core.
    """

    def __init__(self, worker: subprocess.Popen[bytes] | None) -> None:
        self._worker = worker
        self._rows: list[tuple[str, str, str | None]] | None = None

    @classmethod
    def start(cls) -> RelatedJob:
        """A job; with a worker process when ``related`` is not loaded here yet."""
        in_process = f"{__package__}.related" in sys.modules or (os.cpu_count() or 1) < 2
        return cls(None) if in_process else cls.spawn()

    @classmethod
    def spawn(cls) -> RelatedJob:
        """A job with a worker process (``work``, below)."""
        root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        try:
            worker = subprocess.Popen(
                [sys.executable, "-c", f"from {__package__}.related_job import work; work()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                # A failing worker is replaced by the computation here, which shows the error.
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )
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
        if self._worker is not None and self._worker.stdin is not None:
            try:
                with self._worker.stdin as pipe:
                    pickle.dump(rows, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except OSError:  # the worker died: compute here instead
                self.close()

    def result(self) -> dict[str, tuple[Relation, ...]]:
        """Each paper's related papers, by slug (the same lists wherever computed)."""
        if self._worker is not None and self._worker.stdout is not None:
            with self._worker.stdout as pipe:
                out = pipe.read()
            failed, self._worker = self._worker.wait() != 0, None
            if not failed:  # else compute here: a bug in relating then shows its traceback
                lists = pickle.loads(out)
                return {slug: tuple(Relation(*r) for r in found) for slug, found in lists.items()}
        from .related import related_rows

        return related_rows(tuple(self._rows or ()))

    def worker_pid(self) -> int | None:
        """The worker's process id, while there is one."""
        return self._worker.pid if self._worker is not None else None

    def close(self) -> None:
        """Stop the worker, if the build ends early."""
        if self._worker is not None:
            self._worker.kill()
            self._worker.wait()
            for pipe in (self._worker.stdin, self._worker.stdout):
                if pipe is not None:
                    pipe.close()
            self._worker = None


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
    lists = {
        slug: [(r.slug, float(r.score), tuple(map(str, r.terms))) for r in rs]
        for slug, rs in found.items()
    }
    sys.stdout.buffer.write(pickle.dumps(lists, protocol=pickle.HIGHEST_PROTOCOL))
