"""Listing pages: topics, digests, the indexes, all papers and the home page's fragment.

Listings hold thousands of links, so they are plain HTML with relative links computed by
``layout.Urls``, not Markdown: MkDocs would parse and validate each one. A listing ends its
page and is front matter data that the template puts after the content (``with_listing``), so
Markdown does not parse its rows either. Each row carries its paper's facts as ``data-``
attributes, which the all-papers page's script filters and sorts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from . import layout
from .charts import bar_chart
from .layout import Urls, md_link
from .markup import front_matter, html_text, md_text, plural, short_authors, teaser
from .model import Catalog, Digest, Paper, Topic

GROUP_TOPICS_ABOVE = 300
"""A topic with more papers lists them on one page per month."""

INLINE_ALL_PAPERS = 1500
"""Up to this many papers, the all-papers page lists every paper; above, it links the digests."""


def papers_by_digest(catalog: Catalog) -> dict[str, list[Paper]]:
    """Each digest's papers, in slug order."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in catalog.papers:
        for digest in paper.digests:
            groups[digest].append(paper)
    return groups


ROWS_REMEMBERED = 65_536
"""Listing rows kept for the next build of the same process (``mkdocs serve``): after an edit,
every listing is written again, but only the rows of changed papers are rendered again."""


def row(
    paper: Paper, source: str, urls: Urls, catalog: Catalog, chips: bool, summary: bool = True
) -> str:
    """One paper in a listing: title, short authors, year, venue, code, teaser (and topics)."""
    named = tuple((t, catalog.topic_by_id[t].name) for t in paper.topics) if chips else None
    return _row(paper, source, urls, named, summary)


@lru_cache(maxsize=ROWS_REMEMBERED)
def _row(
    paper: Paper, source: str, urls: Urls, chips: tuple[tuple[str, str], ...] | None, summary: bool
) -> str:
    """The row, from everything it shows and nothing else (so it can be remembered); ``chips``
    are the (id, name) of the topics it links."""
    link = urls.href(source, layout.paper_page(paper.slug))
    code = next((x.url for x in paper.links if x.kind == "code"), None)
    meta = [f'<span class="rl-year">{paper.cited_year}</span>']
    if paper.authors:
        meta.insert(
            0, f'<span class="rl-short-authors">{html_text(short_authors(paper.authors))}</span>'
        )
    if paper.venue:
        meta.append(f'<span class="rl-venue">{html_text(paper.venue.name)}</span>')
    if code:
        meta.append(f'<a class="rl-code" href="{html_text(code)}">code</a>')
    topics = ""
    if chips:
        topics = " ".join(
            f'<a class="rl-chip" data-topic="{t}" href="{urls.href(source, layout.topic_page(t))}">'
            f"{html_text(name)}</a>"
            for t, name in chips
        )
        topics = f'<span class="rl-row-topics">{topics}</span>'
    venue = html_text(paper.venue.name) if paper.venue else ""
    bib = urls.href(source, layout.paper_bib(paper.key))
    return (
        f'<li class="rl-row" data-paper="{paper.slug}" data-key="{paper.key}" data-bib="{bib}" '
        f'data-year="{paper.cited_year}" '
        f'data-venue="{venue}" data-code="{"yes" if code else "no"}" '
        f'data-topics="{" ".join(paper.topics)}">'
        f'<a class="rl-title" href="{link}">{html_text(paper.title)}</a> '
        f'<span class="rl-meta">{" · ".join(meta)}</span>{topics}'
        + (f'<span class="rl-teaser">{html_text(teaser(paper.abstract))}</span>' if summary else "")
        + "</li>\n"
    )


def with_listing(meta: dict[str, object], body: str, listing_html: str) -> str:
    """A page that ends with a listing. The listing is front matter data (``rl.listing``,
    HTML whose every value was escaped here) that ``overrides/main.html`` puts after the
    content: Markdown would otherwise parse its thousands of tags on every build, and MkDocs
    checks no link in raw HTML anyway."""
    return front_matter({**meta, "rl": {"listing": listing_html}}) + body


