"""Escape text for BibTeX field values, so real BibTeX and pdflatex accept it.

bibtexparser writes values verbatim; escaping is ours. BibTeX counts braces even after a
backslash, so literal braces become ``\\textbraceleft{}``/``\\textbraceright{}``. Latin letters
with diacritics become accent commands (pylatexenc); other scripts stay UTF-8.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pylatexenc.latexencode import unicode_to_latex

SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
"""ASCII characters that mean something to LaTeX or BibTeX."""

TYPOGRAPHY = {
    "\u00a0": "~",
    "\u2013": "--",
    "\u2014": "---",
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u2026": r"\ldots{}",
}
"""Punctuation that pasted text often carries, as plain LaTeX."""


@lru_cache(maxsize=4096)
def _latin(char: str) -> str:
    """An accent command for a Latin letter with diacritics; the letter itself otherwise."""
    if not unicodedata.name(char, "").startswith("LATIN "):
        return char  # Greek, CJK, emoji...: left as UTF-8 for XeLaTeX, LuaLaTeX and biber
    converted: str = unicode_to_latex(
        char,
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )
    return converted


_ASCII = str.maketrans({**SPECIALS, **{chr(c): " " for c in [*range(32), 127]}})


def escape(text: str) -> str:
    """Text as a BibTeX field value that prints as the text."""
    if text.isascii():
        return text.translate(_ASCII)
    out = []
    for char in text:
        if char in SPECIALS:
            out.append(SPECIALS[char])
        elif char.isascii():
            out.append(" " if unicodedata.category(char) == "Cc" else char)
        elif char in TYPOGRAPHY:
            out.append(TYPOGRAPHY[char])
        else:
            out.append(_latin(unicodedata.normalize("NFC", char)))
    return "".join(out)


def needs_protection(word: str) -> bool:
    """A capital after the first letter, or a digit among letters: styles would lowercase it."""
    letters = any(c.isalpha() for c in word)
    return letters and (any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:]))


def protect_title(title: str) -> str:
    """The escaped title, each word whose capitals matter wrapped in braces: ``{T3}: ...``."""
    return " ".join(_protect_word(word) for word in title.split())


def _protect_word(word: str) -> str:
    start, end = 0, len(word)
    while start < end and word[start] in "([\"'`":
        start += 1
    while end > start and (
        word[end - 1] in ".,;:!?\"'"
        or (word[end - 1] == ")" and word[start:end].count("(") < word[start:end].count(")"))
        or (word[end - 1] == "]" and word[start:end].count("[") < word[start:end].count("]"))
    ):
        end -= 1
    core = word[start:end]
    if core and needs_protection(core):
        return escape(word[:start]) + "{" + escape(core) + "}" + escape(word[end:])
    return escape(word)


def author_list(authors: tuple[str, ...]) -> str:
    """Authors joined with ``and``, each escaped; a name part that is ``and`` is braced."""
    names = []
    for author in authors:
        parts = [("{and}" if part.lower() == "and" else escape(part)) for part in author.split()]
        names.append(" ".join(parts))
    return " and ".join(names)


def escape_url(url: str) -> str:
    """A URL for ``url``/``\\url{}``: only ``%``, ``#`` and backslash need care there."""
    return url.replace("\\", "/").replace("%", r"\%").replace("#", r"\#")
