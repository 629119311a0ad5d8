"""Venue series names: what a citation calls a venue, with its year left to the ``year`` field.

``venues.yaml`` may give a rule the series' full name (``Symposium on Operating Systems
Principles``); a venue without one is cited by its curated name with the year taken out
(``NeurIPS 2023 Workshop on Machine Learning for Systems`` becomes ``NeurIPS Workshop on
Machine Learning for Systems``).
"""

from __future__ import annotations

import re
from typing import Any

from .schema import Invalid, text

YEAR = re.compile(r"(?<![\d])(?:19|20)\d\d(?![\d])")
"""A four-digit year standing alone, as venue names carry it (``ICLR 2025``)."""

_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_LOOSE_PUNCTUATION = re.compile(r"[\s,;]+([)\]])|\s+([,;:])|([(\[])[\s,;]+")


def series_name(value: Any) -> str:
    """A series' or proceedings' name: text without a year, which lives in ``year`` only."""
    name = text(value)
    found = YEAR.search(name)
    if found:
        raise Invalid(
            f"expected a name without a year (each paper's year is cited apart), "
            f"found {found.group()!r} in {name!r}"
        )
    return name


def without_year(name: str) -> str:
    """The venue's name with its year taken out: ``Findings of NAACL 2024`` becomes
    ``Findings of NAACL``, ``IEEE Transactions on X (2023)`` becomes ``IEEE Transactions on X``.
    A name that is only a year stays as it is."""
    stripped = _EMPTY_BRACKETS.sub("", YEAR.sub("", name))
    stripped = _LOOSE_PUNCTUATION.sub(lambda m: next(g for g in m.groups() if g), stripped)
    stripped = " ".join(stripped.split()).strip(" ,;:-–")
    return stripped or name