def listing(
    papers: Sequence[Paper],
    source: str,
    urls: Urls,
    catalog: Catalog,
    chips: bool = False,
    besides: str | None = None,
) -> str:
    """Rich rows, left out of search: the paper pages hold the same text. With ``chips``, each
    row links its topics, but ``besides`` (the topic a heading above already names)."""
    return _listing(tuple(papers), source, urls, catalog.topics if chips else None, besides)


@lru_cache(maxsize=1024)  # mkdocs serve: an edit builds again only the listings it changed
def _listing(
    papers: tuple[Paper, ...],
    source: str,
    urls: Urls,
    topics: tuple[Topic, ...] | None,
    besides: str | None,
) -> str:
    """The listing, from everything it shows (the topics' names when rows carry chips)."""
    names = {t.id: t.name for t in topics or ()}
    rows = "".join(
        _row(
            paper,
            source,
            urls,
            tuple((t, names[t]) for t in paper.topics if t != besides)
            if topics is not None
            else None,
            True,
        )
        for paper in papers
    )
    return (
        '<div class="rl-listing" data-search-exclude data-pagefind-ignore="all">\n'
        f'<ul class="rl-rows">\n{rows}</ul>\n</div>\n\n'
    )


def topic_pages(
    topic: Topic, papers: tuple[Paper, ...], urls: Urls, catalog: Catalog
) -> tuple[dict[str, str], set[str]]:
    """A topic's pages, and the slugs they list: description, count, bundle and papers. A large
    topic lists its papers on one page per month (of the paper's first digest), so pages stay
    small and one new paper changes one month."""
    source = layout.topic_page(topic.id)
    feeds = {
        "atom": urls.href(source, layout.topic_feed(topic.id)),
        "json": urls.href(source, layout.topic_json_feed(topic.id)),
    }
    meta: dict[str, object] = {"title": html_text(topic.name), "feeds": feeds}
    head = (
        f"# {md_text(topic.name)}\n\n{md_text(topic.description)}\n\n"
        + f"**{plural(len(papers), 'paper')}** · "
        + f"[BibTeX]({md_link(source, layout.topic_bib(topic.id))})"
        + f'{{ download="{topic.id}.bib" }} · '
        + f"[CSL-JSON]({md_link(source, layout.topic_csl(topic.id))}) · "
        + f"[RIS]({md_link(source, layout.topic_ris(topic.id))}) · "
        + f"[Atom feed]({md_link(source, layout.topic_feed(topic.id))})\n\n"
    )
    if len(papers) <= GROUP_TOPICS_ABOVE:
        page = with_listing(meta, head, listing(papers, source, urls, catalog))
        return {source: page}, {p.slug for p in papers}
    months: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        months[paper.digests[0][:7]].append(paper)
    pages: dict[str, str] = {}
    listed: set[str] = set()
    index = [front_matter(meta), head, "Papers by the month they first appeared in a digest:\n\n"]
    for month in sorted(months, reverse=True):
        name = f"{datetime.date.fromisoformat(month + '-01'):%B %Y}"
        page = layout.topic_month_page(topic.id, month)
        index.append(f"- [{name}]({md_link(source, page)}) ({len(months[month])})\n")
        pages[page] = with_listing(
            {"title": html_text(f"{topic.name}, {name}"), "search": {"exclude": True}},
            f"# {md_text(topic.name)}: {name}\n\n"
            f"[All months of {md_text(topic.name)}]({md_link(page, source)})\n\n",
            listing(months[month], page, urls, catalog),
        )
        listed.update(p.slug for p in months[month])
    pages[source] = "".join(index)
    return pages, listed


