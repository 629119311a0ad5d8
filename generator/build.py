"""The build, as a table of contents: gather, check, render, check nothing was lost, write.

Reading happens first (digests, curated YAML, the registry, the manifest) and writing last:
the generated part of ``docs/`` and, when new papers were born, ``data/registry.yaml``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import display_path, read_site_config
from .diagnostics import DataError, Diagnostics, Location
from .fingerprint import input_fingerprint
from .layout import Urls
from .related_job import RelatedJob, Text
from .summary import Summary
from .write import Manifest, WritePlan, apply, plan, write_atomic

if TYPE_CHECKING:
    from .citing import Citing
    from .curation import Curation
    from .model import Catalog, Digest
    from .registry import Naming


@dataclass(frozen=True)
class Options:
    """What to build, and how strictly."""

    data_dir: Path = Path("data")
    """Digests and curated YAML."""
    docs_dir: Path = Path("docs")
    """The MkDocs docs folder, where generated pages go."""
    config_file: Path | None = Path("mkdocs.yml")
    """Where ``site_url`` and ``use_directory_urls`` are read; None to use the defaults."""
    strict: bool = False
    """Fail on warnings too."""
    frozen: bool = False
    """Fail when the registry would change (CI)."""
    site_url: str | None = None
    """Overrides ``site_url`` from the config (the MkDocs hook passes it)."""
    directory_urls: bool | None = None
    """Overrides ``use_directory_urls`` from the config (the MkDocs hook passes it)."""
    remember: bool = False
    """Render everything in memory even when nothing changed (``mkdocs serve`` at startup):
    what is written is the same, and the builds after the next edits find it all remembered
    instead of rendering 10,000 pages for the first edit."""


@dataclass(frozen=True)
class Gathered:
    """Everything read from ``data/``, merged into one catalog."""

    digests: tuple[Digest, ...]
    """Every digest, oldest first."""
    curation: Curation
    """The curated YAML, checked."""
    catalog: Catalog
    """The merged papers and topics."""
    naming: Naming
    """Every paper's slug and key, and the registry changes that gave new papers theirs."""
    citing: Citing
    """How citations name venues, and the proper nouns they protect."""


@dataclass(frozen=True)
class Prepared:
    """A build checked in memory, ready to write."""

    summary: Summary
    """What the build did, but for the file counts, which writing fills in."""
    files: dict[str, str]
    """Every generated file's text, by path under ``docs/``."""
    plan: WritePlan | None = None
    """What changes in ``docs/``; None when the last build's outputs are still exactly right."""
    registry: str | None = None
    """The registry's new text, when new papers were born."""


def build(options: Options) -> Summary:
    """Regenerate the generated part of ``docs/`` from ``data/``; raise DataError, having
    written nothing, on bad data."""
    with _collector_paused():
        return _build(options)


def inputs_changed(options: Options) -> bool:
    """Whether ``data/`` or the settings differ from what the last successful build read.

    A file watcher asks this before building: the registry a build writes into ``data/``
    wakes the watcher too, and is already what that build made."""
    urls = site_urls(options, Diagnostics())
    last = Manifest.read(options.docs_dir).fingerprint
    return not last or last != input_fingerprint(options.data_dir, _site(urls))


def _build(options: Options) -> Summary:
    diagnostics = Diagnostics()
    urls = site_urls(options, diagnostics)
    fail_on_errors(diagnostics)
    fingerprint = input_fingerprint(options.data_dir, _site(urls))
    previous = Manifest.read(options.docs_dir)
    if not options.remember and previous.replays(options.docs_dir, fingerprint):
        # A re-run with no change costs a fingerprint and a stat of each output, nothing more.
        prepared = replay(previous, diagnostics)
    else:
        prepared = prepare(options, urls, previous, diagnostics)
    if options.strict and diagnostics.warnings:
        shown = display_path(options.data_dir)
        diagnostics.error(Location(shown, 0), f"--strict: {len(diagnostics.warnings)} warning(s)")
    fail_on_errors(diagnostics)
    # Only now, with everything valid, touch the disk.
    return write(options, urls, prepared, fingerprint)


