"""Load the curated files of ``data/``: topics, per-paper curation, venues and settings.

Each file's entries are frozen records whose keys are declared once, below, with their checker
and a one-line doc (``schema.spec``). Every problem is logged with its file, line, entry and
key, and loading goes on so the curator sees all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import schema
from .diagnostics import Diagnostics, Location, shorten
from .model import Topic
from .schema import load_records, nested, spec
from .series import series_name
from .yamlio import load_yaml

_NOWHERE = Location("", 0)


@dataclass(frozen=True)
class PaperEntry:
    """One entry of ``papers.yaml``: the curator's word on one paper, which always wins."""

    title: str | None = spec(schema.text, None)
    """The paper's title as the digest gives it; names the paper (or ``slug`` does)."""
    slug: str | None = spec(schema.slug, None)
    """The paper's slug in the registry; names the paper (or ``title`` does)."""
    display_title: str | None = spec(schema.text, None)
    """A corrected title for display and citation."""
    authors: tuple[str, ...] = spec(schema.text_list, ())
    """Authors in order, as ``First Last``."""
    year: int | None = spec(schema.year, None)
    """Year of the first version; used in the cite key."""
    arxiv: str | None = spec(schema.arxiv_id, None)
    """arXiv identifier, such as ``2312.00752``."""
    primary_class: str | None = spec(schema.arxiv_class, None)
    """arXiv primary category, such as ``cs.LG``."""
    venue: str | None = spec(schema.text, None)
    """Where it was published, such as ``ICLR 2025``; classified by ``venues.yaml``."""
    venue_source: str | None = spec(schema.url, None)
    """Where the venue was confirmed (the proceedings, DBLP, the publisher's page)."""
    doi: str | None = spec(schema.doi, None)
    """The published version's DOI, such as ``10.1145/3600006.3613165``."""
    pages: str | None = spec(schema.text, None)
    """Page range in the proceedings or journal, ``611--626``."""
    add_topics: tuple[str, ...] = spec(schema.text_list, ())
    """Topics to add, whatever the rules say."""
    remove_topics: tuple[str, ...] = spec(schema.text_list, ())
    """Topics to remove, whatever the rules say."""
    notes: str = spec(schema.paragraphs, "")
    """Curator notes, plain text; blank lines separate paragraphs."""
    links: tuple[tuple[str, str], ...] = spec(schema.links, ())
    """Extra links, ``(url, label)``."""
    pin_slug: str | None = spec(schema.slug, None)
    """A slug chosen before the paper is first published."""
    exclude: str | None = spec(schema.text, None)
    """Leave the paper out of the site, for this reason."""
    source: str | None = spec(schema.text, None)
    """Where the metadata was read (a URL or a description)."""
    confidence: str | None = spec(schema.one_of("high", "medium", "low"), None)
    """How sure the curator is of the metadata."""
    where: Location = _NOWHERE
    """The entry's first line."""

    @property
    def label(self) -> str:
        """How errors name the entry."""
        return f"entry {shorten(self.title or self.slug or '?')!r}"


@dataclass(frozen=True)
class MatchRules:
    """A topic's ``match`` rules."""

    title: tuple[str, ...] = spec(schema.term_list, ())
    """Words or phrases that count in the title only."""
    text: tuple[str, ...] = spec(schema.term_list, ())
    """Words or phrases that count in the title or abstract."""
    not_title: tuple[str, ...] = spec(schema.term_list, ())
    """Words or phrases that, in the title, keep the rules from placing the paper here."""


@dataclass(frozen=True)
class TopicEntry:
    """One topic of ``topics.yaml``."""

    id: str = spec(schema.topic_id)
    """Lowercase ASCII id: the topic page's and bundle's file name."""
    name: str = spec(schema.text)
    """Display name."""
    description: str = spec(schema.text)
    """One or two sentences shown on the topic page."""
    match: MatchRules = nested(MatchRules)
    """The rules that place papers in the topic."""
    where: Location = _NOWHERE
    """The topic's first line."""


@dataclass(frozen=True)
class VenueRule:
    """One rule of ``venues.yaml``: words that make a venue a conference, journal or workshop."""

    kind: str = spec(schema.one_of("conference", "journal", "workshop"))
    """``conference``, ``journal`` or ``workshop``."""
    match: tuple[str, ...] = spec(schema.text_list)
    """Words or phrases matched as whole words, case-insensitively."""
    series: str | None = spec(series_name, None)
    """The venue's full name without a year, for citations: ``Symposium on Operating Systems
    Principles`` makes ``Proceedings of the Symposium on Operating Systems Principles (SOSP)``,
    with the matched word in parentheses; a journal is cited by this name alone."""
    booktitle: str | None = spec(series_name, None)
    """The proceedings' title as cited, when it is not ``Proceedings of the <series>
    (<word>)``: ``Advances in Neural Information Processing Systems (NeurIPS)``."""
    where: Location = _NOWHERE
    """The rule's line."""


ARXIV_API = "https://export.arxiv.org/api/query"
DBLP_API = "https://dblp.org/search/publ/api"
PAGEFIND_ABOVE = 2000
"""With ``search: auto``, lists larger than this use Pagefind."""


