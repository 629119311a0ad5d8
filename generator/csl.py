"""CSL-JSON, the format of Zotero, pandoc and citeproc, written with ``json.dumps``.

Titles are CSL rich text: the words whose capitals must stay (``capitals.title_runs``) go in
``<span class="nocase">``, so citeproc's title and sentence casing leave ``W4A4KV4`` alone,
and ``M^3ViT`` is written ``M<sup>3</sup>ViT``. Everything else is the title as the digest
gives it: citeproc reads only its own few tags and no entities, so ``&`` and ``<`` stay as
they are (``&amp;`` would print as such). Each item is serialised once and reused by every
bundle.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

from .capitals import ProperNouns, title_runs
from .citing import NO_CITING, Citing, cited_url
from .layout import Urls
from .model import Catalog, Paper
from .remember import per_paper

TYPES = {
    "conference": "paper-conference",
    "workshop": "paper-conference",
    "journal": "article-journal",
}
"""CSL item types by venue kind; anything else (a preprint) is an ``article``."""

_SUPERSCRIPT = re.compile(r"\^(\d+)")


def rich_title(title: str, nouns: ProperNouns) -> str:
    """The title as CSL rich text, protected runs in ``<span class="nocase">``."""
    out = []
    for text, keep in title_runs(title, nouns):
        text = _SUPERSCRIPT.sub(r"<sup>\1</sup>", text)
        out.append(f'<span class="nocase">{text}</span>' if keep else text)
    return "".join(out)


@lru_cache(maxsize=16384)  # CSL-JSON and RIS both split every name; many recur
def csl_name(author: str) -> dict[str, str]:
    """A ``First von Last`` name as CSL's given, particle and family parts."""
    try:
        parts = parse_single_name_into_parts(author, strict=False)
    except InvalidNameError:
        return {"literal": author}
    name = {
        "given": " ".join(parts.first),
        "non-dropping-particle": " ".join(parts.von),
        "family": " ".join(parts.last),
        "suffix": " ".join(parts.jr),
    }
    return {part: value for part, value in name.items() if value} or {"literal": author}


def csl_item(
    paper: Paper, urls: Urls, topics: dict[str, str], citing: Citing = NO_CITING
) -> dict[str, Any]:
    """One paper as a CSL-JSON item; ``topics`` maps topic ids to names."""
    venue = citing.venue(paper.venue) if paper.venue else None
    kind = TYPES.get(venue.kind, "article") if venue else "article"
    item: dict[str, Any] = {
        "id": paper.key,
        "citation-key": paper.key,
        "type": kind,
        "title": rich_title(paper.title, citing.nouns),
    }
    if paper.authors:
        item["author"] = [csl_name(a) for a in paper.authors]
    item["issued"] = {"date-parts": [[paper.cited_year]]}
    if venue and kind != "article":
        acronym = f" ({venue.acronym})" if venue.acronym else ""
        item["container-title"] = f'{venue.prefix}<span class="nocase">{venue.name}{acronym}</span>'
    elif paper.venue:
        item["note"] = paper.venue.name
    if paper.pages and kind != "article":
        item["page"] = paper.pages.replace("--", "-")
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.arxiv and kind == "article":
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv}"
    item["URL"] = cited_url(paper, urls)
    if paper.topics:
        item["keyword"] = ", ".join(topics[t] for t in paper.topics)
    return item


def csl_items(catalog: Catalog, urls: Urls, citing: Citing = NO_CITING) -> dict[str, str]:
    """Every paper's item, serialised once, by cite key."""
    names = {t.id: t.name for t in catalog.topics}
    return per_paper(
        "csl",
        (urls, tuple(names.items()), citing),
        catalog.papers,
        lambda p: json.dumps(csl_item(p, urls, names, citing), ensure_ascii=False),
    )


def csl_bundle(items: dict[str, str], keys: list[str]) -> str:
    """A CSL-JSON file of the given items, sorted by key, one item a line."""
    if not keys:
        return "[]\n"
    return "[\n" + ",\n".join(items[key] for key in sorted(keys)) + "\n]\n"
