"""The schema of the curated YAML files, in one readable place.

Each curated file's records are frozen dataclasses whose fields are declared once, with
``spec(checker, default)``: a field without a default is required. A checker returns the cleaned
value or raises ``Invalid`` with what was expected; ``check_record`` turns that into
``path:line: entry: key: message`` errors and goes on, so the curator sees every problem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import yaml

from .diagnostics import Diagnostic, Diagnostics, Location
from .plain import CONTROL
from .yamlio import LineDict, parse_item, parse_text, read_text, split_items

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CITE_KEY = re.compile(r"^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$")
TOPIC_ID = SLUG
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$")
ARXIV_CLASS = re.compile(r"^[a-z-]+(?:\.[A-Za-z-]+)?$")
TERM = re.compile(r"^[\w][\w +.'/&-]*\*?$")
MAX_NAME = 80
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)


class Invalid(ValueError):
    """A value that does not fit its field."""


Checker = Callable[[Any], Any]


def text(value: Any) -> str:
    """A non-empty string, whitespace collapsed."""
    return " ".join(_printable(value).split())


def paragraphs(value: Any) -> str:
    """A non-empty string whose line breaks are kept."""
    return _printable(value).strip()


def _printable(value: Any) -> str:
    """A non-empty string without control characters (YAML's escapes, such as ``\\e``, can
    write them; no page, feed or citation may carry one)."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"expected non-empty text, found {_shown(value)}")
    found = CONTROL.search(value)
    if found is not None:
        raise Invalid(f"control character U+{ord(found.group()):04X} in {_shown(value)}")
    return value


def text_list(value: Any) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, list):
        raise Invalid(f"expected a list, found {_shown(value)}")
    return tuple(text(item) for item in value)


def year(value: Any) -> int:
    """A four-digit year."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise Invalid(f"expected a year such as 2025, found {_shown(value)}")
    return value


def arxiv_id(value: Any) -> str:
    """An arXiv identifier without version, such as ``2312.00752``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Unquoted, YAML reads 2502.09930 as the number 2502.0993: the id's last zeros are gone.
        raise Invalid(
            f"expected an arXiv id in quotes, such as '2312.00752', found the number {value!r} "
            "(unquoted, YAML drops an id's trailing zeros)"
        )
    value = text(value)
    value = re.sub(r"v\d+$", "", value.removeprefix("arXiv:"))
    if not ARXIV_ID.match(value):
        raise Invalid(f"expected an arXiv id such as '2312.00752' (quoted), found {value!r}")
    return value


DOI = re.compile(r"^10\.\d{4,9}/[^\s{}\\\"<>]+$")


def doi(value: Any) -> str:
    """A DOI such as ``10.1145/3600006.3613165``, without the ``https://doi.org/`` prefix."""
    value = text(value)
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", value, flags=re.IGNORECASE)
    if not DOI.match(value):
        raise Invalid(f"expected a DOI such as '10.1145/3600006.3613165', found {value!r}")
    return value


def arxiv_class(value: Any) -> str:
    """An arXiv category such as ``cs.LG``."""
    value = text(value)
    if not ARXIV_CLASS.match(value):
        raise Invalid(f"expected an arXiv category such as 'cs.LG', found {value!r}")
    return value


def url(value: Any) -> str:
    """An absolute http(s) URL."""
    value = text(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or set(value) & set(' {}\\"<>'):
        raise Invalid(f"expected an http(s) URL, found {value!r}")
    return value


def seconds(value: Any) -> float:
    """Zero or more seconds, such as ``3`` or ``0.5``."""
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)
    except (TypeError, ValueError):
        raise Invalid(f"expected a number of seconds, found {_shown(value)}") from None
    if not math.isfinite(number) or number < 0:
        raise Invalid(f"expected zero or more seconds, found {_shown(value)}")
    return number