def digest_page(digest: Digest, papers: Sequence[Paper], urls: Urls, catalog: Catalog) -> str:
    """One digest's papers: a group of the all-papers page."""
    title = f"Digest of {digest.date:%-d %B %Y}"
    source = layout.digest_page(digest.id)
    return with_listing(
        {"title": title, "search": {"exclude": True}},
        f"# {title}\n\n**{plural(len(papers), 'paper')}** · "
        f"[BibTeX for this digest]({md_link(source, layout.digest_bib(digest.id))})"
        f'{{ download="{digest.id}.bib" }} · '
        f"[All digests]({md_link(source, layout.DIGESTS_INDEX)})\n\n",
        listing(papers, source, urls, catalog, chips=True),
    )


def digests_index(catalog: Catalog, by_digest: dict[str, list[Paper]]) -> str:
    """Every digest, newest first, with its count, its new papers and its bundle."""
    source = layout.DIGESTS_INDEX
    rows = []
    for digest in sorted(catalog.digests, key=lambda d: d.id, reverse=True):
        members = by_digest[digest.id]
        new = sum(1 for p in members if p.digests[0] == digest.id)
        rows.append(
            f"| [{digest.date:%-d %B %Y}]({md_link(source, layout.digest_page(digest.id))}) "
            f"| {len(members)} | {new} "
            f"| [{digest.id}.bib]({md_link(source, layout.digest_bib(digest.id))}) |\n"
        )
    return (
        front_matter({"title": "Digests", "search": {"exclude": True}})
        + f"# Digests\n\n{plural(len(catalog.digests), 'digest')}, newest first. A paper that "
        "trends on several days is listed in each digest, and is new only in the first.\n\n"
        + "| Digest | Papers | New | BibTeX |\n| --- | ---: | ---: | --- |\n"
        + "".join(rows)
    )


def topics_index(catalog: Catalog, urls: Urls) -> str:
    """Every topic by name, with its count and description, and two charts."""
    source = layout.TOPICS_INDEX
    topics = sorted(catalog.topics, key=lambda t: (t.name.casefold(), t.id))
    items = "".join(
        f'<li><a href="{urls.href(source, layout.topic_page(t.id))}">{html_text(t.name)}</a> '
        f'<span class="rl-count">{plural(len(catalog.papers_in(t.id)), "paper")}</span>'
        f'<span class="rl-description">{html_text(t.description)}</span></li>\n'
        for t in topics
    )
    by_topic = sorted(
        ((t.name, len(catalog.papers_in(t.id))) for t in catalog.topics if catalog.papers_in(t.id)),
        key=lambda item: (-item[1], item[0].casefold()),
    )
    years: dict[int, int] = defaultdict(int)
    for paper in catalog.papers:
        years[paper.cited_year] += 1
    by_year = [(str(year), years[year]) for year in sorted(years)]
    return (
        front_matter({"title": "Topics", "search": {"exclude": True}})
        + f"# Topics\n\n{plural(len(topics), 'topic')}, by name.\n\n"
        + f'<ul class="rl-topic-list" data-search-exclude>\n{items}</ul>\n\n'
        + "## At a glance\n\n"
        + bar_chart("papers-per-topic", "Papers per topic", by_topic)
        + bar_chart(
            "papers-per-year",
            "Papers per year (the venue's year, else the first version's)",
            by_year,
        )
    )


