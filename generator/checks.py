"""The nothing-lost check, run on the in-memory catalog and rendered outputs of every build.

Each paper of each digest must be excluded by the curator, or be on exactly one paper page,
in at least one topic page, in the whole-list ``.bib`` and in each of its topic bundles.
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostics
from .model import Catalog, Digest, title_identity

_ENTRY_KEY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)
_LISTED = re.compile(r'<li data-paper="([a-z0-9-]+)">')


def bundle_keys(text: str) -> set[str]:
    """The cite keys of the entries in a rendered ``.bib`` file."""
    return set(_ENTRY_KEY.findall(text))


def check_nothing_lost(
    digests: list[Digest], catalog: Catalog, files: dict[str, str], diagnostics: Diagnostics
) -> None:
    """Log an error naming every paper that did not reach the site in full."""
    by_identity = {title_identity(p.digest_title): p for p in catalog.papers}
    excluded = {title_identity(e.title) for e in catalog.excluded}
    pages = [path for path in files if path.startswith("papers/") and path != "papers/index.md"]
    page_count: dict[str, int] = {}
    for path in pages:
        slug = path.removeprefix("papers/").removesuffix(".md")
        page_count[slug] = page_count.get(slug, 0) + 1
    whole_list = bundle_keys(files.get("bib/all.bib", ""))
    topic_keys = {
        t.id: bundle_keys(files.get(f"bib/topics/{t.id}.bib", "")) for t in catalog.topics
    }
    topic_pages: dict[str, set[str]] = {t.id: set() for t in catalog.topics}
    for path, text in files.items():
        if path.startswith("topics/") and path != "topics/index.md":
            # topics/<id>.md, or a month group topics/<id>/<month>.md of a large topic
            topic = path.removeprefix("topics/").removesuffix(".md").split("/")[0]
            topic_pages.setdefault(topic, set()).update(_LISTED.findall(text))
    for digest in digests:
        for entry in digest.entries:
            identity = title_identity(entry.title)
            if identity in excluded:
                continue
            paper = by_identity.get(identity)
            problems = []
            if paper is None:
                problems.append("it is not in the catalog")
            else:
                if page_count.get(paper.slug, 0) != 1:
                    problems.append(f"it has {page_count.get(paper.slug, 0)} paper pages, not 1")
                if paper.key not in whole_list:
                    problems.append("it is missing from the whole-list .bib")
                if not paper.topics:
                    problems.append("it is in no topic")
                for topic in paper.topics:
                    if paper.slug not in topic_pages.get(topic, set()):
                        problems.append(f"it is not listed on topic page {topic!r}")
                    if paper.key not in topic_keys.get(topic, set()):
                        problems.append(f"it is missing from the {topic!r} bundle")
            for problem in problems:
                diagnostics.error(
                    entry.where, f"nothing-lost check: {entry.title[:60]!r}: {problem}"
                )
