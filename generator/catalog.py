"""Merge every digest and the curation into one catalog.

Two entries are the same paper when their titles have the same ``title_identity``. A paper
in several digests is normal and merged quietly; the same paper twice in one digest, or with
two different abstracts, is merged with a warning naming both places. The earliest text wins.
The merge then runs its steps in order: curation, exclusion, naming, topics, venues, assembly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .curation import Curation, PaperEntry, VenueRule, venue_words
from .diagnostics import Diagnostics, Location, shorten
from .links import abstract_links, arxiv_links
from .lockfile import Lockfile
from .metadata import DBLP_KINDS, Metadata, merge_metadata
from .model import (
    UNCATEGORIZED,
    Catalog,
    Digest,
    DigestEntry,
    Excluded,
    Link,
    Paper,
    Topic,
    Venue,
    title_identity,
)
from .registry import Birth, Naming, Record, Registry
from .related_job import Text
from .topics import Rules, apply_overrides, rules_for

YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
_NO_CURATION = PaperEntry()


@dataclass
class Merged:
    """One paper's digest entries and curation, while merging."""

    first: DigestEntry
    """Its earliest entry, whose text wins."""
    digests: list[str] = field(default_factory=list)
    """Every digest it appeared in, in the order read."""
    curation: PaperEntry = _NO_CURATION
    """Its ``papers.yaml`` entry, or an empty one."""


def build_catalog(
    digests: Sequence[Digest],
    curation: Curation,
    enriched: Lockfile,
    registry: Registry,
    diagnostics: Diagnostics,
    named: Callable[[Sequence[Text]], None] | None = None,
) -> tuple[Catalog, Naming]:
    """The whole catalog (merged papers with frozen names, topics, links and curation), and
    the naming that gave new papers their slugs and keys.

    ``named``, when given, receives every paper's slug, title and abstract, in the catalog's
    order, as soon as the papers are named: the related papers, which need nothing else, can
    then be computed while topics and venues are placed (a second or more at 10,000 papers)."""
    merged = merge_entries(digests, diagnostics)
    attach_curation(merged, curation, registry, diagnostics)
    included, excluded = split_excluded(merged)
    years = {d.id: d.date.year for d in digests}
    metadata = {
        id(m): merge_metadata(m.curation, enriched.get(title_identity(m.first.title)))
        for m in included
    }
    warn_shared_ids(included, metadata, diagnostics)
    births = [birth(m, metadata[id(m)], years[m.first.digest]) for m in included]
    naming = registry.assign(births, diagnostics)
    if named is not None:
        texts = (
            Text(
                naming.names[title_identity(m.first.title)].slug,
                m.curation.display_title or m.first.title,
                m.first.abstract,
            )
            for m in included
        )
        named(sorted(texts, key=lambda t: t.slug))
    rules = rules_for(curation.topics)
    venues = venue_rules(curation.venues)
    papers = []
    for item in included:
        topics = place_in_topics(item, rules, diagnostics)
        record = naming.names[title_identity(item.first.title)]
        year = years[item.first.digest]
        paper = assemble(item, metadata[id(item)], record, topics, venues, year)
        warn_without_authors(paper, record, diagnostics)
        warn_unknown_venue(paper, item, diagnostics)
        papers.append(paper)
    used = {t for p in papers for t in p.topics}
    for topic in curation.topics if papers else ():  # with no paper at all, say only that
        if topic.id not in used:
            diagnostics.warn(
                topic.where,
                f"topic {topic.id!r} holds no paper: no rule matched one and no entry of "
                "papers.yaml adds it; its page lists none",
            )
    topic_list: list[Topic] = [*curation.topics]
    if UNCATEGORIZED.id in used:
        topic_list.append(UNCATEGORIZED)
    catalog = Catalog(
        papers=tuple(sorted(map(_same_as_before, papers), key=lambda p: p.slug)),
        topics=tuple(sorted(topic_list, key=lambda t: t.id)),
        digests=tuple(digests),
        excluded=tuple(excluded),
    )
    _BEFORE.clear()
    _BEFORE.update((paper, paper) for paper in catalog.papers)
    return catalog, naming


_BEFORE: dict[Paper, Paper] = {}
"""The papers of this process's last catalog (``mkdocs serve`` builds one after every edit)."""


def _same_as_before(paper: Paper) -> Paper:
    """The last catalog's paper when it is equal (in every field) to this one, else this one.

    Every per-paper memo (pages, listing rows, BibTeX, CSL-JSON, RIS and JSON records) is
    keyed by the paper: with the same object, a lookup is an identity test, not a comparison
    of every field; at 10,000 papers the comparisons took 0.5 s of a server's rebuild."""
    return _BEFORE.get(paper, paper)


