"""One paper's page: identity, topics, links, abstract, notes, Cite, related papers, About.

The page is Markdown (MkDocs checks its few links) with small HTML blocks. The BibTeX block,
the related-papers list and the folded About block are HTML in the front matter (``rl``), every
value escaped here, which ``overrides/main.html`` places as Material places its own page parts:
the BibTeX block where the content says ``CITE_MARKER``, the other two after the content.
Neither Markdown nor the search plugin then parses them (each page is parsed as HTML three
times over: by Markdown, by MkDocs for anchors, by the search plugin), which was half of a
paper page's build time. Their links are computed by ``layout.Urls``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from . import bibtex, layout
from .layout import Urls, md_link
from .markup import front_matter, html_text, html_with_links, md_text, teaser
from .model import Catalog, Paper, Source
from .related_job import Relation
from .topics import CURATOR

ENTRY_LABELS = {
    "inproceedings": "conference paper",
    "article": "journal article",
    "misc": "preprint",
}
ORIGINS = {"curator": "the curator", "arxiv": "arXiv's API", "dblp": "DBLP"}
METHODS = {"title-exact": "same title", "title-fuzzy": "near-identical title", "id": "by id"}


CITE_MARKER = "<!-- rl-cite -->"
"""Where the template puts the BibTeX block: an HTML comment, which both engines' Markdown keep
as it is, and which escaped digest text can never spell."""

PAGES_REMEMBERED = 20_000
"""Rendered pages kept for the next build of the same process (``mkdocs serve``), where an
edit then renders again only the pages whose inputs it changed."""


def paper_page(
    paper: Paper, catalog: Catalog, entry: str, related: tuple[Relation, ...], urls: Urls
) -> str:
    """The whole page, front matter first."""
    shown = {*paper.topics, *(topic_id for topic_id, _ in paper.reasons)}
    return _page(
        paper,
        tuple((t, catalog.topic_by_id[t].name) for t in sorted(shown)),
        entry,
        related,
        tuple(catalog.title_by_slug[r.slug] for r in related),
        urls,
    )


@lru_cache(maxsize=PAGES_REMEMBERED)
def _page(
    paper: Paper,
    topic_names: tuple[tuple[str, str], ...],
    entry: str,
    related: tuple[Relation, ...],
    related_titles: tuple[str, ...],
    urls: Urls,
) -> str:
    """The page, from everything it shows and nothing else (so it can be remembered)."""
    # Names only, not the topics: a page shows no rule, so a rule edit re-renders no page.
    topics = dict(topic_names)
    meta = {
        # Material prints title and description raw, so they are HTML-escaped here; the
        # citation block is raw data that overrides/main.html escapes itself, and ``rl`` is
        # HTML escaped here.
        "title": html_text(paper.title),
        "description": html_text(teaser(paper.abstract)),
        "citation": citation_meta(paper, topics),
        "rl": {
            "cite": bibtex_block(paper.key, entry),
            "related": related_items(paper, related, related_titles, urls),
            "about": about_lines(paper, topics, urls),
        },
    }
    return "".join(
        [
            front_matter(meta),
            f"# {md_text(paper.title)}\n\n",
            identity(paper, topics),
            body(paper),
            cite_section(paper),
            # The list itself is rendered by the template, right after this heading, which
            # stays here so the table of contents has it.
            "## Related papers { data-search-exclude }\n" if related else "",
        ]
    )


def identity(paper: Paper, topics: dict[str, str]) -> str:
    """Authors, then venue and year, then topic chips and links."""
    source = layout.paper_page(paper.slug)
    byline = ", ".join(paper.authors) if paper.authors else "Authors not yet known"
    out = [
        f'<p class="rl-byline"><span class="rl-authors">{html_text(byline)}</span><br>'
        f'<span class="rl-facts">{html_text(" · ".join(facts(paper)))}</span></p>\n\n'
    ]
    chips = " ".join(
        f"[{md_text(topics[t])}]({md_link(source, layout.topic_page(t))}){{ .rl-chip }}"
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
    return "".join(out)


def facts(paper: Paper) -> list[str]:
    """Venue and year, then the first arXiv version's year: the one-year rule of
    ``Paper.cited_year``, with the preprint's year as a note."""
    if paper.venue:
        shown = [paper.venue.name]
        if not paper.venue.year:
            shown[0] += f" {paper.cited_year}"
        if paper.arxiv:
            shown.append(f"arXiv {paper.year}")
        return shown
    return [f"arXiv {paper.year}" if paper.arxiv else str(paper.cited_year)]


def body(paper: Paper) -> str:
    """The abstract and the curator's notes."""
    out = ["## Abstract\n\n"]
    if paper.abstract:
        out.append(f'<p class="rl-abstract">{html_with_links(paper.abstract)}</p>\n\n')
    else:
        out.append('<p class="rl-abstract rl-missing">Abstract missing in the digest.</p>\n\n')
    if paper.notes:
        out.append("## Curator notes\n\n")
        out += [
            f'<p class="rl-notes">{html_with_links(p)}</p>\n\n' for p in paper.notes.split("\n\n")
        ]
    return "".join(out)


