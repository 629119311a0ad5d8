"""Find papers in arXiv's API, through the ``arxiv`` package.

The package builds the query URL and turns the Atom feed into results. What it leaves out,
we add: its requests go through our :class:`~generator.lookup.PoliteSession` (timeouts, our
User-Agent), retries and pacing are ours (it retries without honouring ``Retry-After``), and the
feed is checked before it is trusted (the package reads a broken feed as "no results").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import arxiv
from lxml import etree

from .lookup import LookupFailed, SourceClient
from .plain import one_line

PAGE_SIZE = 10
"""Candidates asked for per title search: the right paper is near the top, or not there."""
MAX_QUERY_WORDS = 25
"""A phrase this long already pins a title down; longer queries only risk the API's limits."""

_ATOM = "{http://www.w3.org/2005/Atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_VERSION = re.compile(r"v\d+$")
_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(v\d+)?$", re.IGNORECASE)
_QUERY_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = frozenset({"a", "an", "and", "andnot", "for", "in", "of", "on", "or", "the", "to"})


@dataclass(frozen=True)
class ArxivCandidate:
    """One arXiv paper a query returned."""

    id: str
    """The id without its version, ``2309.06180``."""
    title: str
    """The title on one line."""
    authors: tuple[str, ...]
    """Author names as arXiv gives them, ``First Last``."""
    year: int
    """Year of the first version."""
    published: str
    """Date of the first version, ``2023-09-12``."""
    primary_class: str
    """Primary category, ``cs.LG``."""
    comment: str | None
    """The authors' comment, often naming a venue (free text)."""
    journal_ref: str | None
    """The journal reference, when the authors gave one."""
    doi: str | None
    """The DOI the authors gave."""


@dataclass(frozen=True)
class ArxivAnswer:
    """What one query returned, and the exact URL that asked it."""

    url: str
    candidates: tuple[ArxivCandidate, ...]


class ArxivSource:
    """Title search and id lookup in arXiv's API."""

    def __init__(self, client: SourceClient, base_url: str) -> None:
        self.client = client
        client.session.validate = check_feed
        # Retries and pacing happen in SourceClient, which sees every status and Retry-After.
        self._arxiv = arxiv.Client(page_size=PAGE_SIZE, delay_seconds=0, num_retries=0)
        self._arxiv.query_url_format = base_url.replace("{", "{{").replace("}", "}}") + "?{}"
        self._arxiv._session = client.session

    def search_title(self, title: str) -> ArxivAnswer:
        """Papers whose title holds the title's words as a phrase."""
        return self._ask(arxiv.Search(query=phrase_query(title), max_results=PAGE_SIZE))

    def search_words(self, title: str) -> ArxivAnswer:
        """Papers whose title shares words with the title, best first (for near titles)."""
        return self._ask(arxiv.Search(query=words_query(title), max_results=PAGE_SIZE))

    def lookup_id(self, arxiv_id: str) -> ArxivAnswer:
        """The paper with this id (any version); no candidates when arXiv has none."""
        if not _ID.match(arxiv_id):
            raise LookupFailed(f"{arxiv_id!r} is not an arXiv id (like 2309.06180)")
        wanted = _VERSION.sub("", arxiv_id)
        answer = self._ask(arxiv.Search(id_list=[wanted], max_results=1))
        found = tuple(c for c in answer.candidates if c.id == wanted)
        return ArxivAnswer(answer.url, found)

    def _ask(self, search: arxiv.Search) -> ArxivAnswer:
        def attempt() -> ArxivAnswer:
            try:
                results = list(self._arxiv.results(search))
            except arxiv.ArxivError as exc:
                raise LookupFailed(f"arXiv: {exc.message}") from None
            except (ValueError, TypeError, AttributeError):
                # The package raises these on a feed with broken dates or fields.
                raise LookupFailed("arXiv: malformed answer (bad entry)") from None
            found = tuple(candidate(r) for r in results)
            return ArxivAnswer(self.client.session.last_url, found)

        return self.client.call(attempt)


def phrase_query(title: str) -> str:
    """``ti:"..."`` from the title's words only: digest text never reaches the query syntax."""
    words = _QUERY_WORD.findall(title.casefold())[:MAX_QUERY_WORDS]
    return f'ti:"{" ".join(words)}"'


def words_query(title: str) -> str:
    """``ti:w1 OR ti:w2 ...`` over the title's significant words."""
    words = [w for w in _QUERY_WORD.findall(title.casefold()) if w not in _STOP_WORDS]
    unique = list(dict.fromkeys(words))[:MAX_QUERY_WORDS]
    return " OR ".join(f"ti:{w}" for w in unique) or 'ti:""'


def candidate(result: arxiv.Result) -> ArxivCandidate:
    """Our record of one parsed result; LookupFailed when its id is not an arXiv id."""
    short_id = result.get_short_id()
    if not _ID.match(short_id):
        raise LookupFailed(f"arXiv: malformed answer (entry id {short_id[:40]!r})")
    return ArxivCandidate(
        id=_VERSION.sub("", short_id),
        title=one_line(result.title),
        authors=tuple(one_line(a.name) for a in result.authors),
        year=result.published.year,
        published=result.published.date().isoformat(),
        primary_class=result.primary_category,
        comment=_one_line(result.comment),
        journal_ref=_one_line(result.journal_ref),
        doi=_one_line(result.doi),
    )


def check_feed(content: bytes) -> None:
    """Raise LookupFailed unless the answer is an Atom feed with a result count."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError:
        raise LookupFailed("arXiv: malformed answer (not XML)") from None
    if root is None or root.tag != f"{_ATOM}feed":
        raise LookupFailed("arXiv: malformed answer (not an Atom feed)")
    total = root.find(f"{_OPENSEARCH}totalResults")
    if total is None or not (total.text or "").strip().isdigit():
        raise LookupFailed("arXiv: malformed answer (no result count)")
    for entry in root.iter(f"{_ATOM}entry"):
        if entry.find(f"{_ATOM}id") is None or entry.find(f"{_ATOM}published") is None:
            raise LookupFailed("arXiv: malformed answer (entry without id or date)")


def _one_line(text: str | None) -> str | None:
    return one_line(text or "") or None
