"""The one map of the output: where every generated file goes, and the URL of every page.

Every other module asks this one. Sources are paths under ``docs/`` (``papers/mamba.md``);
pages are their URLs, which depend on MkDocs' ``use_directory_urls``: ``papers/mamba/`` or
``papers/mamba.html``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OWNED = ("papers", "topics", "digests", "bib", "feeds", "_generated")
"""Folders of ``docs/`` the generator writes; everything else in ``docs/`` is hand-written."""

MANIFEST = ".generator-manifest.json"
"""The generator's record of what it wrote, in ``docs/``."""

_SAFE = re.compile(rf"^(?:{'|'.join(OWNED)})(?:/[a-z0-9][a-z0-9_.-]*)+$")

HOME_PAGE = "index.md"
"""The hand-written home page, which includes ``HOME_FRAGMENT``."""
HOME_FRAGMENT = "_generated/home.md"
"""Counts, downloads and the latest digest, included by the home page."""
TOPICS_INDEX = "topics/index.md"
"""Every topic with its count."""
PAPERS_INDEX = "papers/index.md"
"""The all-papers page."""
ALL_BIB = "bib/all.bib"
"""The whole list as one ``.bib``."""
DIGESTS_INDEX = "digests/index.md"
"""Every digest with its count and bundle."""
ALL_CSL = "bib/all.csl.json"
"""The whole list as CSL-JSON (Zotero, pandoc, citeproc)."""
ALL_RIS = "bib/all.ris"
"""The whole list as RIS (EndNote, Mendeley)."""
PAPERS_JSON = "bib/papers.json"
"""The catalog as versioned JSON: every paper with its slug, key, topics and digests."""
ALL_FEED = "feeds/all.xml"
"""The Atom feed of the whole list's newest papers."""
ALL_JSON_FEED = "feeds/all.json"
"""The JSON Feed 1.1 of the whole list's newest papers."""
FRAGMENTS = "_generated"
"""Generated pieces that hand-written pages include; not pages themselves."""


def paper_page(slug: str) -> str:
    """One paper's page."""
    return f"papers/{slug}.md"


def is_paper_page(path: str) -> bool:
    """Whether a page source is one paper's page (not the all-papers index)."""
    return path.startswith("papers/") and path != PAPERS_INDEX and path.count("/") == 1


def paper_bib(key: str) -> str:
    """One paper's ``.bib``."""
    return f"bib/papers/{key}.bib"


def topic_page(topic_id: str) -> str:
    """A topic's page (its index of months, for a large topic)."""
    return f"topics/{topic_id}.md"


def topic_month_page(topic_id: str, month: str) -> str:
    """One month of a large topic, ``month`` as ``2025-03``."""
    return f"topics/{topic_id}/{month}.md"


def topic_bib(topic_id: str) -> str:
    """A topic's bundle."""
    return f"bib/topics/{topic_id}.bib"


def digest_page(digest_id: str) -> str:
    """One digest's page."""
    return f"digests/{digest_id}.md"


def digest_bib(digest_id: str) -> str:
    """One digest's bundle."""
    return f"bib/digests/{digest_id}.bib"


def topic_csl(topic_id: str) -> str:
    """A topic's papers as CSL-JSON."""
    return f"bib/topics/{topic_id}.csl.json"


def topic_ris(topic_id: str) -> str:
    """A topic's papers as RIS."""
    return f"bib/topics/{topic_id}.ris"


def topic_feed(topic_id: str) -> str:
    """The Atom feed of a topic's newest papers."""
    return f"feeds/topics/{topic_id}.xml"


def topic_json_feed(topic_id: str) -> str:
    """The JSON Feed 1.1 of a topic's newest papers."""
    return f"feeds/topics/{topic_id}.json"


def is_generated(path: str) -> bool:
    """A path the generator may write or remove: inside its folders, with safe names only."""
    return bool(_SAFE.match(path)) and ".." not in path


def md_link(source: str, target: str) -> str:
    """A relative link from one source to another (or to a file such as a ``.bib``), as
    Markdown writes it: MkDocs resolves and checks it, then turns it into the page's URL."""
    return _relative(source.split("/")[:-1], target.split("/")) or "."


def _relative(here: list[str], there: list[str]) -> str:
    """The relative path from a folder to a path, both as segments of clean relative paths
    (no ``.`` or ``..``): ``posixpath.relpath`` without its cost, which listings pay a hundred
    thousand times at 10,000 papers. Empty when the path is the folder itself."""
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


@dataclass(frozen=True)
class Urls:
    """Page URLs for one site: its ``site_url`` and URL style."""

    site_url: str
    """The published site's root, ending in ``/``."""
    directory_urls: bool = True
    """MkDocs' ``use_directory_urls``: ``papers/x/`` when true, ``papers/x.html`` when false."""

    def page(self, source: str) -> str:
        """A source's URL relative to the site root: ``papers/x/`` or ``papers/x.html``; a file
        that is not a page (a ``.bib``) keeps its path."""
        if not source.endswith(".md"):
            return source
        stem = source.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return f"{stem}/" if self.directory_urls else f"{stem}.html"

    def absolute(self, source: str) -> str:
        """A source's published URL."""
        return self.site_url + self.page(source)

    def href(self, source: str, target: str) -> str:
        """A relative link from one source's page to another's (or to a file such as a
        ``.bib``), for links written as HTML: MkDocs leaves those alone, so they must already be
        what the browser needs."""
        here = self.page(source).split("/")[:-1]  # the page's folder
        return _relative(here, self.page(target).split("/")) or "./"

    def built_paper_pages(self) -> str:
        """The glob of the built paper pages under ``site/``, for Pagefind."""
        return "papers/*/index.html" if self.directory_urls else "papers/*.html"
