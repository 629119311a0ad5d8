"""Render the catalog into Markdown pages and BibTeX bundles, in memory.

Every output is a path under ``docs/`` (from ``layout.py``) and its text; ``write.py`` decides
what reaches disk. Pages link to each other with relative ``.md`` links, which ``mkdocs build
--strict`` checks; listings, which hold thousands of links, use HTML links computed by
``layout.Urls`` instead. Alongside the text, rendering records which paper went where, so the
nothing-lost check can compare records by identity instead of re-reading the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import bibtex, layout
from .citing import NO_CITING, Citing
from .exports import render_exports
from .forked import Forked
from .layout import Urls
from .listings import (
    all_papers_page,
    digest_page,
    digests_index,
    home_fragment,
    papers_by_digest,
    topic_pages,
    topics_index,
)
from .model import Catalog, Paper
from .paper_page import paper_page
from .related_job import RelatedJob, Relation

FORK_FROM = 500
"""Fewer papers than this render their pages faster than a child is forked and read back."""
CHILD_SHARE = 0.42
"""The paper pages the forked child renders: less than half, as it also pickles them and this
process reads them back."""


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

    def update(self, files: dict[str, str]) -> None:
        """More outputs, each as ``add`` takes it."""
        for path, text in files.items():
            self.add(path, text)

    def add_bundle(self, path: str, entries: dict[str, str], keys: list[str]) -> None:
        """A ``.bib`` bundle of the given entries."""
        self.add(path, bibtex.bundle(entries, keys))
        self.bundled[path] = frozenset(keys)


def render_site(
    catalog: Catalog,
    urls: Urls,
    abstracts: bool,
    citing: Citing = NO_CITING,
    related: RelatedJob | None = None,
    fork: bool = True,
) -> Rendered:
    """Every generated file, in memory. Paper pages come last: they need the related lists,
    which ``related`` (a job given the catalog's papers) computes meanwhile. From
    ``FORK_FROM`` papers, when ``fork`` allows it and this process may fork (see ``Forked``),
    one forked child renders the exports while this process renders the listings, and
    another ``CHILD_SHARE`` of the paper pages; a build that means to remember its pages
    renders them all here."""
    if related is None:
        related = RelatedJob(None)
        related.submit(catalog.papers)
    fork = fork and len(catalog.papers) >= FORK_FROM
    exports = Forked.start(lambda: render_exports(catalog, urls, citing), fork=fork)
    later: Forked[Rendered] | None = None
    try:
        entries = bibtex.all_entries(catalog, urls, abstracts, citing)
        out = render_listings(catalog, urls, entries)
        # Exports rendered here (no child: a server) are rendered while the related lists are
        # still being computed elsewhere; a child's are read once this process has rendered
        # its paper pages, as the child may still be at work (small lists, whose related
        # lists are ready early).
        late = exports.in_child
        if not late:
            out.update(exports.result())
        lists = related.result()
        papers = catalog.papers
        half = len(papers) - int(len(papers) * CHILD_SHARE)
        later = Forked.start(
            lambda: render_papers(papers[half:], catalog, entries, lists, urls), fork=fork
        )
        first = render_papers(papers[:half], catalog, entries, lists, urls)
        if late:
            out.update(exports.result())
        second = later.result()
    finally:
        exports.close()
        if later is not None:
            later.close()
    for part in (first, second):
        out.update(part.files)
        out.paper_pages.update(part.paper_pages)
    return out


def render_papers(
    papers: Sequence[Paper],
    catalog: Catalog,
    entries: dict[str, str],
    lists: dict[str, tuple[Relation, ...]],
    urls: Urls,
) -> Rendered:
    """The papers' pages and ``.bib`` files."""
    out = Rendered()
    for paper in papers:
        page = paper_page(paper, catalog, entries[paper.key], lists[paper.slug], urls)
        out.add(layout.paper_page(paper.slug), page)
        out.paper_pages.setdefault(paper.slug, []).append(layout.paper_page(paper.slug))
        out.add(layout.paper_bib(paper.key), entries[paper.key])
    return out


def render_listings(catalog: Catalog, urls: Urls, entries: dict[str, str]) -> Rendered:
    """Topic, digest and index pages, and the BibTeX bundles (not the exports, nor the paper
    pages)."""
    out = Rendered()
    for topic in catalog.topics:
        members = catalog.papers_in(topic.id)
        pages, listed = topic_pages(topic, members, urls, catalog)
        out.update(pages)
        out.listed[topic.id] = listed
        out.add_bundle(layout.topic_bib(topic.id), entries, [p.key for p in members])
    by_digest = papers_by_digest(catalog)
    for digest in catalog.digests:
        group = by_digest[digest.id]
        out.add(layout.digest_page(digest.id), digest_page(digest, group, urls, catalog))
        out.add_bundle(layout.digest_bib(digest.id), entries, [p.key for p in group])
    out.add_bundle(layout.ALL_BIB, entries, list(entries))
    out.add(layout.TOPICS_INDEX, topics_index(catalog, urls))
    out.add(layout.DIGESTS_INDEX, digests_index(catalog, by_digest))
    out.add(layout.PAPERS_INDEX, all_papers_page(catalog, by_digest, urls))
    out.add(layout.HOME_FRAGMENT, home_fragment(catalog, by_digest, urls))
    return out
