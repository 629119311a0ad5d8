"""``data/enriched.yaml``: what ``add`` and ``enrich`` found, with where and how they found it.

The file is machine-written, sorted by title identity and free of run-dependent noise other
than each lookup's date, so a rerun that finds the same things writes the same bytes. It is
written whole after each paper (temp file, then ``os.replace``): an interrupted run keeps every
paper it finished. The curator's ``data/papers.yaml`` is never written; its values win.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from .diagnostics import Diagnostics, Location
from .model import title_identity
from .plain import one_line
from .yamlio import dump_yaml

Status = Literal["found", "review", "not_found"]
STATUSES: tuple[Status, ...] = ("found", "review", "not_found")

HEADER = """\
# Machine-written by `python -m generator add` and `python -m generator enrich`: do not edit.
# Metadata found in arXiv's API and DBLP for digest papers, with the URL, method, score and
# date of each lookup. Correct a paper in data/papers.yaml instead: its values always win.
# To accept a review candidate, add `arxiv: '<id>'` to the paper's entry in data/papers.yaml.
"""


class LockfileError(Exception):
    """The lockfile cannot be read; the message names the file and the record."""


@dataclass(frozen=True)
class Provenance:
    """One lookup that contributed to a record."""

    source: str
    """``arxiv`` or ``dblp``."""
    url: str
    """The exact query URL."""
    method: str
    """``title-exact``, ``title-fuzzy``, ``id`` or ``no-venue`` (DBLP answered, no venue)."""
    score: float | None
    """Title similarity of the accepted answer, 0 to 100."""
    fetched: str
    """The date of the lookup, ``2026-11-30``."""


@dataclass(frozen=True)
class Candidate:
    """A possible match the curator may accept."""

    source: str
    id: str
    title: str
    first_author: str | None
    year: int | None
    score: float


@dataclass(frozen=True)
class EnrichedRecord:
    """What the sources say about one digest paper."""

    title: str
    """The digest's title: the paper's identity."""
    status: Status
    """``found``, ``review`` (candidates, none accepted) or ``not_found``."""
    arxiv: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    """The first arXiv version's year."""
    primary_class: str | None = None
    doi: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    venue: str | None = None
    """DBLP's venue acronym and year, ``SOSP 2023``; None when only a preprint is known."""
    venue_kind: str | None = None
    """``conference`` or ``journal``."""
    venue_year: int | None = None
    pages: str | None = None
    provenance: tuple[Provenance, ...] = ()
    candidates: tuple[Candidate, ...] = field(default=())
    """For ``review``: the candidates, best first."""

    def asked(self, source: str) -> bool:
        """True when this source answered a lookup for the record."""
        return any(p.source == source for p in self.provenance)


Lockfile = dict[str, EnrichedRecord]
"""Records by title identity."""


def load_lockfile(path: Path) -> Lockfile:
    """The records in ``path``; empty when the file does not exist."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problem = (
            f"{path}: cannot read ({type(exc).__name__}); delete it to look everything up again"
        )
        raise LockfileError(problem) from None
    if loaded is None:
        return {}
    papers = loaded.get("papers", []) if isinstance(loaded, dict) else None
    if not isinstance(papers, list):
        raise LockfileError(f"{path}: expected a mapping with a `papers` list")
    records: Lockfile = {}
    for number, item in enumerate(papers, start=1):
        try:
            record = record_from_yaml(item)
        except (TypeError, ValueError) as exc:
            raise LockfileError(f"{path}: record {number}: {exc}") from None
        records[title_identity(record.title)] = record
    return records


def read_enriched(path: Path, shown_as: str, diagnostics: Diagnostics) -> Lockfile:
    """The lockfile for a build: a damaged file is an error naming it, never a traceback."""
    try:
        return load_lockfile(path)
    except LockfileError as exc:
        problem = str(exc).removeprefix(f"{path}: ")
        diagnostics.error(Location(shown_as, 0), problem)
        return {}


def record_from_yaml(item: Any) -> EnrichedRecord:
    """One record from its YAML mapping; TypeError or ValueError when it has another shape."""
    if not isinstance(item, dict) or not isinstance(item.get("title"), str):
        raise ValueError("expected a mapping with a `title`")
    if item.get("status") not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    for key in ("year", "venue_year"):
        if not isinstance(item.get(key), int | None):
            raise ValueError(f"{key} must be a whole number")
    known = {f.name for f in fields(EnrichedRecord)}
    # Written by `enrich` from answers already made plain; a hand edit may have added a
    # control character through a YAML escape, which no page may carry.
    values: dict[str, Any] = {
        k: one_line(v) if isinstance(v, str) else v for k, v in item.items() if k in known
    }
    values["authors"] = tuple(one_line(str(a)) for a in values.get("authors") or ())
    values["provenance"] = tuple(
        Provenance(**_fill(p, Provenance)) for p in item.get("provenance") or ()
    )
    values["candidates"] = tuple(
        Candidate(**_fill(c, Candidate)) for c in item.get("candidates") or ()
    )
    return EnrichedRecord(**values)


def _fill(item: Any, kind: type) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"expected a mapping for {kind.__name__.lower()}")
    return {f.name: item.get(f.name) for f in fields(kind)}


def dump_lockfile(records: Iterable[EnrichedRecord]) -> str:
    """The lockfile's text: header, then records sorted by title identity."""
    ordered = sorted(records, key=lambda r: (title_identity(r.title), r.title))
    return HEADER + dump_yaml({"papers": [record_to_yaml(r) for r in ordered]})


def record_to_yaml(record: EnrichedRecord) -> dict[str, Any]:
    """A record as plain data, leaving out what is empty."""
    data: dict[str, Any] = {}
    for item in fields(record):
        value = getattr(record, item.name)
        if item.name in ("provenance", "candidates"):
            value = [_plain(v) for v in value]
        elif isinstance(value, tuple):
            value = list(value)
        if value not in (None, [], ""):
            data[item.name] = value
    return data


def _plain(value: Provenance | Candidate) -> dict[str, Any]:
    return {
        f.name: getattr(value, f.name) for f in fields(value) if getattr(value, f.name) is not None
    }


def write_lockfile(path: Path, records: Mapping[str, EnrichedRecord]) -> None:
    """Replace the lockfile atomically, so a crash leaves the old file or the new one."""
    text = dump_lockfile(records.values())
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return  # A rerun that found nothing new leaves the file (and its mtime) alone.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".enriched-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
