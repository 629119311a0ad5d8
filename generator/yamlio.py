"""Read curated YAML with line numbers; write YAML with the safe dumper, front matter directly.

Curated files are edited by hand, so every mapping remembers the line of each key: schema
errors can then say ``data/papers.yaml:42: ...``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics, Location

try:  # The C loader and dumper are several times faster on large curated files.
    _BaseLoader: Any = yaml.CSafeLoader
    SafeDumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader
    SafeDumper = yaml.SafeDumper


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    pass


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain strings", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@lru_cache(maxsize=8)
def parse_yaml(text: str) -> Any:
    """The text's data, with line numbers; the last few texts' data is remembered (``mkdocs
    serve`` parses a 10,000-paper registry again after every edit otherwise), so callers read
    the result and never change it."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass


def parse_item(text: str) -> Any:
    """The data of one item of a split file (``split_items``): parsed every time, as each
    item's outcome is remembered by its caller, and the few whole texts above stay."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass


def load_yaml(path: Path, shown_as: str, diagnostics: Diagnostics) -> Any:
    """Parse a curated YAML file; None, with a ``path:line`` error, when it is not valid YAML."""
    text = read_text(path, shown_as, diagnostics)
    return None if text is None else parse_text(text, shown_as, diagnostics)


def read_text(path: Path, shown_as: str, diagnostics: Diagnostics) -> str | None:
    """A curated file's text; None when it is absent, or, with an error, unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        diagnostics.error(Location(shown_as, 0), f"not valid UTF-8 at byte offset {exc.start}")
        return None
    except OSError as exc:
        diagnostics.error(Location(shown_as, 0), f"cannot read: {exc.strerror}")
        return None


def parse_text(text: str, shown_as: str, diagnostics: Diagnostics) -> Any:
    """A curated file's data; None, with a ``path:line`` error, when it is not valid YAML."""
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        diagnostics.error(Location(shown_as, line), f"not valid YAML: {message}")
        return None


_BEFORE_ANCHOR = frozenset(" \n[{,:-")
_NOT_IN_ANCHOR = frozenset(" \n,[]{}")


def _anchor_or_alias(text: str) -> bool:
    """Whether the text may hold an anchor (``&a``) or an alias (``*a``): a ``&`` or ``*`` at
    the start of a token, followed by a name. (A regex scan of a 2 MB registry took 40 ms;
    these characters are rare.)"""
    for mark in "&*":
        at = text.find(mark)
        while at >= 0:
            before = text[at - 1] if at else "\n"
            after = text[at + 1 : at + 2]
            if before in _BEFORE_ANCHOR and after and after not in _NOT_IN_ANCHOR:
                return True
            at = text.find(mark, at + 1)
    return False


_FIRST_ITEM = re.compile(r"^( *)-(?: |$)", re.MULTILINE)


def split_items(text: str, key: str) -> list[tuple[int, str]] | None:
    """The items of a file that is one top-level ``key:`` holding a block list, each as (the
    0-based line it starts on, its text); None for any other shape, which is parsed whole.

    Each item then parses on its own to what it is inside the whole file: an item ends where
    the next begins, at the list's indentation, and any line less indented, any document
    marker or directive, any tab, and any anchor or alias (which may point across items)
    refuses the split. An item cut wrongly anyway fails to parse alone, and the caller then
    parses the whole file."""
    if "\t" in text or _anchor_or_alias(text):
        return None
    header = re.match(rf"(?:[ ]*(?:#[^\n]*)?\n)*{re.escape(key)}:[ ]*\n", text)
    if header is None:
        return None
    first = _FIRST_ITEM.search(text, header.end())
    if first is None or _stray(text[header.end() : first.start()]):
        return None
    indent = first.group(1)
    # Every later line is blank, a comment, deeper than the items, or an item; each pattern
    # starts with a newline, which the regex engine finds fast.
    below = text[first.start() :]
    if re.search(rf"\n(?![ ]*(?:\n|#|$)|{indent}[ ]|{indent}-(?: |\n|$))", below):
        return None
    starts = [0, *(m.start() + 1 for m in re.finditer(rf"\n{indent}-(?: |\n|$)", below))]
    line = text.count("\n", 0, first.start())
    items = []
    for here, after in zip(starts, [*starts[1:], len(below)], strict=True):
        items.append((line, below[here:after]))
        line += below.count("\n", here, after)
    return items


def _stray(between: str) -> bool:
    """Whether text between the key and the first item holds anything but blanks and
    comments."""
    return any(s.strip() and not s.strip().startswith("#") for s in between.splitlines())


