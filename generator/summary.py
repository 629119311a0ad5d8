"""What a build did, and how the manifest keeps it to replay a build that had nothing to do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .diagnostics import Diagnostic, Location, shorten
from .model import Excluded


@dataclass(frozen=True)
class Summary:
    """What a build did."""

    papers: int = 0
    """Papers on the site."""
    topics: int = 0
    """Topics, empty ones included."""
    written: int = 0
    """Files written (new or changed)."""
    unchanged: int = 0
    """Files already up to date."""
    removed: int = 0
    """Generated files removed because their paper, topic or digest is gone."""
    excluded: tuple[Excluded, ...] = ()
    """Papers the curator excluded."""
    warnings: tuple[Diagnostic, ...] = ()
    """Problems a strict build fails on."""
    registry_changes: tuple[str, ...] = ()
    """New or changed registry entries, in words."""
    search_engine: str = "material"
    """``material`` or ``pagefind``: which search the site uses (``settings.yaml``)."""
    changed: frozenset[str] = frozenset()
    """The generated files this build wrote or removed, relative to ``docs/`` (not kept in the
    manifest: the MkDocs hook asks for it right after the build)."""

    def lines(self) -> list[str]:
        """The summary printed after a build."""
        out = [
            f"papers: {self.papers}, topics: {self.topics}, excluded: {len(self.excluded)}",
            f"files: {self.written} written, {self.unchanged} unchanged, {self.removed} removed",
            f"registry: {len(self.registry_changes)} new or changed entries",
            f"warnings: {len(self.warnings)}",
            f"search: {self.search_engine}",
        ]
        out += [
            f"excluded: {shorten(e.title, 70)!r} ({e.reason}) at {e.where}" for e in self.excluded
        ]
        return out

    def to_json(self) -> dict[str, Any]:
        """What the manifest keeps: everything but the file counts, which replay recomputes."""
        return {
            "papers": self.papers,
            "topics": self.topics,
            "search_engine": self.search_engine,
            "warnings": [[w.where.path, w.where.line, w.message] for w in self.warnings],
            "excluded": [[e.title, e.reason, e.where.path, e.where.line] for e in self.excluded],
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Summary:
        """The summary the manifest kept; raises KeyError, TypeError or ValueError when damaged."""
        return cls(
            papers=int(raw["papers"]),
            topics=int(raw["topics"]),
            search_engine=str(raw["search_engine"]),
            warnings=tuple(
                Diagnostic("warning", Location(str(p), int(n)), str(m))
                for p, n, m in raw["warnings"]
            ),
            excluded=tuple(
                Excluded(str(t), str(r), Location(str(p), int(n))) for t, r, p, n in raw["excluded"]
            ),
        )

    def replayed(self, files: int) -> Summary:
        """This build again, with nothing to write."""
        return replace(
            self, written=0, removed=0, unchanged=files, registry_changes=(), changed=frozenset()
        )