def warn_shared_ids(
    included: Sequence[Merged], metadata: dict[int, Metadata], diagnostics: Diagnostics
) -> None:
    """Two papers with one arXiv id or DOI: one id is wrong (a copy and paste), or the two are
    the same paper under two titles. Either way a citation would point at the wrong paper."""
    for field_name, shown in (("arxiv", "arXiv id"), ("doi", "DOI")):
        holders: dict[str, list[Merged]] = {}
        for item in included:
            value = getattr(metadata[id(item)], field_name)
            if value is not None:
                holders.setdefault(value.casefold(), []).append(item)
        for items in holders.values():
            for item in items if len(items) > 1 else ():
                others = ", ".join(
                    f"{shorten(o.first.title)!r} ({_given_at(o, field_name)})"
                    for o in items
                    if o is not item
                )
                diagnostics.warn(
                    _given_at(item, field_name),
                    f"{shown} {getattr(metadata[id(item)], field_name)} of "
                    f"{shorten(item.first.title)!r} is also the {shown} of {others}; correct "
                    "the wrong one, or exclude one if they are the same paper",
                )


def _given_at(item: Merged, field_name: str) -> Location:
    """Where a paper's id was given: its ``papers.yaml`` entry, else its digest entry (the id
    was found by enrichment)."""
    return item.curation.where if getattr(item.curation, field_name) else item.first.where


def merge_entries(digests: Sequence[Digest], diagnostics: Diagnostics) -> dict[str, Merged]:
    """Entries by identity, in order of first appearance (digests are given oldest first)."""
    merged: dict[str, Merged] = {}
    for digest in digests:
        for entry in digest.entries:
            identity = title_identity(entry.title)
            known = merged.get(identity)
            if known is None:
                merged[identity] = Merged(entry, [digest.id])
                continue
            first = known.first
            if first.digest == entry.digest:
                diagnostics.warn(
                    entry.where, f"same paper as {first.where} in the same digest; merged"
                )
            elif (first.abstract or "") != (entry.abstract or "") and entry.abstract:
                diagnostics.warn(
                    entry.where,
                    f"same title as {first.where} with a different abstract; "
                    "keeping the earlier one",
                )
            if digest.id not in known.digests:
                known.digests.append(digest.id)
    return merged


def attach_curation(
    merged: dict[str, Merged], curation: Curation, registry: Registry, diagnostics: Diagnostics
) -> None:
    """Give each paper its ``papers.yaml`` entry; an entry naming no paper is an error."""
    known = {t.id for t in curation.topics}
    for entry in curation.papers:
        title = entry.title if entry.title is not None else registry.title_of(entry.slug or "")
        paper = merged.get(title_identity(title)) if title is not None else None
        if paper is None:
            named = f"title {entry.title!r}" if entry.title is not None else f"slug {entry.slug!r}"
            diagnostics.error(
                entry.where,
                f"{entry.label}: no paper in any digest has this {named.split()[0]}: {named}",
            )
            continue
        if paper.curation is not _NO_CURATION:
            diagnostics.error(
                entry.where,
                f"{entry.label}: the paper is curated twice; see {paper.curation.where}",
            )
            continue
        paper.curation = entry
        for key, topics in (
            ("add_topics", entry.add_topics),
            ("remove_topics", entry.remove_topics),
        ):
            for topic in topics:
                if topic not in known:
                    diagnostics.error(entry.where, f"{entry.label}: {key}: unknown topic {topic!r}")


def split_excluded(merged: dict[str, Merged]) -> tuple[list[Merged], list[Excluded]]:
    """The papers on the site, and those the curator excluded (accounted for, not lost)."""
    included = [m for m in merged.values() if m.curation.exclude is None]
    excluded = [
        Excluded(m.first.title, m.curation.exclude, m.curation.where)
        for m in merged.values()
        if m.curation.exclude is not None
    ]
    return included, excluded


def birth(item: Merged, metadata: Metadata, digest_year: int) -> Birth:
    """What naming needs to know of a paper."""
    entry = item.curation
    return Birth(
        item.first.title,
        metadata.authors,
        metadata.year or digest_year,
        entry.pin_slug,
        entry.where if entry is not _NO_CURATION else item.first.where,
    )


def warn_without_authors(paper: Paper, record: Record, diagnostics: Diagnostics) -> None:
    """A paper without authors cannot be cited well, and its key is only provisional."""
    if paper.authors:
        return
    key = f"its cite key {paper.key} is " + (
        "provisional" if record.provisional else "kept as the registry froze it"
    )
    diagnostics.warn(
        paper.where,
        f"no authors for {shorten(paper.digest_title)!r} ({key}); run `python -m generator "
        "enrich`, or give them in papers.yaml",
    )


def warn_unknown_venue(paper: Paper, item: Merged, diagnostics: Diagnostics) -> None:
    """A venue no rule of ``venues.yaml`` knows is cited as ``@misc``, with the venue in a
    note: often a typo (``ICRL 2025``), else a venue the rules still lack."""
    if paper.venue is None or paper.venue.kind != "unknown":
        return
    curated = item.curation.venue is not None
    diagnostics.warn(
        item.curation.where if curated else paper.where,
        f"venue {paper.venue.name!r} of {shorten(paper.digest_title)!r} matches no rule of "
        "venues.yaml, so it is cited as @misc with the venue in a note; check its spelling, "
        "or add a rule for it",
    )


