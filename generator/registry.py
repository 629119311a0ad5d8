"""The registry: each paper's frozen slug and cite key, like a lockfile.

A paper's slug and key are born the first time it builds and are appended to
``data/registry.yaml``. After that they never change and are never reused, even when the
title is corrected, authors are added or the paper is removed. A curator may edit the file
by hand, to pin a key before sharing it. ``build --frozen`` fails when the file would change.

One exception: a key born while its paper had no authors (``kivi2025``) is marked
``provisional``. It is derived again, once, when the paper's authors arrive (``liu2024kivi``),
and then frozen like any other. A curator who wants to keep it removes the mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .diagnostics import Diagnostics, Location, shorten
from .model import title_identity
from .names import key_suffix, propose_key, propose_slug, slug_suffix
from .yamlio import dump_yaml

HEADER = """\
# Paper registry: each paper's frozen slug (page URL) and cite key (BibTeX).
# Written by `python -m generator build` the first time a paper builds; committed like a lockfile.
# Entries never change and are never removed, so published URLs and keys stay valid.
# You may edit a slug or key by hand before it is shared (keep them unique and lowercase);
# `build --frozen` (CI) fails when this file is out of date. A key marked `provisional: true`
# was born without authors: it is derived again, once, when they arrive. Delete the mark to
# keep the key as it is.
"""


@dataclass(frozen=True)
class Record:
    """One paper's frozen names: an entry of ``registry.yaml``."""

    title: str = schema.spec(schema.text)
    """The digest title the paper was born with (its identity)."""
    slug: str = schema.spec(schema.slug)
    """Page name."""
    key: str = schema.spec(schema.cite_key)
    """BibTeX cite key."""
    provisional: bool = schema.spec(schema.boolean, False)
    """Born without authors: derived again, once, when they arrive."""
    where: Location = field(default=Location("", 0), compare=False)
    """The entry's line in ``registry.yaml``; nowhere for a paper born in this build."""


@dataclass(frozen=True)
class Birth:
    """What a paper needs to be given names."""

    title: str
    """Digest title."""
    authors: tuple[str, ...]
    """Curated authors, if any."""
    year: int
    """First-version year."""
    pin_slug: str | None
    """A slug the curator pinned in ``papers.yaml``."""
    where: Location
    """Where the paper comes from, for messages."""


@dataclass(frozen=True)
class Naming:
    """What naming the papers of one build gave: their records and the registry after it."""

    names: dict[str, Record]
    """Each paper's record, by title identity."""
    records: tuple[Record, ...]
    """The registry after this build, in birth order."""
    changes: tuple[str, ...]
    """New papers and re-pinned slugs, in words; empty when the registry file stays as it is."""

    def dump(self) -> str:
        """The registry file's text: what ``dump_yaml`` writes for the list of entries, one
        entry at a time, each remembered (``mkdocs serve`` writes the file again for every new
        paper, which took 0.2 to 0.3 s at 10,000 papers)."""
        if not self.records:
            return HEADER + dump_yaml({"papers": []})
        known = _ENTRIES.copy()
        _ENTRIES.clear()
        new = [r for r in dict.fromkeys(self.records) if r not in known]
        # The new entries in one call; each starts the only lines that start with "- ".
        texts = _ENTRY_START.split(dump_yaml([_row(r) for r in new]))[1:] if new else []
        if len(texts) != len(new):  # not expected; then one call an entry, as safe and slower
            texts = [dump_yaml([_row(r)]) for r in new]
        known.update(zip(new, texts, strict=True))
        for record in self.records:
            _ENTRIES[record] = known[record]
        return HEADER + "papers:\n" + "".join(_ENTRIES[r] for r in self.records)


def _row(record: Record) -> dict[str, object]:
    """A registry entry as written."""
    row: dict[str, object] = {"title": record.title, "slug": record.slug, "key": record.key}
    if record.provisional:
        row["provisional"] = True
    return row


_ENTRY_START = re.compile(r"^(?=- )", re.MULTILINE)
_ENTRIES: dict[Record, str] = {}
"""Each entry's text, as the last dump in this process wrote it (only that dump's entries)."""


@dataclass(frozen=True)
class Registry:
    """The registry as read from ``registry.yaml``: records in birth order."""

    records: tuple[Record, ...] = ()
    """Every paper ever born, oldest first."""

    def title_of(self, slug: str) -> str | None:
        """The title a slug was born with, if the slug is taken."""
        return next((r.title for r in self.records if r.slug == slug), None)

    def assign(self, papers: list[Birth], diagnostics: Diagnostics) -> Naming:
        """Names for every paper; new papers are born in the order given."""
        return _Namer(self.records).assign(papers, diagnostics)


