"""Citation outputs rendered with the project's venue series and proper nouns (``Citing``).

The tests of real citation tools render the whole list this way, whether or not the build
passes the citing data to ``render_site`` yet.
"""

from __future__ import annotations

from pathlib import Path

from generator import bibtex
from generator.build import gather
from generator.citing import load_citing
from generator.config import read_site_config
from generator.diagnostics import Diagnostics
from generator.exports import render_exports


def render_cited(data: Path, config: Path | None) -> dict[str, str]:
    """``bib/all.bib`` and every export of a project, by path under ``docs/``."""
    diagnostics = Diagnostics()
    gathered = gather(data, diagnostics)
    citing = load_citing(data, "data", gathered.curation.venues, diagnostics)
    urls = read_site_config(config, diagnostics)
    assert not diagnostics.errors, [str(d) for d in diagnostics.errors]
    entries = bibtex.all_entries(gathered.catalog, urls, False, citing)
    files = {"bib/all.bib": bibtex.bundle(entries, list(entries))}
    files.update(render_exports(gathered.catalog, urls, citing))
    return files


def write_tree(files: dict[str, str], root: Path) -> Path:
    """The files under ``root``; returns ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
