"""The taxonomy as a curator reviews it: each topic with its papers and the words that put them
there, then the papers no topic took.

``python -m generator topics`` prints it. It reads ``data/`` exactly as the build does and
writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .build import gather
from .diagnostics import Diagnostics
from .model import UNCATEGORIZED, Catalog, Paper, Topic
from .review import printable
from .topics import CURATOR


def review_lines(catalog: Catalog, topic_id: str | None = None) -> list[str]:
    """Each topic, sorted by name (Uncategorized last), with its papers sorted by title and
    why each is there; only ``topic_id`` when given."""
    topics = sorted(
        (t for t in catalog.topics if t.id != UNCATEGORIZED.id),
        key=lambda t: (t.name.casefold(), t.id),
    )
    topics.append(UNCATEGORIZED)
    if topic_id is not None:
        topics = [t for t in topics if t.id == topic_id]
    lines: list[str] = []
    if topic_id is None:
        placements = sum(len(p.topics) for p in catalog.papers)
        lines += [
            f"{len(topics) - 1} topics, {len(catalog.papers)} papers, {placements} placements",
            "",
        ]
    for topic in topics:
        lines += topic_lines(topic, catalog.papers_in(topic.id))
    return lines[:-1] if lines and not lines[-1] else lines


def topic_lines(topic: Topic, papers: tuple[Paper, ...]) -> list[str]:
    """One topic's heading, then a line per paper: its title and the words that placed it."""
    count = f"{len(papers)} paper" + ("" if len(papers) == 1 else "s")
    lines = [f"{printable(topic.name)} ({topic.id}): {count}"]
    for paper in sorted(papers, key=lambda p: (p.title.casefold(), p.slug)):
        lines.append(f"  - {printable(paper.title)}")
        lines.append(f"      {placed_by(paper, topic.id)}")
    if not papers:
        lines.append("  (none)")
    lines.append("")
    return lines


def placed_by(paper: Paper, topic_id: str) -> str:
    """Why the paper is in the topic, in words: the matched words, or the curator."""
    words = dict(paper.reasons).get(topic_id, ())
    if words == (CURATOR,):
        return "by: curator"
    if not words:
        return "by: no rule or override matched"
    return "by: " + ", ".join(f"'{printable(w)}'" for w in words)


def topics_command(data_dir: Path, topic_id: str | None) -> int:
    """Print the review of ``data_dir``'s taxonomy; 1 on data errors, 2 for an unknown topic."""
    diagnostics = Diagnostics()
    catalog = gather(data_dir, diagnostics).catalog
    for diagnostic in diagnostics.sorted():
        print(diagnostic, file=sys.stderr)
    if diagnostics.errors:
        print(f"topics: {len(diagnostics.errors)} error(s) in the data", file=sys.stderr)
        return 1
    known = {t.id for t in catalog.topics} | {UNCATEGORIZED.id}
    if topic_id is not None and topic_id not in known:
        print(
            f"topics: unknown topic {topic_id!r}; known: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
        return 2
    for line in review_lines(catalog, topic_id):
        print(line)
    return 0
