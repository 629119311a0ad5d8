"""Parse a digest: text copied from a Hugging Face papers page.

A digest is page furniture, a date line (``Mar 20``), then blocks that alternate title and
abstract by position. A block is a run of non-blank lines. Shapes that suggest the alternation
slipped are warned about, and the positional reading is kept, so no paper is ever dropped.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostic, Diagnostics, Location, shorten
from .model import Digest, DigestEntry
from .plain import CONTROL, one_line

FILE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_.][a-z0-9-]+)?$")
"""A digest's file stem: the date it was copied, optionally followed by a suffix."""

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_LINE = re.compile(r"^(?P<month>[A-Za-z]{3})[a-z]*\.? (?P<day>\d{1,2})(?:, ?\d{4})?$")
FURNITURE = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
        "daily papers",
    }
)
"""Page-furniture lines skipped at the start of a digest that has no date line."""

LONG_TITLE = 300
SHORT_ABSTRACT = 100
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A multiplication sign copied from a rendered page loses its math: "2.88$\times$" arrives as
# "2.88times" or "2.88\times$". After a digit, and before no other letter, it is the sign.
_PASTED_TIMES = re.compile(r"(?<=\d)(?:\$?\\times\$?|times)(?![A-Za-z])")
# So does a tilde between two such figures: "2.35times sim 3.47times".
_PASTED_SIM = re.compile(r"(?<=[\d\u00d7]) \$?\\?sim\$? (?=\d)")


def read_digests(folder: Path, shown: str, diagnostics: Diagnostics) -> list[Digest]:
    """Every ``*.txt`` digest of a folder, oldest first (file names start with the date)."""
    if not folder.is_dir():
        diagnostics.error(
            Location(shown, 0), "no digests folder; put digests in it as YYYY-MM-DD.txt"
        )
        return []
    digests = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".txt" or not path.is_file():
            diagnostics.warn(Location(f"{shown}/{path.name}", 0), "not a .txt digest; ignored")
            continue
        digest = parse_digest_file(path, f"{shown}/{path.name}", diagnostics)
        if digest is not None:
            digests.append(digest)
    if not digests and not diagnostics.errors:
        diagnostics.warn(Location(shown, 0), "no digests found")
    return digests


def parse_digest_file(path: Path, shown_as: str, diagnostics: Diagnostics) -> Digest | None:
    """Read and parse one digest file; None when it cannot be read at all (an error is logged)."""
    date = date_from_name(path, shown_as, diagnostics)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diagnostics.error(Location(shown_as, 0), f"cannot read digest: {exc.strerror}")
        return None
    text = decode(raw, shown_as, diagnostics)
    if text is None or date is None:
        return None
    return parse_digest(text, path.stem, date, shown_as, diagnostics)


def date_from_name(path: Path, shown_as: str, diagnostics: Diagnostics) -> datetime.date | None:
    """The digest's date, from its file name (``2025-03-20.txt``)."""
    match = FILE_NAME.match(path.stem)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    diagnostics.error(
        Location(shown_as, 0),
        "digest file name must be a real date, YYYY-MM-DD.txt, or a date and a label of "
        f"lowercase letters, digits and '-', such as 2025-03-20-extra.txt; found {path.name!r}",
    )
    return None


