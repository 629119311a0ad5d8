"""The only stage that touches the disk: write what changed, remove what is gone.

The generator owns a few folders of ``docs/`` and records every file it wrote in a manifest.
It never overwrites or deletes a file it did not write, so hand-written pages are safe.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostics, Location

OWNED = ("papers/", "topics/", "digests/", "bib/", "_generated/")
"""Folders of ``docs/`` the generator writes; everything else in ``docs/`` is hand-written."""
MANIFEST = ".generator-manifest.json"
SAFE_PATH = re.compile(r"^(?:papers|topics|digests|bib|_generated)(?:/[a-z0-9][a-z0-9_.-]*)+$")


@dataclass
class WritePlan:
    """What a build will do to ``docs/``."""

    write: dict[str, bytes] = field(default_factory=dict)
    """Files whose content changes, or that are new."""
    new: set[str] = field(default_factory=set)
    """Of those, the files that do not exist yet."""
    remove: list[str] = field(default_factory=list)
    """Files the generator wrote before that no output holds now."""
    unchanged: int = 0
    """Files already up to date."""


@dataclass(frozen=True)
class Manifest:
    """What the last successful build wrote, and what it read."""

    files: dict[str, tuple[int, int]]
    """Each generated file, with its size and modification time (ns) after the write."""
    fingerprint: str = ""
    """The inputs' fingerprint (``fingerprint.py``)."""
    warnings: tuple[tuple[str, int, str], ...] = ()
    """The build's warnings, ``(path, line, message)``, replayed when nothing changed."""
    summary: dict[str, int] = field(default_factory=dict)
    """Paper and topic counts."""
    excluded: tuple[tuple[str, str, str, int], ...] = ()
    """Excluded papers, ``(title, reason, path, line)``."""


def read_manifest(docs_dir: Path) -> Manifest:
    """The last build's manifest; an empty one when there is none or it is unreadable."""
    try:
        raw = json.loads((docs_dir / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(raw.get("files"), list):
            # The first manifest format listed file names only; they are still ours.
            return Manifest(files={str(path): (-1, -1) for path in raw["files"]})
        return Manifest(
            files={path: (int(size), int(mtime)) for path, (size, mtime) in raw["files"].items()},
            fingerprint=str(raw["fingerprint"]),
            warnings=tuple((str(p), int(n), str(m)) for p, n, m in raw["warnings"]),
            summary={str(k): int(v) for k, v in raw["summary"].items()},
            excluded=tuple((str(t), str(r), str(p), int(n)) for t, r, p, n in raw["excluded"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest(files={})


def outputs_untouched(docs_dir: Path, manifest: Manifest) -> bool:
    """Every file of the manifest is still there, with the size and time it was written with."""
    for path, (size, mtime) in manifest.files.items():
        try:
            stat = (docs_dir / path).stat()
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    return bool(manifest.files)


def plan(
    docs_dir: Path, files: dict[str, str], owned: set[str], diagnostics: Diagnostics
) -> WritePlan:
    """Compare outputs with ``docs/``; refuse (with an error) to overwrite files the generator
    did not write (``owned``, from the manifest), or anything that is not a file."""
    result = WritePlan()
    for path, text in sorted(files.items()):
        if not SAFE_PATH.match(path) or ".." in path:
            raise AssertionError(f"generator bug: unsafe output path {path!r}")
        data = text.encode("utf-8")
        target = docs_dir / path
        try:
            current: bytes | None = target.read_bytes()
        except FileNotFoundError:
            result.write[path] = data
            result.new.add(path)
            continue
        except IsADirectoryError:
            current = None
        if current == data:
            result.unchanged += 1
        elif path in owned and current is not None:
            result.write[path] = data
        else:
            diagnostics.error(
                Location(str(target), 0),
                "a file the generator did not write is in the way; move it out of the "
                f"generated folders ({', '.join(OWNED)}) or delete it",
            )
    result.remove = sorted(p for p in owned - set(files) if SAFE_PATH.match(p) and ".." not in p)
    return result


def apply(docs_dir: Path, plan_: WritePlan, files: dict[str, str]) -> None:
    """Carry out a plan: replace changed files atomically, write new ones directly."""
    if plan_.new:
        # Claim every output before writing it: should the build die half-way, the next one
        # still knows these files are its own (and the empty fingerprint forces a full build).
        claimed = {path: (-1, -1) for path in (*files, *plan_.remove)}
        _dump_manifest(
            docs_dir,
            {"fingerprint": "", "summary": {}, "warnings": [], "excluded": [], "files": claimed},
        )
    for path, data in plan_.write.items():
        if path in plan_.new:
            write_new(docs_dir / path, data)  # no reader can see a half-written older version
        else:
            write_atomic(docs_dir / path, data)
    for path in plan_.remove:
        target = docs_dir / path
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, docs_dir)


def write_manifest(docs_dir: Path, files: dict[str, str], manifest: Manifest) -> None:
    """Record the generated files as they are on disk now, with the build's fingerprint."""
    stats = {}
    for path in sorted(files):
        stat = (docs_dir / path).stat()
        stats[path] = [stat.st_size, stat.st_mtime_ns]
    _dump_manifest(
        docs_dir,
        {
            "fingerprint": manifest.fingerprint,
            "summary": manifest.summary,
            "warnings": [list(w) for w in manifest.warnings],
            "excluded": [list(e) for e in manifest.excluded],
            "files": stats,
        },
    )


def _dump_manifest(docs_dir: Path, data: dict[str, object]) -> None:
    text = json.dumps(data, indent=0, sort_keys=True).encode("utf-8") + b"\n"
    target = docs_dir / MANIFEST
    if not target.exists() or target.read_bytes() != text:
        write_atomic(target, text)


def write_new(target: Path, data: bytes) -> None:
    """Write a file that does not exist yet."""
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def write_atomic(target: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so no reader sees half a file."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        stream = temporary.open("wb")
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        stream = temporary.open("wb")
    try:
        with stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_empty_parents(folder: Path, docs_dir: Path) -> None:
    while folder != docs_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
