"""The ``enrich`` command: find authors, arXiv ids and venues for digest papers that lack them.

First gather every digest paper and the curator's hints, then look up each paper that still
lacks metadata (arXiv by title, or by the id the curator wrote; then DBLP by the arXiv title),
saving the lockfile after each paper. A lookup that fails leaves its paper out of the lockfile,
so the next run tries it again; it is never recorded as "not found".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from .arxiv_source import ArxivAnswer, ArxivSource
from .config import display_path
from .curation import load_papers
from .dblp_source import DblpSource
from .diagnostics import Diagnostics
from .digest import read_digests
from .lockfile import EnrichedRecord, Lockfile, Provenance, load_lockfile, write_lockfile
from .lookup import LookupFailed, SourceClient
from .matching import ArxivDecision, choose_arxiv, choose_venue, title_score
from .model import title_identity
from .registry import load_registry
from .source_settings import SourceSettings

LOCKFILE = "enriched.yaml"


@dataclass(frozen=True)
class Hint:
    """What the curator's ``papers.yaml`` already says about a paper."""

    arxiv: str | None
    """The arXiv id the curator gave (how a review candidate is accepted)."""
    has_authors: bool
    has_venue: bool


@dataclass(frozen=True)
class DigestPaper:
    """A paper as the digests name it."""

    identity: str
    title: str
    """The title in its earliest digest."""
    date: datetime.date
    """The date of its earliest digest."""
    digests: tuple[str, ...]
    """Every digest it appears in."""


@dataclass(frozen=True)
class Sources:
    """The network sources, each with its own pacing and breaker."""

    arxiv: ArxivSource
    dblp: DblpSource


class Progress(Protocol):
    """Told how many papers a run will look up, then the outcome of each."""

    def start(self, total: int) -> None: ...

    def step(self, title: str, outcome: str) -> None: ...


@dataclass
class Report:
    """What one run did."""

    records: Lockfile
    """The lockfile after the run."""
    looked_up: list[str] = field(default_factory=list)
    """Identities of the papers this run asked about and recorded."""
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(title, reason) of each paper left unenriched, or left without its venue lookup."""


def open_sources(settings: SourceSettings) -> Sources:
    """Clients for arXiv and DBLP, as the settings say."""
    delay, timeout = settings.request_delay, settings.request_timeout
    return Sources(
        ArxivSource(SourceClient("arXiv", delay, timeout), settings.arxiv_api),
        DblpSource(SourceClient("DBLP", delay, timeout), settings.dblp_api),
    )


def curated_hints(data_dir: Path) -> dict[str, Hint]:
    """Hints by title identity from ``papers.yaml`` (entries named by title, or by a slug the
    registry knows), read by the build's own loaders. A malformed entry gives no hint: the
    build reports it."""
    quiet = Diagnostics()
    entries = load_papers(data_dir / "papers.yaml", "papers.yaml", quiet)
    registry = load_registry(data_dir / "registry.yaml", "registry.yaml", quiet)
    hints = {}
    for entry in entries:
        title = entry.title if entry.title is not None else registry.title_of(entry.slug or "")
        if title is not None:
            hints[title_identity(title)] = Hint(
                entry.arxiv, bool(entry.authors), entry.venue is not None
            )
    return hints


def digest_papers(data_dir: Path, diagnostics: Diagnostics) -> dict[str, DigestPaper]:
    """Every paper of every digest, once, dated by its earliest digest."""
    papers: dict[str, DigestPaper] = {}
    folder = data_dir / "digests"
    # Digests come oldest first, so the first one a paper is seen in is its earliest.
    for digest in read_digests(folder, display_path(folder), diagnostics):
        for entry in digest.entries:
            identity = title_identity(entry.title)
            known = papers.get(identity)
            if known is None:
                papers[identity] = DigestPaper(identity, entry.title, digest.date, (digest.id,))
            elif digest.id not in known.digests:
                papers[identity] = replace(known, digests=(*known.digests, digest.id))
    return papers


def needs_lookup(hint: Hint | None, record: EnrichedRecord | None, refresh: bool) -> bool:
    """True when a paper still lacks metadata the sources may give."""
    if hint is not None and hint.arxiv and hint.has_authors:
        return False  # The curator gave everything a lookup would; their values win anyway.
    if record is None:
        return True
    if hint is not None and hint.arxiv and (record.status != "found" or record.arxiv != hint.arxiv):
        return True  # The curator accepted a candidate, or corrected the id.
    wants_venue = hint is None or not hint.has_venue
    if record.status == "found" and wants_venue and not record.asked("dblp"):
        return True  # The venue lookup failed last time.
    return refresh


def enrich(
    data_dir: Path,
    sources: Sources,
    papers: dict[str, DigestPaper],
    refresh: bool = False,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> Report:
    """Look up every paper that lacks metadata, saving the lockfile after each one."""
    lockfile = data_dir / LOCKFILE
    records = load_lockfile(lockfile)
    hints = curated_hints(data_dir)
    fetched = (today or datetime.date.today()).isoformat()
    report = Report(records)
    todo = [
        papers[identity]
        for identity in sorted(papers)
        if needs_lookup(hints.get(identity), records.get(identity), refresh)
    ]
    if progress is not None:
        progress.start(len(todo))
    for paper in todo:
        try:
            record, venue_failure = enrich_paper(paper, hints.get(paper.identity), sources, fetched)
        except LookupFailed as failure:
            report.failures.append((paper.title, str(failure)))
            outcome = "failed"
        else:
            if venue_failure:
                report.failures.append((paper.title, f"venue lookup: {venue_failure}"))
            records[paper.identity] = record
            report.looked_up.append(paper.identity)
            write_lockfile(lockfile, records)
            outcome = record.status
        if progress is not None:
            progress.step(paper.title, outcome)
    return report


def enrich_paper(
    paper: DigestPaper, hint: Hint | None, sources: Sources, fetched: str
) -> tuple[EnrichedRecord, str | None]:
    """The paper's record, and why its venue lookup failed (None when it did not)."""
    decision, answer = find_on_arxiv(paper, hint, sources.arxiv)
    chosen = decision.chosen
    arxiv_method = decision.method or "title-search"
    provenance = [Provenance("arxiv", answer.url, arxiv_method, decision.score, fetched)]
    if chosen is None:
        return EnrichedRecord(
            paper.title,
            decision.status,
            provenance=tuple(provenance),
            candidates=decision.candidates,
        ), None
    record = EnrichedRecord(
        paper.title,
        "found",
        arxiv=chosen.id,
        authors=chosen.authors,
        year=chosen.year,
        primary_class=chosen.primary_class or None,
        doi=chosen.doi,
        comment=chosen.comment,
        journal_ref=chosen.journal_ref,
        provenance=tuple(provenance),
    )
    if hint is not None and hint.has_venue:
        return record, None
    try:
        return add_venue(record, paper, chosen.title, sources.dblp, fetched), None
    except LookupFailed as failure:
        return record, str(failure)


