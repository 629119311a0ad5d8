"""Relative links between generated pages, computed the way MkDocs lays out its URLs.

Listing pages hold thousands of links; writing them as HTML with computed relative URLs spares
MkDocs parsing and validating each one as Markdown (the site tests resolve every one instead).
"""

from __future__ import annotations

import posixpath


def page_url(source: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a source: ``papers/x.md`` is ``papers/x/`` or ``papers/x.html``."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/" if directory_urls else f"{stem}.html"


def href(source: str, target: str, directory_urls: bool) -> str:
    """A relative link from one Markdown source's page to another's."""
    here = page_url(source, directory_urls)
    folder = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    there = page_url(target, directory_urls)
    relative = posixpath.relpath(there or ".", folder or ".")
    if there.endswith("/") or not there:
        relative = relative.rstrip("/") + "/" if relative != "." else "./"
    return relative
