"""Write what changed, remove what is gone, and keep the manifest of what the generator wrote.

Reading and writing ``docs/`` happens here. The generator owns a few folders of ``docs/``
(``layout.OWNED``) and records every file it wrote in a manifest. It never overwrites or
deletes a file it did not write, so hand-written pages are safe.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import layout
from .diagnostics import Diagnostics, Location
from .summary import Summary


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
    digests: dict[str, str] = field(default_factory=dict)
    """Every output's content digest, for the manifest."""
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    """The size and modification time of the files left as they are, as the plan saw them."""


@dataclass(frozen=True)
class Manifest:
    """What the last successful build wrote, and what it read."""

    files: dict[str, tuple[int, int]]
    """Each generated file, with its size and modification time (ns) after the write."""
    fingerprint: str = ""
    """The inputs' fingerprint (``fingerprint.py``); empty when a build did not finish."""
    summary: Summary | None = None
    """The last build's summary, replayed when nothing changed."""
    digests: dict[str, str] = field(default_factory=dict)
    """Each generated file's content digest (``digest``) as written: a file whose size and
    modification time are still the recorded ones holds that content, so the next build
    compares digests instead of reading every file back."""

    @classmethod
    def read(cls, docs_dir: Path) -> Manifest:
        """The last build's manifest; an empty one when there is none or it is unreadable.

        The manifest this process last saved is not read back while the file is as saved
        (``mkdocs serve`` builds after every edit, and the manifest lists 20,000 files at
        10,000 papers)."""
        path = docs_dir / layout.MANIFEST
        saved = _SAVED.get(str(path))
        if saved is not None and saved[0] == _stat(path):
            return saved[1]
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(raw.get("files"), list):
                # The first manifest format listed file names only; they are still ours.
                return cls(files={str(path): (-1, -1) for path in raw["files"]})
            files = {path: (int(size), int(mtime)) for path, (size, mtime) in raw["files"].items()}
            summary = Summary.from_json(raw["summary"]) if raw.get("summary") else None
            digests = {str(path): str(value) for path, value in raw.get("digests", {}).items()}
            return cls(files, str(raw["fingerprint"]), summary, digests)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(files={})

    def replays(self, docs_dir: Path, fingerprint: str) -> bool:
        """Whether a build with these inputs would write exactly what is already there."""
        return (
            self.summary is not None
            and bool(self.fingerprint)
            and self.fingerprint == fingerprint
            and bool(self.files)
            and all(_stat(docs_dir / path) == stat for path, stat in self.files.items())
        )

    def save(self, docs_dir: Path) -> None:
        """Write the manifest (only when its text changes)."""
        data: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "summary": self.summary.to_json() if self.summary else {},
            "files": {path: list(stat) for path, stat in sorted(self.files.items())},
            "digests": dict(sorted(self.digests.items())),
        }
        # One entry a line, by the C encoder (an indent would make json use its Python one).
        text = json.dumps(data, sort_keys=True, separators=(",\n", ":")).encode("utf-8") + b"\n"
        target = docs_dir / layout.MANIFEST
        if not target.exists() or target.read_bytes() != text:
            write_atomic(target, text)
        _SAVED.clear()
        _SAVED[str(target)] = (_stat(target), self)


_SAVED: dict[str, tuple[tuple[int, int] | None, Manifest]] = {}
"""The manifest this process saved last, with the file's size and modification time then."""


