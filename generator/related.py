"""Related papers: the five nearest by TF-IDF similarity of title and abstract, with the terms
that explain each match, as arxiv-sanity shows them.

Each paper keeps only its strongest terms (``TERMS_PER_PAPER``): the similarity of two papers
is then a product of two short vectors, which stays fast at 10,000 papers, and the shared
terms are the explanation shown to readers. Scores are rounded before they are ranked and
ties go to the slug, so the lists are deterministic and a new paper changes only the lists
it really enters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
from scipy import sparse

from .related_job import Relation, Text
from .stopwords import ENGLISH_STOP_WORDS

RELATED = 5
"""Related papers shown on each page."""
TERMS_PER_PAPER = 24
"""The strongest terms kept for each paper."""
SHOWN_TERMS = 3
"""Shared terms shown for each related paper."""
MIN_SCORE = 0.05
"""Below this similarity, two papers are not related, whatever the ranking says."""
SCORE_DIGITS = 2
"""Similarities are ranked after rounding to this many decimals (ties go to the slug)."""
WEIGHT_DIGITS = 4
"""Term weights are ranked after rounding to this many decimals."""
_CHUNK = 2048


class Relatable(Protocol):
    """What relating needs of a paper."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def abstract(self) -> str | None: ...


@lru_cache(maxsize=1)
def related_rows(rows: tuple[tuple[str, str, str | None], ...]) -> dict[str, tuple[Relation, ...]]:
    """``related_papers`` of (slug, title, abstract) rows, remembered for the next build of the
    same process when no title or abstract changed (a shared result: do not change it)."""
    return related_papers([Text(*row) for row in rows])


def related_papers(
    papers: Sequence[Relatable], share: tuple[int, int] = (0, 1)
) -> dict[str, tuple[Relation, ...]]:
    """Each paper's related papers, by slug; with ``share`` (part, parts), only those of the
    part-th of ``parts`` equal runs of the papers (each list depends on all the papers, but
    is computed alone: the parts together are exactly the whole)."""
    part, parts = share
    lo, hi = len(papers) * part // parts, len(papers) * (part + 1) // parts
    if len(papers) < 2:
        return {p.slug: () for p in papers[lo:hi]}
    texts = [f"{p.title}. {p.title}. {p.abstract or ''}" for p in papers]
    try:
        counts, vocabulary = _counts(texts)
    except ValueError:  # no term occurs in two papers: nothing is related
        return {p.slug: () for p in papers[lo:hi]}
    kept = _strongest(_weights(counts))
    slugs = [p.slug for p in papers]
    found: dict[str, tuple[Relation, ...]] = {}
    for start in range(lo, hi, _CHUNK):
        scores = (kept[start : min(start + _CHUNK, hi)] @ kept.T).tocsr()
        chosen = [
            _nearest(
                row,
                scores.indices[scores.indptr[offset] : scores.indptr[offset + 1]],
                scores.data[scores.indptr[offset] : scores.indptr[offset + 1]],
                slugs,
            )
            for offset, row in enumerate(range(start, min(start + _CHUNK, hi)))
        ]
        rows = [row for row, nearest in enumerate(chosen, start) for _ in nearest]
        others = [other for nearest in chosen for _, other in nearest]
        explained = iter(_shared_terms(kept, rows, others, vocabulary))
        for row, nearest in enumerate(chosen, start):
            found[slugs[row]] = tuple(
                Relation(slugs[other], score, next(explained)) for score, other in nearest
            )
    return found


MIN_DF = 2
"""A term counts when at least this many papers use it."""
MAX_DF = 0.5
"""... and at most this share of them."""


