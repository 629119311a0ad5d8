"""Text as one plain line: what every title, name and venue read from a digest or a source's
answer becomes before anything renders it."""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
"""Control characters that ``str.split`` does not take for white space: never text, but what
copying from a web page (a terminal colour code, a bell) or a hostile answer can carry."""


def one_line(text: str) -> str:
    """White space collapsed, and each control character replaced by a space (so no two words
    run together)."""
    return " ".join(CONTROL.sub(" ", text).split())
