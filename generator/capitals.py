"""Which parts of a title keep their capitals when a citation style changes its case.

Sentence-case styles lowercase every word but the first, so acronyms (``LLM``), mixed case
(``ChatGPT``), capitals with digits (``T3``) and proper nouns (``Hopper``) must be protected:
braces in BibTeX, ``<span class="nocase">`` in CSL-JSON. Each hyphen-separated part is judged
alone (``Multi-Task`` is left to the style, ``GEMM-Based`` protects ``GEMM`` only), and nothing
else is protected. Proper nouns with one capital come from the curated ``propernouns.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import schema
from .diagnostics import Diagnostics, Location
from .schema import Invalid, load_records, spec

_NOWHERE = Location("", 0)
_NOUN = re.compile(r"^[^\W\d_][\w.'’&-]*(?: [^\W\d_][\w.'’&-]*)*$")
_OPENING = "([\"'`\u201c\u2018"
_CLOSING = ".,;:!?\"'\u201d\u2019"
_PART = re.compile(r"[^-]+")
_DIGIT = re.compile(r"\d")
_WORDS = re.compile(r"\S+|\s+")


def noun_name(value: Any) -> str:
    """A proper noun: one or more words, with at least one capital."""
    name = schema.text(value)
    if not _NOUN.match(name) or name == name.lower():
        raise Invalid(
            f"expected a proper noun of words spelled with their capitals, such as "
            f"'Ada Lovelace', found {name!r}"
        )
    return name


@dataclass(frozen=True)
class ProperNoun:
    """One entry of ``propernouns.yaml``: a name that keeps its capitals in citations."""

    name: str = spec(noun_name)
    """The name as it is spelled, ``Hopper`` or ``Ada Lovelace``; matched in any case."""
    note: str | None = spec(schema.text, None)
    """What it names, for the curator (``NVIDIA's GPU architecture of 2022``)."""
    where: Location = _NOWHERE
    """The entry's line."""


@dataclass(frozen=True)
class ProperNouns:
    """The curated proper nouns, compiled into one pattern."""

    names: tuple[str, ...] = ()
    """The names, in file order."""
    pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    """Every name as a whole-word, case-insensitive alternative; None when there are none."""

    @classmethod
    def of(cls, names: tuple[str, ...]) -> ProperNouns:
        """The nouns, with their pattern (longest names first, so phrases win)."""
        if not names:
            return cls()
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return cls(names, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the names occur in a text, as written with at least one capital."""
        if self.pattern is None:
            return []
        return [m.span() for m in self.pattern.finditer(text) if m.group() != m.group().lower()]


NO_PROPER_NOUNS = ProperNouns()
"""No curated proper nouns: only acronyms, mixed case and capitals with digits are protected."""


def load_proper_nouns(path: Path, shown_as: str, diagnostics: Diagnostics) -> ProperNouns:
    """The proper nouns of ``propernouns.yaml`` (none when the file is absent); a name listed
    twice is an error."""
    seen: dict[str, ProperNoun] = {}
    for noun in load_records(path, shown_as, "proper_nouns", ProperNoun, _labelled, diagnostics):
        folded = noun.name.casefold()
        if folded in seen:
            diagnostics.error(
                noun.where, f"proper noun {noun.name!r}: listed twice; see {seen[folded].where}"
            )
            continue
        seen[folded] = noun
    return ProperNouns.of(tuple(noun.name for noun in seen.values()))


def _labelled(entry: Any, index: int) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"proper noun {name!r}" if isinstance(name, str) else f"proper noun {index + 1}"


def needs_protection(part: str) -> bool:
    """A capital after the first character, or a capital with a digit (``LLM``, ``ChatGPT``,
    ``T3``, ``70B``): what sentence case would wrongly lowercase. ``2bit`` and ``Multi`` are
    left alone."""
    rest = part[1:]
    return rest != rest.lower() or (part[:1].isupper() and _DIGIT.search(rest) is not None)


@lru_cache(maxsize=16384)  # BibTeX and CSL-JSON both cut every title
def title_runs(title: str, nouns: ProperNouns = NO_PROPER_NOUNS) -> tuple[tuple[str, bool], ...]:
    """The title cut into runs of text, each marked True when its capitals must stay.

    Joined, the runs give back the title exactly. Leading and trailing punctuation of a word
    stays outside a protected run (``({ViT})``, ``{T3}:``)."""
    named = nouns.spans(title)
    runs: list[tuple[str, bool]] = []
    for word in _WORDS.finditer(title):
        text = word.group()
        if text.isspace() or (
            not needs_protection(text)
            and not any(a < word.end() and word.start() < b for a, b in named)
        ):
            # No part of it can need protection: a capital after a hyphen or with a digit
            # would make the whole word need it too.
            _append(runs, text, False)
            continue
        start, end = _core(word.group())
        offset = word.start()
        _append(runs, word.group()[:start], False)
        core = word.group()[start:end]
        position = 0
        for part in _PART.finditer(core):
            _append(runs, core[position : part.start()], False)  # the hyphens between parts
            at = offset + start + part.start()
            keep = needs_protection(part.group()) or any(a <= at < b for a, b in named)
            _append(runs, part.group(), keep)
            position = part.end()
        _append(runs, core[position:], False)
        _append(runs, word.group()[end:], False)
    return tuple(_join_hyphenated(runs))


def _core(word: str) -> tuple[int, int]:
    """Where a word's core starts and ends, without its surrounding punctuation; a closing
    bracket stays when the core opened it (``ZeroQuant(4+2)``)."""
    start, end = 0, len(word)
    while start < end and word[start] in _OPENING:
        start += 1
    while end > start and (
        word[end - 1] in _CLOSING
        or (word[end - 1] == ")" and word[start:end].count("(") < word[start:end].count(")"))
        or (word[end - 1] == "]" and word[start:end].count("[") < word[start:end].count("]"))
    ):
        end -= 1
    return start, end


def _append(runs: list[tuple[str, bool]], text: str, protected: bool) -> None:
    """Add a run, merging it into the last one when both are alike."""
    if not text:
        return
    if runs and runs[-1][1] == protected:
        runs[-1] = (runs[-1][0] + text, protected)
    else:
        runs.append((text, protected))


def _join_hyphenated(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """One protected run for ``TPI-LLM`` rather than two around a bare hyphen."""
    joined: list[tuple[str, bool]] = []
    for text, protected in runs:
        if protected and len(joined) >= 2 and joined[-1] == ("-", False) and joined[-2][1]:
            joined.pop()
            joined[-1] = (joined[-1][0] + "-" + text, True)
        else:
            joined.append((text, protected))
    return joined
