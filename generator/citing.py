"""What citations need beyond the catalog: venue series names and the curated proper nouns.

BibTeX, CSL-JSON, RIS and ``papers.json`` all name a venue the same way, without its year:
``Proceedings of the Symposium on Operating Systems Principles (SOSP)`` for a conference whose
rule in ``venues.yaml`` gives its series, the journal's series for a journal, and the curated
name with the year taken out otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .capitals import NO_PROPER_NOUNS, ProperNouns, load_proper_nouns
from .curation import VenueRule, venue_words
from .diagnostics import Diagnostics
from .layout import Urls
from .model import Paper, Venue
from .series import without_year

PROPER_NOUNS_FILE = "propernouns.yaml"
"""The curated proper nouns, in ``data/``."""


@dataclass(frozen=True)
class CitedVenue:
    """A venue as citations name it: ``<prefix><name> (<acronym>)``."""

    kind: str
    """``conference``, ``journal``, ``workshop`` or ``unknown``, as classified."""
    series: str
    """The series' full name without a year (the curated name without its year when
    ``venues.yaml`` gives none)."""
    name: str
    """The venue's own name as cited (the series, the rule's ``booktitle``, or the curated
    name without its year): a proper name, which citations keep from case changes whole."""
    prefix: str = ""
    """``Proceedings of the `` for a conference's series; nothing otherwise."""
    acronym: str | None = None
    """The word of ``venues.yaml`` that named the series, written after it: ``SOSP``."""

    @property
    def container(self) -> str:
        """What contains the paper, in plain text: the proceedings' title or the journal."""
        return self.prefix + self.name + (f" ({self.acronym})" if self.acronym else "")


@dataclass(frozen=True)
class Citing:
    """The curated data every citation format reads."""

    venues: tuple[VenueRule, ...] = ()
    """The rules of ``venues.yaml``, in order, with their series names."""
    nouns: ProperNouns = NO_PROPER_NOUNS
    """Proper nouns whose capitals stay."""
    named: dict[Venue, CitedVenue] = field(default_factory=dict, compare=False, repr=False)
    """Venues already named: every export names each paper's venue, and many papers share one."""

    def venue(self, venue: Venue) -> CitedVenue:
        """How citations name a venue (``cited_venue`` by these rules, remembered)."""
        cited = self.named.get(venue)
        if cited is None:
            cited = self.named[venue] = cited_venue(venue, self.venues)
        return cited


NO_CITING = Citing()
"""No series names and no proper nouns: venues are cited by their names without the year."""


def load_citing(
    data_dir: Path, shown: str, venues: tuple[VenueRule, ...], diagnostics: Diagnostics
) -> Citing:
    """The citation data of a project: the venue rules already loaded with the curation, and
    ``propernouns.yaml`` (optional)."""
    nouns = load_proper_nouns(
        data_dir / PROPER_NOUNS_FILE, f"{shown}/{PROPER_NOUNS_FILE}", diagnostics
    )
    return Citing(venues, nouns)


def cited_venue(venue: Venue, rules: tuple[VenueRule, ...] = ()) -> CitedVenue:
    """How citations name a venue: by the first rule of its kind whose words occur in its name,
    when that rule gives a series or booktitle; else by its name without the year."""
    rule, word = _series_rule(venue, rules)
    if rule is None:
        name = without_year(venue.name)
        return CitedVenue(venue.kind, name, name)
    series = rule.series or rule.booktitle or without_year(venue.name)
    if rule.booktitle and venue.kind != "journal":
        return CitedVenue(venue.kind, series, rule.booktitle)
    if venue.kind == "journal":
        return CitedVenue(venue.kind, series, series)
    return CitedVenue(venue.kind, series, series, "Proceedings of the ", word)


def _series_rule(venue: Venue, rules: tuple[VenueRule, ...]) -> tuple[VenueRule | None, str]:
    """The rule that names the venue, and its word that matched (as the rule spells it)."""
    for rule in rules:
        if rule.kind != venue.kind:
            continue
        found = venue_words(rule).search(venue.name)
        if found is None:
            continue
        if not (rule.series or rule.booktitle):
            return None, ""  # a general rule (``Workshop``) names nothing: keep the name
        word = next(w for w in rule.match if w.casefold() == found.group().casefold())
        return rule, word
    return None, ""


def cited_url(paper: Paper, urls: Urls) -> str:
    """The URL a citation gives: arXiv's abstract page, else the code or project page, else
    the paper's page here (stable external URLs first, so a fork's ``site_url`` changes none)."""
    if paper.arxiv:
        return f"https://arxiv.org/abs/{paper.arxiv}"
    link = next((k.url for k in paper.links if k.kind in ("code", "project", "extra")), None)
    return link or urls.absolute(layout.paper_page(paper.slug))
