"""Parsing digests: one case per behaviour, with the entries and messages it must produce."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.digest import parse_digest_file

from .conftest import messages

LONG = (
    "Abstract text that is long enough to look like a real abstract, with more words after it. " * 2
)
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"


def parse(tmp_path: Path, raw: bytes, name: str = "2025-03-20.txt"):
    path = tmp_path / name
    path.write_bytes(raw)
    diagnostics = Diagnostics()
    digest = parse_digest_file(path, f"digests/{name}", diagnostics)
    entries = [(e.title, e.abstract, e.where.line) for e in digest.entries] if digest else None
    return entries, messages(diagnostics)


CASES = [
    pytest.param(
        (HEADER + "Mar 20\n\nTitle One\n\n" + LONG + "\n\nTitle Two\n\n" + LONG + "\n").encode(),
        [("Title One", LONG.strip(), 11), ("Title Two", LONG.strip(), 15)],
        [],
        id="clean",
    ),
    pytest.param(
        (HEADER + "Mar 20\n\nTitle One\n\n" + LONG + "\n").replace("\n", "\r\n").encode(),
        [("Title One", LONG.strip(), 11)],
        [],
        id="crlf",
    ),
    pytest.param(
        ("Mar 20\rTitle One\r\r" + LONG + "\r").encode(),
        [("Title One", LONG.strip(), 2)],
        [],
        id="lone_cr",
    ),
    pytest.param(
        b"\xef\xbb\xbf" + ("Mar 20\n\nTitle One\n\n" + LONG).encode(),
        [("Title One", LONG.strip(), 3)],
        [],
        id="bom_and_no_final_newline",
    ),
    pytest.param(
        ("Mar 20  \n \t\n\n\n\nTitle\tOne   \n\u00a0\n\n" + LONG + "   \n\n\n").encode(),
        [("Title One", LONG.strip(), 6)],
        [],
        id="whitespace_lines_tabs_nbsp_and_blank_runs",
    ),
    pytest.param(
        ("Mar 20\n\nTitle One\n\n" + LONG + "\n\nTitle Two\n").encode(),
        [("Title One", LONG.strip(), 3), ("Title Two", None, 7)],
        [
            "digests/2025-03-20.txt:7: warning: no abstract after title 'Title Two'; page marks it missing"
        ],
        id="title_only_block_at_end",
    ),
    pytest.param(
        ("Mar 21\n\nTitle One\n\n" + LONG + "\n").encode(),
        [("Title One", LONG.strip(), 3)],
        [
            "digests/2025-03-20.txt:1: warning: date line 'Mar 21' does not match the file name's date 2025-03-20; the file name wins"
        ],
        id="date_line_disagrees_with_file_name",
    ),
    pytest.param(
        (HEADER + "Title One\n\n" + LONG + "\n").encode(),
        [("Title One", LONG.strip(), 9)],
        [
            "digests/2025-03-20.txt: warning: no date line (like 'Mar 20') found; using 2025-03-20 from the file name"
        ],
        id="no_date_line",
    ),
    pytest.param(
        ("Mar 20\n\nA Title Pasted\nOver Two Lines\n\n" + LONG + "\n").encode(),
        [("A Title Pasted Over Two Lines", LONG.strip(), 3)],
        ["digests/2025-03-20.txt:3: warning: title spread over 2 lines; read as one title"],
        id="title_over_several_lines",
    ),
    pytest.param(
        ("Mar 20\n\n" + "Long " * 400 + "\n\n" + LONG + "\n").encode(),
        [(("Long " * 400).strip(), LONG.strip(), 3)],
        [
            "digests/2025-03-20.txt:3: warning: title is 1999 characters (over 300); is a title or abstract missing above?"
        ],
        id="two_thousand_character_title_still_builds",
    ),
    pytest.param(
        (b"Mar 20\n\nTitle One\n\nToo short.\n"),
        [("Title One", "Too short.", 3)],
        [
            "digests/2025-03-20.txt:5: warning: abstract is only 10 characters (under 100); is a title or abstract missing above?"
        ],
        id="short_abstract",
    ),
    pytest.param(
        (
            "Mar 20\n\nTitle One\n\n" + LONG + "\n\n" + LONG + "\n\nTitle Two\n\n" + LONG + "\n"
        ).encode(),
        [("Title One", LONG.strip(), 3), (LONG.strip(), "Title Two", 7), (LONG.strip(), None, 11)],
        [
            "digests/2025-03-20.txt:11: warning: no abstract after title 'Abstract text that is long enough to look like a real…'; page marks it missing",
            "digests/2025-03-20.txt:9: warning: abstract is only 9 characters (under 100); is a title or abstract missing above?",
        ],
        id="two_abstracts_in_a_row_are_flagged",
    ),
    pytest.param(
        b"",
        [],
        [
            "digests/2025-03-20.txt: warning: digest holds no papers",
            "digests/2025-03-20.txt: warning: no date line (like 'Mar 20') found; using 2025-03-20 from the file name",
        ],
        id="empty_file",
    ),
    pytest.param(
        HEADER.encode() + b"Mar 20\n",
        [],
        ["digests/2025-03-20.txt: warning: digest holds no papers"],
        id="header_only",
    ),
    pytest.param(
        b"Mar 20\n\nTitle \xff One\n",
        None,
        [
            "digests/2025-03-20.txt:3: error: not valid UTF-8 at byte offset 14 (byte 0xff); save the digest as UTF-8"
        ],
        id="invalid_utf8_names_line_and_byte",
    ),
    pytest.param(
        ("Mar 20\n\nTitle\x1b[31m One\x7f\n\n" + LONG.replace("with", "with\x07\x9b")).encode(),
        [("Title [31m One", LONG.strip(), 3)],
        [
            "digests/2025-03-20.txt:3: warning: control character U+001B in the title; "
            "replaced by a space",
            "digests/2025-03-20.txt:5: warning: control character U+0007 in the abstract; "
            "replaced by a space",
        ],
        id="control_characters",
    ),
    pytest.param(
        (
            "Mar 20\n\nTitle One\n\n" + LONG + "Up to 2.88times faster, 5.18\\times$ less, "
            "1.5times~3times more, 2.35times sim 3.47times, sometimes at 3timesteps.\n"
        ).encode(),
        [
            (
                "Title One",
                LONG + "Up to 2.88\u00d7 faster, 5.18\u00d7 less, 1.5\u00d7~3\u00d7 "
                "more, 2.35\u00d7 \u223c 3.47\u00d7, sometimes at 3timesteps.",
                3,
            )
        ],
        [],
        id="multiplication_sign_and_tilde_that_lost_their_math",
    ),
    pytest.param(
        b"Mar 20\n\nTitle\x00 One\n",
        None,
        ["digests/2025-03-20.txt:3: error: NUL byte in digest; is this a binary file?"],
        id="nul_byte",
    ),
]


@pytest.mark.parametrize(("raw", "entries", "expected"), CASES)
def test_parse_digest(tmp_path: Path, raw: bytes, entries, expected: list[str]) -> None:
    found_entries, found_messages = parse(tmp_path, raw)
    assert found_entries == entries
    assert sorted(found_messages) == sorted(expected)


@pytest.mark.parametrize(("raw", "entries", "expected"), CASES)
def test_parsing_again_reports_the_same(tmp_path: Path, raw: bytes, entries, expected) -> None:
    """A digest parsed again (mkdocs serve keeps each parse) gives the same entries and
    reports the same problems, every time."""
    first = parse(tmp_path, raw)
    assert parse(tmp_path, raw) == first
    assert sorted(first[1]) == sorted(expected)


def test_file_name_must_carry_a_date(tmp_path: Path) -> None:
    entries, found = parse(tmp_path, b"Mar 20\n\nT\n\nA\n", name="march.txt")
    assert entries is None
    assert found == [
        "digests/march.txt: error: digest file name must be a real date, YYYY-MM-DD.txt, or a date and a label of lowercase letters, digits and '-', such as 2025-03-20-extra.txt; found 'march.txt'"
    ]


def test_seed_digest_parses_to_96_papers_without_warnings() -> None:
    root = Path(__file__).resolve().parent.parent
    entries, found = parse_seed(root / "data" / "digests" / "2025-03-20.txt")
    assert len(entries) == 96
    assert found == []
    titles = [t for t, _, _ in entries]
    assert (
        "T3: Transparent Tracking & Triggering for Fine-grained Overlap of Compute & Collectives"
        in titles
    )
    assert all(a and len(a) >= 1390 for _, a, _ in entries)


def parse_seed(path: Path):
    diagnostics = Diagnostics()
    digest = parse_digest_file(path, "seed", diagnostics)
    assert digest is not None
    return [(e.title, e.abstract, e.where.line) for e in digest.entries], messages(diagnostics)


SEED_SHA256 = "111e78fa9658a74e471fdf3fe4d42ce874719b878bb0300ff56d54e5e57cb3a6"
"""The reference copy of the first digest, ``000_aa8b0d6165d5ff5f.txt``, as published."""


def test_shipped_seed_is_the_reference_copy() -> None:
    shipped = Path(__file__).resolve().parent.parent / "data" / "digests" / "2025-03-20.txt"
    assert hashlib.sha256(shipped.read_bytes()).hexdigest() == SEED_SHA256
