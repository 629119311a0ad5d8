"""BibTeX entries and bundles, through bibtexparser 2's model and writer.

Each entry is serialised once and the string is reused by every bundle it belongs to. Venues
are named by their series without the year (``citing.cited_venue``), and titles protect only
the capitals a sentence-case style would lose (``capitals.title_runs``).
"""

from __future__ import annotations

import bibtexparser
from bibtexparser.model import Entry, Field

from . import latex, layout
from .citing import NO_CITING, CitedVenue, Citing
from .layout import Urls
from .model import Catalog, Paper
from .remember import per_paper

ENTRY_TYPES = {"conference": "inproceedings", "workshop": "inproceedings", "journal": "article"}


def _format() -> bibtexparser.BibtexFormat:
    """Two-space indents and one blank line between entries."""
    style = bibtexparser.BibtexFormat()
    style.indent = "  "
    style.block_separator = "\n"
    return style


FORMAT = _format()
"""How every entry is written; built once."""


def entry_type(paper: Paper) -> str:
    """``inproceedings`` or ``article`` for a classified venue, ``misc`` otherwise."""
    return ENTRY_TYPES.get(paper.venue.kind, "misc") if paper.venue else "misc"


def entry_fields(
    paper: Paper, urls: Urls, abstracts: bool, citing: Citing = NO_CITING
) -> list[tuple[str, str]]:
    """The entry's fields, in a stable order, already escaped for LaTeX."""
    nouns = citing.nouns
    fields: list[tuple[str, str]] = []
    if paper.authors:
        fields.append(("author", latex.author_list(paper.authors)))
    fields.append(("title", latex.protect_title(paper.title, nouns)))
    kind = entry_type(paper)
    venue = citing.venue(paper.venue) if paper.venue else None
    if venue and kind == "inproceedings":
        fields.append(("booktitle", container(venue)))
    elif venue and kind == "article":
        fields.append(("journal", container(venue)))
    fields.append(("year", str(paper.cited_year)))
    if paper.pages and kind != "misc":
        fields.append(("pages", latex.escape(paper.pages.replace("--", "-")).replace("-", "--")))
    if paper.doi:
        fields.append(("doi", latex.escape_url(paper.doi)))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv")]
        if paper.primary_class:
            fields.append(("primaryClass", paper.primary_class))
        fields.append(("url", latex.escape_url(f"https://arxiv.org/abs/{paper.arxiv}")))
        if kind == "misc":
            fields.append(("howpublished", f"arXiv preprint arXiv:{paper.arxiv}"))
    elif kind == "misc":
        url = next(
            (link.url for link in paper.links if link.kind in ("code", "project", "extra")), None
        )
        url = url or urls.absolute(layout.paper_page(paper.slug))
        fields += [
            ("url", latex.escape_url(url)),
            ("howpublished", rf"\url{{{latex.escape_url(url)}}}"),
        ]
    if paper.venue and kind == "misc":
        fields.append(("note", latex.escape(paper.venue.name)))
    elif kind == "misc" and not paper.arxiv:
        fields.append(("note", f"Listed in the paper digest of {paper.digests[0][:10]}"))
    if not paper.authors:
        fields.append(("key", paper.key))  # plain.bst needs an author or a key to sort
    if abstracts and paper.abstract:
        fields.append(("abstract", latex.escape(paper.abstract)))
    return fields


def container(venue: CitedVenue) -> str:
    """The proceedings' or journal's name, escaped, with the venue's own name braced whole: a
    proper name that sentence-case styles (biblatex's, pandoc's) must not lowercase."""
    acronym = f" ({{{latex.escape(venue.acronym)}}})" if venue.acronym else ""
    return f"{latex.escape(venue.prefix)}{{{latex.escape(venue.name)}}}{acronym}"


def entry_text(
    paper: Paper, urls: Urls, abstracts: bool = False, citing: Citing = NO_CITING
) -> str:
    """One paper's entry, serialised by bibtexparser's writer."""
    # Values are enclosed in braces here rather than by bibtexparser's default middleware,
    # which deep-copies the library on every call (most of the cost at 10,000 papers).
    fields = [
        Field(name, f"{{{value}}}") for name, value in entry_fields(paper, urls, abstracts, citing)
    ]
    library = bibtexparser.Library([Entry(entry_type(paper), paper.key, fields)])
    return bibtexparser.write_string(library, unparse_stack=[], bibtex_format=FORMAT)


def bundle(entries: dict[str, str], keys: list[str]) -> str:
    """A ``.bib`` file of the given entries, sorted by key."""
    return "\n".join(entries[key] for key in sorted(keys))


def all_entries(
    catalog: Catalog, urls: Urls, abstracts: bool, citing: Citing = NO_CITING
) -> dict[str, str]:
    """Every paper's serialised entry, by cite key."""
    return per_paper(
        "bibtex",
        (urls, abstracts, citing),
        catalog.papers,
        lambda p: entry_text(p, urls, abstracts, citing),
    )
