"""Exports that let the list travel: CSL-JSON, RIS, ``papers.json`` and feeds.

For the whole list and for each topic. Each paper's CSL-JSON item and RIS entry is serialised
once and reused by every bundle it belongs to, as the BibTeX entries are.
"""

from __future__ import annotations

from . import layout
from .citing import NO_CITING, Citing
from .layout import Urls
from .model import Catalog


def render_exports(catalog: Catalog, urls: Urls, citing: Citing = NO_CITING) -> dict[str, str]:
    """Every export file by path under ``docs/``, made from the catalog alone (so a forked
    child can make them while the BibTeX entries and listings are rendered)."""
    # Imported here, so that a forked child pays for them (feedgen and lxml alone take 60 ms),
    # not the process whose work is the critical path.
    from .catalog_json import papers_json
    from .csl import csl_bundle, csl_items
    from .feeds import render_feeds
    from .ris import ris_bundle, ris_entries

    items = csl_items(catalog, urls, citing)
    references = ris_entries(catalog, urls, citing)
    every = [p.key for p in catalog.papers]
    files = {
        layout.ALL_CSL: csl_bundle(items, every),
        layout.ALL_RIS: ris_bundle(references, every),
        layout.PAPERS_JSON: papers_json(catalog, urls, citing),
    }
    for topic in catalog.topics:
        keys = [p.key for p in catalog.papers_in(topic.id)]
        files[layout.topic_csl(topic.id)] = csl_bundle(items, keys)
        files[layout.topic_ris(topic.id)] = ris_bundle(references, keys)
    files.update(render_feeds(catalog, urls))
    return files