def _stat(path: Path | str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def digest(data: bytes) -> str:
    """A file's content digest, as the manifest records it."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_DIGESTS: dict[str, tuple[str, str]] = {}
"""Each output of the last plan in this process, with its text's digest."""


def plan(
    docs_dir: Path, files: dict[str, str], previous: Manifest, diagnostics: Diagnostics
) -> WritePlan:
    """Compare outputs with ``docs/``; refuse (with an error) to overwrite files the generator
    did not write (the previous manifest's), or anything that is not a file."""
    result = WritePlan()
    owned = set(previous.files)
    # Paths as strings: a first build at 10,000 papers plans 20,000 new files.
    folders: dict[str, str | None] = {}
    blocked: set[str] = set()
    known = _DIGESTS.copy()
    _DIGESTS.clear()
    root = f"{docs_dir}/"
    for path, text in sorted(files.items()):
        if not layout.is_generated(path):
            raise AssertionError(f"generator bug: unsafe output path {path!r}")
        last = known.get(path)
        # A page remembered from the last build (mkdocs serve) is the same string object; a
        # listing or bundle made again is an equal one (comparing is far quicker than hashing).
        if last is not None and (last[0] is text or last[0] == text):
            data, text_digest = None, last[1]
        else:
            data = text.encode("utf-8")
            text_digest = digest(data)
        result.digests[path] = text_digest
        _DIGESTS[path] = (text, text_digest)
        recorded = previous.digests.get(path)
        seen = _stat(root + path)
        if recorded == text_digest and seen is not None and seen == previous.files.get(path):
            result.unchanged += 1  # as the last build wrote it: no need to read it back
            result.stats[path] = seen
            continue
        target = root + path
        data = text.encode("utf-8") if data is None else data
        try:
            # Nothing there (the usual case in a first build): no need to try to read it.
            current: bytes | None = _read(target) if seen is not None else None
        except FileNotFoundError:  # removed since the stat
            seen = None
        except IsADirectoryError:
            current = None
        if seen is None:
            blocker = _file_in_the_way(os.path.dirname(target), str(docs_dir), folders)
            if blocker is None:
                result.write[path] = data
                result.new.add(path)
            elif blocker not in blocked:
                blocked.add(blocker)
                diagnostics.error(Location(blocker, 0), _IN_THE_WAY)
            continue
        if current == data:
            result.unchanged += 1
            result.stats[path] = seen
        elif path in owned and current is not None:
            result.write[path] = data
        else:
            diagnostics.error(Location(target, 0), _IN_THE_WAY)
    result.remove = sorted(p for p in owned - set(files) if layout.is_generated(p))
    return result


_IN_THE_WAY = (
    "a file the generator did not write is in the way; move it out of the generated folders "
    f"({', '.join(f'{f}/' for f in layout.OWNED)}) or delete it"
)


def _file_in_the_way(folder: str, docs_dir: str, known: dict[str, str | None]) -> str | None:
    """The file, if any, that stands where ``folder`` or one of its parents up to ``docs_dir``
    must be a folder (``known`` remembers the answers of one plan)."""
    if folder in known:
        return known[folder]
    parent = os.path.dirname(folder)
    if os.path.isdir(folder):
        found = None
    elif os.path.lexists(folder):
        found = folder
    elif folder in (docs_dir, parent):
        found = None  # created when written
    else:
        found = _file_in_the_way(parent, docs_dir, known)
    known[folder] = found
    return found


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def apply(
    docs_dir: Path, plan_: WritePlan, files: dict[str, str], fingerprint: str, summary: Summary
) -> None:
    """Carry out a plan (changed files replaced atomically, new ones written directly), then
    record the outputs and the summary in the manifest."""
    if plan_.new:
        # Claim every output before writing it: should the build die half-way, the next one
        # still knows these files are its own (and the empty fingerprint forces a full build).
        claimed = {path: (-1, -1) for path in (*files, *plan_.remove)}
        Manifest(claimed).save(docs_dir)
    root = f"{docs_dir}/"
    for path, data in plan_.write.items():
        if path in plan_.new:
            write_new(root + path, data)  # no reader can see a half-written older version
        else:
            write_atomic(docs_dir / path, data)
    for path in plan_.remove:
        target = docs_dir / path
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, docs_dir)
    # Files left as they were keep the stat the plan saw; written ones are asked again.
    stats = {path: plan_.stats.get(path) or _stat(root + path) or (-1, -1) for path in files}
    Manifest(stats, fingerprint, summary, plan_.digests).save(docs_dir)


def write_new(target: str, data: bytes) -> None:
    """Write a file that does not exist yet."""
    try:
        stream = open(target, "wb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        stream = open(target, "wb")  # noqa: SIM115
    with stream:
        stream.write(data)


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
