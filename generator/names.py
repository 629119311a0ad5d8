"""Derive a new paper's slug and cite key from its title, authors and year.

These are only proposals: ``registry.py`` records the first one a paper gets and never
derives it again, so later edits to titles or authors change nothing that was published.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .schema import WINDOWS_RESERVED

STOP_WORDS = frozenset(
    {"a", "an", "the", "on", "of", "for", "in", "to", "with", "and", "via", "towards", "toward"}
    | {"from", "by", "at", "as", "into", "or"}
)
"""Words skipped when a slug or cite key looks for the title's significant words."""

PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "le", "la", "ten"}
    | {"ter", "bin", "al", "el"}
)
"""Lowercase surname particles kept with the surname: ``van der Berg`` gives ``vanderberg``."""

NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
RESERVED_SLUGS = WINDOWS_RESERVED | {"index", "all"}
SLUG_WORDS = 6
SLUG_LENGTH = 50

_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Latin letters without their diacritics; other scripts are dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def title_words(title: str) -> list[str]:
    """The title's words, ASCII-folded and lowercase."""
    return [word for word in _NOT_ALNUM.split(ascii_fold(title).lower()) if word]


def propose_slug(title: str) -> str:
    """A readable, short, lowercase ASCII slug, such as ``mamba-linear-time-sequence-modeling``."""
    words = [w for w in title_words(title) if w not in STOP_WORDS] or title_words(title)
    kept: list[str] = []
    for word in (w[:SLUG_LENGTH] for w in words):
        if len(kept) == SLUG_WORDS or len("-".join([*kept, word])) > SLUG_LENGTH:
            break
        kept.append(word)
    slug = "-".join(kept)
    if not slug:
        # Greek, CJK or emoji titles have no ASCII words; a digest of the title stays stable.
        slug = "paper-" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
    return slug + "-paper" if slug in RESERVED_SLUGS else slug


def first_significant_word(title: str) -> str:
    """Google Scholar's title word: the first word not in ``STOP_WORDS``.

    A word runs to the first hyphen, slash or parenthesis: ``Graphix-T5`` gives ``graphix``,
    ``M^3ViT`` gives ``m3vit``.
    """
    for token in title.split():
        head = re.split(r"[-/(\u2010-\u2015]", token, maxsplit=1)[0]
        word = _NOT_ALNUM.sub("", ascii_fold(head).lower())
        if word and word not in STOP_WORDS:
            return word
    return "paper"


def surname(author: str) -> str:
    """The last name with its particles, ASCII-folded: ``Ludwig van der Berg``: ``vanderberg``."""
    tokens = [t for t in author.replace(",", " ").split() if t.lower() not in NAME_SUFFIXES]
    if not tokens:
        return ""
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in PARTICLES:
        start -= 1
    return _NOT_ALNUM.sub("", ascii_fold("".join(tokens[start:])).lower())


def propose_key(authors: tuple[str, ...], year: int, title: str) -> str:
    """``gu2023mamba`` with authors; ``mamba2023`` without."""
    word = first_significant_word(title)
    name = surname(authors[0]) if authors else ""
    return f"{name}{year}{word}" if name else f"{word}{year}"


def key_suffix(index: int) -> str:
    """The suffix of a key's index-th holder: '', then a..z, aa, ab, ... (bijective base 26)."""
    suffix = ""
    while index:
        index, digit = divmod(index - 1, 26)
        suffix = chr(ord("a") + digit) + suffix
    return suffix


def slug_suffix(index: int) -> str:
    """The suffix of a slug's index-th holder: '', then -2, -3, ..."""
    return f"-{index + 1}" if index else ""
