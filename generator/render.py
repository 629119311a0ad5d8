"""Render the catalog into Markdown pages and BibTeX bundles, in memory.

Every output is a path under ``docs/`` and its text; ``write.py`` decides what reaches disk.
Pages link to each other with relative ``.md`` links, which ``mkdocs build --strict`` checks;
listings, which hold thousands of links, use HTML links computed by ``urls.py`` instead.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from . import bibtex
from .markup import first_sentence, front_matter, html_text, html_with_links, md_text
from .model import Catalog, Paper, Topic
from .topics import CURATOR
from .urls import href

GROUP_TOPICS_ABOVE = 300
"""A topic with more papers lists them on one page per month."""

INLINE_ALL_PAPERS = 1500
"""Up to this many papers, the all-papers page lists every title; above, it links the digests."""

ENTRY_LABELS = {
    "inproceedings": "conference paper",
    "article": "journal article",
    "misc": "preprint",
}


def render_site(
    catalog: Catalog, site_url: str, abstracts: bool, directory_urls: bool = True
) -> tuple[dict[str, str], dict[str, str]]:
    """Every generated file by path, and every paper's BibTeX entry by key."""
    entries = bibtex.all_entries(catalog, site_url, abstracts)
    files: dict[str, str] = {}
    for paper in catalog.papers:
        files[f"papers/{paper.slug}.md"] = paper_page(paper, catalog, entries[paper.key])
        files[f"bib/papers/{paper.key}.bib"] = entries[paper.key]
    for topic in catalog.topics:
        members = catalog.papers_in(topic.id)
        files.update(topic_pages(topic, members, directory_urls))
        files[f"bib/topics/{topic.id}.bib"] = bibtex.bundle(entries, [p.key for p in members])
    by_digest = papers_by_digest(catalog)
    for digest in catalog.digests:
        members = by_digest[digest.id]
        files[f"digests/{digest.id}.md"] = digest_page(
            digest.id, digest.date, members, directory_urls
        )
        files[f"bib/digests/{digest.id}.bib"] = bibtex.bundle(entries, [p.key for p in members])
    files["bib/all.bib"] = bibtex.bundle(entries, list(entries))
    files["topics/index.md"] = topics_index(catalog)
    files["papers/index.md"] = all_papers_page(catalog, by_digest, directory_urls)
    files["_generated/home.md"] = home_fragment(catalog, by_digest, directory_urls)
    return files, entries