class _Namer:
    """The working state of one naming: taken slugs and keys grow as papers are born."""

    def __init__(self, records: tuple[Record, ...]):
        self.records = list(records)
        self.by_identity = {title_identity(r.title): r for r in self.records}
        self.slugs = {r.slug for r in self.records}
        self.keys = {r.key for r in self.records}
        self.changes: list[str] = []
        # Where each base's search for a free suffix stopped: nothing is ever freed, so the
        # search resumes there instead of rescanning a, b, ... for every clash.
        self._next_suffix: dict[tuple[str, bool], int] = {}

    def assign(self, papers: list[Birth], diagnostics: Diagnostics) -> Naming:
        names = {}
        for paper in papers:
            identity = title_identity(paper.title)
            record = self.by_identity.get(identity) or self._born(paper)
            if record.provisional and paper.authors:
                record = self._rederive(record, paper)
            if paper.pin_slug and paper.pin_slug != record.slug:
                record = self._repin(record, paper, diagnostics)
            names[identity] = record
        return Naming(names, tuple(self.records), tuple(self.changes))

    def _born(self, paper: Birth) -> Record:
        slug = self._unique(propose_slug(paper.title), self.slugs, numbered=True)
        if paper.pin_slug and paper.pin_slug not in self.slugs:
            slug = paper.pin_slug
        key = self._unique(
            propose_key(paper.authors, paper.year, paper.title), self.keys, numbered=False
        )
        record = Record(paper.title, slug, key, provisional=not paper.authors)
        self._add(record)
        self.changes.append(f"new paper {shorten(paper.title, 70)!r}: slug {slug}, key {key}")
        return record

    def _rederive(self, record: Record, paper: Birth) -> Record:
        """The key of a paper born without authors, now that they are known; the old key stays
        taken, so it is never reused."""
        key = self._unique(
            propose_key(paper.authors, paper.year, paper.title), self.keys, numbered=False
        )
        derived = Record(record.title, record.slug, key)
        self._replace(record, derived)
        self.keys.add(key)
        self.changes.append(
            f"key of {shorten(record.title, 70)!r} derived from its authors: {record.key} -> {key}"
        )
        return derived

    def _replace(self, old: Record, new: Record) -> None:
        self.records[self.records.index(old)] = new
        self.by_identity[title_identity(old.title)] = new

    def _repin(self, record: Record, paper: Birth, diagnostics: Diagnostics) -> Record:
        assert paper.pin_slug is not None
        if paper.pin_slug in self.slugs:
            diagnostics.error(
                paper.where, f"pinned slug {paper.pin_slug!r} already belongs to another paper"
            )
            return record
        diagnostics.warn(
            paper.where,
            f"pinned slug {paper.pin_slug!r} replaces {record.slug!r}; links to the old page break",
        )
        pinned = Record(record.title, paper.pin_slug, record.key, record.provisional)
        self._replace(record, pinned)
        self.slugs.add(pinned.slug)  # the old slug stays taken: it is never reused
        self.changes.append(f"slug of {shorten(record.title, 70)!r} pinned to {pinned.slug}")
        return pinned

    def _add(self, record: Record) -> None:
        self.records.append(record)
        self.by_identity[title_identity(record.title)] = record
        self.slugs.add(record.slug)
        self.keys.add(record.key)

    def _unique(self, base: str, taken: set[str], numbered: bool) -> str:
        """``base`` if free; else ``base-2``... (slugs) or ``basea``, ``baseb``... (keys)."""
        suffix = slug_suffix if numbered else key_suffix
        index = self._next_suffix.get((base, numbered), 0)
        while base + suffix(index) in taken:
            index += 1
        self._next_suffix[(base, numbered)] = index
        return base + suffix(index)


def load_registry(path: Path, shown_as: str, diagnostics: Diagnostics) -> Registry:
    """Read and check the registry; an absent file is an empty registry."""
    records: list[Record] = []
    seen: dict[str, dict[str, int]] = {"title": {}, "slug": {}, "key": {}}
    for record in schema.load_records(
        path,
        shown_as,
        "papers",
        Record,
        lambda entry, index: "registry entry",
        diagnostics,
        by_item=True,
    ):
        line = record.where.line
        duplicate = False
        for name, value, shown in (
            ("title", title_identity(record.title), record.title),
            ("slug", record.slug, record.slug),
            ("key", record.key, record.key),
        ):
            if value in seen[name]:
                diagnostics.error(
                    record.where,
                    f"registry entry: {name} {shown!r} also at line {seen[name][value]}",
                )
                duplicate = True
            seen[name][value] = line
        if not duplicate:
            records.append(record)
    return Registry(tuple(records))
