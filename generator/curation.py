"""Load the curated files of ``data/``: topics, per-paper curation, venues and settings.

Each file is checked against ``schema.py``; every problem is logged with its file, entry and
key, and loading goes on so the curator sees all of them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .diagnostics import Diagnostics, Location
from .model import Topic
from .yamlio import LineDict, load_yaml

PAPER_FIELDS: dict[str, schema.Checker] = {
    "title": schema.text,
    "slug": schema.slug,
    "display_title": schema.text,
    "authors": schema.text_list,
    "year": schema.year,
    "arxiv": schema.arxiv_id,
    "primary_class": schema.arxiv_class,
    "venue": schema.text,
    "add_topics": schema.text_list,
    "remove_topics": schema.text_list,
    "notes": schema.paragraphs,
    "links": schema.links,
    "pin_slug": schema.slug,
    "exclude": schema.text,
    "source": schema.text,
    "confidence": schema.one_of("high", "medium", "low"),
}
"""Keys of an entry in ``papers.yaml``. ``title`` or ``slug`` names the paper."""

TOPIC_FIELDS: dict[str, schema.Checker] = {
    "id": schema.topic_id,
    "name": schema.text,
    "description": schema.text,
    "match": lambda value: value,  # checked by _match_rules, which knows the sub-keys
}
MATCH_FIELDS: dict[str, schema.Checker] = {"title": schema.term_list, "text": schema.term_list}
VENUE_FIELDS: dict[str, schema.Checker] = {
    "kind": schema.one_of("conference", "journal", "workshop"),
    "match": schema.text_list,
}
SETTINGS_FIELDS: dict[str, schema.Checker] = {
    "bibtex_abstracts": schema.boolean,
    "search": schema.one_of("auto", "material", "pagefind"),
}


@dataclass(frozen=True)
class PaperCuration:
    """One entry of ``papers.yaml``, checked."""

    fields: dict[str, Any]
    """The valid keys of the entry."""
    where: Location
    """The entry's first line."""

    @property
    def label(self) -> str:
        """How errors name the entry."""
        name = self.fields.get("title") or self.fields.get("slug") or "?"
        return f"entry {name[:60]!r}"


@dataclass(frozen=True)
class VenueRule:
    """One rule of ``venues.yaml``: words that make a venue a conference, journal or workshop."""

    kind: str
    """``conference``, ``journal`` or ``workshop``."""
    words: tuple[str, ...]
    """Words or phrases matched as whole words, case-insensitively."""
    where: Location
    """The rule's line."""


PAGEFIND_ABOVE = 2000
"""With ``search: auto``, lists larger than this use Pagefind."""


def search_engine(setting: str, papers: int) -> str:
    """``material`` or ``pagefind``, for a setting and a number of papers."""
    if setting == "auto":
        return "pagefind" if papers > PAGEFIND_ABOVE else "material"
    return setting


@dataclass(frozen=True)
class Settings:
    """Site-wide choices from ``settings.yaml``."""

    bibtex_abstracts: bool = False
    """Include abstracts in BibTeX entries."""
    search: str = "auto"
    """The search engine: ``material`` (built in), ``pagefind``, or ``auto`` (Material up to
    ``PAGEFIND_ABOVE`` papers, Pagefind above: Material builds its index in the browser)."""


@dataclass(frozen=True)
class Curation:
    """Everything curated, checked."""

    topics: tuple[Topic, ...] = ()
    papers: tuple[PaperCuration, ...] = ()
    venues: tuple[VenueRule, ...] = ()
    settings: Settings = field(default_factory=Settings)


def load_curation(data_dir: Path, shown: str, diagnostics: Diagnostics) -> Curation:
    """Load and check ``topics.yaml``, ``papers.yaml``, ``venues.yaml`` and ``settings.yaml``."""
    return Curation(
        topics=load_topics(data_dir / "topics.yaml", f"{shown}/topics.yaml", diagnostics),
        papers=load_papers(data_dir / "papers.yaml", f"{shown}/papers.yaml", diagnostics),
        venues=load_venues(data_dir / "venues.yaml", f"{shown}/venues.yaml", diagnostics),
        settings=load_settings(data_dir / "settings.yaml", f"{shown}/settings.yaml", diagnostics),
    )


