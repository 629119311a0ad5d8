"""Decide whether a search result is the digest's paper, or leave it for the curator.

A wrong match is worse than none: it attaches a stranger's authors, id and cite key to a paper.
So a result is accepted only when its title equals the digest's after normalising, or when it
is the one near-equal result (a typo, a joined word, a LaTeX accent) with a plausible year and
no close rival. Everything else goes to the review table with its candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .arxiv_source import ArxivCandidate
from .dblp_source import DblpHit
from .lockfile import Candidate, Status

FUZZY_MIN = 95.0
"""Least ``fuzz.ratio`` of two normalised titles for a near-equal match."""
RIVAL_MARGIN = 5.0
"""A second result this close to the near-equal one makes the choice the curator's."""
FUZZY_MIN_LENGTH = 40
"""Shorter titles must be equal: one character changes ``GPT-4`` into ``GPT-4o``."""
WORD_MIN = 75.0
"""Least similarity of two words in the same place, for a typo rather than another word."""
REVIEW_MIN = 60.0
"""Candidates scoring less are noise, not worth a curator's look."""
REVIEW_SHOWN = 5
MAX_AGE = 10
"""A paper trends within this many years of its first arXiv version."""

_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class ArxivDecision:
    """The outcome of an arXiv search for one paper."""

    status: Status
    chosen: ArxivCandidate | None
    method: str | None
    """``title-exact`` or ``title-fuzzy`` when a candidate was accepted."""
    score: float | None
    candidates: tuple[Candidate, ...]
    """For review: the candidates, best first."""


@dataclass(frozen=True)
class VenueDecision:
    """The DBLP hit accepted as the paper's venue."""

    hit: DblpHit
    method: str
    score: float


def normalise_title(title: str) -> str:
    """NFKC, LaTeX commands and math markup dropped, case-folded, punctuation collapsed."""
    text = _LATEX_COMMAND.sub(" ", unicodedata.normalize("NFKC", title)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def title_score(wanted: str, found: str) -> float:
    """Similarity of two titles after normalising, 0 to 100."""
    return round(fuzz.ratio(normalise_title(wanted), normalise_title(found)), 1)


def title_method(wanted: str, found: str) -> str | None:
    """``title-exact``, ``title-fuzzy`` or None (not the same title)."""
    a, b = normalise_title(wanted), normalise_title(found)
    if a == b:
        return "title-exact"
    return "title-fuzzy" if near_equal(a, b) else None


def near_equal(a: str, b: str) -> bool:
    """True when two normalised titles differ only by a slip: same numbers, same words."""
    if min(len(a), len(b)) < FUZZY_MIN_LENGTH or fuzz.ratio(a, b) < FUZZY_MIN:
        return False
    if _NUMBER.findall(a.replace(" ", "")) != _NUMBER.findall(b.replace(" ", "")):
        return False
    if a.replace(" ", "") == b.replace(" ", ""):
        return True  # Only spacing differs: "Flash Attention" and "FlashAttention".
    words_a, words_b = a.split(), b.split()
    # Same number of words, each pair equal or a typo apart: no word added, dropped or swapped.
    return len(words_a) == len(words_b) and all(
        x == y or fuzz.ratio(x, y) >= WORD_MIN for x, y in zip(words_a, words_b, strict=True)
    )


def plausible_year(year: int, digest_year: int) -> bool:
    """A first version no later than the digest, and not absurdly older."""
    return digest_year - MAX_AGE <= year <= digest_year


def choose_arxiv(title: str, digest_year: int, found: Sequence[ArxivCandidate]) -> ArxivDecision:
    """Accept the one candidate that is this paper, or list the candidates for review."""
    unique = list({c.id: c for c in found}.values())
    scored = sorted(
        ((title_score(title, c.title), c) for c in unique), key=lambda s: (-s[0], s[1].id)
    )
    plausible = [c for _, c in scored if plausible_year(c.year, digest_year)]
    exact = [c for c in plausible if title_method(title, c.title) == "title-exact"]
    if len(exact) == 1:
        return ArxivDecision("found", exact[0], "title-exact", 100.0, ())
    near = [c for c in plausible if title_method(title, c.title) == "title-fuzzy"]
    if not exact and len(near) == 1:
        score = title_score(title, near[0].title)
        rivals = [s for s, c in scored if c is not near[0] and s >= score - RIVAL_MARGIN]
        if not rivals:
            return ArxivDecision("found", near[0], "title-fuzzy", score, ())
    review = tuple(
        Candidate("arxiv", c.id, c.title, c.authors[0] if c.authors else None, c.year, s)
        for s, c in scored
        if s >= REVIEW_MIN
    )[:REVIEW_SHOWN]
    return ArxivDecision("review" if review else "not_found", None, None, None, review)


def choose_venue(
    titles: Sequence[str],
    authors: Sequence[str],
    arxiv_year: int,
    digest_year: int,
    hits: Sequence[DblpHit],
) -> VenueDecision | None:
    """The DBLP hit that is this paper at a conference or journal, if there is one.

    Preprints (CoRR, informal publications) are not venues. A hit must carry one of the
    paper's titles, a year from the arXiv year minus one to the digest year plus one, and,
    when both sides list authors, share at least one family name with arXiv's authors.
    """
    families = {_family(a) for a in authors}
    accepted = []
    for hit in hits:
        if hit.kind is None or hit.venue is None or hit.year is None:
            continue
        methods = [title_method(t, hit.title) for t in titles]
        method = "title-exact" if "title-exact" in methods else next(filter(None, methods), None)
        if method is None or not arxiv_year - 1 <= hit.year <= digest_year + 1:
            continue
        overlap = len(families & {_family(a) for a in hit.authors})
        if families and hit.authors and not overlap:
            continue
        score = max(title_score(t, hit.title) for t in titles)
        # Exact titles first, then the most shared authors, then the earliest publication.
        rank = (method != "title-exact", -overlap, hit.year, hit.kind != "conference", hit.key)
        accepted.append((rank, VenueDecision(hit, method, score)))
    return min(accepted, key=lambda a: a[0])[1] if accepted else None


def _family(name: str) -> str:
    """A name's last word without accents, case-folded: DBLP and arXiv spell first names apart."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = plain.split()
    return words[-1] if words else ""
