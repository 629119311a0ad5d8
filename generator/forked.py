"""Work done in a forked child, on a second core, while this process does other work."""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from typing import IO, Generic, TypeVar

T = TypeVar("T")


class Forked(Generic[T]):
    """The result of ``work``, computed in a forked child process when that is safe, else here.

    A cold build of 10,000 papers renders its paper pages last, seconds of pure Python: a
    child, forked with the catalog and the related lists already in memory, renders half of
    them while this process renders the other half, and hands its pages back pickled through
    a temporary file. Forking is safe only in a process with no other thread (a thread could
    hold a lock the child would then wait on forever): the command line, or ``mkdocs build``.
    ``mkdocs serve``, whose watchers and server are threads, does the work here, as does a
    machine with one core or a system other than Linux. A child that fails for any reason is
    replaced by the same work here, which then raises what it raises.

    A caller whose work takes no lock another thread may hold (it only computes, and writes
    what it logs and returns to objects of its own) may fork beside threads: then it bounds its
    wait with ``result(timeout=...)``, so that a child stuck on such a lock after all costs
    the timeout, and the work is done here, rather than stopping the process.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._child: int | None = None
        self._file: IO[bytes] | None = None

    @classmethod
    def start(
        cls, work: Callable[[], T], fork: bool = True, beside_threads: bool = False
    ) -> Forked[T]:
        """Start the work in a child, when ``fork`` allows it and this process may fork
        (``beside_threads``: see the class)."""
        job = cls(work)
        if fork and can_fork(beside_threads):
            job._fork()
        return job

    def _fork(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - close() closes it
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns of any fork beside threads; the caller chose it knowingly.
                warnings.filterwarnings("ignore", "This process .* is multi-threaded")
                pid = os.fork()
        except OSError:  # no process left: do the work here
            self._file.close()
            self._file = None
            return
        if pid == 0:  # the child: never returns
            status = 1
            try:
                pickle.dump(self._work(), self._file, protocol=pickle.HIGHEST_PROTOCOL)
                self._file.flush()
                status = 0
            finally:
                os._exit(status)  # no cleanup of the parent's state, no atexit handlers
        self._child = pid

    @property
    def in_child(self) -> bool:
        """Whether a child is doing the work (else ``result`` does it here)."""
        return self._child is not None

    def result(self, timeout: float | None = None) -> T:
        """The work's result: the child's, or computed here when there was no child, it
        failed, or it did not end within ``timeout`` seconds (then it is stopped)."""
        if self._child is not None and self._file is not None:
            status = _wait(self._child, timeout)
            if status is None:
                self.close()  # stops it
                return self._work()
            self._child = None
            if os.waitstatus_to_exitcode(status) == 0:
                self._file.seek(0)
                found: T = pickle.load(self._file)
                self.close()
                return found
        self.close()
        return self._work()

    def close(self) -> None:
        """Stop and reap the child, if the build ends early; drop the result file."""
        if self._child is not None:
            try:
                os.kill(self._child, 9)
                os.waitpid(self._child, 0)
            except OSError:
                pass
            self._child = None
        if self._file is not None:
            self._file.close()
            self._file = None


def can_fork(beside_threads: bool = False) -> bool:
    """Whether this process may fork a worker: Linux (where ``fork`` is Python's own default
    way to start a process; elsewhere system libraries may not survive one), a second core,
    and no other thread, unless the caller's work may run ``beside_threads`` (see ``Forked``)."""
    return (
        sys.platform.startswith("linux")
        and (os.cpu_count() or 1) >= 2
        and (beside_threads or threading.active_count() == 1)
    )


def _wait(child: int, timeout: float | None) -> int | None:
    """The child's wait status once it ends, or None if it has not ended within ``timeout``."""
    if timeout is None:
        return os.waitpid(child, 0)[1]
    deadline = time.monotonic() + timeout
    pause = 0.0005
    while True:
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.005)
