"""Exports that let the list travel: CSL-JSON, RIS, ``papers.json`` and feeds."""

from __future__ import annotations

from .layout import Urls
from .model import Catalog


def render_exports(catalog: Catalog, entries: dict[str, str], urls: Urls) -> dict[str, str]:
    """Every export file by path under ``docs/``; ``entries`` are the serialised BibTeX entries."""
    return {}
