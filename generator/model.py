"""The catalog: one small, frozen model of everything the site shows.

Stages take these records and return new ones; none changes a record another stage made.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import attrgetter

from .diagnostics import Location

_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65_536)  # asked for eight times a paper each build
def title_identity(title: str) -> str:
    """The key under which two titles name the same paper.

    NFKC, case-folded, with runs of whitespace and punctuation collapsed to one space.
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    identity = _NOT_WORD.sub(" ", folded).strip()
    # A title made only of punctuation still needs an identity of its own.
    return identity or " ".join(folded.split())


@dataclass(frozen=True)
class DigestEntry:
    """One title/abstract block as it stands in a digest."""

    title: str
    """The title line, whitespace collapsed."""
    abstract: str | None
    """The abstract paragraph, or None when the digest ends after the title."""
    digest: str
    """The digest's id (its file name without ``.txt``)."""
    where: Location
    """The title's line."""


@dataclass(frozen=True)
class Digest:
    """One digest file."""

    id: str
    """File name without ``.txt``; starts with the date, ``2025-03-20``."""
    date: datetime.date
    """The date in the file name."""
    entries: tuple[DigestEntry, ...]
    """Its blocks, in file order."""


@dataclass(frozen=True)
class Link:
    """A link shown on a paper page."""

    url: str
    """An absolute http(s) URL."""
    kind: str
    """``code``, ``project``, ``arxiv``, ``pdf``, ``huggingface`` or ``extra``."""
    label: str
    """The text shown for it."""


@dataclass(frozen=True)
class Venue:
    """Where a paper was published, and what BibTeX entry that makes."""

    name: str
    """The venue as curated, for example ``ICLR 2025``."""
    kind: str
    """``conference``, ``journal``, ``workshop`` or ``unknown``."""
    year: int | None
    """The venue's year, when the name carries one."""
    rule: str
    """Which entry of ``venues.yaml`` decided the kind, for the page's metadata."""


@dataclass(frozen=True)
class Source:
    """Where part of a paper's metadata came from."""

    gave: str
    """What it gave, in words: ``authors, arXiv id``."""
    origin: str
    """``curator`` (``papers.yaml``), ``arxiv`` (arXiv's API) or ``dblp`` (DBLP's search)."""
    url: str | None = None
    """The record or query it was read from."""
    method: str | None = None
    """How a lookup matched: ``title-exact``, ``title-fuzzy`` or ``id``."""
    score: float | None = None
    """The title similarity of the match, 0 to 100."""
    fetched: str | None = None
    """The date of the lookup."""
    confidence: str | None = None
    """The curator's confidence: ``high``, ``medium`` or ``low``."""


@dataclass(frozen=True)
class Topic:
    """A topic of the taxonomy in ``topics.yaml``."""

    id: str
    """Lowercase ASCII id; also the topic page's and bundle's file name."""
    name: str
    """Display name."""
    description: str
    """One or two sentences shown on the topic page."""
    title_terms: tuple[str, ...] = ()
    """Words or phrases that put a paper here when they occur in its title."""
    terms: tuple[str, ...] = ()
    """Words or phrases that put a paper here when they occur in its title or abstract."""
    not_title_terms: tuple[str, ...] = ()
    """Words or phrases that keep the rules from putting a paper here when they occur in its
    title (a curator's ``add_topics`` still can)."""
    where: Location = field(default=Location("", 0), compare=False, repr=False)
    """Where ``topics.yaml`` defines it (not part of its value: moving it changes no page)."""


UNCATEGORIZED = Topic(
    id="uncategorized",
    name="Uncategorized",
    description="Papers that no topic rule or curator override placed yet.",
)