def decode(raw: bytes, shown_as: str, diagnostics: Diagnostics) -> str | None:
    """UTF-8 text without a BOM; None, with an error naming line and byte, when it is not."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        diagnostics.error(
            Location(shown_as, line),
            f"not valid UTF-8 at byte offset {exc.start} (byte 0x{raw[exc.start]:02x}); "
            "save the digest as UTF-8",
        )
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diagnostics.error(Location(shown_as, line), "NUL byte in digest; is this a binary file?")
        return None
    return text.removeprefix("\ufeff")


def parse_digest(
    text: str, digest_id: str, date: datetime.date, shown_as: str, diagnostics: Diagnostics
) -> Digest:
    """Parse digest text into its entries, logging every odd shape with its line."""
    digest, found = _parsed(text, digest_id, date, shown_as)
    diagnostics.items.extend(found)
    return digest


@lru_cache(maxsize=4096)  # mkdocs serve: an edit parses again only the digest it changed
def _parsed(
    text: str, digest_id: str, date: datetime.date, shown_as: str
) -> tuple[Digest, tuple[Diagnostic, ...]]:
    """The digest and what parsing it reported (a shared, immutable result)."""
    diagnostics = Diagnostics()
    lines = _LINE_BREAK.split(text)
    start = body_start(lines, date, shown_as, diagnostics)
    blocks = split_blocks(lines, start)
    entries = []
    for index in range(0, len(blocks), 2):
        title_line, title_lines = blocks[index]
        where = Location(shown_as, title_line)
        title = _without_controls(" ".join(title_lines), "title", where, diagnostics)
        if len(title_lines) > 1:
            diagnostics.warn(
                where, f"title spread over {len(title_lines)} lines; read as one title"
            )
        if len(title) > LONG_TITLE:
            diagnostics.warn(
                where,
                f"title is {len(title)} characters (over {LONG_TITLE}); "
                "is a title or abstract missing above?",
            )
        abstract = None
        if index + 1 < len(blocks):
            abstract_line, abstract_lines = blocks[index + 1]
            abstract = _without_controls(
                " ".join(abstract_lines), "abstract", Location(shown_as, abstract_line), diagnostics
            )
            if len(abstract) < SHORT_ABSTRACT:
                diagnostics.warn(
                    Location(shown_as, abstract_line),
                    f"abstract is only {len(abstract)} characters (under {SHORT_ABSTRACT}); "
                    "is a title or abstract missing above?",
                )
        else:
            diagnostics.warn(
                where, f"no abstract after title {shorten(title)!r}; page marks it missing"
            )
        entries.append(DigestEntry(title, abstract, digest_id, where))
    if not entries:
        diagnostics.warn(Location(shown_as, 0), "digest holds no papers")
    return Digest(digest_id, date, tuple(entries)), tuple(diagnostics.items)


def _without_controls(text: str, what: str, where: Location, diagnostics: Diagnostics) -> str:
    """Text with its white space collapsed and its control characters taken out (each
    becomes a space, so no two words run together), with a warning when there were any, and
    a pasted multiplication sign ("5times") and tilde ("5 sim 6") restored."""
    found = CONTROL.search(text)
    if found is not None:
        diagnostics.warn(
            where,
            f"control character U+{ord(found.group()):04X} in the {what}; replaced by a space",
        )
    return _PASTED_SIM.sub(" \u223c ", _PASTED_TIMES.sub("\u00d7", one_line(text)))


def body_start(
    lines: list[str], date: datetime.date, shown_as: str, diagnostics: Diagnostics
) -> int:
    """Index of the first line after the furniture and date line."""
    for index, line in enumerate(lines):
        match = DATE_LINE.match(line.strip())
        if match and match["month"].lower() in MONTHS:
            found = (MONTHS.index(match["month"].lower()) + 1, int(match["day"]))
            if found != (date.month, date.day):
                diagnostics.warn(
                    Location(shown_as, index + 1),
                    f"date line {line.strip()!r} does not match the file name's date "
                    f"{date.isoformat()}; the file name wins",
                )
            return index + 1
    diagnostics.warn(
        Location(shown_as, 0),
        f"no date line (like 'Mar 20') found; using {date.isoformat()} from the file name",
    )
    index = 0
    while index < len(lines) and (not lines[index].strip() or _is_furniture(lines[index])):
        index += 1
    return index


def _is_furniture(line: str) -> bool:
    return " ".join(line.split()).casefold() in FURNITURE


def split_blocks(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with its 1-based first line number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip():
            if not current:
                blocks.append((number, current))
            current.append(line)
        else:
            current = []
    return blocks
