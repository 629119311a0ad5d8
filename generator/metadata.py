"""One paper's bibliographic metadata: what the curator wrote, else what the sources found.

``data/papers.yaml`` is the curator's and always wins, field by field. ``data/enriched.yaml`` is
machine-written by ``add`` and ``enrich`` from arXiv's API and DBLP; only its ``found`` records
count. Every value remembers where it came from, for the page's "About this entry" block.
"""

from __future__ import annotations

from dataclasses import dataclass

from .curation import PaperEntry
from .lockfile import EnrichedRecord
from .model import Source

DBLP_KINDS = {"conference": "conference paper", "journal": "journal article"}


@dataclass(frozen=True)
class Metadata:
    """The merged metadata of one paper."""

    authors: tuple[str, ...] = ()
    """Authors in order."""
    year: int | None = None
    """First-version year."""
    arxiv: str | None = None
    """arXiv identifier."""
    primary_class: str | None = None
    """arXiv primary category."""
    venue: str | None = None
    """Where it was published, ``SOSP 2023``."""
    venue_kind: str | None = None
    """``conference`` or ``journal`` when a source (DBLP) said so; None to use ``venues.yaml``."""
    venue_year: int | None = None
    """The venue's year, when a source gave it apart from the name."""
    doi: str | None = None
    """The published version's DOI."""
    pages: str | None = None
    """Page range in the proceedings or journal."""
    sources: tuple[Source, ...] = ()
    """Where each part came from."""


def merge_metadata(entry: PaperEntry, found: EnrichedRecord | None) -> Metadata:
    """The curator's values, completed by a found record of ``enriched.yaml``."""
    record = found if found is not None and found.status == "found" else None
    curated = _curated(entry)
    if record is None:
        return curated
    venue_from_source = curated.venue is None and record.venue is not None
    return Metadata(
        authors=curated.authors or record.authors,
        year=curated.year or record.year,
        arxiv=curated.arxiv or record.arxiv,
        primary_class=curated.primary_class or record.primary_class,
        venue=curated.venue or record.venue,
        venue_kind=record.venue_kind if venue_from_source else None,
        venue_year=record.venue_year if venue_from_source else None,
        doi=curated.doi or record.doi,
        pages=curated.pages or (record.pages if venue_from_source else None),
        sources=curated.sources + _found_sources(curated, record),
    )


def _curated(entry: PaperEntry) -> Metadata:
    given = [
        name
        for name, value in (
            ("authors", entry.authors),
            ("year", entry.year),
            ("arXiv id", entry.arxiv),
            ("venue", entry.venue),
            ("DOI", entry.doi),
        )
        if value
    ]
    if entry.venue and entry.venue_source:
        given.remove("venue")  # confirmed apart, with its own source
    sources: tuple[Source, ...] = ()
    if given:
        sources = (Source(", ".join(given), "curator", entry.source, confidence=entry.confidence),)
    if entry.venue and entry.venue_source:
        sources += (Source("venue", "curator", entry.venue_source),)
    return Metadata(
        authors=entry.authors,
        year=entry.year,
        arxiv=entry.arxiv,
        primary_class=entry.primary_class,
        venue=entry.venue,
        doi=entry.doi,
        pages=entry.pages,
        sources=sources,
    )


def _found_sources(curated: Metadata, record: EnrichedRecord) -> tuple[Source, ...]:
    """What each lookup of the record contributed that the curator did not give."""
    sources = []
    for lookup in record.provenance:
        if lookup.source == "arxiv":
            parts = [
                name
                for name, mine, theirs in (
                    ("authors", curated.authors, record.authors),
                    ("arXiv id", curated.arxiv, record.arxiv),
                    ("first-version year", curated.year, record.year),
                )
                if theirs and not mine
            ]
        else:
            parts = ["venue"] if record.venue and not curated.venue else []
            parts += ["DOI"] if record.doi and not curated.doi else []
        if parts:
            sources.append(
                Source(
                    ", ".join(parts),
                    lookup.source,
                    lookup.url,
                    lookup.method,
                    lookup.score,
                    lookup.fetched,
                )
            )
    return tuple(sources)
