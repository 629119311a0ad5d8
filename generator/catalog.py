"""Merge every digest and the curation into one catalog.

Two entries are the same paper when their titles have the same ``title_identity``. A paper
in several digests is normal and merged quietly; the same paper twice in one digest, or with
two different abstracts, is merged with a warning naming both places. The earliest text wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .curation import Curation, PaperCuration, VenueRule, venue_words
from .diagnostics import Diagnostics
from .links import abstract_links, arxiv_links
from .model import (
    UNCATEGORIZED,
    Catalog,
    Digest,
    DigestEntry,
    Excluded,
    Link,
    Paper,
    Venue,
    title_identity,
)
from .registry import Birth, Registry
from .topics import apply_overrides, compile_rules, match_topics

YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@dataclass
class Merged:
    """One paper's digest entries, while merging."""

    first: DigestEntry
    digests: list[str] = field(default_factory=list)
    curation: PaperCuration | None = None


def merge_entries(digests: list[Digest], diagnostics: Diagnostics) -> dict[str, Merged]:
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
    by_slug = {r.slug: title_identity(r.title) for r in registry.records}
    for entry in curation.papers:
        if "title" in entry.fields:
            identity = title_identity(entry.fields["title"])
        else:
            identity = by_slug.get(entry.fields["slug"], "")
        paper = merged.get(identity)
        if paper is None:
            named = (
                f"title {entry.fields['title']!r}"
                if "title" in entry.fields
                else f"slug {entry.fields['slug']!r}"
            )
            diagnostics.error(
                entry.where,
                f"{entry.label}: no paper in any digest has this {named.split()[0]}: {named}",
            )
            continue
        if paper.curation is not None:
            diagnostics.error(
                entry.where,
                f"{entry.label}: the paper is curated twice; see {paper.curation.where}",
            )
            continue
        paper.curation = entry
        known = {t.id for t in curation.topics}
        for key in ("add_topics", "remove_topics"):
            for topic in entry.fields.get(key, ()):
                if topic not in known:
                    diagnostics.error(entry.where, f"{entry.label}: {key}: unknown topic {topic!r}")


def classify_venue(name: str, rules: tuple[VenueRule, ...], default_year: int) -> Venue:
    """The venue's kind, by the first rule of ``venues.yaml`` whose words occur in it."""
    found = YEAR.search(name)
    year = int(found.group()) if found else None
    for rule in rules:
        match = venue_words(rule).search(name)
        if match:
            # Name the rule by its word, not its file path: pages must not depend on where the
            # build ran from.
            return Venue(name, rule.kind, year, f"the {match.group()!r} rule of venues.yaml")
    return Venue(name, "unknown", year, "no rule in venues.yaml matched")


def build_catalog(
    digests: list[Digest], curation: Curation, registry: Registry, diagnostics: Diagnostics
) -> Catalog:
    """The whole catalog: merged papers with frozen names, topics, links and curation."""
    merged = merge_entries(digests, diagnostics)
    attach_curation(merged, curation, registry, diagnostics)
    dates = {d.id: d.date for d in digests}
    included = {
        i: m for i, m in merged.items() if not (m.curation and "exclude" in m.curation.fields)
    }
    excluded = [
        Excluded(m.first.title, m.curation.fields["exclude"], m.curation.where)
        for m in merged.values()
        if m.curation and "exclude" in m.curation.fields
    ]
    births = [_birth(m, dates[m.first.digest].year) for m in included.values()]
    names = registry.assign(births, diagnostics)
    matchers = compile_rules(curation.topics)
    papers = []
    for identity, item in included.items():
        fields = item.curation.fields if item.curation else {}
        record = names[identity]
        reasons = apply_overrides(
            match_topics(item.first.title, item.first.abstract, matchers),
            fields.get("add_topics", ()),
            fields.get("remove_topics", ()),
        )
        if not reasons:
            diagnostics.warn(
                item.first.where,
                f"no topic matched {item.first.title[:60]!r}; placed in Uncategorized",
            )
            reasons = {UNCATEGORIZED.id: ()}
        year = fields.get("year", dates[item.first.digest].year)
        papers.append(
            Paper(
                slug=record.slug,
                key=record.key,
                title=fields.get("display_title", item.first.title),
                digest_title=item.first.title,
                abstract=item.first.abstract,
                digests=tuple(sorted(item.digests)),
                where=item.first.where,
                year=year,
                authors=fields.get("authors", ()),
                arxiv=fields.get("arxiv"),
                primary_class=fields.get("primary_class"),
                venue=classify_venue(fields["venue"], curation.venues, year)
                if "venue" in fields
                else None,
                links=_links(item.first.abstract, fields),
                topics=tuple(reasons),
                reasons=tuple(reasons.items()),
                notes=fields.get("notes", ""),
                provenance=tuple((k, fields[k]) for k in ("source", "confidence") if k in fields),
            )
        )
    used = {t for p in papers for t in p.topics}
    topics = [*curation.topics, *([UNCATEGORIZED] if UNCATEGORIZED.id in used else [])]
    return Catalog(
        papers=tuple(sorted(papers, key=lambda p: p.slug)),
        topics=tuple(sorted(topics, key=lambda t: t.id)),
        digests=tuple(digests),
        excluded=tuple(excluded),
    )


def _birth(item: Merged, digest_year: int) -> Birth:
    fields = item.curation.fields if item.curation else {}
    where = item.curation.where if item.curation else item.first.where
    return Birth(
        item.first.title,
        fields.get("authors", ()),
        fields.get("year", digest_year),
        fields.get("pin_slug"),
        where,
    )


def _links(abstract: str | None, fields: dict[str, Any]) -> tuple[Link, ...]:
    extra = [Link(url, "extra", label) for url, label in fields.get("links", ())]
    found = arxiv_links(fields.get("arxiv")) + abstract_links(abstract) + extra
    unique: dict[str, Link] = {}
    for link in found:
        unique.setdefault(link.url, link)
    return tuple(unique.values())
