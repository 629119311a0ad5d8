"""Related papers: the five nearest by TF-IDF similarity of title and abstract, with the terms
that explain each match, as arxiv-sanity shows them.

Each paper keeps only its strongest terms (``TERMS_PER_PAPER``): the similarity of two papers
is then a product of two short vectors, which stays fast at 10,000 papers, and the shared
terms are the explanation shown to readers. Scores are rounded before they are ranked and
ties go to the slug, so the lists are deterministic and a new paper changes only the lists
it really enters.
"""

from __future__ import annotations

import pickle
import re
import sys
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple, Protocol

import numpy as np
from scipy import sparse

from .related_job import Relation

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


class Text(NamedTuple):
    """A paper as the worker process receives it."""

    slug: str
    title: str
    abstract: str | None


@lru_cache(maxsize=1)
def related_rows(rows: tuple[tuple[str, str, str | None], ...]) -> dict[str, tuple[Relation, ...]]:
    """``related_papers`` of (slug, title, abstract) rows, remembered for the next build of the
    same process when no title or abstract changed (a shared result: do not change it)."""
    return related_papers([Text(*row) for row in rows])


def related_papers(papers: Sequence[Relatable]) -> dict[str, tuple[Relation, ...]]:
    """Each paper's related papers, by slug."""
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    # Imported here: scikit-learn takes half a second to import, which a build with nothing
    # to do (the no-change fast path) should not pay.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    vectorizer = CountVectorizer(
        analyzer=_analyzer(ENGLISH_STOP_WORDS | _NOISE), min_df=2, max_df=0.5, dtype=np.float32
    )
    texts = [f"{p.title}. {p.title}. {p.abstract or ''}" for p in papers]
    try:
        counts = sparse.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # no term occurs in two papers: nothing is related
        return {p.slug: () for p in papers}
    kept = _strongest(_weights(counts))
    vocabulary = vectorizer.get_feature_names_out().tolist()
    # Each paper's kept terms as a small dict: the shared terms of a pair are then a set
    # intersection, far cheaper than sparse-matrix calls fifty thousand times over.
    terms = [
        dict(zip(kept.indices[a:b].tolist(), kept.data[a:b].tolist(), strict=True))
        for a, b in zip(kept.indptr[:-1], kept.indptr[1:], strict=True)
    ]
    slugs = [p.slug for p in papers]
    found: dict[str, tuple[Relation, ...]] = {}
    for start in range(0, len(papers), _CHUNK):
        scores = (kept[start : start + _CHUNK] @ kept.T).tocsr()
        for offset in range(scores.shape[0]):
            begin, end = scores.indptr[offset], scores.indptr[offset + 1]
            nearest = _nearest(
                start + offset, scores.indices[begin:end], scores.data[begin:end], slugs
            )
            found[slugs[start + offset]] = tuple(
                Relation(
                    slugs[other],
                    score,
                    _shared_terms(terms[start + offset], terms[other], vocabulary),
                )
                for score, other in nearest
            )
    return found


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


_WORD = re.compile(r"[a-z][a-z0-9+-]*[a-z0-9]")
_URL = re.compile(r"https?://\S+")
_NOISE = frozenset({"http", "https", "www", "com", "org", "io", "github", "code", "available"})
"""Words of links and "code is available at", which say nothing of what a paper is about."""


def _analyzer(stop_words: frozenset[str]) -> Callable[[str], list[str]]:
    """Lowercase words of two characters or more, without stop words. Single words only:
    word pairs tripled the cost at 10,000 papers and added little to the lists."""

    def terms(text: str) -> list[str]:
        words = _WORD.findall(_URL.sub(" ", text.lower()))  # a link says nothing of the topic
        return [word for word in words if word not in stop_words]

    return terms


def _strongest(weights: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row's ``TERMS_PER_PAPER`` largest weights (ties to the lower term index), L2-normed."""
    rows, cols, values = [], [], []
    for row in range(weights.shape[0]):
        begin, end = weights.indptr[row], weights.indptr[row + 1]
        terms, scores = weights.indices[begin:end], weights.data[begin:end]
        order = np.lexsort((terms, -np.round(scores, WEIGHT_DIGITS)))[:TERMS_PER_PAPER]
        rows += [row] * len(order)
        cols += terms[order].tolist()
        values += scores[order].tolist()
    kept = sparse.csr_matrix((values, (rows, cols)), shape=weights.shape, dtype=np.float64)
    norms = np.sqrt(np.asarray(kept.multiply(kept).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ kept)


def _nearest(
    row: int, others: np.ndarray, scores: np.ndarray, slugs: list[str]
) -> list[tuple[float, int]]:
    """The best ``RELATED`` other papers of one row, best first, ties to the earlier slug."""
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
    mine: dict[int, float], theirs: dict[int, float], vocabulary: Sequence[str]
) -> tuple[str, ...]:
    """The terms both papers keep, by their share of the score."""
    common = sorted(mine.keys() & theirs.keys(), key=lambda t: (-round(mine[t] * theirs[t], 4), t))
    shown: list[str] = []
    for column in common:
        term = vocabulary[column]
        # "kv cache" already says "cache": skip words a longer shared term contains.
        if not any(term in t.split() or t in term.split() for t in shown):
            shown.append(term)
        if len(shown) == SHOWN_TERMS:
            break
    return tuple(shown)


def work() -> None:
    """The worker: read the papers' slugs, titles and abstracts, write their related lists
    as plain tuples. The input is read while scikit-learn imports, so the build never waits
    on a full pipe."""
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(sys.stdin.buffer.read()))
    reader.start()
    import sklearn.feature_extraction.text  # noqa: F401

    reader.join()
    found = related_rows(tuple(pickle.loads(received[0])))
    lists = {
        slug: [(r.slug, float(r.score), tuple(map(str, r.terms))) for r in rs]
        for slug, rs in found.items()
    }
    sys.stdout.buffer.write(pickle.dumps(lists, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    work()
