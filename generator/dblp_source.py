"""Find where a paper was published, in DBLP's publication search (JSON).

DBLP's answer has quirks this module irons out: titles end with a period, ``venue`` may be a
list, ``year`` is a string, a single author comes as an object rather than a list, author
names may carry a four-digit disambiguation suffix (``Wei Zhang 0001``), and an answer with no
hits has no ``hit`` key at all. A published paper usually has two hits: its arXiv copy (venue
``CoRR``, an informal publication, which is not a venue) and the venue itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .lookup import LookupFailed, SourceClient
from .plain import one_line

HITS = 20
"""Hits asked for: room for a paper's CoRR copy, its venue and a few look-alikes."""
MAX_QUERY_WORDS = 25

KINDS = {"Conference and Workshop Papers": "conference", "Journal Articles": "journal"}
"""DBLP's publication types that name a venue, and our venue kind for each."""
NOT_VENUES = frozenset({"corr"})
"""Venues that are preprint servers, whatever type DBLP gives them."""

_QUERY_WORD = re.compile(r"[^\W_]+")
_DISAMBIGUATION = re.compile(r"\s+\d{4}$")


@dataclass(frozen=True)
class DblpHit:
    """One publication DBLP's search returned."""

    key: str
    """DBLP's record key, ``conf/sosp/KwonLZ0ZY0ZS23``."""
    title: str
    """The title without DBLP's final period."""
    authors: tuple[str, ...]
    """Author names without disambiguation numbers."""
    venue: str | None
    """The venue's acronym (``SOSP``, ``NeurIPS``, ``J. Mach. Learn. Res.``)."""
    year: int | None
    """The publication year."""
    kind: str | None
    """``conference`` or ``journal``; None for preprints, books and the like."""
    doi: str | None
    """The DOI, when DBLP has one."""
    pages: str | None
    """Pages as DBLP gives them (``611-626``)."""


@dataclass(frozen=True)
class DblpAnswer:
    """What one search returned, and the exact URL that asked it."""

    url: str
    hits: tuple[DblpHit, ...]


class DblpSource:
    """Title search in DBLP."""

    def __init__(self, client: SourceClient, base_url: str) -> None:
        self.client = client
        self.base_url = base_url

    def search_title(self, title: str) -> DblpAnswer:
        """Publications whose titles hold the title's words."""
        words = _QUERY_WORD.findall(title.casefold())[:MAX_QUERY_WORDS]
        # Only words reach the query: DBLP gives meaning to characters like | $ and -.
        params = {"q": " ".join(words), "format": "json", "h": str(HITS)}

        def attempt() -> DblpAnswer:
            response = self.client.session.get(self.base_url, params=params)
            return DblpAnswer(response.url, parse_hits(response.content))

        return self.client.call(attempt)


def parse_hits(content: bytes) -> tuple[DblpHit, ...]:
    """The hits of a search answer; LookupFailed when it is not DBLP's JSON shape."""
    try:
        data = json.loads(content)
        hits = data["result"]["hits"]
    except (ValueError, KeyError, TypeError):
        raise LookupFailed("DBLP: malformed answer (not DBLP's JSON)") from None
    if not isinstance(hits, dict):
        raise LookupFailed("DBLP: malformed answer (hits is not an object)")
    found = hits.get("hit", [])
    if isinstance(found, dict):
        found = [found]
    if not isinstance(found, list):
        raise LookupFailed("DBLP: malformed answer (hit is not a list)")
    parsed = (hit(item.get("info")) for item in found if isinstance(item, dict))
    return tuple(h for h in parsed if h is not None)


def hit(info: Any) -> DblpHit | None:
    """One hit's record; None when it lacks a title."""
    if not isinstance(info, dict) or not _text(info.get("title")):
        return None
    kind = KINDS.get(_text(info.get("type")) or "")
    venue = _text(info.get("venue"))
    if venue is not None and venue.casefold() in NOT_VENUES:
        kind = None
    year = _text(info.get("year"))
    return DblpHit(
        key=_text(info.get("key")) or "",
        title=(_text(info.get("title")) or "").removesuffix("."),
        authors=authors(info.get("authors")),
        venue=venue,
        year=int(year) if year is not None and year.isdigit() else None,
        kind=kind,
        doi=_text(info.get("doi")),
        pages=_text(info.get("pages")),
    )


def authors(value: Any) -> tuple[str, ...]:
    """Author names from ``authors.author``: a list, or one object for a single author."""
    listed = value.get("author", []) if isinstance(value, dict) else []
    if not isinstance(listed, list):
        listed = [listed]
    names = (_text(a.get("text") if isinstance(a, dict) else a) for a in listed)
    return tuple(_DISAMBIGUATION.sub("", n) for n in names if n)


def _text(value: Any) -> str | None:
    """A string field on one line; the first entry of a list (DBLP lists some venues)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return one_line(value) or None
