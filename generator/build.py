"""The build, as a table of contents: gather everything, check it, then write what changed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import build_catalog
from .checks import check_nothing_lost
from .curation import Curation, load_curation, search_engine
from .diagnostics import DataError, Diagnostic, Diagnostics, Location
from .digest import parse_digest_file
from .fingerprint import input_fingerprint
from .model import Catalog, Digest, Excluded
from .registry import Registry, load_registry
from .render import render_site
from .write import (
    Manifest,
    apply,
    outputs_untouched,
    plan,
    read_manifest,
    write_atomic,
    write_manifest,
)

DEFAULT_SITE_URL = "https://example.org/reading-list/"


@dataclass(frozen=True)
class Options:
    """What to build, and how strictly."""

    data_dir: Path = Path("data")
    """Digests and curated YAML."""
    docs_dir: Path = Path("docs")
    """The MkDocs docs folder, where generated pages go."""
    config_file: Path | None = Path("mkdocs.yml")
    """Where ``site_url`` is read; None to skip."""
    strict: bool = False
    """Fail on warnings too."""
    frozen: bool = False
    """Fail when the registry would change (CI)."""
    site_url: str | None = None
    """Overrides ``site_url`` from the config (the MkDocs hook passes it)."""
    directory_urls: bool | None = None
    """Overrides ``use_directory_urls`` from the config (the MkDocs hook passes it)."""


@dataclass
class Summary:
    """What a build did."""

    papers: int = 0
    topics: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    excluded: list[Excluded] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    registry_changes: list[str] = field(default_factory=list)
    search_engine: str = "material"
    """``material`` or ``pagefind``: which search the site uses (``settings.yaml``)."""

    def lines(self) -> list[str]:
        """The summary printed after a build."""
        out = [
            f"papers: {self.papers}, topics: {self.topics}, excluded: {len(self.excluded)}",
            f"files: {self.written} written, {self.unchanged} unchanged, {self.removed} removed",
            f"registry: {len(self.registry_changes)} new or changed entries",
            f"warnings: {len(self.warnings)}",
            f"search: {self.search_engine}",
        ]
        out += [f"excluded: {e.title[:70]!r} ({e.reason}) at {e.where}" for e in self.excluded]
        return out


def build(options: Options) -> Summary:
    """Regenerate the generated part of ``docs/`` from ``data/``; raise DataError on bad data."""
    diagnostics = Diagnostics()
    shown = display_path(options.data_dir)
    site_url, directory_urls = read_site_config(options.config_file, diagnostics)
    site_url = options.site_url or site_url
    if options.directory_urls is not None:
        directory_urls = options.directory_urls
    fail_on_errors(diagnostics)
    # A re-run with no change costs a fingerprint and a stat of each output, nothing more.
    site = f"{site_url} directory_urls={directory_urls}"
    fingerprint = input_fingerprint(options.data_dir, site)
    previous = read_manifest(options.docs_dir)
    if previous.fingerprint == fingerprint and outputs_untouched(options.docs_dir, previous):
        return replay(previous, options, shown)
    # First gather all data: every digest, the curation and the registry, merged into a catalog.
    digests, curation, registry, catalog = gather(options.data_dir, diagnostics)
    fail_on_errors(diagnostics)
    # Then render every page and bundle in memory, and check that nothing was lost.
    files, _ = render_site(catalog, site_url, curation.settings.bibtex_abstracts, directory_urls)
    check_nothing_lost(digests, catalog, files, diagnostics)
    if options.frozen:
        for change in registry.changes:
            diagnostics.error(
                Location(f"{shown}/registry.yaml", 0),
                f"--frozen: the registry would change ({change}); run a build without "
                "--frozen and commit the registry",
            )
    if options.strict and diagnostics.warnings:
        diagnostics.error(Location(shown, 0), f"--strict: {len(diagnostics.warnings)} warning(s)")
    write_plan = plan(options.docs_dir, files, set(previous.files), diagnostics)
    fail_on_errors(diagnostics)
    # Only now, with everything valid, touch the disk.
    apply(options.docs_dir, write_plan, files)
    if registry.changes:
        write_atomic(options.data_dir / "registry.yaml", registry.dump().encode("utf-8"))
        fingerprint = input_fingerprint(options.data_dir, site)
    summary = Summary(
        papers=len(catalog.papers),
        topics=len(catalog.topics),
        written=len(write_plan.write),
        unchanged=write_plan.unchanged,
        removed=len(write_plan.remove),
        excluded=list(catalog.excluded),
        warnings=diagnostics.warnings,
        registry_changes=list(registry.changes),
        search_engine=search_engine(curation.settings.search, len(catalog.papers)),
    )
    write_manifest(options.docs_dir, files, record(summary, fingerprint))
    return summary


def record(summary: Summary, fingerprint: str) -> Manifest:
    """What the manifest keeps of a build, to replay it when nothing changes."""
    return Manifest(
        files={},
        fingerprint=fingerprint,
        warnings=tuple((w.where.path, w.where.line, w.message) for w in summary.warnings),
        summary={
            "papers": summary.papers,
            "topics": summary.topics,
            "pagefind": int(summary.search_engine == "pagefind"),
        },
        excluded=tuple((e.title, e.reason, e.where.path, e.where.line) for e in summary.excluded),
    )


def replay(previous: Manifest, options: Options, shown: str) -> Summary:
    """The summary of a build whose inputs and outputs did not change since the last one."""
    diagnostics = Diagnostics()
    for path, line, message in previous.warnings:
        diagnostics.warn(Location(path, line), message)
    if options.strict and diagnostics.warnings:
        diagnostics.error(Location(shown, 0), f"--strict: {len(diagnostics.warnings)} warning(s)")
    fail_on_errors(diagnostics)
    return Summary(
        papers=previous.summary.get("papers", 0),
        topics=previous.summary.get("topics", 0),
        unchanged=len(previous.files),
        excluded=[Excluded(t, r, Location(p, n)) for t, r, p, n in previous.excluded],
        warnings=diagnostics.warnings,
        search_engine="pagefind" if previous.summary.get("pagefind") else "material",
    )


def gather(
    data: Path, diagnostics: Diagnostics
) -> tuple[list[Digest], Curation, Registry, Catalog]:
    """Every digest, the curation and the registry, merged into one catalog (nothing written)."""
    shown = display_path(data)
    digests = read_digests(data / "digests", f"{shown}/digests", diagnostics)
    curation = load_curation(data, shown, diagnostics)
    registry = load_registry(data / "registry.yaml", f"{shown}/registry.yaml", diagnostics)
    # Errors so far don't stop the merge: its own checks (unknown papers, unknown topics) are
    # reported with them, so the curator sees every problem at once.
    catalog = build_catalog(digests, curation, registry, diagnostics)
    return digests, curation, registry, catalog


def read_digests(folder: Path, shown: str, diagnostics: Diagnostics) -> list[Digest]:
    """Every ``*.txt`` digest, oldest first (file names start with the date)."""
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


def read_site_config(config_file: Path | None, diagnostics: Diagnostics) -> tuple[str, bool]:
    """``site_url`` and ``use_directory_urls`` from ``mkdocs.yml``, read with MkDocs' own YAML
    loader (it knows ``!ENV``)."""
    if config_file is None or not config_file.is_file():
        return DEFAULT_SITE_URL, True
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open(encoding="utf-8") as stream:
            config = yaml_load(stream) or {}
    except Exception as exc:  # MkDocs raises several kinds; any of them is a bad config
        diagnostics.error(Location(display_path(config_file), 0), f"cannot read the config: {exc}")
        return DEFAULT_SITE_URL, True
    url = str(config.get("site_url") or DEFAULT_SITE_URL)
    return (url if url.endswith("/") else url + "/"), bool(config.get("use_directory_urls", True))


def fail_on_errors(diagnostics: Diagnostics) -> None:
    """Stop the build, writing nothing, when any error was found."""
    if diagnostics.errors:
        raise DataError(diagnostics)


def display_path(path: Path) -> str:
    """A path as the curator would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