def name_like(pattern: re.Pattern[str], what: str) -> Checker:
    """A checker for names that become file names and URLs: slugs, cite keys, topic ids."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not pattern.match(value) or len(value) > MAX_NAME:
            raise Invalid(
                f"expected a {what} of lowercase ASCII letters, digits and '-' "
                f"(at most {MAX_NAME} characters), found {_shown(value)}"
            )
        if value in WINDOWS_RESERVED:
            raise Invalid(f"{value!r} is a reserved file name on Windows")
        return value

    return check


slug = name_like(SLUG, "slug")
cite_key = name_like(CITE_KEY, "cite key")
topic_id = name_like(TOPIC_ID, "topic id")


def term_list(value: Any) -> tuple[str, ...]:
    """Match terms: words or phrases, optionally ending in ``*`` for a prefix."""
    terms = text_list(value)
    for term in terms:
        if not TERM.match(term):
            raise Invalid(
                f"bad match term {term!r}: use words or phrases of letters and digits, "
                "optionally ending in '*'"
            )
    return terms


def links(value: Any) -> tuple[tuple[str, str], ...]:
    """Extra links: a list of ``{url: ..., label: ...}``."""
    if not isinstance(value, list):
        raise Invalid(f"expected a list of {{url, label}} mappings, found {_shown(value)}")
    found = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"url", "label"} or "url" not in item:
            raise Invalid(f"expected {{url: ..., label: ...}}, found {_shown(item)}")
        found.append((url(item["url"]), text(item.get("label", "Link"))))
    return tuple(found)


def one_of(*choices: str) -> Checker:
    """One of a few fixed words."""

    def check(value: Any) -> str:
        if value not in choices:
            raise Invalid(f"expected one of {', '.join(choices)}, found {_shown(value)}")
        return str(value)

    return check


def boolean(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, found {_shown(value)}")
    return value


def spec(check: Checker, default: Any = MISSING) -> Any:
    """A record field read from YAML and checked by ``check``; required when it has no default."""
    return field(default=default, metadata={"check": check})


def nested(record: type[Any]) -> Any:
    """A record field holding a mapping that is itself a record (optional, empty by default)."""
    return field(default_factory=record, metadata={"record": record})


R = TypeVar("R")


@cache
def _declared(record: type[Any]) -> tuple[dict[str, Any], bool]:
    """A record's YAML fields by name, and whether it has a ``where``; read once per type."""
    found = fields(record)
    return {f.name: f for f in found if f.metadata}, any(f.name == "where" for f in found)


def check_record(
    entry: Any, record: type[R], shown_as: str, label: str, diagnostics: Diagnostics
) -> R | None:
    """One mapping as a record: log every unknown, bad or missing key, and return the record
    only when it is whole. A field named ``where`` receives the mapping's location."""
    if not isinstance(entry, LineDict):
        diagnostics.error(
            Location(shown_as, 0), f"{label}: expected a mapping, found {_shown(entry)}"
        )
        return None
    declared, located = _declared(record)  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    whole = True
    for key, value in entry.items():
        where = Location(shown_as, entry.key_lines.get(str(key), entry.line))
        spec_ = declared.get(str(key))
        if spec_ is None:
            known = ", ".join(sorted(declared))
            diagnostics.error(where, f"{label}: unknown key {key!r}; known keys: {known}")
            whole = False
        elif "record" in spec_.metadata:
            inner = check_record(
                value, spec_.metadata["record"], shown_as, f"{label}: {key}", diagnostics
            )
            whole = whole and inner is not None
            values[spec_.name] = inner
        else:
            try:
                values[spec_.name] = spec_.metadata["check"](value)
            except Invalid as exc:
                diagnostics.error(where, f"{label}: {key}: {exc}")
                whole = False
    missing = [
        name
        for name, f in declared.items()
        if name not in entry and f.default is MISSING and f.default_factory is MISSING
    ]
    if missing:
        diagnostics.error(Location(shown_as, entry.line), f"{label}: missing {', '.join(missing)}")
        return None
    if not whole:
        return None
    if located:
        values["where"] = Location(shown_as, entry.line)
    return record(**values)


def load_records(
    path: Path,
    shown_as: str,
    key: str,
    record: type[R],
    label: Callable[[Any, int], str],
    diagnostics: Diagnostics,
    *,
    by_item: bool = False,
) -> list[R]:
    """The records listed under a file's top-level ``key``; bad entries are logged and left out.

    ``label(entry, index)`` names an entry in messages. With ``by_item``, each item's outcome
    is remembered by its text (see ``_Item``), so that the next load of the file, after an
    edit, parses and checks only the items whose text changed: ``mkdocs serve`` reloads the
    whole 10,000-entry ``papers.yaml`` after every edit otherwise."""
    text = read_text(path, shown_as, diagnostics)
    if text is None:
        return []
    items = split_items(text, key) if by_item else None
    slot = (shown_as, key, record)
    # The first load parses the whole file (one parse is faster than one per item) and
    # remembers each item; later ones parse only new items.
    if items is not None and slot in _REMEMBERED:
        found = _by_item(items, slot, label, diagnostics)
        if found is not None:
            return found
    data = parse_text(text, shown_as, diagnostics)
    entries = top_list(data, key, shown_as, diagnostics)
    remembered: dict[str, _Item] = {}
    found = []
    whole = items is not None and len(items) == len(entries)
    for index, entry in enumerate(entries):
        start, item_text = items[index] if whole else (0, "")  # type: ignore[index]
        item = _check_item(entry, start, index, record, shown_as, label)
        diagnostics.items.extend(item.problems)
        if item.record is not None:
            found.append(item.record)
        if whole:
            remembered[item_text] = item
    if by_item:
        _REMEMBERED[slot] = remembered
    return found


