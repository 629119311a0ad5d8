"""Per-paper results remembered between the builds of one process.

``mkdocs serve`` builds again in the same process after every edit, and most papers are what
they were. A per-paper serialisation (a BibTeX entry, a CSL-JSON item, a RIS entry) is a
function of the paper and of a few settings, so it is kept, under those settings, by the
paper's value: an edited paper is a new value and is serialised again. A one-off build pays
only a dictionary lookup per paper.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache

from .model import Paper


@lru_cache(maxsize=8)
def _memo(kind: str, settings: Hashable) -> dict[Paper, str]:
    """The remembered results of one kind under one set of settings (the last few kept)."""
    return {}


def per_paper(
    kind: str, settings: Hashable, papers: Iterable[Paper], make: Callable[[Paper], str]
) -> dict[str, str]:
    """``make(paper)`` for every paper, by cite key, remembering each result. Only the papers
    of this build stay remembered, so a long ``serve`` does not keep every edited version."""
    memo = _memo(kind, settings)
    kept: dict[Paper, str] = {}
    found: dict[str, str] = {}
    for paper in papers:
        text = memo.get(paper)
        if text is None:
            text = make(paper)
        kept[paper] = found[paper.key] = text
    memo.clear()
    memo.update(kept)
    return found
