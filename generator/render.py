"""Render the catalog into Markdown pages and BibTeX bundles, in memory.

Every output is a path under ``docs/`` (from ``layout.py``) and its text; ``write.py`` decides
what reaches disk. Pages link to each other with relative ``.md`` links, which ``mkdocs build
--strict`` checks; listings, which hold thousands of links, use HTML links computed by
``layout.Urls`` instead. Alongside the text, rendering records which paper went where, so the
nothing-lost check can compare records by identity instead of re-reading the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import bibtex, layout
from .exports import render_exports
from .layout import Urls, md_link
from .listings import (
    all_papers_page,
    digest_page,
    home_fragment,
    papers_by_digest,
    topic_pages,
    topics_index,
)
from .markup import first_sentence, front_matter, html_text, html_with_links, md_text
from .model import Catalog, Paper, Source, Topic
from .topics import CURATOR

ENTRY_LABELS = {
    "inproceedings": "conference paper",
    "article": "journal article",
    "misc": "preprint",
}


@dataclass
class Rendered:
    """Every generated file, and which paper each one carries."""

    files: dict[str, str] = field(default_factory=dict)
    """Each output's text, by path under ``docs/``."""
    paper_pages: dict[str, list[str]] = field(default_factory=dict)
    """Each slug's page paths (exactly one, when nothing went wrong)."""
    listed: dict[str, set[str]] = field(default_factory=dict)
    """Each topic's slugs, as its pages list them."""
    bundled: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each bundle's cite keys, by path."""

    def add(self, path: str, text: str) -> None:
        """One more output; two outputs on one path is a generator bug."""
        if path in self.files:
            raise AssertionError(f"generator bug: two outputs for {path!r}")
        self.files[path] = text

    def add_bundle(self, path: str, entries: dict[str, str], keys: list[str]) -> None:
        """A ``.bib`` bundle of the given entries."""
        self.add(path, bibtex.bundle(entries, keys))
        self.bundled[path] = frozenset(keys)


def render_site(catalog: Catalog, urls: Urls, abstracts: bool) -> Rendered:
    """Every generated file, in memory."""
    entries = bibtex.all_entries(catalog, urls, abstracts)
    out = Rendered()
    for paper in catalog.papers:
        out.add(layout.paper_page(paper.slug), paper_page(paper, catalog, entries[paper.key]))
        out.paper_pages.setdefault(paper.slug, []).append(layout.paper_page(paper.slug))
        out.add(layout.paper_bib(paper.key), entries[paper.key])
    for topic in catalog.topics:
        members = catalog.papers_in(topic.id)
        pages, listed = topic_pages(topic, members, urls)
        for path, text in pages.items():
            out.add(path, text)
        out.listed[topic.id] = listed
        out.add_bundle(layout.topic_bib(topic.id), entries, [p.key for p in members])
    by_digest = papers_by_digest(catalog)
    for digest in catalog.digests:
        group = by_digest[digest.id]
        out.add(layout.digest_page(digest.id), digest_page(digest.id, digest.date, group, urls))
        out.add_bundle(layout.digest_bib(digest.id), entries, [p.key for p in group])
    out.add_bundle(layout.ALL_BIB, entries, list(entries))
    out.add(layout.TOPICS_INDEX, topics_index(catalog))
    out.add(layout.PAPERS_INDEX, all_papers_page(catalog, by_digest, urls))
    out.add(layout.HOME_FRAGMENT, home_fragment(catalog, by_digest, urls))
    for path, text in render_exports(catalog, entries, urls).items():
        out.add(path, text)
    return out