def papers_by_digest(catalog: Catalog) -> dict[str, list[Paper]]:
    """Each digest's papers, in slug order."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in catalog.papers:
        for digest in paper.digests:
            groups[digest].append(paper)
    return groups


def paper_page(paper: Paper, catalog: Catalog, entry: str) -> str:
    """One paper: identity, topics, links, digests, abstract, notes and a Cite section."""
    topics = catalog.topic_by_id
    meta = {
        # Material prints title and description raw, so they are HTML-escaped here; the
        # citation block is raw data that overrides/main.html escapes itself.
        "title": html_text(paper.title),
        "description": html_text(first_sentence(paper.abstract)),
        "citation": citation_meta(paper, topics),
    }
    out = [front_matter(meta), f"# {md_text(paper.title)}\n\n"]
    byline = ", ".join(paper.authors) if paper.authors else "Authors not yet curated"
    facts = " · ".join([str(paper.year)] + ([paper.venue.name] if paper.venue else []))
    # The cite key stands here, in the searchable part of the page; the Cite section is not.
    out.append(
        f'<p class="rl-byline">{html_text(byline)}<br>{html_text(facts)} · '
        f"<code>{html_text(paper.key)}</code></p>\n\n"
    )
    chips = " ".join(
        f"[{md_text(topics[t].name)}](../topics/{t}.md){{ .rl-chip }}" for t in paper.topics
    )
    out.append(f"{chips}\n\n")
    if paper.links:
        items = "".join(
            f'<li class="rl-link rl-link--{link.kind}"><a href="{html_text(link.url)}">'
            f"{html_text(link.label)}</a></li>"
            for link in paper.links
        )
        out.append(f'<ul class="rl-links">{items}</ul>\n\n')
    out.append("## Abstract\n\n")
    if paper.abstract:
        out.append(f'<p class="rl-abstract">{html_with_links(paper.abstract)}</p>\n\n')
    else:
        out.append('<p class="rl-abstract rl-missing">Abstract missing in the digest.</p>\n\n')
    if paper.notes:
        out.append("## Curator notes\n\n")
        out += [
            f'<p class="rl-notes">{html_with_links(p)}</p>\n\n' for p in paper.notes.split("\n\n")
        ]
    # Cite and About are left out of search: BibTeX and bookkeeping would only bloat the index.
    # The div drops their text; the attribute on each heading drops the (empty) section itself.
    out.append('<div class="rl-cite" data-search-exclude data-pagefind-ignore="all" markdown>\n\n')
    out.append(cite_section(paper, entry))
    out.append(about_section(paper, topics))
    out.append("</div>\n")
    return "".join(out)


def citation_meta(paper: Paper, topics: dict[str, Topic]) -> dict[str, object]:
    """What the head tags (Highwire ``citation_*`` and schema.org JSON-LD) say about a paper."""
    meta: dict[str, object] = {
        "title": paper.title,
        "authors": list(paper.authors),
        "date": str(paper.year),
        "keywords": [topics[t].name for t in paper.topics],
        "key": paper.key,
    }
    if paper.abstract:
        meta["abstract"] = paper.abstract
    if paper.arxiv:
        meta["arxiv"] = paper.arxiv
        meta["pdf_url"] = f"https://arxiv.org/pdf/{paper.arxiv}"
        meta["same_as"] = f"https://arxiv.org/abs/{paper.arxiv}"
    if paper.venue and paper.venue.kind in ("conference", "workshop"):
        meta["conference"] = paper.venue.name
    elif paper.venue and paper.venue.kind == "journal":
        meta["journal"] = paper.venue.name
    return meta


def cite_section(paper: Paper, entry: str) -> str:
    """The BibTeX entry with a copy button (Material's code copy) and a download link."""
    kind = bibtex.entry_type(paper)
    decided = f"@{kind} ({ENTRY_LABELS[kind]})"
    if paper.venue:
        decided += f"; venue classified as {paper.venue.kind} by {paper.venue.rule}"
    return (
        "## Cite { data-search-exclude }\n\n"
        f'<p class="rl-citekey">Cite key <code>{html_text(paper.key)}</code> · '
        f"entry type {html_text(decided)}</p>\n\n"
        f"[Download {md_text(paper.key)}.bib](../bib/papers/{paper.key}.bib)"
        f'{{ .md-button download="{paper.key}.bib" }}\n\n'
        # A plain block, not a highlighted fence: Material still gives it a copy button, and
        # Pygments was a sixth of the site's build time.
        f'<pre class="rl-bibtex"><code>{html_text(entry.rstrip())}</code></pre>\n\n'
    )


def about_section(paper: Paper, topics: dict[str, Topic]) -> str:
    """Where the paper came from and why it is in each topic."""
    lines = ["## About this entry { data-search-exclude }\n\n"]
    digests = ", ".join(f"[{md_text(d)}](../digests/{d}.md)" for d in paper.digests)
    lines.append(f"- Appeared in: {digests}\n")
    for topic_id, words in paper.reasons:
        name = md_text(topics[topic_id].name)
        if words == (CURATOR,):
            why = "added by the curator"
        elif words:
            why = "matched " + ", ".join(f"“{md_text(w)}”" for w in words)
        else:
            why = "no topic rule matched"
        lines.append(f"- In [{name}](../topics/{topic_id}.md): {why}\n")
    provenance = dict(paper.provenance)
    if provenance:
        source = provenance.get("source", "")
        shown = (
            f'<a href="{html_text(source)}">{html_text(source)}</a>'
            if source.startswith("http")
            else md_text(source)
        )
        confidence = (
            f" (confidence: {md_text(provenance['confidence'])})"
            if "confidence" in provenance
            else ""
        )
        lines.append(f"- Metadata read from {shown}{confidence}\n")
    return "".join(lines) + "\n"


def listing(papers: list[Paper], source: str, directory_urls: bool, summaries: bool = True) -> str:
    """Title links (with their first sentence), left out of search: the paper pages hold them.

    Plain HTML with computed relative links, not Markdown: a listing holds thousands of links,
    and MkDocs would parse and validate each one.
    """
    items = []
    for paper in papers:
        link = href(source, f"papers/{paper.slug}.md", directory_urls)
        summary = f" — {html_text(first_sentence(paper.abstract))}" if summaries else ""
        title = html_text(paper.title)
        items.append(f'<li data-paper="{paper.slug}"><a href="{link}">{title}</a>{summary}</li>\n')
    return f'<div class="rl-listing" data-search-exclude>\n<ul>\n{"".join(items)}</ul>\n</div>\n\n'


def topic_pages(topic: Topic, papers: list[Paper], directory_urls: bool) -> dict[str, str]:
    """A topic's page: description, count, bundle and papers. A large topic lists its papers on
    one page per month (of the paper's first digest), so pages stay small and one new paper
    changes one month."""
    count = f"{len(papers)} paper{'s' if len(papers) != 1 else ''}"
    head = (
        front_matter({"title": html_text(topic.name)})
        + f"# {md_text(topic.name)}\n\n{md_text(topic.description)}\n\n"
        + f"**{count}** · [BibTeX for this topic](../bib/topics/{topic.id}.bib)"
        + f'{{ download="{topic.id}.bib" }}\n\n'
    )
    if len(papers) <= GROUP_TOPICS_ABOVE:
        source = f"topics/{topic.id}.md"
        return {source: head + listing(papers, source, directory_urls)}
    months: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        months[paper.digests[0][:7]].append(paper)
    pages = {}
    index = [head, "Papers by the month they first appeared in a digest:\n\n"]
    for month in sorted(months, reverse=True):
        name = f"{datetime.date.fromisoformat(month + '-01'):%B %Y}"
        index.append(f"- [{name}]({topic.id}/{month}.md) ({len(months[month])})\n")
        pages[f"topics/{topic.id}/{month}.md"] = (
            front_matter({"title": html_text(f"{topic.name}, {name}"), "search": {"exclude": True}})
            + f"# {md_text(topic.name)}: {name}\n\n"
            + f"[All months of {md_text(topic.name)}](../{topic.id}.md)\n\n"
            + listing(months[month], f"topics/{topic.id}/{month}.md", directory_urls)
        )
    pages[f"topics/{topic.id}.md"] = "".join(index)
    return pages


def digest_page(
    digest_id: str, date: datetime.date, papers: list[Paper], directory_urls: bool
) -> str:
    """One digest's papers: a group of the all-papers page."""
    title = f"Digest of {date:%d %B %Y}"
    return (
        front_matter({"title": title, "search": {"exclude": True}})
        + f"# {title}\n\n**{len(papers)} papers** · "
        + f"[BibTeX for this digest](../bib/digests/{digest_id}.bib)"
        + f'{{ download="{digest_id}.bib" }}\n\n'
        + listing(papers, f"digests/{digest_id}.md", directory_urls)
    )


def topics_index(catalog: Catalog) -> str:
    """Every topic with its paper count."""
    rows = "".join(
        f"| [{md_text(t.name)}]({t.id}.md) | {len(catalog.papers_in(t.id))} "
        f"| {md_text(t.description)} |\n"
        for t in catalog.topics
    )
    return (
        front_matter({"title": "Topics", "search": {"exclude": True}})
        + "# Topics\n\n| Topic | Papers | Description |\n| --- | ---: | --- |\n"
        + rows
    )


def all_papers_page(
    catalog: Catalog, by_digest: dict[str, list[Paper]], directory_urls: bool
) -> str:
    """All papers, grouped by year and digest, newest first; never split into numbered pages."""
    out = [
        front_matter({"title": "All papers", "search": {"exclude": True}}),
        f"# All papers\n\n**{len(catalog.papers)} papers** from {len(catalog.digests)} digests · "
        '[BibTeX for the whole list](../bib/all.bib){ download="reading-list.bib" }\n\n',
    ]
    inline = len(catalog.papers) <= INLINE_ALL_PAPERS
    year = None
    for digest in sorted(catalog.digests, key=lambda d: d.id, reverse=True):
        if digest.date.year != year:
            year = digest.date.year
            out.append(f"## {year}\n\n")
        members = by_digest[digest.id]
        out.append(f"### [{digest.date:%d %B %Y}](../digests/{digest.id}.md) ({len(members)})\n\n")
        if inline:
            out.append(listing(members, "papers/index.md", directory_urls, summaries=False))
    return "".join(out)


def home_fragment(catalog: Catalog, by_digest: dict[str, list[Paper]], directory_urls: bool) -> str:
    """Counts, downloads and the latest digest, included by the hand-written home page."""
    real_topics = [t for t in catalog.topics if catalog.papers_in(t.id)]
    latest = max(catalog.digests, key=lambda d: d.id) if catalog.digests else None
    out = [
        f"**{len(catalog.papers)} papers** in [{len(real_topics)} topics](topics/index.md), "
        f"from {len(catalog.digests)} digest{'s' if len(catalog.digests) != 1 else ''}.\n\n",
        '[BibTeX for the whole list](bib/all.bib){ .md-button download="reading-list.bib" }\n\n',
    ]
    if latest:
        out.append(
            f"## Latest digest: [{latest.date:%d %B %Y}](digests/{latest.id}.md)\n\n"
            f"[BibTeX for this digest](bib/digests/{latest.id}.bib)"
            f'{{ download="{latest.id}.bib" }}\n\n'
        )
        # The fragment is included by docs/index.md, so links start from the home page.
        out.append(listing(by_digest[latest.id], "index.md", directory_urls))
    return "".join(out)
