"""Where the network sources are, and how politely to ask them.

The ``arxiv_api``, ``dblp_api``, ``request_delay`` and ``request_timeout`` keys of
``data/settings.yaml`` (declared with the other settings in ``curation.Settings``), each
overridden by an environment variable, so tests and mirrors can point the commands elsewhere
without editing data: ``READING_LIST_ARXIV_API``, ``READING_LIST_DBLP_API``,
``READING_LIST_REQUEST_DELAY`` and ``READING_LIST_REQUEST_TIMEOUT``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .config import display_path
from .curation import load_settings
from .diagnostics import Diagnostics


class SettingsError(Exception):
    """A source setting with a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class SourceSettings:
    """How to reach the sources."""

    arxiv_api: str
    """The arXiv API's query endpoint."""
    dblp_api: str
    """DBLP's publication search endpoint."""
    request_delay: float
    """Seconds between two requests to the same source."""
    request_timeout: float
    """Seconds to wait for a connection, and again for an answer."""


OVERRIDES = {
    "arxiv_api": schema.url,
    "dblp_api": schema.url,
    "request_delay": schema.seconds,
    "request_timeout": schema.seconds,
}
"""The settings an environment variable ``READING_LIST_<NAME>`` may override."""


def load_source_settings(
    data_dir: Path, environ: Mapping[str, str] | None = None
) -> SourceSettings:
    """The source settings: ``settings.yaml`` (or the defaults), then the environment."""
    environ = os.environ if environ is None else environ
    diagnostics = Diagnostics()
    path = data_dir / "settings.yaml"
    settings = load_settings(path, display_path(path), diagnostics)
    if diagnostics.errors:
        raise SettingsError("; ".join(str(d) for d in diagnostics.errors))
    values = {name: getattr(settings, name) for name in OVERRIDES}
    for name, check in OVERRIDES.items():
        variable = f"READING_LIST_{name.upper()}"
        if environ.get(variable):
            try:
                values[name] = check(environ[variable])
            except schema.Invalid as problem:
                raise SettingsError(f"{variable}: {problem}") from None
    return SourceSettings(**values)
