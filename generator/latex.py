"""Escape text for BibTeX field values, so real BibTeX, biber, pdflatex and pandoc accept it.

bibtexparser writes values verbatim; escaping is ours. BibTeX counts braces even after a
backslash, so literal braces become ``\\textbraceleft{}``/``\\textbraceright{}``. Latin letters
with diacritics become accent commands (pylatexenc); other scripts stay UTF-8. Straight double
quotes become ````...''`` and a caret before digits a superscript (``M$^3$ViT``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latexencode import unicode_to_latex

from .capitals import NO_PROPER_NOUNS, ProperNouns, title_runs

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


_SUPERSCRIPT = re.compile(r"\^(\d+)")
_OPENING_QUOTE = re.compile(r'(?:^|(?<=[\s(\[{\-\u2014/]))"')


def curl_quotes(text: str) -> str:
    """Straight double quotes as curly ones: opening at the start of a word, closing after it.
    ``escape`` then writes them as LaTeX's ````...''``."""
    if '"' not in text:
        return text
    return _OPENING_QUOTE.sub("\u201c", text).replace('"', "\u201d")


def escape(text: str) -> str:
    """Text as a BibTeX field value that prints as the text: specials escaped, quotes curled,
    ``^3`` as a math superscript (``$^3$``)."""
    text = curl_quotes(text)
    if "^" not in text:
        return _escape(text)
    parts = _SUPERSCRIPT.split(text)  # text, digits, text, digits, ..., text
    return "".join(
        _escape(part) if i % 2 == 0 else f"$^{part}$" if len(part) == 1 else f"$^{{{part}}}$"
        for i, part in enumerate(parts)
    )


def _escape(text: str) -> str:
    """``escape``, but for superscripts: the odd items of ``_SUPERSCRIPT.split`` are digits."""
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


def protect_title(title: str, nouns: ProperNouns = NO_PROPER_NOUNS) -> str:
    """The escaped title with each run whose capitals matter wrapped in braces: ``{T3}: ...``,
    ``{GEMM}-Based``, ``{Ada} {Lovelace}`` (see ``capitals.title_runs``)."""
    runs = title_runs(curl_quotes(title), nouns)
    return "".join(f"{{{escape(text)}}}" if keep else escape(text) for text, keep in runs)


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
