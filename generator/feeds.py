"""Feeds, so readers can follow the list: Atom (built with ``feedgen``) and JSON Feed 1.1.

One feed for the whole list and one per topic, each holding its ``FEED_SIZE`` newest papers,
and every other paper of the oldest digest among them: a digest is never cut in half, so no
paper of it is skipped by a reader who follows the feed. A paper is dated by the first digest
it appeared in. Its id is a ``tag:`` URI made from the site and its frozen slug, so it survives
a corrected title or a later arXiv id. Nothing in a feed depends on the clock: the feed's
``updated`` is its newest paper's date, and feedgen's own ``<generator>`` version stamp is
replaced. So a paper added to one topic rewrites only the whole-list feed and that topic's
feeds.
"""

from __future__ import annotations

import datetime
import heapq
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from . import layout
from .layout import Urls
from .markup import teaser
from .model import Catalog, Paper

FEED_SIZE = 50
"""How many of the newest papers a feed holds at least (with the rest of the oldest digest)."""
FEEDS_REMEMBERED = 1024
"""Feeds kept for the next build of the same process (a few per topic)."""
GENERATOR = "reading-list-generator"
"""The ``<generator>`` of every Atom feed (feedgen's default carries its version)."""
_EPOCH = datetime.date(1970, 1, 1)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold at all, even escaped (lxml refuses them)."""


def xml_text(text: str) -> str:
    """Text that XML can hold: a control character a digest smuggled in becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def paper_dates(catalog: Catalog) -> dict[str, datetime.date]:
    """Each paper's date, by slug: the date of the first digest it appeared in."""
    dates = {digest.id: digest.date for digest in catalog.digests}
    return {p.slug: dates.get(p.digests[0], _EPOCH) for p in catalog.papers}


def newest(papers: Sequence[Paper], dates: dict[str, datetime.date]) -> list[Paper]:
    """The ``FEED_SIZE`` newest papers and the rest of their oldest date's, newest first, then
    by slug."""

    def order(paper: Paper) -> tuple[int, str]:
        return -dates[paper.slug].toordinal(), paper.slug

    chosen = heapq.nsmallest(FEED_SIZE, papers, key=order)
    if len(chosen) < FEED_SIZE:
        return chosen
    oldest = dates[chosen[-1].slug]
    return sorted((p for p in papers if dates[p.slug] >= oldest), key=order)


def entry_id(paper: Paper, date: datetime.date, urls: Urls) -> str:
    """A ``tag:`` URI (RFC 4151) from the site's host and path and the paper's slug."""
    site = urlsplit(urls.site_url)
    return f"tag:{site.hostname or 'localhost'},{date.isoformat()}:{site.path}papers/{paper.slug}"


def _moment(date: datetime.date) -> datetime.datetime:
    """Midnight UTC of a date, as feeds want a time."""
    return datetime.datetime.combine(date, datetime.time(), tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Feed:
    """One feed: what it follows, and where its files go."""

    title: str
    """The feed's title."""
    description: str
    """One sentence on what it holds."""
    page: str
    """The source of the page it follows (the home page or a topic page)."""
    atom: str
    """The Atom feed's path under ``docs/``."""
    json: str
    """The JSON Feed's path under ``docs/``."""


def render_feeds(catalog: Catalog, urls: Urls) -> dict[str, str]:
    """The whole list's feeds and each topic's, by path under ``docs/``."""
    dates = paper_dates(catalog)
    oldest = min((d.date for d in catalog.digests), default=_EPOCH)
    topics = {t.id: t.name for t in catalog.topics}
    feeds = [
        (
            Feed(
                "All papers",
                "The newest papers of the reading list.",
                layout.HOME_PAGE,
                layout.ALL_FEED,
                layout.ALL_JSON_FEED,
            ),
            catalog.papers,
        )
    ]
    for topic in catalog.topics:
        feed = Feed(
            topic.name,
            topic.description,
            layout.topic_page(topic.id),
            layout.topic_feed(topic.id),
            layout.topic_json_feed(topic.id),
        )
        feeds.append((feed, catalog.papers_in(topic.id)))
    files = {}
    names = tuple(topics.items())
    for feed, members in feeds:
        papers = newest(members, dates)
        # An empty topic's feed is dated by the oldest digest, which adding papers never moves.
        updated = dates[papers[0].slug] if papers else oldest
        shown = tuple(dates[p.slug] for p in papers)
        files[feed.atom], files[feed.json] = _feed_files(
            feed, tuple(papers), shown, updated, urls, names
        )
    return files


@lru_cache(maxsize=FEEDS_REMEMBERED)
def _feed_files(
    feed: Feed,
    papers: tuple[Paper, ...],
    shown: tuple[datetime.date, ...],
    updated: datetime.date,
    urls: Urls,
    names: tuple[tuple[str, str], ...],
) -> tuple[str, str]:
    """One feed's Atom and JSON Feed texts, from everything they show (so that ``mkdocs
    serve`` renders again only the feeds an edit changes)."""
    dates = {p.slug: d for p, d in zip(papers, shown, strict=True)}
    topics = dict(names)
    return (
        atom_feed(feed, list(papers), dates, updated, urls, topics),
        json_feed(feed, list(papers), dates, updated, urls, topics),
    )


def atom_feed(
    feed: Feed,
    papers: list[Paper],
    dates: dict[str, datetime.date],
    updated: datetime.date,
    urls: Urls,
    topics: dict[str, str],
) -> str:
    """An Atom 1.0 feed of the given papers, newest first."""
    generator = FeedGenerator()
    generator.id(urls.absolute(feed.atom))
    generator.title(xml_text(feed.title))
    generator.subtitle(xml_text(feed.description))
    generator.link(href=urls.absolute(feed.page), rel="alternate")
    generator.link(href=urls.absolute(feed.atom), rel="self", type="application/atom+xml")
    generator.generator(GENERATOR)
    generator.updated(_moment(updated))
    generator.language("en")
    for paper in papers:
        date = _moment(dates[paper.slug])
        entry = generator.add_entry(order="append")
        entry.id(entry_id(paper, dates[paper.slug], urls))
        entry.title(xml_text(paper.title))
        entry.link(href=urls.absolute(layout.paper_page(paper.slug)), rel="alternate")
        entry.summary(xml_text(teaser(paper.abstract)))
        entry.published(date)
        entry.updated(date)
        for author in paper.authors:
            entry.author({"name": xml_text(author)})
        for topic_id in paper.topics:
            entry.category(term=topic_id, label=xml_text(topics[topic_id]))
    atom: bytes = generator.atom_str(pretty=True)
    return atom.decode("utf-8")


def json_feed(
    feed: Feed,
    papers: list[Paper],
    dates: dict[str, datetime.date],
    updated: datetime.date,
    urls: Urls,
    topics: dict[str, str],
) -> str:
    """A JSON Feed 1.1 of the given papers, newest first."""
    items: list[dict[str, Any]] = []
    for paper in papers:
        summary = teaser(paper.abstract)
        item: dict[str, Any] = {
            "id": entry_id(paper, dates[paper.slug], urls),
            "url": urls.absolute(layout.paper_page(paper.slug)),
            "title": paper.title,
            "content_text": summary,
            "summary": summary,
            "date_published": _moment(dates[paper.slug]).isoformat(),
        }
        if paper.authors:
            item["authors"] = [{"name": author} for author in paper.authors]
        if paper.topics:
            item["tags"] = [topics[t] for t in paper.topics]
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "description": feed.description,
        "home_page_url": urls.absolute(feed.page),
        "feed_url": urls.absolute(feed.json),
        "language": "en",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
