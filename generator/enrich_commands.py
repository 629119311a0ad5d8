"""The ``add`` and ``enrich`` commands, as the command line runs them.

Exit codes: 0 every lookup answered (found or not); 1 a lookup failed or the data has errors,
and the message names each paper left unenriched; 2 usage (a bad date, an unreadable file, a
digest that would overwrite another); 130 interrupted, with every finished paper kept.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from .config import display_path
from .diagnostics import Diagnostics
from .digest import decode, parse_digest
from .enrich import Hint, curated_hints, digest_papers, enrich, open_sources
from .lockfile import LockfileError
from .review import failure_lines, printable, review_table, summary_line
from .source_settings import SettingsError, load_source_settings

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UsageError(Exception):
    """The command was asked for something it cannot do; the message says what to do instead."""


class TerminalProgress:
    """A progress bar on a terminal, one plain line per paper elsewhere (logs, CI)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: tqdm[None] | None = None
        self.done = 0
        self.total = 0

    def start(self, total: int) -> None:
        """Show the bar, when there is work and a terminal to show it on."""
        self.total = total
        if total and self.stream.isatty():
            self.bar = tqdm(total=total, file=self.stream, unit="paper", desc="enrich")

    def step(self, title: str, outcome: str) -> None:
        """One paper done."""
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        else:
            line = f"enrich [{self.done}/{self.total}] {outcome}: {printable(title)}"
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """Remove the bar before the report is printed."""
        if self.bar is not None:
            self.bar.close()


def enrich_command(data_dir: Path, refresh: bool = False, digest: str | None = None) -> int:
    """Look up what the digests' papers lack (only ``digest``'s papers, when given)."""
    try:
        settings = load_source_settings(data_dir)
    except SettingsError as problem:
        print(f"enrich: {problem}", file=sys.stderr)
        return 2
    diagnostics = Diagnostics()
    papers = digest_papers(data_dir, diagnostics)
    for error in diagnostics.errors:
        print(error, file=sys.stderr)
    if digest is not None:
        papers = {k: p for k, p in papers.items() if digest in p.digests}
    progress = TerminalProgress(sys.stderr)
    try:
        report = enrich(data_dir, open_sources(settings), papers, refresh, progress=progress)
    except LockfileError as problem:
        print(f"enrich: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        progress.close()
        print(
            "enrich: interrupted; every paper finished so far is saved in "
            f"{display_path(data_dir / 'enriched.yaml')}. "
            "Run `python -m generator enrich` to go on.",
            file=sys.stderr,
        )
        return 130
    progress.close()
    print(summary_line((report.records[i] for i in report.looked_up), len(report.failures)))
    hints = curated_hints(data_dir)
    waiting = [
        report.records[identity]
        for identity in sorted(papers)
        if identity in report.records and not _resolved(hints.get(identity))
    ]
    for line in review_table(waiting):
        print(line)
    for line in failure_lines(report.failures):
        print(line, file=sys.stderr)
    return 1 if report.failures or diagnostics.errors else 0


def _resolved(hint: Hint | None) -> bool:
    """True when the curator settled the paper with authors of their own."""
    return hint is not None and hint.has_authors


def add_command(source: Path, date: str | None, data_dir: Path) -> int:
    """Save a digest as ``data/digests/DATE.txt`` once it parses, then enrich its papers."""
    try:
        if not data_dir.is_dir():
            raise UsageError(
                f"no data folder {display_path(data_dir)!r}; run this in the project's folder, "
                "or name the folder with --data"
            )
        day = digest_date(source, date)
        raw = read_digest(source)
    except UsageError as problem:
        print(f"add: {problem}", file=sys.stderr)
        return 2
    diagnostics = Diagnostics()
    text = decode(raw, display_path(source), diagnostics)
    parsed = None
    if text is not None:
        parsed = parse_digest(text, day.isoformat(), day, display_path(source), diagnostics)
    for diagnostic in diagnostics.sorted():
        print(diagnostic, file=sys.stderr)
    if parsed is None or diagnostics.errors:
        print("add: the digest has errors; nothing was saved", file=sys.stderr)
        return 1
    target = data_dir / "digests" / f"{day.isoformat()}.txt"
    try:
        save_digest(raw, target)
    except UsageError as problem:
        print(f"add: {problem}", file=sys.stderr)
        return 2
    except OSError as failure:
        print(f"add: cannot save {display_path(target)}: {failure.strerror}", file=sys.stderr)
        return 1
    print(f"add: {display_path(target)} holds {len(parsed.entries)} paper(s)")
    return enrich_command(data_dir, digest=day.isoformat())


def digest_date(source: Path, given: str | None) -> datetime.date:
    """The digest's date: ``--date``, else the file's ``YYYY-MM-DD.txt`` name."""
    text = given if given is not None else source.stem
    if not _DATE.match(text):
        if given is not None:
            raise UsageError(f"--date must be YYYY-MM-DD; found {given!r}")
        raise UsageError(
            f"cannot tell the digest's date from its name {source.name!r}; "
            "give it with --date YYYY-MM-DD"
        )
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a real date") from None


def read_digest(source: Path) -> bytes:
    """The digest's bytes, or a UsageError naming the file."""
    try:
        return source.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {display_path(source)}: {exc.strerror}") from None


def save_digest(raw: bytes, target: Path) -> None:
    """Write the digest, unless the same bytes are already there; never replace other bytes."""
    if target.exists():
        if target.read_bytes() == raw:
            return
        raise UsageError(
            f"{display_path(target)} already exists with other content; nothing was saved. "
            "Give another --date, or merge the two digests by hand"
        )
    if target.parent.exists() and not target.parent.is_dir():
        raise UsageError(f"{display_path(target.parent)} is a file, not a folder; move it away")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".digest-", dir=target.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(raw)
    os.replace(temporary, target)