def related_items(
    paper: Paper, related: Sequence[Relation], titles: Sequence[str], urls: Urls
) -> list[str]:
    """The nearest papers by title and abstract, each with the terms they share, as the HTML
    of list items (every value escaped here) for the template. Listed papers have pages of
    their own, so the list is kept out of search: repeating their titles here would make
    every search hit five pages at once."""
    source = layout.paper_page(paper.slug)
    return [
        f'<a href="{html_text(urls.href(source, layout.paper_page(r.slug)))}">'
        f"{html_text(title)}</a>"
        f'<span class="rl-terms"> — shares {html_text(", ".join(r.terms))}</span>'
        for r, title in zip(related, titles, strict=True)
    ]


def cite_section(paper: Paper) -> str:
    """The cite key (searchable) and the Copy and Download buttons; the template puts the
    BibTeX entry (``bibtex_block``) at the marker."""
    source = layout.paper_page(paper.slug)
    bib = md_link(source, layout.paper_bib(paper.key))
    key = html_text(paper.key)
    return (
        "## Cite\n\n"
        f'<p class="rl-citekey">Cite key <code>{key}</code></p>\n\n'
        # The download is a Markdown link: every engine resolves those from the source file,
        # while a link to a file inside raw HTML is read differently by MkDocs and Zensical.
        f'<button class="md-button md-button--primary rl-copy" type="button" '
        f'data-clipboard-target="#bibtex-{key} code">Copy BibTeX</button> '
        f"[Download {md_text(paper.key)}.bib]({bib})"
        f'{{ .md-button download="{key}.bib" }}\n'
        '{: .rl-cite-actions data-search-exclude data-pagefind-ignore="all" }\n\n'
        f"{CITE_MARKER}\n\n"
    )


def bibtex_block(key: str, entry: str) -> str:
    """The BibTeX entry as HTML, for the template to put at ``CITE_MARKER``."""
    key = html_text(key)
    return (
        f'<div class="rl-cite" data-search-exclude data-pagefind-ignore="all">'
        # The id sits on a wrapper: Material renames the ids of <pre> blocks.
        f'<div id="bibtex-{key}"><pre class="rl-bibtex"><code>{html_text(entry.rstrip())}'
        "</code></pre></div></div>"
    )


def about_lines(paper: Paper, topics: dict[str, str], urls: Urls) -> list[str]:
    """Where the entry came from and why it is where it is, as sentences of HTML (every value
    escaped here) for the template's folded About block: bookkeeping for the curious."""
    source = layout.paper_page(paper.slug)
    digests = ", ".join(
        f'<a href="{urls.href(source, layout.digest_page(d))}">{html_text(d)}</a>'
        for d in paper.digests
    )
    lines = [f"Listed in the digest{'s' if len(paper.digests) > 1 else ''} of {digests}."]
    lines += [topic_reason(paper, topic_id, words, topics) for topic_id, words in paper.reasons]
    lines.append(entry_reason(paper))
    lines += [source_line(s) for s in paper.sources]
    if not paper.sources:
        lines.append("No bibliographic metadata yet: only the digest's title and abstract.")
    return lines


def topic_reason(
    paper: Paper, topic_id: str, words: tuple[str, ...], topics: dict[str, str]
) -> str:
    """Why the paper is in one topic, as a sentence."""
    name = f"<em>{html_text(topics[topic_id])}</em>"
    if words == (CURATOR,):
        return f"In {name} because the curator put it there."
    if not words:
        return f"In {name}: no topic rule matched it yet."
    quoted = ", ".join(f"“{html_text(w)}”" for w in words)
    where = "title" if all(w in paper.title.lower() for w in words) else "abstract"
    return f"In {name} because its {where} mentions {quoted}."


def entry_reason(paper: Paper) -> str:
    """Why the BibTeX entry has its type."""
    kind = bibtex.entry_type(paper)
    label = f"@{kind} ({ENTRY_LABELS[kind]})"
    venue = html_text(paper.venue.name) if paper.venue else ""
    if paper.venue and kind != "misc":
        rule = html_text(paper.venue.rule)
        return f"Cited as {label}: {venue} is a {paper.venue.kind}, per {rule}."
    if paper.venue:
        return f"Cited as {label}: no rule of venues.yaml says what kind of venue {venue} is."
    return f"Cited as {label}: no published venue is known."


def source_line(source: Source) -> str:
    """Where part of the metadata came from, as a sentence with a link to the record."""
    how = [METHODS.get(source.method or "", source.method or "")] if source.method else []
    if source.score is not None and source.method == "title-fuzzy":
        how.append(f"similarity {source.score:.0f}/100")
    if source.confidence:
        how.append(f"confidence {source.confidence}")
    if source.fetched:
        how.append(f"looked up {source.fetched}")
    # A sentence starts with a capital, but "arXiv" keeps its own spelling.
    gave = (
        source.gave
        if source.gave.startswith("arXiv")
        else source.gave[:1].upper() + source.gave[1:]
    )
    line = f"{html_text(gave)} from {ORIGINS.get(source.origin, html_text(source.origin))}"
    if how:
        line += f" ({html_text(', '.join(how))})"
    if source.url and source.url.startswith(("http://", "https://")):
        line += f': <a href="{html_text(source.url)}">{html_text(source.url)}</a>'
    elif source.url:
        line += f": {html_text(source.url)}"
    return line + "."


def citation_meta(paper: Paper, topics: dict[str, str]) -> dict[str, object]:
    """What the head tags (Highwire ``citation_*`` and schema.org JSON-LD) say about a paper."""
    meta: dict[str, object] = {
        "title": paper.title,
        "authors": list(paper.authors),
        "date": str(paper.cited_year),
        "keywords": [topics[t] for t in paper.topics],
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
