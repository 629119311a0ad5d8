"""Digest text is data: escape it for Markdown, HTML and YAML front matter.

HTML goes through the standard library's ``html.escape``; Markdown through Python-Markdown's
own list of escapable characters; front matter through the YAML safe dumper.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown

from .links import split_urls
from .yamlio import dump_yaml

_MARKDOWN_SPECIALS = frozenset(
    markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "toc"]).ESCAPED_CHARS
)
_SENTENCE = re.compile(r"^(.{20,}?[.!?])(?=\s+[A-Z(\[\"'])")
SUMMARY_LENGTH = 240


_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in _MARKDOWN_SPECIALS})


def md_text(text: str) -> str:
    """Text that Markdown shows verbatim: HTML-escaped, then every Markdown special backslashed."""
    return html.escape(text, quote=False).translate(_MARKDOWN_ESCAPES)


def html_text(text: str) -> str:
    """Text for HTML content or attribute values."""
    return html.escape(text, quote=True)


def html_with_links(text: str) -> str:
    """Escaped text whose http(s) URLs become links."""
    parts = []
    for piece, is_url in split_urls(text):
        if is_url:
            parts.append(f'<a href="{html_text(piece)}">{html_text(piece)}</a>')
        else:
            parts.append(html_text(piece))
    return "".join(parts)


def front_matter(meta: dict[str, Any]) -> str:
    """A YAML front matter block, written by the safe dumper."""
    return f"---\n{dump_yaml(meta)}---\n\n"


def first_sentence(abstract: str | None) -> str:
    """The abstract's first sentence, cut to a listing-friendly length."""
    if not abstract:
        return "Abstract missing in the digest."
    match = _SENTENCE.match(abstract)
    sentence = match.group(1) if match else abstract
    if len(sentence) > SUMMARY_LENGTH:
        sentence = sentence[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "\u2026"
    return sentence
