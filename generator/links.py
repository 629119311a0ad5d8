"""Find the links in an abstract, and the standard links of an arXiv paper."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from .model import Link

URL = re.compile(r"https?://[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
SENTENCE_END = ".,;:!?"
CLOSERS = {")": "(", "]": "["}
CODE_HOSTS = frozenset({"github.com", "gitlab.com", "huggingface.co"})


def trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the URL.

    ``https://github.com/pavlyhalim/GPPerf].`` gives ``https://github.com/pavlyhalim/GPPerf``;
    ``designbench.pdf?download=`` and a balanced ``wiki/Foo_(bar)`` keep their last character.
    """
    while url:
        last = url[-1]
        if last in SENTENCE_END or (last in CLOSERS and url.count(CLOSERS[last]) < url.count(last)):
            url = url[:-1]
        else:
            break
    return url


@lru_cache(maxsize=65_536)  # every abstract, twice a build; kept across serve's builds
def split_urls(text: str) -> tuple[tuple[str, bool], ...]:
    """The text cut into pieces, each marked True when it is a (trimmed) URL."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in URL.finditer(text):
        found = trim_url(match.group())
        if not urlsplit(found).netloc:
            continue
        pieces.append((text[position : match.start()], False))
        pieces.append((found, True))
        position = match.start() + len(found)
    pieces.append((text[position:], False))
    return tuple(piece for piece in pieces if piece[0])


def abstract_links(abstract: str | None) -> list[Link]:
    """Every distinct http(s) URL of the abstract, in order, as code or project links."""
    seen: dict[str, Link] = {}
    for piece, is_url in split_urls(abstract or ""):
        if is_url and piece not in seen:
            seen[piece] = Link(
                piece, link_kind(piece), "Code" if link_kind(piece) == "code" else "Project page"
            )
    return list(seen.values())


def link_kind(url: str) -> str:
    """``code`` for GitHub, GitLab and Hugging Face; ``project`` for anything else."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return "code" if host in CODE_HOSTS else "project"


def arxiv_links(arxiv: str | None) -> list[Link]:
    """The arXiv abstract, PDF and Hugging Face paper page of an arXiv id."""
    if not arxiv:
        return []
    return [
        Link(f"https://arxiv.org/abs/{arxiv}", "arxiv", f"arXiv:{arxiv}"),
        Link(f"https://arxiv.org/pdf/{arxiv}", "pdf", "PDF"),
        Link(f"https://huggingface.co/papers/{arxiv}", "huggingface", "Hugging Face"),
    ]