@dataclass(frozen=True)
class Settings:
    """Site-wide choices from ``settings.yaml``."""

    bibtex_abstracts: bool = spec(schema.boolean, False)
    """Include abstracts in BibTeX entries."""
    search: str = spec(schema.one_of("auto", "material", "pagefind"), "auto")
    """The search engine: ``material`` (built in), ``pagefind``, or ``auto`` (Material up to
    ``PAGEFIND_ABOVE`` papers, Pagefind above: Material builds its index in the browser)."""
    arxiv_api: str = spec(schema.url, ARXIV_API)
    """arXiv's API, for ``add`` and ``enrich`` (a build never uses the network)."""
    dblp_api: str = spec(schema.url, DBLP_API)
    """DBLP's publication search, for ``add`` and ``enrich``."""
    request_delay: float = spec(schema.seconds, 3.0)
    """Seconds between two requests to one source (arXiv asks for 3)."""
    request_timeout: float = spec(schema.seconds, 10.0)
    """Seconds to wait for a connection, and again for an answer."""

    def search_engine(self, papers: int) -> str:
        """``material`` or ``pagefind``, for a list of this many papers."""
        if self.search == "auto":
            return "pagefind" if papers > PAGEFIND_ABOVE else "material"
        return self.search


@dataclass(frozen=True)
class Curation:
    """Everything curated, checked."""

    topics: tuple[Topic, ...] = ()
    """The taxonomy, sorted by id."""
    papers: tuple[PaperEntry, ...] = ()
    """Per-paper curation, in file order."""
    venues: tuple[VenueRule, ...] = ()
    """Venue rules, in the order they are tried."""
    settings: Settings = field(default_factory=Settings)
    """Site-wide settings."""


def load_curation(data_dir: Path, shown: str, diagnostics: Diagnostics) -> Curation:
    """Load and check ``topics.yaml``, ``papers.yaml``, ``venues.yaml`` and ``settings.yaml``."""
    return Curation(
        topics=load_topics(data_dir / "topics.yaml", f"{shown}/topics.yaml", diagnostics),
        papers=load_papers(data_dir / "papers.yaml", f"{shown}/papers.yaml", diagnostics),
        venues=tuple(
            load_records(
                data_dir / "venues.yaml",
                f"{shown}/venues.yaml",
                "rules",
                VenueRule,
                lambda entry, index: f"rule {index + 1}",
                diagnostics,
            )
        ),
        settings=load_settings(data_dir / "settings.yaml", f"{shown}/settings.yaml", diagnostics),
    )


def _named(field_name: str, what: str) -> Callable[[Any, int], str]:
    """Errors name an entry by one of its keys when it has it, else by its position."""

    def label(entry: Any, index: int) -> str:
        value = entry.get(field_name) if isinstance(entry, dict) else None
        return f"{what} {shorten(value)!r}" if isinstance(value, str) else f"{what} {index + 1}"

    return label


RESERVED_TOPIC_IDS = {
    "uncategorized": "the papers no topic matched",
    "index": "the page that lists the topics",
}
"""Topic ids the site gives a meaning of its own, with that meaning."""


def load_topics(path: Path, shown_as: str, diagnostics: Diagnostics) -> tuple[Topic, ...]:
    """The taxonomy; every topic needs an id, a name and a description."""
    topics: dict[str, Topic] = {}
    for entry in load_records(
        path, shown_as, "topics", TopicEntry, _named("id", "topic"), diagnostics
    ):
        if entry.id in RESERVED_TOPIC_IDS:
            diagnostics.error(
                entry.where,
                f"topic {entry.id!r}: id {entry.id!r} is reserved "
                f"({RESERVED_TOPIC_IDS[entry.id]}); choose another",
            )
            continue
        if entry.id in topics:
            diagnostics.error(entry.where, f"topic {entry.id!r}: id {entry.id!r} is used twice")
            continue
        rules = entry.match
        topics[entry.id] = Topic(
            entry.id,
            entry.name,
            entry.description,
            rules.title,
            rules.text,
            rules.not_title,
            where=entry.where,
        )
    return tuple(sorted(topics.values(), key=lambda t: t.id))


def load_papers(path: Path, shown_as: str, diagnostics: Diagnostics) -> tuple[PaperEntry, ...]:
    """Per-paper curation; each entry names its paper by ``title`` or by ``slug``."""
    entries = []
    for entry in load_records(
        path, shown_as, "papers", PaperEntry, _named("title", "entry"), diagnostics, by_item=True
    ):
        if (entry.title is None) == (entry.slug is None):
            diagnostics.error(
                entry.where, f"{entry.label}: name the paper by exactly one of 'title' or 'slug'"
            )
            continue
        entries.append(entry)
    return tuple(entries)


def load_settings(path: Path, shown_as: str, diagnostics: Diagnostics) -> Settings:
    """Site-wide settings; defaults when the file is absent."""
    data = load_yaml(path, shown_as, diagnostics)
    if data is None:
        return Settings()
    return schema.check_record(data, Settings, shown_as, "settings", diagnostics) or Settings()


@lru_cache(maxsize=1024)
def venue_words(rule: VenueRule) -> re.Pattern[str]:
    """The rule's words as one whole-word, case-insensitive pattern (each rule's built once:
    every venue of the list is tried against the rules in turn)."""
    alternatives = "|".join(re.escape(word) for word in rule.match)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