def all_papers_page(catalog: Catalog, by_digest: dict[str, list[Paper]], urls: Urls) -> str:
    """Every paper, grouped by digest, newest first; never split into numbered pages. With
    JavaScript, ``papers-table.js`` turns the lists into one table to filter and sort."""
    source = layout.PAPERS_INDEX
    # The table needs the width: no side navigation or table of contents here.
    meta: dict[str, object] = {
        "title": "All papers",
        "search": {"exclude": True},
        "hide": ["navigation", "toc"],
    }
    out = [
        f"# All papers\n\n**{plural(len(catalog.papers), 'paper')}** from "
        f"{plural(len(catalog.digests), 'digest')} · "
        f"[BibTeX for the whole list]({md_link(source, layout.ALL_BIB)})"
        '{ download="reading-list.bib" }'
        f" · [All digests]({md_link(source, layout.DIGESTS_INDEX)})\n\n",
    ]
    digests = sorted(catalog.digests, key=lambda d: d.id, reverse=True)
    if len(catalog.papers) > INLINE_ALL_PAPERS:
        out += [
            f"- [Digest of {d.date:%-d %B %Y}]({md_link(source, layout.digest_page(d.id))}) "
            f"({len(by_digest[d.id])})\n"
            for d in digests
        ]
        return front_matter(meta) + "".join(out)
    # No teasers: the table shows none.
    table = ['<div class="rl-all" data-search-exclude data-pagefind-ignore="all">\n']
    for digest in digests:
        link = urls.href(source, layout.digest_page(digest.id))
        table.append(
            f'<h2><a href="{link}">Digest of {digest.date:%-d %B %Y}</a> '
            f"({len(by_digest[digest.id])})</h2>\n"
        )
        rows = "".join(
            row(p, source, urls, catalog, chips=True, summary=False) for p in by_digest[digest.id]
        )
        table.append(f'<ul class="rl-rows">\n{rows}</ul>\n')
    table.append("</div>\n")
    return with_listing(meta, "".join(out), "".join(table))


def home_fragment(catalog: Catalog, by_digest: dict[str, list[Paper]], urls: Urls) -> str:
    """Counts, downloads, what's new and the latest digest by topic, for the home page."""
    # The fragment is included by the home page, so links start from there.
    source = layout.HOME_PAGE
    real_topics = [t for t in catalog.topics if catalog.papers_in(t.id)]
    latest = max(catalog.digests, key=lambda d: d.id) if catalog.digests else None
    out = [
        f"**{plural(len(catalog.papers), 'paper')}** in "
        f"[{plural(len(real_topics), 'topic')}]({md_link(source, layout.TOPICS_INDEX)}), "
        f"from [{plural(len(catalog.digests), 'digest')}]"
        f"({md_link(source, layout.DIGESTS_INDEX)}).\n\n",
        "## Downloads\n\n",
        f"[BibTeX for the whole list]({md_link(source, layout.ALL_BIB)})"
        '{ .md-button download="reading-list.bib" }\n\n',
        "The whole list, for other tools: "
        f"[CSL-JSON]({md_link(source, layout.ALL_CSL)}) (Zotero, pandoc) · "
        f"[RIS]({md_link(source, layout.ALL_RIS)}) (EndNote, Mendeley) · "
        f"[papers.json]({md_link(source, layout.PAPERS_JSON)}) (the catalog) · "
        f"[Atom feed]({md_link(source, layout.ALL_FEED)}) · "
        f"[JSON Feed]({md_link(source, layout.ALL_JSON_FEED)}).\n\n",
    ]
    if latest is None:
        return "".join(out)
    members = by_digest[latest.id]
    new = [p for p in members if p.digests[0] == latest.id]
    out.append(
        f"## What's new\n\n{plural(len(new), 'paper')} first appeared in the "
        f"[digest of {latest.date:%-d %B %Y}]({md_link(source, layout.digest_page(latest.id))}) "
        f"([BibTeX]({md_link(source, layout.digest_bib(latest.id))})"
        f'{{ download="{latest.id}.bib" }}), '
        "each under its most specific topic:\n\n"
    )
    # A paper in three topics is listed once, under the one with fewest papers (KV cache
    # before Language models): the page reads as a list, and topic pages list everything.
    size = {t.id: (len(catalog.papers_in(t.id)), t.name.casefold()) for t in real_topics}
    home_topic = {p.slug: min(p.topics, key=lambda t: size.get(t, (0, t))) for p in new}
    for topic in sorted(real_topics, key=lambda t: t.name.casefold()):
        group = [p for p in new if home_topic[p.slug] == topic.id]
        if group:
            out.append(f"### {md_text(topic.name)} ({len(group)})\n\n")
            out.append(listing(group, source, urls, catalog, chips=True, besides=topic.id))
    return "".join(out)
