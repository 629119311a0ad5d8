"""What ``add`` and ``enrich`` print: the summary, the review table and the papers left over.

Titles and names come from digests and from servers, so they are printed without control
characters: a hostile title cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .lockfile import EnrichedRecord

ACCEPT_HINT = (
    "To accept a candidate, add `arxiv: '<id>'` to the paper's entry in data/papers.yaml "
    "(named by its title), then run `python -m generator enrich`."
)


def printable(text: str) -> str:
    """Text with control and format characters shown as ``?``."""
    return "".join("?" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)


def summary_line(records: Iterable[EnrichedRecord], failed: int) -> str:
    """One line: how many lookups ended in each status, and how many failed."""
    statuses = [r.status for r in records]
    counts = ", ".join(
        f"{statuses.count(s)} {s.replace('_', ' ')}" for s in ("found", "review", "not_found")
    )
    return f"enrich: {len(statuses)} paper(s) looked up ({counts}); {failed} lookup(s) failed"


def review_table(records: Iterable[EnrichedRecord]) -> list[str]:
    """Each paper in review or not found, with its candidates and how to accept one."""
    waiting = sorted(
        (r for r in records if r.status in ("review", "not_found")), key=lambda r: r.title
    )
    if not waiting:
        return []
    lines = [f"Papers to review ({len(waiting)}):"]
    for record in waiting:
        label = "review" if record.status == "review" else "not found"
        lines.append(f"  [{label}] {printable(record.title)}")
        if not record.candidates:
            lines.append("      no candidate on arXiv")
        for candidate in record.candidates:
            author = printable(candidate.first_author or "unknown author")
            year = candidate.year if candidate.year is not None else "????"
            lines.append(
                f"      {candidate.id:<12} {candidate.score:5.1f}  {printable(candidate.title)}"
                f" ({author}, {year})"
            )
    lines.append(ACCEPT_HINT)
    return lines


def failure_lines(failures: list[tuple[str, str]]) -> list[str]:
    """The papers a failed lookup left unenriched, and what to do about them."""
    if not failures:
        return []
    lines = [f"enrich: {len(failures)} paper(s) could not be looked up completely:"]
    lines += [f"  - {printable(title)}: {printable(reason)}" for title, reason in failures]
    lines.append("Run `python -m generator enrich` again later: it retries exactly these.")
    return lines
