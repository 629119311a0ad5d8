"""Read curated YAML with line numbers, and write YAML through the safe dumper.

Curated files are edited by hand, so every mapping remembers the line of each key: schema
errors can then say ``data/papers.yaml:42: ...``.
"""

from __future__ import annotations

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


def load_yaml(path: Path, shown_as: str, diagnostics: Diagnostics) -> Any:
    """Parse a curated YAML file; None, with a ``path:line`` error, when it is not valid YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        diagnostics.error(Location(shown_as, 0), f"not valid UTF-8 at byte offset {exc.start}")
        return None
    except OSError as exc:
        diagnostics.error(Location(shown_as, 0), f"cannot read: {exc.strerror}")
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        diagnostics.error(Location(shown_as, line), f"not valid YAML: {message}")
        return None


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
    """Serialise plain data with the safe dumper: block style, Unicode kept, key order kept."""
    text: str = yaml.dump(
        data,
        Dumper=SafeDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return text