def paper_page(paper: Paper, catalog: Catalog, entry: str) -> str:
    """One paper: identity, topics, links, digests, abstract, notes and a Cite section."""
    topics = catalog.topic_by_id
    source = layout.paper_page(paper.slug)
    meta = {
        # Material prints title and description raw, so they are HTML-escaped here; the
        # citation block is raw data that overrides/main.html escapes itself.
        "title": html_text(paper.title),
        "description": html_text(first_sentence(paper.abstract)),
        "citation": citation_meta(paper, topics),
    }
    out = [front_matter(meta), f"# {md_text(paper.title)}\n\n"]
    byline = ", ".join(paper.authors) if paper.authors else "Authors not yet known"
    # The cite key stands here, in the searchable part of the page; the Cite section is not.
    out.append(
        f'<p class="rl-byline">{html_text(byline)}<br>{html_text(" · ".join(facts(paper)))} · '
        f"<code>{html_text(paper.key)}</code></p>\n\n"
    )
    chips = " ".join(
        f"[{md_text(topics[t].name)}]({md_link(source, layout.topic_page(t))}){{ .rl-chip }}"
        for t in paper.topics
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


def facts(paper: Paper) -> list[str]:
    """Venue and year, then the first arXiv version's year when it differs: the one year rule
    of ``Paper.cited_year``, with the preprint's year as a note."""
    if paper.venue:
        shown = [paper.venue.name]
        if not paper.venue.year:
            shown[0] += f" {paper.cited_year}"
    else:
        shown = [str(paper.cited_year)]
    if paper.arxiv and (paper.venue or paper.year != paper.cited_year):
        shown.append(f"arXiv {paper.year}")
    elif paper.arxiv:
        shown[0] = f"arXiv {paper.year}"
    return shown


def citation_meta(paper: Paper, topics: dict[str, Topic]) -> dict[str, object]:
    """What the head tags (Highwire ``citation_*`` and schema.org JSON-LD) say about a paper."""
    meta: dict[str, object] = {
        "title": paper.title,
        "authors": list(paper.authors),
        "date": str(paper.cited_year),
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
        f"[Download {md_text(paper.key)}.bib]"
        f"({md_link(layout.paper_page(paper.slug), layout.paper_bib(paper.key))})"
        f'{{ .md-button download="{paper.key}.bib" }}\n\n'
        # A plain block, not a highlighted fence: Material still gives it a copy button, and
        # Pygments was a sixth of the site's build time.
        f'<pre class="rl-bibtex"><code>{html_text(entry.rstrip())}</code></pre>\n\n'
    )


def about_section(paper: Paper, topics: dict[str, Topic]) -> str:
    """Where the paper came from and why it is in each topic."""
    lines = ["## About this entry { data-search-exclude }\n\n"]
    source = layout.paper_page(paper.slug)
    digests = ", ".join(
        f"[{md_text(d)}]({md_link(source, layout.digest_page(d))})" for d in paper.digests
    )
    lines.append(f"- Appeared in: {digests}\n")
    for topic_id, words in paper.reasons:
        name = md_text(topics[topic_id].name)
        if words == (CURATOR,):
            why = "added by the curator"
        elif words:
            why = "matched " + ", ".join(f"“{md_text(w)}”" for w in words)
        else:
            why = "no topic rule matched"
        lines.append(f"- In [{name}]({md_link(source, layout.topic_page(topic_id))}): {why}\n")
    lines += [f"- {source_line(s)}\n" for s in paper.sources]
    if not paper.sources:
        lines.append("- No bibliographic metadata yet: only the digest's title and abstract.\n")
    return "".join(lines) + "\n"


ORIGINS = {"curator": "the curator", "arxiv": "arXiv's API", "dblp": "DBLP"}
METHODS = {"title-exact": "same title", "title-fuzzy": "near-identical title", "id": "by id"}


def source_line(source: Source) -> str:
    """Where part of the metadata came from, in words, with a link to the record."""
    how = [METHODS.get(source.method or "", source.method or "")] if source.method else []
    if source.score is not None and source.method == "title-fuzzy":
        how.append(f"similarity {source.score:.0f}/100")
    if source.confidence:
        how.append(f"confidence {source.confidence}")
    if source.fetched:
        how.append(f"looked up {source.fetched}")
    gave = source.gave[:1].upper() + source.gave[1:]
    line = f"{md_text(gave)} from {ORIGINS.get(source.origin, source.origin)}"
    if how:
        line += f" ({md_text(', '.join(how))})"
    if source.url and source.url.startswith(("http://", "https://")):
        line += f': <a href="{html_text(source.url)}">{html_text(source.url)}</a>'
    elif source.url:
        line += f": {md_text(source.url)}"
    return line
