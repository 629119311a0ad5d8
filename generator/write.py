"""The only stage that touches the disk: write what changed, remove what is gone.

The generator owns a few folders of ``docs/`` and records every file it wrote in a manifest.
It never overwrites or deletes a file it did not write, so hand-written pages are safe.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
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
    remove: list[str] = field(default_factory=list)
    """Files the generator wrote before that no output holds now."""
    unchanged: int = 0
    """Files already up to date."""


def read_manifest(docs_dir: Path) -> set[str]:
    """The files the generator wrote last time."""
    try:
        return set(json.loads((docs_dir / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def plan(docs_dir: Path, files: dict[str, str], diagnostics: Diagnostics) -> WritePlan:
    """Compare outputs with ``docs/``; refuse (with an error) to overwrite hand-written files."""
    owned = read_manifest(docs_dir)
    result = WritePlan()
    for path, text in sorted(files.items()):
        if not SAFE_PATH.match(path) or ".." in path:
            raise AssertionError(f"generator bug: unsafe output path {path!r}")
        data = text.encode("utf-8")
        target = docs_dir / path
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            result.write[path] = data
            continue
        except IsADirectoryError:
            current = None
        if current == data:
            result.unchanged += 1
        elif path in owned:
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
    """Carry out a plan, writing each file atomically, then update the manifest."""
    for path, data in plan_.write.items():
        write_atomic(docs_dir / path, data)
    for path in plan_.remove:
        target = docs_dir / path
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, docs_dir)
    manifest = json.dumps({"files": sorted(files)}, indent=0).encode("utf-8") + b"\n"
    if (docs_dir / MANIFEST).exists() and (docs_dir / MANIFEST).read_bytes() == manifest:
        return
    write_atomic(docs_dir / MANIFEST, manifest)


def write_atomic(target: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so no reader sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; pages must be readable by a web server
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_empty_parents(folder: Path, docs_dir: Path) -> None:
    while folder != docs_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
