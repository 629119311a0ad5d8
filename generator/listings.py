"""Listing pages: topics, digests, the topic index, all papers and the home page's fragment.

Listings hold thousands of links, so they are plain HTML with relative links computed by
``layout.Urls``, not Markdown: MkDocs would parse and validate each one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence

from . import layout
from .layout import Urls, md_link
from .markup import first_sentence, front_matter, html_text, md_text
from .model import Catalog, Paper, Topic

GROUP_TOPICS_ABOVE = 300
"""A topic with more papers lists them on one page per month."""

INLINE_ALL_PAPERS = 1500
"""Up to this many papers, the all-papers page lists every title; above, it links the digests."""


def papers_by_digest(catalog: Catalog) -> dict[str, list[Paper]]:
    """Each digest's papers, in slug order."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in catalog.papers:
        for digest in paper.digests:
            groups[digest].append(paper)
    return groups


def listing(papers: Sequence[Paper], source: str, urls: Urls, summaries: bool = True) -> str:
    """Title links (with their first sentence), left out of search: the paper pages hold them.

    Plain HTML with computed relative links, not Markdown: a listing holds thousands of links,
    and MkDocs would parse and validate each one.
    """
    items = []
    for paper in papers:
        link = urls.href(source, layout.paper_page(paper.slug))
        summary = f" — {html_text(first_sentence(paper.abstract))}" if summaries else ""
        title = html_text(paper.title)
        items.append(f'<li data-paper="{paper.slug}"><a href="{link}">{title}</a>{summary}</li>\n')
    return f'<div class="rl-listing" data-search-exclude>\n<ul>\n{"".join(items)}</ul>\n</div>\n\n'


def topic_pages(
    topic: Topic, papers: tuple[Paper, ...], urls: Urls
) -> tuple[dict[str, str], set[str]]:
    """A topic's pages, and the slugs they list: description, count, bundle and papers. A large
    topic lists its papers on one page per month (of the paper's first digest), so pages stay
    small and one new paper changes one month."""
    source = layout.topic_page(topic.id)
    count = f"{len(papers)} paper{'s' if len(papers) != 1 else ''}"
    head = (
        front_matter({"title": html_text(topic.name)})
        + f"# {md_text(topic.name)}\n\n{md_text(topic.description)}\n\n"
        + f"**{count}** · [BibTeX for this topic]({md_link(source, layout.topic_bib(topic.id))})"
        + f'{{ download="{topic.id}.bib" }}\n\n'
    )
    if len(papers) <= GROUP_TOPICS_ABOVE:
        return {source: head + listing(papers, source, urls)}, {p.slug for p in papers}
    months: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        months[paper.digests[0][:7]].append(paper)
    pages: dict[str, str] = {}
    listed: set[str] = set()
    index = [head, "Papers by the month they first appeared in a digest:\n\n"]
    for month in sorted(months, reverse=True):
        name = f"{datetime.date.fromisoformat(month + '-01'):%B %Y}"
        page = layout.topic_month_page(topic.id, month)
        index.append(f"- [{name}]({md_link(source, page)}) ({len(months[month])})\n")
        pages[page] = (
            front_matter({"title": html_text(f"{topic.name}, {name}"), "search": {"exclude": True}})
            + f"# {md_text(topic.name)}: {name}\n\n"
            + f"[All months of {md_text(topic.name)}]({md_link(page, source)})\n\n"
            + listing(months[month], page, urls)
        )
        listed.update(p.slug for p in months[month])
    pages[source] = "".join(index)
    return pages, listed


def digest_page(digest_id: str, date: datetime.date, papers: Sequence[Paper], urls: Urls) -> str:
    """One digest's papers: a group of the all-papers page."""
    title = f"Digest of {date:%d %B %Y}"
    source = layout.digest_page(digest_id)
    return (
        front_matter({"title": title, "search": {"exclude": True}})
        + f"# {title}\n\n**{len(papers)} papers** · "
        + f"[BibTeX for this digest]({md_link(source, layout.digest_bib(digest_id))})"
        + f'{{ download="{digest_id}.bib" }}\n\n'
        + listing(papers, source, urls)
    )


def topics_index(catalog: Catalog) -> str:
    """Every topic with its paper count."""
    source = layout.TOPICS_INDEX
    rows = "".join(
        f"| [{md_text(t.name)}]({md_link(source, layout.topic_page(t.id))}) "
        f"| {len(catalog.papers_in(t.id))} | {md_text(t.description)} |\n"
        for t in catalog.topics
    )
    return (
        front_matter({"title": "Topics", "search": {"exclude": True}})
        + "# Topics\n\n| Topic | Papers | Description |\n| --- | ---: | --- |\n"
        + rows
    )


def all_papers_page(catalog: Catalog, by_digest: dict[str, list[Paper]], urls: Urls) -> str:
    """All papers, grouped by year and digest, newest first; never split into numbered pages."""
    source = layout.PAPERS_INDEX
    out = [
        front_matter({"title": "All papers", "search": {"exclude": True}}),
        f"# All papers\n\n**{len(catalog.papers)} papers** from {len(catalog.digests)} digests · "
        f"[BibTeX for the whole list]({md_link(source, layout.ALL_BIB)})"
        '{ download="reading-list.bib" }\n\n',
    ]
    inline = len(catalog.papers) <= INLINE_ALL_PAPERS
    year = None
    for digest in sorted(catalog.digests, key=lambda d: d.id, reverse=True):
        if digest.date.year != year:
            year = digest.date.year
            out.append(f"## {year}\n\n")
        members = by_digest[digest.id]
        link = md_link(source, layout.digest_page(digest.id))
        out.append(f"### [{digest.date:%d %B %Y}]({link}) ({len(members)})\n\n")
        if inline:
            out.append(listing(members, source, urls, summaries=False))
    return "".join(out)


def home_fragment(catalog: Catalog, by_digest: dict[str, list[Paper]], urls: Urls) -> str:
    """Counts, downloads and the latest digest, included by the hand-written home page."""
    # The fragment is included by the home page, so links start from there.
    source = layout.HOME_PAGE
    real_topics = [t for t in catalog.topics if catalog.papers_in(t.id)]
    latest = max(catalog.digests, key=lambda d: d.id) if catalog.digests else None
    out = [
        f"**{len(catalog.papers)} papers** in "
        f"[{len(real_topics)} topics]({md_link(source, layout.TOPICS_INDEX)}), "
        f"from {len(catalog.digests)} digest{'s' if len(catalog.digests) != 1 else ''}.\n\n",
        f"[BibTeX for the whole list]({md_link(source, layout.ALL_BIB)})"
        '{ .md-button download="reading-list.bib" }\n\n',
    ]
    if latest:
        out.append(
            f"## Latest digest: [{latest.date:%d %B %Y}]"
            f"({md_link(source, layout.digest_page(latest.id))})\n\n"
            f"[BibTeX for this digest]({md_link(source, layout.digest_bib(latest.id))})"
            f'{{ download="{latest.id}.bib" }}\n\n'
        )
        out.append(listing(by_digest[latest.id], source, urls))
    return "".join(out)