def prepare(options: Options, urls: Urls, previous: Manifest, diagnostics: Diagnostics) -> Prepared:
    """Gather, render and check everything in memory, and plan the writes."""
    # Related papers are computed beside everything else, from the start (see RelatedJob).
    related = RelatedJob.start()
    try:
        # First gather all data: every digest, the curation and the registry, merged into a
        # catalog. The related papers start as soon as the papers are named.
        gathered = gather(options.data_dir, diagnostics, named=related.submit)
        fail_on_errors(diagnostics)
        related.submit(gathered.catalog.papers)  # a check: the same papers, so nothing to do
        # Then render every page and bundle, and check that nothing was lost on the way.
        # (Imported here, as gather's modules: a build with nothing to do renders nothing.)
        from .checks import check_nothing_lost
        from .render import render_site

        settings = gathered.curation.settings
        rendered = render_site(
            gathered.catalog,
            urls,
            settings.bibtex_abstracts,
            gathered.citing,
            related,
            fork=not options.remember,
        )
    finally:
        related.close()
    check_nothing_lost(gathered.digests, gathered.catalog, rendered, diagnostics)
    if options.frozen:
        shown = display_path(options.data_dir)
        for change in gathered.naming.changes:
            diagnostics.error(
                Location(f"{shown}/registry.yaml", 0),
                f"--frozen: the registry would change ({change}); run a build without "
                "--frozen and commit the registry",
            )
    catalog = gathered.catalog
    summary = Summary(
        papers=len(catalog.papers),
        topics=len(catalog.topics),
        excluded=catalog.excluded,
        warnings=tuple(diagnostics.warnings),
        registry_changes=gathered.naming.changes,
        search_engine=settings.search_engine(len(catalog.papers)),
    )
    write_plan = plan(options.docs_dir, rendered.files, previous, diagnostics)
    registry = gathered.naming.dump() if gathered.naming.changes else None
    if registry is None and options.remember:
        # Remember each entry's text too: a server's first new paper then writes the registry
        # in 0.02 s, where dumping 10,000 entries took 0.3 s.
        gathered.naming.dump()
    return Prepared(summary, rendered.files, write_plan, registry)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector during a build.

    A build allocates millions of objects that all live until it ends, and makes almost no
    reference cycles; the collector's passes over them cost about a tenth of a cold run at
    10,000 papers. Memory is still freed as each object is dropped, and any cycle is
    collected once the collector resumes."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def replay(previous: Manifest, diagnostics: Diagnostics) -> Prepared:
    """The last build again: its outputs are untouched and its inputs unchanged."""
    assert previous.summary is not None
    diagnostics.items.extend(previous.summary.warnings)
    return Prepared(previous.summary.replayed(len(previous.files)), {})


def write(options: Options, urls: Urls, prepared: Prepared, fingerprint: str) -> Summary:
    """Write the registry and the changed files, and record them in the manifest."""
    if prepared.plan is None:
        return prepared.summary
    if prepared.registry is not None:
        write_atomic(options.data_dir / "registry.yaml", prepared.registry.encode("utf-8"))
        fingerprint = input_fingerprint(options.data_dir, _site(urls))
    summary = replace(
        prepared.summary,
        written=len(prepared.plan.write),
        unchanged=prepared.plan.unchanged,
        removed=len(prepared.plan.remove),
        changed=frozenset(prepared.plan.write).union(prepared.plan.remove),
    )
    apply(options.docs_dir, prepared.plan, prepared.files, fingerprint, summary)
    return summary


def gather(
    data: Path, diagnostics: Diagnostics, named: Callable[[Sequence[Text]], None] | None = None
) -> Gathered:
    """Every digest, the curation, what enrichment found and the registry, merged into one
    catalog (nothing written). ``named`` receives the papers' texts early (``build_catalog``)."""
    # Imported here: a build with nothing to do (every `mkdocs build` after the generator's
    # own run) reads only the manifest and the fingerprint, and spends no time on these.
    from .catalog import build_catalog
    from .citing import load_citing
    from .curation import load_curation
    from .digest import read_digests
    from .lockfile import read_enriched
    from .registry import load_registry

    shown = display_path(data)
    digests = read_digests(data / "digests", f"{shown}/digests", diagnostics)
    curation = load_curation(data, shown, diagnostics)
    enriched = read_enriched(data / "enriched.yaml", f"{shown}/enriched.yaml", diagnostics)
    registry = load_registry(data / "registry.yaml", f"{shown}/registry.yaml", diagnostics)
    # Errors so far don't stop the merge: its own checks (unknown papers, unknown topics) are
    # reported with them, so the curator sees every problem at once.
    citing = load_citing(data, shown, curation.venues, diagnostics)
    if not digests and diagnostics.errors:
        # No digest could be read (read_digests said why): checking the curated papers
        # against none would only add that every one of them is in no digest.
        curation = replace(curation, papers=())
    catalog, naming = build_catalog(digests, curation, enriched, registry, diagnostics, named)
    return Gathered(tuple(digests), curation, catalog, naming, citing)


def site_urls(options: Options, diagnostics: Diagnostics) -> Urls:
    """The site's URLs: ``mkdocs.yml``, overridden by what the MkDocs hook passes."""
    urls = read_site_config(options.config_file, diagnostics)
    return Urls(
        options.site_url or urls.site_url,
        urls.directory_urls if options.directory_urls is None else options.directory_urls,
    )


def _site(urls: Urls) -> str:
    """The URL settings, as the fingerprint includes them."""
    return f"{urls.site_url} directory_urls={urls.directory_urls}"


def disk_error(failure: OSError, docs_dir: Path) -> str:
    """What the system refused, for a person: the file, the reason, and what is left."""
    path = Path(failure.filename) if failure.filename else docs_dir
    if path.name.startswith(".") and path.name.endswith(".tmp"):  # write_atomic's: name the file
        path = path.with_name(path.name[1:-4])
    where = display_path(path)
    return (
        f"{where}: error: {failure.strerror or failure}\n"
        "build failed: the disk refused a read or write; fix that and build again (a build "
        "that stopped half-way is finished by the next one)"
    )


def fail_on_errors(diagnostics: Diagnostics) -> None:
    """Stop the build, writing nothing, when any error was found."""
    if diagnostics.errors:
        raise DataError(diagnostics)
