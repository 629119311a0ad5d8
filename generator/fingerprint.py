"""A fingerprint of everything a build reads, so a re-run with no change can skip the work.

It covers every file under ``data/``, the generator's own source, the versions of the
libraries that shape the output, and the site's URL settings. Equal fingerprints and untouched
outputs mean the previous build's files are still exactly right.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

LIBRARIES = (
    "bibtexparser",
    "pylatexenc",
    "markdown",
    "pyyaml",
    "mkdocs",
    "mkdocs-material",
    "feedgen",
    "rispy",
    "numpy",
    "scipy",
)
SOURCE = Path(__file__).resolve().parent


def input_fingerprint(data_dir: Path, site: str) -> str:
    """A SHA-256 over the inputs of a build."""
    digest = hashlib.sha256()
    digest.update(_libraries().encode())
    digest.update(f"site={site}\n".encode())
    for label, root in (("source", SOURCE), ("data", data_dir)):
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and "__pycache__" not in path.parts:
                digest.update(f"{label}/{path.relative_to(root).as_posix()}\n".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _libraries() -> str:
    """The versions of ``LIBRARIES``, read once a process: reading them parses each package's
    metadata (a tenth of a second a build), and a process keeps the code it imported anyway."""
    lines = []
    for name in LIBRARIES:
        try:
            lines.append(f"{name}={metadata.version(name)}\n")
        except metadata.PackageNotFoundError:
            lines.append(f"{name}=absent\n")
    return "".join(lines)
