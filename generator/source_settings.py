"""Where the network sources are, and how politely to ask them.

Read from ``data/settings.yaml`` (keys below, all optional), then overridden by environment
variables, so tests and mirrors can point the commands elsewhere without editing data:

- ``arxiv_api`` / ``READING_LIST_ARXIV_API``: the arXiv API (``https://export.arxiv.org/api/query``);
- ``dblp_api`` / ``READING_LIST_DBLP_API``: DBLP's publication search
  (``https://dblp.org/search/publ/api``);
- ``request_delay`` / ``READING_LIST_REQUEST_DELAY``: seconds between two requests to one source
  (3.0, as arXiv asks);
- ``request_timeout`` / ``READING_LIST_REQUEST_TIMEOUT``: seconds to connect and to read (10.0).

The build does not accept these keys in ``data/settings.yaml`` yet, so for now use the
environment variables.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

ARXIV_API = "https://export.arxiv.org/api/query"
DBLP_API = "https://dblp.org/search/publ/api"


class SettingsError(Exception):
    """A source setting with a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class SourceSettings:
    """How to reach the sources."""

    arxiv_api: str = ARXIV_API
    """The arXiv API's query endpoint."""
    dblp_api: str = DBLP_API
    """DBLP's publication search endpoint."""
    request_delay: float = 3.0
    """Seconds between two requests to the same source."""
    request_timeout: float = 10.0
    """Seconds to wait for a connection, and again for an answer."""


def load_source_settings(
    data_dir: Path, environ: Mapping[str, str] | None = None
) -> SourceSettings:
    """The source settings: defaults, then ``settings.yaml``, then the environment."""
    environ = os.environ if environ is None else environ
    values = _settings_file(data_dir / "settings.yaml")
    for key in ("arxiv_api", "dblp_api", "request_delay", "request_timeout"):
        variable = f"READING_LIST_{key.upper()}"
        if environ.get(variable):
            values[key] = environ[variable]
    defaults = SourceSettings()
    return SourceSettings(
        arxiv_api=_url(values.get("arxiv_api", defaults.arxiv_api), "arxiv_api"),
        dblp_api=_url(values.get("dblp_api", defaults.dblp_api), "dblp_api"),
        request_delay=_seconds(
            values.get("request_delay", defaults.request_delay), "request_delay"
        ),
        request_timeout=_seconds(
            values.get("request_timeout", defaults.request_timeout), "request_timeout"
        ),
    )


def _settings_file(path: Path) -> dict[str, object]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SettingsError(f"{path}: cannot read settings ({type(exc).__name__})") from None
    return dict(loaded) if isinstance(loaded, dict) else {}


def _url(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must be an http(s) URL; found {value!r}")
    return value


def _seconds(value: object, name: str) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a number of seconds; found {value!r}") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise SettingsError(f"{name} must be zero or more seconds; found {value!r}")
    return seconds
