"""``papers.json``: the catalog itself, in a documented and versioned shape.

Version 1 (``"version": 1``) is one JSON object::

    {
      "version": 1,
      "site_url": "https://example.org/reading-list/",
      "papers": [
        {
          "slug": "mamba",                    # frozen page name
          "key": "gu2023mamba",               # frozen BibTeX cite key
          "title": "Mamba: ...",              # as shown and cited
          "digest_title": "Mamba: ...",       # as the first digest gave it
          "authors": ["Albert Gu", "Tri Dao"],
          "year": 2024,                       # cited: the venue's, else the first version's
          "first_version_year": 2023,         # the cite key's year
          "venue": {"name": "COLM 2024", "kind": "conference", "year": 2024,
                    "series": "Conference on Language Modeling",
                    "container": "Proceedings of the Conference on Language Modeling (COLM)"},
          "arxiv": "2312.00752", "primary_class": "cs.LG", "doi": null, "pages": null,
          "abstract": "...",                  # null when the digest had none
          "notes": "",                        # curator notes, plain text
          "links": [{"url": "...", "kind": "code", "label": "Code"}],
          "topics": ["state-space-models"],   # topic ids, sorted
          "topic_reasons": {"state-space-models": ["mamba"]},
          "digests": ["2025-03-20"],          # digest ids, oldest first
          "sources": [{"gave": "authors, arXiv id", "origin": "curator", ...}],
          "url": "https://.../papers/mamba/", # its page
          "bib": "https://.../bib/papers/gu2023mamba.bib"
        }
      ],
      "topics": [{"id", "name", "description", "papers": [slugs], "url", "bib", "feed"}],
      "digests": [{"id", "date", "papers": [slugs], "url", "bib"}]
    }

Every list is in a stable order (papers and topics by slug and id, digests oldest first), and
a field that has no value is ``null`` (or empty), never left out. A change that removes or
renames a field, or changes its meaning, raises the version; new fields may appear within one.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from . import layout
from .citing import NO_CITING, Citing
from .layout import Urls
from .model import Catalog, Paper
from .remember import per_paper

VERSION = 1
"""The shape's version; see the module's docstring."""


def paper_record(paper: Paper, urls: Urls, citing: Citing = NO_CITING) -> dict[str, Any]:
    """One paper, with every field its page shows."""
    venue = None
    if paper.venue:
        cited = citing.venue(paper.venue)
        venue = {
            "name": paper.venue.name,
            "kind": paper.venue.kind,
            "year": paper.venue.year,
            "series": cited.series,
            "container": cited.container,
        }
    return {
        "slug": paper.slug,
        "key": paper.key,
        "title": paper.title,
        "digest_title": paper.digest_title,
        "authors": list(paper.authors),
        "year": paper.cited_year,
        "first_version_year": paper.year,
        "venue": venue,
        "arxiv": paper.arxiv,
        "primary_class": paper.primary_class,
        "doi": paper.doi,
        "pages": paper.pages,
        "abstract": paper.abstract,
        "notes": paper.notes,
        "links": [asdict(link) for link in paper.links],
        "topics": list(paper.topics),
        "topic_reasons": {topic: list(words) for topic, words in paper.reasons},
        "digests": list(paper.digests),
        "sources": [asdict(source) for source in paper.sources],
        "url": urls.absolute(layout.paper_page(paper.slug)),
        "bib": urls.absolute(layout.paper_bib(paper.key)),
    }


def papers_json(catalog: Catalog, urls: Urls, citing: Citing = NO_CITING) -> str:
    """The whole catalog as ``papers.json`` (version ``VERSION``)."""
    in_digest: dict[str, list[str]] = {d.id: [] for d in catalog.digests}
    for paper in catalog.papers:
        for digest_id in paper.digests:
            in_digest.setdefault(digest_id, []).append(paper.slug)
    document = {
        "version": VERSION,
        "site_url": urls.site_url,
        "papers": _PAPERS,
        "topics": [
            {
                "id": topic.id,
                "name": topic.name,
                "description": topic.description,
                "papers": [p.slug for p in catalog.papers_in(topic.id)],
                "url": urls.absolute(layout.topic_page(topic.id)),
                "bib": urls.absolute(layout.topic_bib(topic.id)),
                "feed": urls.absolute(layout.topic_feed(topic.id)),
            }
            for topic in catalog.topics
        ],
        "digests": [
            {
                "id": digest.id,
                "date": digest.date.isoformat(),
                "papers": in_digest[digest.id],
                "url": urls.absolute(layout.digest_page(digest.id)),
                "bib": urls.absolute(layout.digest_bib(digest.id)),
            }
            for digest in catalog.digests
        ],
    }
    # Each paper's record is serialised once per process (``mkdocs serve`` builds again), then
    # put in its place. Compact: with an indent, json falls back from its C encoder.
    records = per_paper(
        "papers.json",
        (urls, citing),
        catalog.papers,
        lambda p: json.dumps(paper_record(p, urls, citing), ensure_ascii=False, separators=_SEP),
    )
    text = json.dumps(document, ensure_ascii=False, separators=_SEP)
    papers = ",".join(records[p.key] for p in catalog.papers)
    # "papers" comes right after "version" and "site_url", whose JSON cannot hold a bare quote:
    # the first match is the key itself.
    return text.replace(f'"papers":{json.dumps(_PAPERS)}', f'"papers":[{papers}]', 1) + "\n"


_PAPERS = "papers go here"
_SEP = (",", ":")
