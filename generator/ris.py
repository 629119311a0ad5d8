"""RIS, for EndNote, Mendeley and Zotero, written with ``rispy``.

RIS is line-based, so every value is one line: whitespace (line breaks included) collapses to
single spaces. rispy numbers references (``1.``) by default; other readers don't expect that,
so the writer here leaves it out. Each entry is serialised once and reused by every bundle.
"""

from __future__ import annotations

from typing import Any

import rispy

from .citing import NO_CITING, Citing, cited_url
from .csl import csl_name
from .layout import Urls
from .model import Catalog, Paper
from .plain import one_line
from .remember import per_paper

TYPES = {"conference": "CPAPER", "workshop": "CPAPER", "journal": "JOUR"}
"""RIS reference types by venue kind; a preprint is ``UNPB``, anything else ``GEN``."""


class PlainRisWriter(rispy.RisWriter):
    """rispy's writer without the reference numbers."""

    def set_header(self, count: int) -> str:
        """No header line before a reference."""
        return ""


def ris_name(author: str) -> str:
    """``First von Last`` as RIS's ``von Last, First`` (split the way BibTeX splits names)."""
    name = csl_name(one_line(author))
    if "literal" in name:
        return name["literal"]
    family = " ".join(filter(None, [name.get("non-dropping-particle"), name["family"]]))
    return ", ".join(filter(None, [family, name.get("given"), name.get("suffix")]))


def ris_entry(
    paper: Paper, urls: Urls, topics: dict[str, str], citing: Citing = NO_CITING
) -> dict[str, Any]:
    """One paper as a rispy reference; ``topics`` maps topic ids to names."""
    venue = citing.venue(paper.venue) if paper.venue else None
    kind = TYPES.get(venue.kind, "GEN") if venue else "GEN"
    if kind == "GEN" and paper.arxiv:
        kind = "UNPB"
    entry: dict[str, Any] = {
        "type_of_reference": kind,
        "id": paper.key,
        "title": one_line(paper.title),
    }
    if paper.authors:
        entry["authors"] = [ris_name(a) for a in paper.authors]
    entry["year"] = str(paper.cited_year)
    if venue and kind in ("CPAPER", "JOUR"):
        entry["secondary_title"] = one_line(venue.container)
    if paper.pages and kind in ("CPAPER", "JOUR"):
        start, _, end = paper.pages.replace("--", "-").partition("-")
        entry["start_page"] = one_line(start)
        if end:
            entry["end_page"] = one_line(end)
    if paper.doi:
        entry["doi"] = paper.doi
    entry["urls"] = [cited_url(paper, urls)]
    if paper.topics:
        entry["keywords"] = [one_line(topics[t]) for t in paper.topics]
    notes = [f"arXiv:{paper.arxiv}"] if paper.arxiv else []
    if paper.venue and kind not in ("CPAPER", "JOUR"):
        notes.append(one_line(paper.venue.name))
    if notes:
        entry["notes"] = notes
    return entry


def ris_entries(catalog: Catalog, urls: Urls, citing: Citing = NO_CITING) -> dict[str, str]:
    """Every paper's entry, serialised once, by cite key."""
    names = {t.id: t.name for t in catalog.topics}
    writer = PlainRisWriter()
    return per_paper(
        "ris",
        (urls, tuple(names.items()), citing),
        catalog.papers,
        lambda p: writer.formats([ris_entry(p, urls, names, citing)]),
    )


def ris_bundle(entries: dict[str, str], keys: list[str]) -> str:
    """A RIS file of the given entries, sorted by key, a blank line between them."""
    return "\n".join(entries[key] for key in sorted(keys))
