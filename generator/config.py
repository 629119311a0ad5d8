"""What the build needs from ``mkdocs.yml``: the site's URL and its URL style."""

from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import Diagnostics, Location
from .layout import Urls

DEFAULT_SITE_URL = "https://example.org/reading-list/"


def read_site_config(config_file: Path | None, diagnostics: Diagnostics) -> Urls:
    """``site_url`` and ``use_directory_urls`` from ``mkdocs.yml``, read with MkDocs' own YAML
    loader (it knows ``!ENV``); the defaults when there is no config."""
    if config_file is None or not config_file.is_file():
        return Urls(DEFAULT_SITE_URL, True)
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open(encoding="utf-8") as stream:
            config = yaml_load(stream) or {}
    except Exception as exc:  # MkDocs raises several kinds; any of them is a bad config
        diagnostics.error(Location(display_path(config_file), 0), f"cannot read the config: {exc}")
        return Urls(DEFAULT_SITE_URL, True)
    url = str(config.get("site_url") or DEFAULT_SITE_URL)
    url = url if url.endswith("/") else url + "/"
    return Urls(url, bool(config.get("use_directory_urls", True)))


def display_path(path: Path) -> str:
    """A path as the curator would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