@dataclass(frozen=True, slots=True)
class _Item:
    """One list item's parse and check, as of the line it starts on."""

    start: int
    """The 0-based line the item starts on, which the lines of its record and problems
    assume."""
    record: Any
    """The checked record, or None when the item had errors."""
    problems: tuple[Diagnostic, ...]
    entry: Any
    """The parsed item, for a check under another label."""
    entry_start: int
    """The line the entry's own line numbers assume."""
    label: str

    def moved(self, start: int, shown_as: str) -> _Item:
        """The same text starting on another line."""
        shift = start - self.start
        if not shift:
            return self
        problems = tuple(
            replace(p, where=Location(shown_as, p.where.line + shift) if p.where.line else p.where)
            for p in self.problems
        )
        record = self.record
        if record is not None and hasattr(record, "where"):
            record = replace(record, where=Location(shown_as, record.where.line + shift))
        return replace(self, start=start, record=record, problems=problems)


_REMEMBERED: dict[tuple[str, str, type], dict[str, _Item]] = {}
"""Each by-item file's items, by text, as of its last load."""


def _by_item(
    items: list[tuple[int, str]],
    slot: tuple[str, str, type[R]],
    label: Callable[[Any, int], str],
    diagnostics: Diagnostics,
) -> list[R] | None:
    """The records of a split file, each item parsed and checked again only when its text is
    new; None when an item does not parse alone into one entry (the caller parses the whole
    file, and reports its errors)."""
    shown_as, _, record = slot
    before = _REMEMBERED.get(slot, {})
    now: dict[str, _Item] = {}
    found: list[R] = []
    problems: list[Diagnostic] = []
    for index, (start, text) in enumerate(items):
        item = now.get(text) or before.get(text)
        if item is None:
            try:
                parsed = parse_item(text)
            except yaml.YAMLError:
                return None
            if not isinstance(parsed, list) or len(parsed) != 1:
                return None
            # Parsed alone, the item's lines count from its first: as if it started on line 0.
            item = _check_item(parsed[0], 0, index, record, shown_as, label)
        elif item.label != label(item.entry, index):
            item = _check_item(item.entry, item.entry_start, index, record, shown_as, label)
        item = item.moved(start, shown_as)
        now[text] = item
        problems += item.problems
        if item.record is not None:
            found.append(item.record)
    diagnostics.items.extend(problems)
    _REMEMBERED[slot] = now
    return found


def _check_item(
    entry: Any,
    start: int,
    index: int,
    record: type[R],
    shown_as: str,
    label: Callable[[Any, int], str],
) -> _Item:
    """One entry checked as the ``index``-th item, its line numbers as of line ``start``."""
    problems = Diagnostics()
    name = label(entry, index)
    checked = check_record(entry, record, shown_as, name, problems)
    return _Item(start, checked, tuple(problems.items), entry, start, name)


def top_list(data: Any, key: str, shown_as: str, diagnostics: Diagnostics) -> list[Any]:
    """The list under a file's top-level key; empty (with an error) when the shape is wrong."""
    if data is None:
        return []
    if not isinstance(data, LineDict) or set(data) - {key}:
        diagnostics.error(
            Location(shown_as, getattr(data, "line", 1)),
            f"expected a mapping with a single key {key!r} holding a list",
        )
        return []
    items = data.get(key)
    if items is None:  # the key alone, as in a new file
        return []
    if not isinstance(items, list):
        diagnostics.error(Location(shown_as, data.key_lines[key]), f"{key!r} must hold a list")
        return []
    return items


_KINDS = {str: "text", int: "number", float: "number", bool: "true/false", list: "list"}


def _shown(value: Any) -> str:
    """A value as a curator would describe it: its kind in words, and the start of it."""
    if value is None:
        return "nothing"
    kind = "mapping" if isinstance(value, dict) else _KINDS.get(type(value), type(value).__name__)
    value = dict(value) if isinstance(value, dict) else value
    shown = repr(value)
    return f"{kind} {shown[:60]}{'...' if len(shown) > 60 else ''}"
