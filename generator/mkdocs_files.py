"""A server's listing of ``docs/``: MkDocs' own, with the file objects of its last rebuild kept.

Every build of MkDocs 1.6 starts with ``get_files``: it walks ``docs/`` and makes a ``File``
for each file found, then matches each against the exclusion patterns. At 10,000 papers that
is 20,000 objects, each a few path computations and three pattern matches: 0.35 to 0.5 s of
every rebuild of ``mkdocs serve``, for an edit that changed forty files. A ``File`` is a
function of its path and of three settings only (its content is read when a page is built), so
``listing`` walks ``docs/`` as ``get_files`` does, and gives each path found again the object
it had, as it was made: no page yet, and the inclusion the patterns gave it. Only new paths
get new objects and pattern matches. What the walk finds, and its order, stay MkDocs'.

Used in ``mkdocs serve`` only (``install`` and ``uninstall``, from the hook), and only with
the MkDocs whose ``get_files`` this follows. ``mkdocs build`` lists with MkDocs' own.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import mkdocs
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import (
    File,
    Files,
    InclusionLevel,
    _file_sort_key,
    get_files,
    set_exclusions,
)

FOLLOWS = "1.6."
"""The MkDocs versions whose ``get_files`` ``listing`` follows."""

_known: dict[str, tuple[File, InclusionLevel]] = {}
"""Each path of the last listing, relative to ``docs/``: its file object, and its inclusion
as the patterns gave it."""
_SETTINGS = ("docs_dir", "site_dir", "use_directory_urls")
_PATTERNS = ("exclude_docs", "draft_docs", "not_in_nav")
_settings: tuple[Any, ...] = ()
"""The settings the known file objects were made with (``_SETTINGS``), and the patterns that
gave their inclusions (``_PATTERNS``; they compare by value, so a server's reloaded config
keeps the objects)."""


def install() -> bool:
    """List ``docs/`` with ``listing`` in this process's builds; False with another MkDocs."""
    if not mkdocs.__version__.startswith(FOLLOWS):
        return False
    mkdocs_build.get_files = listing  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    """Back to MkDocs' own ``get_files``, and forget the file objects."""
    global _theme
    mkdocs_build.get_files = get_files  # type: ignore[attr-defined]
    _known.clear()
    _theme = None


def listing(config: Any) -> Files:
    """``get_files(config)``, with the file objects of the last listing for paths found again."""
    global _settings
    settings = tuple(config[key] for key in _SETTINGS + _PATTERNS)
    if settings != _settings:
        _known.clear()
        _settings = settings
    found: list[File] = []
    new: dict[str, File] = {}
    conflicting: list[tuple[File, File]] = []
    seen: dict[str, tuple[File, InclusionLevel]] = {}
    docs_dir = config["docs_dir"]
    for source_dir, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        relative_dir = os.path.relpath(source_dir, docs_dir)
        dirnames.sort()
        filenames.sort(key=_file_sort_key)
        by_dest: dict[str, File] = {}
        for filename in filenames:
            path = os.path.join(relative_dir, filename)
            known = _known.get(path)
            if known is None:
                file = File(path, docs_dir, config["site_dir"], config["use_directory_urls"])
                new[path] = file
            else:
                file, inclusion = known
                file.inclusion, file.page = inclusion, None
                seen[path] = known
            # Skip README.md if an index file also exists in the folder (as MkDocs does).
            first = by_dest.setdefault(file.dest_uri, file)
            if first is not file:
                conflicting.append((first, file))
            found.append(file)
    set_exclusions(new.values(), config)
    for path, file in new.items():
        seen[path] = (file, file.inclusion)
    _known.clear()
    _known.update(seen)
    for a, b in conflicting:
        loser = a if b.inclusion.is_included() else b
        if loser is a and a.inclusion.is_included():
            logging.getLogger("mkdocs.structure.files").warning(
                f"Excluding '{a.src_uri}' from the site because it conflicts with '{b.src_uri}'."
            )
        if loser in found:
            found.remove(loser)
    return _Listed(found)


class _Listed(Files):
    """The files ``listing`` found; the theme's files are listed once while the theme's
    folders stay as they were."""

    def add_files_from_theme(self, env: Any, config: Any) -> None:
        """``Files.add_files_from_theme``: MkDocs matches every file of the theme (14,500 for
        Material, its icons included) against a dozen patterns at every build, 0.1 to 0.2 s
        of a rebuild. Here the theme files it finds are kept, with the folders' state."""
        global _theme
        key = (
            tuple(config.theme.dirs),
            tuple(config.theme.static_templates),
            _folders_stamp(config.theme.dirs),
        )
        if _theme is None or _theme[0] != key:
            theme = Files([])
            theme.add_files_from_theme(env, config)
            _theme = (key, [(file.src_path, str(file.src_dir)) for file in theme])
        for path, folder in _theme[1]:
            if self.get_file_from_path(path) is None:
                self.append(File(path, folder, config["site_dir"], config["use_directory_urls"]))


_theme: tuple[tuple[Any, ...], list[tuple[str, str]]] | None = None
"""The theme's files as MkDocs listed them last (path and theme folder), under what decides
them: the theme's folders, its static templates and each of its folders' modification time."""


def _folders_stamp(folders: list[str]) -> tuple[tuple[str, int], ...]:
    """Every folder under ``folders`` with its modification time, which a file added, removed
    or renamed in it changes."""
    stamp = []
    for top in folders:
        for folder, _, _ in os.walk(top, followlinks=True):
            stamp.append((folder, os.stat(folder).st_mtime_ns))
    return tuple(stamp)