def place_in_topics(
    item: Merged, rules: Rules, diagnostics: Diagnostics
) -> dict[str, tuple[str, ...]]:
    """Topic ids and the words that placed the paper there; Uncategorized, with a warning,
    when nothing did."""
    reasons = apply_overrides(
        rules.match(item.first.title, item.first.abstract),
        item.curation.add_topics,
        item.curation.remove_topics,
    )
    if not reasons:
        diagnostics.warn(
            item.first.where,
            f"no topic matched {shorten(item.first.title)!r}; placed in Uncategorized",
        )
        reasons = {UNCATEGORIZED.id: ()}
    return reasons


def classify_venue(metadata: Metadata, rules: tuple[VenueRule, ...]) -> Venue | None:
    """The venue's kind: as DBLP gave it, else by the first rule of ``venues.yaml`` whose
    words occur in it."""
    return classified(metadata, venue_rules(rules))


def classified(metadata: Metadata, rules: VenueRules) -> Venue | None:
    """``classify_venue`` with the rules made a memo key once, for a whole catalog."""
    return _classified(metadata.venue, metadata.venue_year, metadata.venue_kind, rules)


@lru_cache(maxsize=4)
def venue_rules(rules: tuple[VenueRule, ...]) -> VenueRules:
    """The rules as a memo key: the same object for equal rules, build after build, so that
    memo lookups match by identity (comparing two equal tuples of rules compares every rule)."""
    return VenueRules(rules)


@dataclass(frozen=True)
class VenueRules:
    """Venue rules as one memo key, hashed once (a tuple hashes its items at every lookup)."""

    rules: tuple[VenueRule, ...]

    def __hash__(self) -> int:
        try:
            return self.__dict__["_hash"]  # type: ignore[no-any-return]
        except KeyError:
            object.__setattr__(self, "_hash", hash(self.rules))
            return self.__dict__["_hash"]  # type: ignore[no-any-return]


@lru_cache(maxsize=4096)
def _classified(
    name: str | None, venue_year: int | None, venue_kind: str | None, rules: VenueRules
) -> Venue | None:
    """``classify_venue`` by value: a list has few distinct venues, each classified once."""
    if name is None:
        return None
    found = YEAR.search(name)
    year = venue_year or (int(found.group()) if found else None)
    if venue_kind in DBLP_KINDS:
        return Venue(name, venue_kind, year, f"DBLP, which lists it as a {DBLP_KINDS[venue_kind]}")
    for rule in rules.rules:
        match = venue_words(rule).search(name)
        if match:
            # Name the rule by its word, not its file path: pages must not depend on where the
            # build ran from.
            return Venue(name, rule.kind, year, f"the {match.group()!r} rule of venues.yaml")
    return Venue(name, "unknown", year, "no rule in venues.yaml matched")


def assemble(
    item: Merged,
    metadata: Metadata,
    record: Record,
    topics: dict[str, tuple[str, ...]],
    venues: VenueRules,
    digest_year: int,
) -> Paper:
    """One paper, from its digest text, its curation and metadata, its names and its topics."""
    entry = item.curation
    return Paper(
        slug=record.slug,
        key=record.key,
        title=entry.display_title or item.first.title,
        digest_title=item.first.title,
        abstract=item.first.abstract,
        digests=tuple(sorted(item.digests)),
        where=item.first.where,
        year=metadata.year or digest_year,
        authors=metadata.authors,
        arxiv=metadata.arxiv,
        primary_class=metadata.primary_class,
        venue=classified(metadata, venues),
        links=links(item.first.abstract, metadata.arxiv, entry),
        topics=tuple(topics),
        reasons=tuple(topics.items()),
        notes=entry.notes,
        doi=metadata.doi,
        pages=metadata.pages,
        sources=metadata.sources,
    )


def links(abstract: str | None, arxiv: str | None, entry: PaperEntry) -> tuple[Link, ...]:
    """arXiv links, then the abstract's links, then the curator's, each URL once."""
    found = _found_links(abstract, arxiv)
    if not entry.links:
        return found
    unique = {link.url: link for link in found}
    for url, label in entry.links:
        unique.setdefault(url, Link(url, "extra", label))
    return tuple(unique.values())


@lru_cache(maxsize=65_536)  # by value: every paper, every build of a server
def _found_links(abstract: str | None, arxiv: str | None) -> tuple[Link, ...]:
    """arXiv links, then the abstract's links, each URL once."""
    unique: dict[str, Link] = {}
    for link in arxiv_links(arxiv) + abstract_links(abstract):
        unique.setdefault(link.url, link)
    return tuple(unique.values())