@dataclass(frozen=True)
class Paper:
    """One paper, merged from every digest it appeared in, with its curation applied."""

    slug: str
    """Frozen page name, from the registry."""
    key: str
    """Frozen BibTeX cite key, from the registry."""
    title: str
    """Title shown and cited: the curated display title, else the digest's."""
    digest_title: str
    """The title as the earliest digest gave it (the paper's identity)."""
    abstract: str | None
    """The earliest digest's abstract; None when it was missing."""
    digests: tuple[str, ...]
    """Ids of every digest it appeared in, oldest first."""
    where: Location
    """Its first appearance."""
    year: int
    """First-version year (curated or found), else the year of its first digest; the cite
    key's year."""
    authors: tuple[str, ...] = ()
    """Authors in order, as ``First Last``."""
    arxiv: str | None = None
    """arXiv identifier, for example ``2312.00752``."""
    primary_class: str | None = None
    """arXiv primary category, for example ``cs.LG``."""
    venue: Venue | None = None
    """Curated venue, classified."""
    links: tuple[Link, ...] = ()
    """Links found in the abstract, curated extras and arXiv/Hugging Face links."""
    topics: tuple[str, ...] = ()
    """Topic ids, sorted."""
    reasons: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """For each topic, the words that matched, or ``("curator",)`` for an override."""
    notes: str = ""
    """Curator notes, plain text."""
    doi: str | None = None
    """The published version's DOI."""
    pages: str | None = None
    """Page range in the proceedings or journal."""
    sources: tuple[Source, ...] = ()
    """Where the metadata came from: the curator, arXiv's API, DBLP."""

    def __hash__(self) -> int:
        """The hash of every field, as the dataclass would compute it, but once: a paper is
        the key of every per-paper memo (pages, rows, entries), asked for many times a build."""
        try:
            return self.__dict__["_hash"]  # type: ignore[no-any-return]
        except KeyError:
            value = hash(_compared(self))
            object.__setattr__(self, "_hash", value)
            return value

    def __getstate__(self) -> dict[str, object]:
        """The fields, for pickling; not the hash, which another process computes its own."""
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    @property
    def cited_year(self) -> int:
        """The one year shown and cited: the venue's when it has one, else the first version's.

        The byline, the citation meta tags, JSON-LD and BibTeX all use it; the cite key and the
        "arXiv 2023" note keep the first-version year."""
        return self.venue.year if self.venue and self.venue.year else self.year


_compared = attrgetter(*(f.name for f in fields(Paper) if f.compare))
"""A paper's compared fields, in order, as one tuple (the dataclass's own hash's input)."""


@dataclass(frozen=True)
class Excluded:
    """A paper the curator left out, and why: accounted for, not lost."""

    title: str
    """The digest title."""
    reason: str
    """The curator's reason."""
    where: Location
    """The curation entry that excluded it."""


@dataclass(frozen=True)
class Catalog:
    """Everything the site shows, gathered before anything is written."""

    papers: tuple[Paper, ...]
    """Every included paper, sorted by slug."""
    topics: tuple[Topic, ...]
    """Every topic with at least one paper, plus the taxonomy's empty ones, sorted by id."""
    digests: tuple[Digest, ...]
    """Every digest, oldest first."""
    excluded: tuple[Excluded, ...] = ()
    """Papers the curator excluded."""
    topic_by_id: dict[str, Topic] = field(default_factory=dict, compare=False, repr=False)
    """Topics by id."""
    by_topic: dict[str, tuple[Paper, ...]] = field(default_factory=dict, compare=False, repr=False)
    """Each topic's papers, in slug order."""

    title_by_slug: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Each paper's title, by slug."""

    def __post_init__(self) -> None:
        self.title_by_slug.update((paper.slug, paper.title) for paper in self.papers)
        members: dict[str, list[Paper]] = {topic.id: [] for topic in self.topics}
        for paper in self.papers:
            for topic_id in paper.topics:
                members.setdefault(topic_id, []).append(paper)
        self.topic_by_id.update((topic.id, topic) for topic in self.topics)
        self.by_topic.update((topic_id, tuple(papers)) for topic_id, papers in members.items())

    def papers_in(self, topic_id: str) -> tuple[Paper, ...]:
        """The papers of one topic, in slug order."""
        return self.by_topic.get(topic_id, ())
