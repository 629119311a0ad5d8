"""The nothing-lost check, run on the in-memory catalog and rendered outputs of every build.

Each paper of each digest must be excluded by the curator, or be on exactly one paper page,
in at least one topic page, in the whole-list ``.bib`` and in each of its topic bundles. The
check compares records by identity (slug, cite key, topic id) with what rendering recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import layout
from .diagnostics import Diagnostics, shorten
from .model import Catalog, Digest, Paper, title_identity

if TYPE_CHECKING:
    from .render import Rendered


def check_nothing_lost(
    digests: Sequence[Digest], catalog: Catalog, rendered: Rendered, diagnostics: Diagnostics
) -> None:
    """Log an error naming every paper that did not reach the site in full."""
    by_identity = {title_identity(p.digest_title): p for p in catalog.papers}
    excluded = {title_identity(e.title) for e in catalog.excluded}
    for digest in digests:
        for entry in digest.entries:
            identity = title_identity(entry.title)
            if identity in excluded:
                continue
            paper = by_identity.get(identity)
            problems = ["it is not in the catalog"] if paper is None else lost(paper, rendered)
            for problem in problems:
                diagnostics.error(
                    entry.where, f"nothing-lost check: {shorten(entry.title)!r}: {problem}"
                )


def lost(paper: Paper, rendered: Rendered) -> list[str]:
    """What one paper is missing from: its page, the whole list, its topics and their bundles."""
    problems = []
    pages = [p for p in rendered.paper_pages.get(paper.slug, []) if p in rendered.files]
    if pages != [layout.paper_page(paper.slug)]:
        problems.append(f"it has {len(pages)} paper pages, not 1")
    if paper.key not in rendered.bundled.get(layout.ALL_BIB, ()):
        problems.append("it is missing from the whole-list .bib")
    if not paper.topics:
        problems.append("it is in no topic")
    for topic in paper.topics:
        if paper.slug not in rendered.listed.get(topic, ()):
            problems.append(f"it is not listed on topic page {topic!r}")
        if paper.key not in rendered.bundled.get(layout.topic_bib(topic), ()):
            problems.append(f"it is missing from the {topic!r} bundle")
    return problems