def load_topics(path: Path, shown_as: str, diagnostics: Diagnostics) -> tuple[Topic, ...]:
    """The taxonomy; every topic needs an id, a name and a description."""
    topics: dict[str, Topic] = {}
    for index, entry in enumerate(
        schema.top_list(load_yaml(path, shown_as, diagnostics), "topics", shown_as, diagnostics)
    ):
        label = (
            f"topic {entry.get('id', index + 1)!r}"
            if isinstance(entry, dict)
            else f"topic {index + 1}"
        )
        fields = schema.check_entry(entry, TOPIC_FIELDS, shown_as, label, diagnostics)
        if fields is None:
            continue
        where = Location(shown_as, entry.line)
        missing = [key for key in ("id", "name", "description") if key not in entry]
        if missing:
            diagnostics.error(where, f"{label}: missing {', '.join(missing)}")
            continue
        if "id" not in fields:
            continue
        if fields["id"] in topics or fields["id"] == "uncategorized":
            diagnostics.error(where, f"{label}: id {fields['id']!r} is used twice or reserved")
            continue
        rules = _match_rules(entry, shown_as, label, diagnostics)
        topics[fields["id"]] = Topic(
            id=fields["id"],
            name=fields.get("name", fields["id"]),
            description=fields.get("description", ""),
            title_terms=rules.get("title", ()),
            terms=rules.get("text", ()),
            where=where,
        )
    return tuple(sorted(topics.values(), key=lambda t: t.id))


def _match_rules(
    entry: LineDict, shown_as: str, label: str, diagnostics: Diagnostics
) -> dict[str, Any]:
    if "match" not in entry:
        return {}
    return (
        schema.check_entry(entry["match"], MATCH_FIELDS, shown_as, f"{label}: match", diagnostics)
        or {}
    )


def load_papers(path: Path, shown_as: str, diagnostics: Diagnostics) -> tuple[PaperCuration, ...]:
    """Per-paper curation; each entry names its paper by ``title`` or by ``slug``."""
    entries = []
    for index, entry in enumerate(
        schema.top_list(load_yaml(path, shown_as, diagnostics), "papers", shown_as, diagnostics)
    ):
        label = f"entry {index + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("title"), str):
            label = f"entry {entry['title'][:60]!r}"
        fields = schema.check_entry(entry, PAPER_FIELDS, shown_as, label, diagnostics)
        if fields is None:
            continue
        where = Location(shown_as, entry.line)
        if ("title" in entry) == ("slug" in entry):
            diagnostics.error(where, f"{label}: name the paper by exactly one of 'title' or 'slug'")
            continue
        if "title" in fields or "slug" in fields:
            entries.append(PaperCuration(fields, where))
    return tuple(entries)


def load_venues(path: Path, shown_as: str, diagnostics: Diagnostics) -> tuple[VenueRule, ...]:
    """Venue rules, tried in order: the first whose words occur in a venue decides its kind."""
    rules = []
    for index, entry in enumerate(
        schema.top_list(load_yaml(path, shown_as, diagnostics), "rules", shown_as, diagnostics)
    ):
        fields = schema.check_entry(entry, VENUE_FIELDS, shown_as, f"rule {index + 1}", diagnostics)
        if fields and {"kind", "match"} <= set(fields):
            rules.append(VenueRule(fields["kind"], fields["match"], Location(shown_as, entry.line)))
        elif fields is not None:
            diagnostics.error(
                Location(shown_as, entry.line), f"rule {index + 1}: needs kind and match"
            )
    return tuple(rules)


def load_settings(path: Path, shown_as: str, diagnostics: Diagnostics) -> Settings:
    """Site-wide settings; defaults when the file is absent."""
    data = load_yaml(path, shown_as, diagnostics)
    if data is None:
        return Settings()
    fields = schema.check_entry(data, SETTINGS_FIELDS, shown_as, "settings", diagnostics) or {}
    return Settings(**fields)


def venue_words(rule: VenueRule) -> re.Pattern[str]:
    """The rule's words as one whole-word, case-insensitive pattern."""
    alternatives = "|".join(re.escape(word) for word in rule.words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
