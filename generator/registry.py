"""The registry: each paper's frozen slug and cite key, like a lockfile.

A paper's slug and key are born the first time it builds and are appended to
``data/registry.yaml``. After that they never change and are never reused, even when the
title is corrected, authors are added or the paper is removed. A curator may edit the file
by hand, to pin a key before sharing it. ``build --frozen`` fails when the file would change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import schema
from .diagnostics import Diagnostics, Location
from .model import title_identity
from .names import key_suffix, propose_key, propose_slug, slug_suffix
from .yamlio import dump_yaml, load_yaml

HEADER = """\
# Paper registry: each paper's frozen slug (page URL) and cite key (BibTeX).
# Written by `python -m generator build` the first time a paper builds; committed like a lockfile.
# Entries never change and are never removed, so published URLs and keys stay valid.
# You may edit a slug or key by hand before it is shared (keep them unique and lowercase);
# `build --frozen` (CI) fails when this file is out of date.
"""


@dataclass(frozen=True)
class Record:
    """One paper's frozen names."""

    title: str
    """The digest title the paper was born with (its identity)."""
    slug: str
    """Page name."""
    key: str
    """BibTeX cite key."""


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


class Registry:
    """Records in birth order, with lookups by identity, slug and key."""

    def __init__(self, records: list[Record]):
        self.records = list(records)
        self.by_identity = {title_identity(r.title): r for r in self.records}
        self.slugs = {r.slug for r in self.records}
        self.keys = {r.key for r in self.records}
        self.changes: list[str] = []
        # Where each base's search for a free suffix stopped: nothing is ever freed, so the
        # search resumes there instead of rescanning a, b, ... for every clash.
        self._next_suffix: dict[tuple[str, bool], int] = {}

    def assign(self, papers: list[Birth], diagnostics: Diagnostics) -> dict[str, Record]:
        """Names for every paper, by identity; new papers are born in the order given."""
        names = {}
        for paper in papers:
            identity = title_identity(paper.title)
            record = self.by_identity.get(identity) or self._born(paper)
            if paper.pin_slug and paper.pin_slug != record.slug:
                record = self._repin(record, paper, diagnostics)
            names[identity] = record
        return names

    def _born(self, paper: Birth) -> Record:
        slug = self._unique(propose_slug(paper.title), self.slugs, numbered=True)
        if paper.pin_slug and paper.pin_slug not in self.slugs:
            slug = paper.pin_slug
        key = self._unique(
            propose_key(paper.authors, paper.year, paper.title), self.keys, numbered=False
        )
        record = Record(paper.title, slug, key)
        self._add(record)
        self.changes.append(f"new paper {paper.title[:70]!r}: slug {slug}, key {key}")
        return record

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
        pinned = Record(record.title, paper.pin_slug, record.key)
        self.records[self.records.index(record)] = pinned
        self.by_identity[title_identity(record.title)] = pinned
        self.slugs.add(pinned.slug)  # the old slug stays taken: it is never reused
        self.changes.append(f"slug of {record.title[:70]!r} pinned to {pinned.slug}")
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

    def dump(self) -> str:
        """The registry file's text."""
        rows = [{"title": r.title, "slug": r.slug, "key": r.key} for r in self.records]
        return HEADER + dump_yaml({"papers": rows})


def load_registry(path: Path, shown_as: str, diagnostics: Diagnostics) -> Registry:
    """Read and check the registry; an absent file is an empty registry."""
    records: list[Record] = []
    seen: dict[str, dict[str, int]] = {"title": {}, "slug": {}, "key": {}}
    fields = {"title": schema.text, "slug": schema.slug, "key": schema.cite_key}
    for entry in schema.top_list(
        load_yaml(path, shown_as, diagnostics), "papers", shown_as, diagnostics
    ):
        checked = schema.check_entry(entry, fields, shown_as, "registry entry", diagnostics)
        if not checked or set(checked) != set(fields):
            if checked is not None and set(entry) >= set(fields):
                continue  # the bad key was already reported
            diagnostics.error(
                Location(shown_as, getattr(entry, "line", 0)),
                "registry entry: needs title, slug and key",
            )
            continue
        line = entry.line
        duplicate = False
        for name, value in (
            ("title", title_identity(checked["title"])),
            ("slug", checked["slug"]),
            ("key", checked["key"]),
        ):
            if value in seen[name]:
                diagnostics.error(
                    Location(shown_as, line),
                    f"registry entry: {name} {checked[name]!r} also at line {seen[name][value]}",
                )
                duplicate = True
            seen[name][value] = line
        if not duplicate:
            records.append(Record(checked["title"], checked["slug"], checked["key"]))
    return Registry(records)