def find_on_arxiv(
    paper: DigestPaper, hint: Hint | None, source: ArxivSource
) -> tuple[ArxivDecision, ArxivAnswer]:
    """The arXiv decision for a paper, and the answer it came from."""
    if hint is not None and hint.arxiv:
        answer = source.lookup_id(hint.arxiv)
        if not answer.candidates:
            return ArxivDecision("not_found", None, None, None, ()), answer
        found = answer.candidates[0]
        score = title_score(paper.title, found.title)
        return ArxivDecision("found", found, "id", score, ()), answer
    answer = source.search_title(paper.title)
    decision = choose_arxiv(paper.title, paper.date.year, answer.candidates)
    if decision.status == "found":
        return decision, answer
    # The phrase search misses near titles ("Flash Attention"); ask again by words.
    second = source.search_words(paper.title)
    both = (*answer.candidates, *second.candidates)
    return choose_arxiv(paper.title, paper.date.year, both), second


def add_venue(
    record: EnrichedRecord, paper: DigestPaper, arxiv_title: str, source: DblpSource, fetched: str
) -> EnrichedRecord:
    """The record with DBLP's venue, kind, year, DOI and pages, when DBLP has the paper."""
    answer = source.search_title(arxiv_title)
    assert record.year is not None  # A found record always has its arXiv year.
    titles = [arxiv_title, paper.title]
    venue = choose_venue(titles, record.authors, record.year, paper.date.year, answer.hits)
    if venue is None:
        asked = Provenance("dblp", answer.url, "no-venue", None, fetched)
        return replace(record, provenance=(*record.provenance, asked))
    hit = venue.hit
    return replace(
        record,
        doi=hit.doi or record.doi,
        venue=f"{hit.venue} {hit.year}",
        venue_kind=hit.kind,
        venue_year=hit.year,
        pages=hit.pages.replace("--", "-").replace("-", "--") if hit.pages else None,
        provenance=(
            *record.provenance,
            Provenance("dblp", answer.url, venue.method, venue.score, fetched),
        ),
    )
