"""Digest text is data: escape it for Markdown, HTML and YAML front matter.

HTML goes through the standard library's ``html.escape``; Markdown through Python-Markdown's
own list of escapable characters; front matter through the YAML safe dumper.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import markdown

from .links import split_urls
from .yamlio import dump_front_matter

_MARKDOWN_SPECIALS = frozenset(
    markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "toc"]).ESCAPED_CHARS
)
_SENTENCE = re.compile(r"^(.{20,}?[.!?])(?=\s+[A-Z(\[\"'])")
SUMMARY_LENGTH = 240


_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in _MARKDOWN_SPECIALS})


def md_text(text: str) -> str:
    """Text that Markdown shows verbatim: HTML-escaped, then every Markdown special backslashed."""
    return html.escape(text, quote=False).translate(_MARKDOWN_ESCAPES)


def html_text(text: str) -> str:
    """Text for HTML content or attribute values."""
    return html.escape(text, quote=True)


def html_with_links(text: str) -> str:
    """Escaped text whose http(s) URLs become links."""
    parts = []
    for piece, is_url in split_urls(text):
        if is_url:
            parts.append(f'<a href="{html_text(piece)}">{html_text(piece)}</a>')
        else:
            parts.append(html_text(piece))
    return "".join(parts)


def front_matter(meta: dict[str, Any]) -> str:
    """A YAML front matter block."""
    return f"---\n{dump_front_matter(meta)}---\n\n"


_BOUNDARY = re.compile(r"[.!?](?= [A-Z(\"'\[])")


def sentences(text: str) -> list[str]:
    """The text's sentences. A sentence ends at ``.``, ``!`` or ``?`` followed by a space and a
    capital, but never inside brackets or quotes ("(e.g. Fig. 2)" stays whole)."""
    return [text[start:end].strip() for start, end in _sentence_spans(text)]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of ``sentences`` starts and ends (blank sentences left out)."""
    return list(_spans(text))


def _spans(text: str) -> Iterator[tuple[int, int]]:
    """``_sentence_spans``, one at a time (a teaser needs only the first few)."""
    start, scanned, depth, quotes = 0, 0, 0, 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        piece, scanned = text[scanned:end], end
        depth += piece.count("(") + piece.count("[") + piece.count("{")
        depth -= piece.count(")") + piece.count("]") + piece.count("}")
        quotes += piece.count('"') + piece.count("\u201c") + piece.count("\u201d")
        if depth <= 0 and quotes % 2 == 0 and end - start >= 21:
            yield start, end
            start, depth, quotes = end, 0, 0
    if text[start:].strip():
        yield start, len(text)


# The word-start test sits after each subject's first letter, so that the regex engine can
# skip to the places where a subject can start (as in topics.compile_term); the patterns run
# on lowercased text, which is faster than a case-insensitive pattern.
_SUBJECT = (
    r"(?:w(?<!\w.)e|t(?<!\w.)his (?:paper|work|article|study)"
    r"|o(?<!\w.)ur (?:work|paper|method|approach)|h(?<!\w.)ere)\b"
)
_CONTRIBUTIONS = [
    re.compile(_SUBJECT + r"(?:\s+\w+){0,2}?\s+(?:" + verbs + ")")
    for verbs in (
        # What the paper makes, first; then what it studies.
        r"propose|present|introduce|develop|design|describe|build|release|devise|unveil|"
        r"create|construct|formulate|establish|offer|provide",
        r"show|demonstrate|find|study|investigate|report|explore|address|conduct|evaluate|"
        r"analy[sz]e|benchmark|survey|review|examine|leverage|identify|characteri[sz]e|"
        r"extend|achieve",
    )
]
_CONTRIBUTIONS_ANY_CASE = [re.compile(p.pattern, re.IGNORECASE) for p in _CONTRIBUTIONS]


@lru_cache(maxsize=65536)
def teaser(abstract: str | None) -> str:
    """The sentence that says what the paper does ("We propose ..."), else the first sentence,
    cut to a listing-friendly length at a word boundary outside brackets and quotes."""
    if not abstract:
        return "Abstract missing in the digest."
    chosen = _contribution(abstract)
    if chosen is None:
        first = next(_spans(abstract), None)
        chosen = abstract if first is None else abstract[slice(*first)]
    return _cut(_without_lead_in(chosen.strip()), SUMMARY_LENGTH)


# Words that only tie a sentence to the one before it ("To this end, we propose X"): a teaser
# stands alone, so it starts at its subject ("We propose X"). Only when the subject follows.
_LEAD_IN = re.compile(
    r"(?:(?:in|through) this (?:paper|work|article|study|survey|research|letter|note)"
    r"|to (?:this|that) end|therefore|thus|hence|moreover|furthermore|additionally"
    r"|specifically|in addition|in response|to respond|here|then|finally"
    r"|to (?:address|overcome|tackle|mitigate|solve|resolve|alleviate|remedy|bridge|fill"
    r"|close) (?:this|these|that|those|such|both|the above)(?: [a-z-]+){0,3})"
    r",? +(?=(?:we|our|(?:in )?this (?:paper|work|article|study|survey))\b)",
    re.IGNORECASE,
)


def _without_lead_in(sentence: str) -> str:
    """The sentence from its subject on, capitalised, when it opens with a lead-in."""
    rest = sentence
    while (found := _LEAD_IN.match(rest)) is not None:
        rest = rest[found.end() :]
    return sentence if rest is sentence else rest[:1].upper() + rest[1:]


def _contribution(abstract: str) -> str | None:
    """The first sentence that states a contribution, by the first pattern that finds one.

    A match holds no sentence boundary (no ``.``, ``!`` or ``?``), so the first match in the
    whole abstract lies in the first sentence that matches, and each pattern runs once.
    """
    lowered = abstract.lower()
    if len(lowered) != len(abstract):  # a rare letter whose lowercase is longer (İ)
        parts = [abstract[a:b] for a, b in _spans(abstract)]
        return next((s for p in _CONTRIBUTIONS_ANY_CASE for s in parts if p.search(s)), None)
    for pattern in _CONTRIBUTIONS:
        found = pattern.search(lowered)
        if found is not None:
            return next(abstract[a:b] for a, b in _spans(abstract) if a <= found.start() < b)
    return None


def _cut(text: str, width: int) -> str:
    """Text cut to ``width`` at a space outside brackets and quotes, with an ellipsis."""
    if len(text) <= width:
        return text
    head = text[:width]
    if not any(mark in head for mark in '([{)]}"'):  # most teasers: the last space will do
        last_space = head.rfind(" ")
        return text[: last_space if last_space > 0 else width - 1].rstrip(" ,;:") + "\u2026"
    depth, quoted, last_space = 0, False, 0
    for index, char in enumerate(head):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == '"':
            quoted = not quoted
        elif char == " " and depth == 0 and not quoted:
            last_space = index
    return text[: last_space or width - 1].rstrip(" ,;:") + "\u2026"


def short_authors(authors: tuple[str, ...]) -> str:
    """Authors as listings show them: "Gu", "Gu & Dao", "Kwon et al."."""
    names = [family_name(a) for a in authors]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du"})


def family_name(author: str) -> str:
    """The family name of ``First Last``, with its particles: "Ludwig van der Berg" gives
    "van der Berg"."""
    tokens = author.split()
    if len(tokens) < 2:
        return author
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def plural(count: int, word: str) -> str:
    """``1 paper``, ``2 papers``; ``1 digest``, ``3 digests``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