def _counts(texts: Sequence[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """Each text's term counts, and the terms (sorted), exactly as scikit-learn's
    ``CountVectorizer(min_df=MIN_DF, max_df=MAX_DF)`` gives them with the analyzer of
    ``_term_ids`` (tests/test_related.py compares the two): scikit-learn's import took longer
    than the whole computation at 1,000 papers. Raises ValueError, as it does, when no term is
    left."""
    high = MAX_DF * len(texts)
    if high < MIN_DF:
        raise ValueError("too few papers for the document-frequency bounds")
    documents = [_known(text) for text in texts]
    _counted.clear()
    _counted.update(zip(texts, documents, strict=True))
    # Every (text, term) pair once, with its count: sorted by text, then by term. Terms are
    # numbered in the order of their names, so the kept ones are already in the vocabulary's
    # order (a sort of all pairs by text and column took two thirds of this at 10,000 papers).
    size = len(_TERMS.names)
    rank, named = _TERMS.in_order()
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    owners = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    flat = rank[np.concatenate(documents)]
    pairs, counts = np.unique(owners * size + flat, return_counts=True)
    rows, terms = pairs // size, pairs % size
    frequency = np.bincount(terms, minlength=size)  # in how many texts each term occurs
    chosen = np.flatnonzero((frequency >= MIN_DF) & (frequency <= high))
    if not len(chosen):
        raise ValueError("no term is left")
    vocabulary = [named[i] for i in chosen.tolist()]
    column = np.full(size, -1, dtype=np.int64)
    column[chosen] = np.arange(len(chosen))
    columns = column[terms]
    kept = columns >= 0
    indptr = np.zeros(len(texts) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows[kept], minlength=len(texts)), out=indptr[1:])
    matrix = sparse.csr_matrix(
        (counts[kept].astype(np.float32), columns[kept].astype(np.int32), indptr),
        shape=(len(texts), len(vocabulary)),
    )
    return matrix, vocabulary


_URL = re.compile(r"https?://\S+")
_NOISE = frozenset({"http", "https", "www", "com", "org", "io", "github", "code", "available"})
"""Words of links and "code is available at", which say nothing of what a paper is about."""
_STOP = ENGLISH_STOP_WORDS | _NOISE
_SPACES = bytes(c if c in b"abcdefghijklmnopqrstuvwxyz0123456789+-" else 32 for c in range(256))
"""A byte that can be part of a word stays; any other becomes a space."""


class _TermIds(dict[bytes, int]):
    """Each chunk of word characters' term id: 0 for none (a stop word, a number, a single
    letter), else the term's index in ``names``. Learns chunks as texts bring them; an id
    never changes within a process, so remembered texts keep theirs."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = [""]
        self._ids: dict[str, int] = {}
        self._order: tuple[np.ndarray, list[str]] = (np.zeros(0, np.int64), [])

    def in_order(self) -> tuple[np.ndarray, list[str]]:
        """Each id's place among the names sorted, and the names sorted (kept until a new
        name comes)."""
        if len(self._order[1]) != len(self.names):
            named = sorted(self.names)
            place = {name: index for index, name in enumerate(named)}
            rank = np.fromiter(map(place.__getitem__, self.names), np.int64, len(self.names))
            self._order = (rank, named)
        return self._order

    def __missing__(self, chunk: bytes) -> int:
        # A term is what r"[a-z][a-z0-9+-]*[a-z0-9]" matches in the chunk: from its first
        # letter to its last letter or digit (the chunk holds word characters only).
        word = chunk.decode("ascii").lstrip("0123456789+-").rstrip("+-")
        found = 0
        if len(word) > 1 and word not in _STOP:
            found = self._ids.setdefault(word, len(self.names))
            if found == len(self.names):
                self.names.append(word)
        self[chunk] = found
        return found


_TERMS = _TermIds()


def _term_ids(text: str) -> np.ndarray:
    """The ids of a text's terms, in order: lowercase words of two characters or more,
    without links and stop words. Single words only: word pairs tripled the cost at 10,000
    papers and added little to the lists. (Bytes and C-level splitting instead of a regular
    expression: a third of the time, the same terms, as tests/test_related.py checks.)"""
    lowered = _URL.sub(" ", text.lower())  # a link says nothing of the topic
    # Outside ASCII nothing is a word character ([a-z] is ASCII): each such code point is a
    # "?" here, then a space.
    chunks = lowered.encode("ascii", "replace").translate(_SPACES).split()
    ids = np.fromiter(map(_TERMS.__getitem__, chunks), dtype=np.int64, count=len(chunks))
    return ids[ids > 0]


def _known(text: str) -> np.ndarray:
    found = _counted.get(text)
    return _term_ids(text) if found is None else found


_counted: dict[str, np.ndarray] = {}
"""Each text's term ids from this process's last computation: ``mkdocs serve`` relates again
after an edit, and almost every text is as it was. Read, never changed."""


REFERENCE_SIZE = 1_000_000
"""The collection size in the inverse document frequency, fixed rather than the list's own: a
new paper then changes the weight of its own words only, not of every word in the list, and
related lists change only where they really should."""


def _weights(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """TF-IDF: ``1 + log(count)`` times ``log(REFERENCE_SIZE / (1 + df))``."""
    frequency = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    idf = np.log(REFERENCE_SIZE / (1.0 + frequency))
    weights = counts.astype(np.float64)
    weights.data = 1.0 + np.log(weights.data)
    return sparse.csr_matrix(weights @ sparse.diags(idf))


_ONE_KEY = 2**62
"""The largest sort key ``_strongest`` makes of row, weight and term in one integer."""


def _strongest(weights: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row's ``TERMS_PER_PAPER`` largest weights (ties to the lower term index), L2-normed."""
    # One sort of every weight, by row, then rounded weight (largest first), then term; the
    # first TERMS_PER_PAPER of each row are kept, in that order. The three keys make one
    # integer (the rounded weight as a whole number of its last digit, as np.round rounds),
    # which sorts five times faster than the three apart.
    lengths = np.diff(weights.indptr)
    owners = np.repeat(np.arange(weights.shape[0], dtype=np.int64), lengths)
    steps = np.rint(weights.data * 10**WEIGHT_DIGITS).astype(np.int64)
    top = int(steps.max(initial=0)) + 1
    if weights.shape[0] * top * weights.shape[1] < _ONE_KEY:
        order = np.argsort((owners * top + (top - 1 - steps)) * weights.shape[1] + weights.indices)
    else:  # too large for one integer
        order = np.lexsort((weights.indices, -steps, owners))
    chosen = _first_of_each_row(order, weights.indptr, TERMS_PER_PAPER)
    kept = sparse.csr_matrix(
        (weights.data[chosen], (owners[chosen], weights.indices[chosen])),
        shape=weights.shape,
        dtype=np.float64,
    )
    norms = np.sqrt(np.asarray(kept.multiply(kept).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ kept)


def _first_of_each_row(order: np.ndarray, indptr: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` entries of each row, from ``order``: a CSR matrix's entries sorted
    by row first (so each row's entries stay in the row's own stretch of ``order``)."""
    lengths = np.diff(indptr)
    rank = np.arange(len(order)) - np.repeat(indptr[:-1], lengths)
    return order[rank < count]


def _nearest(
    row: int, others: np.ndarray, scores: np.ndarray, slugs: list[str]
) -> list[tuple[float, int]]:
    """The best ``RELATED`` other papers of one row, best first, ties to the earlier slug."""
    if len(scores) > RELATED + 1:
        # Only scores that round to at least the (RELATED + 1)-th best raw score's rounding can
        # make the list: at least RELATED others reach it, the row's own score aside. Leaving
        # out the rest first (with a margin below the rounding's half step) ranks the same,
        # at half the cost: a row here has thousands of candidates.
        kth = np.partition(scores, len(scores) - RELATED - 1)[len(scores) - RELATED - 1]
        step = 10.0**SCORE_DIGITS
        near = scores >= (np.rint(kth * step) - 0.5) / step - 1e-9
        others, scores = others[near], scores[near]
    values = np.round(scores, SCORE_DIGITS)
    keep = (others != row) & (values >= MIN_SCORE)
    others, values = others[keep], values[keep]
    if len(values) > RELATED:
        # Only the best few can make the list; ties at the cut are all kept for the slug order.
        threshold = np.partition(values, len(values) - RELATED)[len(values) - RELATED]
        keep = values >= threshold
        others, values = others[keep], values[keep]
    candidates = others.tolist()
    names = [slugs[other] for other in candidates]
    ranked = sorted(zip((-values).tolist(), names, candidates, strict=True))[:RELATED]
    return [(-negative, other) for negative, _, other in ranked]


def _shared_terms(
    kept: sparse.csr_matrix, rows: list[int], others: list[int], vocabulary: Sequence[str]
) -> list[tuple[str, ...]]:
    """For each pair of papers (``rows[i]``, ``others[i]``), the terms both keep, by their share
    of the score (rounded to ``WEIGHT_DIGITS``; ties to the earlier term). All pairs at once:
    one call per pair cost a third of the lists at 10,000 papers. Terms are single words (see
    ``_term_ids``), so no shown term can contain another."""
    if not rows:
        return []
    products = kept[rows].multiply(kept[others]).tocsr()
    pair = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(products.indptr))
    shares = np.round(products.data, WEIGHT_DIGITS)
    order = np.lexsort((products.indices, -shares, pair))
    chosen = _first_of_each_row(order, products.indptr, SHOWN_TERMS)
    shown: list[list[str]] = [[] for _ in rows]
    for owner, column in zip(pair[chosen].tolist(), products.indices[chosen].tolist(), strict=True):
        shown[owner].append(vocabulary[column])
    return [tuple(terms) for terms in shown]