def yaml_problem(exc: yaml.YAMLError) -> tuple[int, str]:
    """Where a YAML mistake is, and what it is, with columns.

    PyYAML notices a mistake where parsing fails (``problem_mark``), often a line after the
    construct that was left open (``context_mark``): the message names the opening place, and
    both positions."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    problem_mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    same_place = (
        context_mark is not None
        and problem_mark is not None
        and (context_mark.line, context_mark.column) == (problem_mark.line, problem_mark.column)
    )
    if same_place:
        context = None  # one place: saying it twice helps nobody
    message = problem
    if problem_mark is not None:
        message += f" at line {problem_mark.line + 1}, column {problem_mark.column + 1}"
    if context and context_mark is not None:
        opened = f"line {context_mark.line + 1}, column {context_mark.column + 1}"
        message += f", {context} that starts at {opened}"
    mark = context_mark if context and context_mark is not None else problem_mark
    return (mark.line + 1 if mark is not None else 0), message


def dump_yaml(data: Any) -> str:
    """Serialise plain data (mappings, lists, strings, numbers, booleans, None) with the safe
    dumper's style: block style, Unicode kept, key order kept.

    The events go straight to the (C) emitter: PyYAML's representer, Python code run for
    every node, took most of a second on a 10,000-paper registry. Each scalar is tagged
    implicitly exactly when the representer would (tests/test_yamlio.py compares the two).
    """
    events: list[yaml.Event] = [yaml.StreamStartEvent(), yaml.DocumentStartEvent()]
    _events(data, events)
    events += [yaml.DocumentEndEvent(), yaml.StreamEndEvent()]
    text: str = yaml.emit(events, Dumper=SafeDumper, allow_unicode=True, width=100)
    return text


_RESOLVER = yaml.resolver.Resolver()
_REPRESENTER = yaml.representer.SafeRepresenter()


def _events(data: Any, out: list[yaml.Event]) -> None:
    kind = type(data)
    if kind is str:  # most nodes: exact types before abstract ones
        out.append(yaml.ScalarEvent(None, _STR, _implicit(data, _STR), data))
    elif kind is dict or (kind is not list and isinstance(data, Mapping)):
        out.append(yaml.MappingStartEvent(None, None, True, flow_style=False))
        for key, value in data.items():
            _events(key, out)
            _events(value, out)
        out.append(yaml.MappingEndEvent())
    elif isinstance(data, (list, tuple)):
        out.append(yaml.SequenceStartEvent(None, None, True, flow_style=False))
        for item in data:
            _events(item, out)
        out.append(yaml.SequenceEndEvent())
    else:  # numbers, booleans, None: as the representer writes them
        node = _REPRESENTER.represent_data(data)
        if not isinstance(node, yaml.ScalarNode):
            raise TypeError(f"cannot write {kind.__name__} values as YAML")
        implicit = _implicit(node.value, node.tag)
        out.append(yaml.ScalarEvent(None, node.tag, implicit, node.value, style=node.style))


@lru_cache(maxsize=1024)  # keys repeat in every record
def _implicit(value: str, tag: str) -> tuple[bool, bool]:
    """Whether the scalar reads back as its tag when plain, and when quoted (the serializer's
    test). Most strings start with a character no implicit type starts with: no regex then."""
    if tag == _STR and value and value[0] not in _RESOLVER.yaml_implicit_resolvers:
        return True, True
    plain = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == tag
    return plain, _RESOLVER.resolve(yaml.ScalarNode, value, (False, True)) == tag


_STR = "tag:yaml.org,2002:str"


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_YAML11_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
"""Words YAML 1.1 reads as booleans or null: as keys, they are quoted."""
_NOT_JSON_SAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""What JSON leaves bare but YAML reads as a line break (U+0085, U+2028, U+2029) or forbids."""


def dump_front_matter(data: Mapping[str, Any]) -> str:
    """Plain data as YAML, written directly: block mappings, lists of mappings as block lists,
    lists of scalars in flow style, every string double-quoted with JSON's escapes (and ``\\u``
    escapes for what YAML would read as a line break or forbids). PyYAML's representer, Python
    code run for every node, was the generator's slowest step at 10,000 pages; this writes the
    same data (``yaml.safe_load`` reads back exactly what was given: tests/test_yamlio.py)."""
    out: list[str] = []
    _mapping(data, "", out)
    return "".join(out)


def _mapping(data: Mapping[str, Any], indent: str, out: list[str]) -> None:
    for key, value in data.items():
        out.append(f"{indent}{_key(key)}:")
        # Exact types first: an isinstance test against an abstract class costs more than
        # writing a string, and a page has a hundred values.
        kind = type(value)
        if kind is str:
            out.append(f" {_string(value)}\n")
        elif kind is dict or kind is list or kind is tuple or isinstance(value, Mapping):
            _value(value, indent, out)
        else:
            out.append(f" {_scalar(value)}\n")


@lru_cache(maxsize=512)
def _key(key: str) -> str:
    """A key as written: bare when YAML reads it back as the same string, else quoted."""
    if not isinstance(key, str):
        raise TypeError(f"front matter keys are strings, not {type(key).__name__}")
    plain = _KEY.fullmatch(key) and key.lower() not in _YAML11_WORDS
    return key if plain else _scalar(key)


def _value(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, Mapping):
        if value:
            out.append("\n")
            _mapping(value, indent + "  ", out)
        else:
            out.append(" {}\n")
    elif isinstance(value, (list, tuple)):
        if value and all(isinstance(item, Mapping) and item for item in value):
            out.append("\n")
            for item in value:
                lines: list[str] = []
                _mapping(item, indent + "  ", lines)
                lines[0] = indent + "- " + lines[0][len(indent) + 2 :]
                out += lines
        else:
            out.append(f" [{', '.join(_scalar(item) for item in value)}]\n")
    else:
        out.append(f" {_scalar(value)}\n")


def _string(value: str) -> str:
    if len(value) > _LONG:
        return _long_string(value)
    return _quoted(value)


_LONG = 4096
"""Strings longer than this (a listing's HTML) are remembered once written: ``mkdocs serve``
writes every listing page again after an edit, most of them unchanged."""


@lru_cache(maxsize=1024)
def _long_string(value: str) -> str:
    return _quoted(value)


def _quoted(value: str) -> str:
    quoted: str = encode_basestring(value)
    if _NOT_JSON_SAFE.search(quoted):
        return _NOT_JSON_SAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
    return quoted


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int)):
        return json.dumps(value)
    raise TypeError(f"front matter cannot hold {type(value).__name__} values")
