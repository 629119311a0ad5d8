"""Problems found in the data, reported as ``path:line: message``.

Data problems are collected, never raised one by one: a build gathers every error and warning,
then fails once. Bugs in the generator itself still raise at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """Where a record came from."""

    path: str
    """The file, as given on the command line or relative to the project."""
    line: int
    """1-based line number; 0 when the problem concerns the whole file."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem in the data."""

    level: Level
    """``error`` fails the build; ``warning`` fails it only with ``--strict``."""
    where: Location
    """The file and line the curator should look at."""
    message: str
    """What was expected and what was found."""

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


@dataclass
class Diagnostics:
    """Collects problems from every stage of a build."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, where: Location, message: str) -> None:
        """Record a problem that stops the build."""
        self.items.append(Diagnostic("error", where, message))

    def warn(self, where: Location, message: str) -> None:
        """Record a problem the curator should know about."""
        self.items.append(Diagnostic("warning", where, message))

    @property
    def errors(self) -> list[Diagnostic]:
        """The problems that stop the build."""
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The problems that stop only a strict build."""
        return [d for d in self.items if d.level == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Every problem, in file and line order, so output is stable."""
        return sorted(self.items, key=lambda d: (d.where, d.level, d.message))

    def report(self) -> list[Diagnostic]:
        """Every problem as a failed build shows it: the warnings, then the errors, each in
        file and line order. The errors come last, beside the verdict: a broken file often
        brings dozens of warnings with it (every paper of a curation that could not be read
        lacks its authors), and they must not bury it."""
        return sorted(self.items, key=lambda d: (d.level == "error", d.where, d.level, d.message))


SHORT = 60
"""How many characters of a title messages show."""


def shorten(text: str, width: int = SHORT) -> str:
    """Text cut at a word boundary to at most ``width`` characters, with an ellipsis when cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and not text[width - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "\u2026"


class DataError(Exception):
    """Raised once, at the end of a stage, when the data has errors."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(f"{len(diagnostics.errors)} error(s) in the data")
        self.diagnostics = diagnostics
