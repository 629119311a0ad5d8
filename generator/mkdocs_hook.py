"""Thin MkDocs hook: run the generator before each build, and keep ``mkdocs serve`` quick and alive.

In ``mkdocs build``, and in each build of ``mkdocs serve`` that renders enough paper pages, a
forked child renders part of them on a second core while MkDocs renders the rest
(``generator/mkdocs_fork.py``); the site is the same, byte for byte.

In ``mkdocs serve``, a data error is logged as ``path:line: message`` and the server keeps
serving the last good pages. In ``mkdocs build``, it aborts the build. When the list uses
Pagefind (``search`` in ``data/settings.yaml``), Material's search is switched off and Pagefind
indexes the paper pages after the build.

Live reload. In ``serve``, the hook watches ``data/`` and ``docs/`` itself. A saved data file
runs the generator at once, and when it wrote something the hook asks MkDocs for one rebuild;
an edit that changes no page rebuilds nothing. MkDocs' own watcher of ``docs/`` is switched
off: it polls, and at 10,000 papers a poll takes longer than its interval, so it used to report
the generator's writes in batches, each a rebuild (and before that, MkDocs also watched
``data/``: every edit cost two rebuilds). The hook's watcher of ``docs/`` (inotify, where the
system has it) ignores the generated folders and rebuilds for hand-written pages.

With ``mkdocs serve --dirty``, MkDocs rebuilds only pages whose source is newer than their
output, which for generated pages means exactly the files the generator rewrote. The hook
makes that safe for this site: it rebuilds the hand-written pages every time (they include
generated fragments), everything when ``mkdocs.yml`` or the theme overrides change, removes
the output of pages that are gone, and keeps the search index whole (Material's own dirty
merge assumes one page per rebuild). It also leaves the generated files the generator did not
change out of the rebuild altogether, since it knows which it wrote: MkDocs would otherwise
make a page object and check two modification times for each of 20,000 files at 10,000
papers, for an edit that changed two. And each rebuild lists ``docs/`` as MkDocs does, but
with the file objects of the last one (``generator/mkdocs_files.py``).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

from generator import layout, mkdocs_files, mkdocs_markdown, related_job
from generator.build import Options, build, disk_error, inputs_changed
from generator.diagnostics import DataError
from generator.layout import Urls
from generator.mkdocs_fork import Split
from generator.summary import Summary

log = logging.getLogger("mkdocs.hooks.generator")
QUIET_SECONDS = 0.05
"""How long ``data/`` must be still before the generator runs (editors save in a few events)."""


@dataclass
class _Session:
    """What the hook remembers from one build to the next (MkDocs keeps hook modules loaded)."""

    command: str = "build"
    dirty: bool = False
    """``mkdocs serve --dirty``."""
    may_split: bool = False
    """A full ``mkdocs build`` (or ``gh-deploy``), or any build of ``serve``: a forked child
    may render paper pages."""
    engine: str = "material"
    options: Options | None = None
    """The generator's options of the last build, reused when ``data/`` changes."""
    lock: threading.RLock = field(default_factory=threading.RLock)
    """Held by a build and by the generator, so the generator never writes mid-build."""
    holds_lock: bool = False
    served: bool = False
    """The server has built the site once: every later build is a rebuild."""
    collector_paused: bool = False
    """This rebuild paused Python's cycle collector, and resumes it when it ends."""
    watchers: list[Any] = field(default_factory=list)
    rebuild: Callable[[], None] | None = None
    """Asks MkDocs for a rebuild (serve, when the hook watches ``docs/`` itself)."""
    generated: bool = False
    """The watcher ran the generator since the last build: the build need not run it again."""
    pagefind: subprocess.Popen[bytes] | None = None
    """Pagefind's background run (serve)."""
    pagefind_command: list[str] = field(default_factory=list)
    """How the last build started it."""
    pagefind_owed: bool = False
    """No run of that command has finished since it was started."""
    outputs: set[str] = field(default_factory=set)
    """Files the last build wrote into the site folder (dirty serve)."""
    config_stamp: tuple[tuple[str, int], ...] = ()
    """``mkdocs.yml`` and the theme overrides, as of the last build (dirty serve)."""
    built: set[str] = field(default_factory=set)
    """Pages rendered by the current build (dirty serve)."""
    page_order: list[str] = field(default_factory=list)
    search_entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each page's search-index entries, kept across dirty rebuilds."""
    warned: frozenset[str] = frozenset()
    """The data warnings of the last build, which were logged then."""
    changed: set[str] | None = None
    """The generated files the generator wrote or removed since the last build began, relative
    to ``docs/``; None when unknown (the first build, or after a failed one): then nothing is
    left out (dirty serve)."""
    skipped: set[str] = field(default_factory=set)
    """Generated files the current build leaves out, as unchanged (dirty serve)."""
    data_ok: bool = False
    """The last generator run succeeded: ``data/`` as it read it gave a site."""
    split: Split | None = None
    """The paper pages a forked child renders for this ``mkdocs build``."""


_session = _Session()


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is ``serve`` (errors must not stop the server) and ``--dirty``."""
    _session.command = command
    _session.dirty = dirty and command == "serve"
    _session.may_split = (command in ("build", "gh-deploy") and not dirty) or command == "serve"
    if command == "serve":
        # A server outlives many builds: its related papers are computed by workers that
        # import NumPy and SciPy once, and compute beside the rest of each rebuild, on every
        # core (see generator/related_job.py).
        related_job.keep_workers()
        # And each rebuild lists docs/ with the file objects of the last (mkdocs_files.py).
        mkdocs_files.install()
    if _session.dirty:
        # The hook keeps the nav, listings and search index right, so MkDocs' blanket warning
        # about dirty builds does not apply here.
        logging.getLogger("mkdocs.commands.build").addFilter(_hide_dirty_warning)
        logging.getLogger("mkdocs.structure.pages").addFilter(_hide_skipped_links)


def on_pre_build(config: Any) -> None:
    """Regenerate docs/ from data/ next to mkdocs.yml, and choose the search engine."""
    _session.lock.acquire()
    _session.holds_lock = True
    _stop_pagefind()
    if _session.served and gc.isenabled():
        # A server holds every page the generator remembers, so each collector pass over
        # its objects is long: at 10,000 papers they cost 0.2 to 1.1 s of a rebuild. The
        # rebuild's cycles are collected once it ends. (Not in the first build: it would
        # leave all its objects to the first pass after it, which is then the first edit's.)
        gc.disable()
        _session.collector_paused = True
    if _session.generated:
        # The data watcher has just run the generator and asked for this build.
        _session.generated = False
        _choose_search(config)
        return
    root = Path(config.config_file_path).parent
    starting = _session.options is None
    _session.options = Options(
        data_dir=root / "data",
        docs_dir=Path(config.docs_dir),
        config_file=None,
        site_url=config.site_url or None,
        directory_urls=config.use_directory_urls,
    )
    # A server's first build renders everything in memory, even with nothing to write, so the
    # first edit finds every page, row and entry remembered (see generator/remember.py).
    warm = starting and _session.command == "serve"
    if regenerate(replace(_session.options, remember=warm)) is None:
        if _session.command != "serve":
            raise Abort("the reading list could not be generated; see the errors above")
        log.error("data errors: still serving the last good pages")
    _choose_search(config)


def _choose_search(config: Any) -> None:
    """Material's search, or Pagefind, as the list's size asks."""
    config.extra["search_engine"] = _session.engine
    search = config.plugins.get("material/search")
    if search is not None:
        search.config.enabled = _session.engine == "material"


def regenerate(options: Options) -> Summary | None:
    """Run the generator; log its warnings, or its errors (returning None)."""
    with _session.lock:
        _session.data_ok = False
        try:
            summary = build(options)
        except DataError as failure:
            for diagnostic in failure.diagnostics.report():
                log.error(str(diagnostic))
            return None
        except OSError as failure:
            log.error(disk_error(failure, options.docs_dir))
            return None
        _session.data_ok = True
    # A server builds after every edit: each warning is logged when it first appears, and
    # the ones already shown are counted (at 10,000 papers, thousands of lines an edit).
    warnings = [str(warning) for warning in summary.warnings]
    for warning in warnings:
        if warning not in _session.warned:
            log.warning(warning)
    again = len(_session.warned.intersection(warnings))
    if again:
        log.info(f"{again:,} data warning{'s' if again != 1 else ''} as before (not repeated)")
    _session.warned = frozenset(warnings)
    if _session.changed is not None:
        _session.changed |= summary.changed
    log.info("generator: " + "; ".join(summary.lines()[:3]))
    _session.engine = summary.search_engine
    return summary


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Watch ``data/`` and ``docs/`` here rather than in MkDocs: a data edit runs the
    generator, which asks for one rebuild when it wrote something; an edit of a hand-written
    page asks for one directly."""
    data_dir = Path(config.config_file_path).parent / "data"
    config.watch[:] = [path for path in config.watch if Path(path) != data_dir]
    _session.rebuild = _rebuild_trigger(server)
    if _session.rebuild is not None:
        server.unwatch(config.docs_dir)
        _session.watchers.append(_watch_hand_written(Path(config.docs_dir), _session.rebuild))
        # MkDocs waits this long without news before it builds. The generator asks once, when
        # it is done; a page saved by an editor is quiet as soon as data/ is (QUIET_SECONDS).
        server.build_delay = QUIET_SECONDS
    else:  # an MkDocs without the trigger: its polling watcher sees the generator's writes
        # MkDocs polls docs/ every 0.5 s and starts building after 0.1 s without news: the
        # generator's writes could then straddle two polls. Waiting longer than a poll helps.
        server.build_delay = max(server.build_delay, 0.6)
    _session.watchers.append(_watch(data_dir))
    if not _session.dirty:
        log.info("tip: `mkdocs serve --dirty` rebuilds only the pages an edit changed")
    return server


def _rebuild_trigger(server: Any) -> Callable[[], None] | None:
    """A function that asks MkDocs' server for one rebuild, as its own watcher does (MkDocs
    1.6 has no public call for it); None if this MkDocs has no such switch."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        return None

    def request() -> None:
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    return request


def _watch_hand_written(docs_dir: Path, rebuild: Callable[[], None]) -> Any:
    """Rebuild when a page outside the generated folders changes."""

    def changed(path: str) -> None:
        try:
            top = Path(path).relative_to(docs_dir).parts[0]
        except (ValueError, IndexError):
            top = ""
        # MkDocs skips dot files; the manifest and the generator's temporary files are some.
        if top not in layout.OWNED and not top.startswith("."):
            rebuild()

    return _observe(docs_dir, changed)


def _watch(data_dir: Path) -> Any:
    """Run the generator whenever ``data/`` has changed and then been still for a moment; ask
    for a rebuild when it wrote something."""
    changed = threading.Event()

    def loop() -> None:
        while True:
            changed.wait()
            while changed.wait(QUIET_SECONDS):
                changed.clear()
            if _session.options is not None:
                _data_changed(_session.options)

    threading.Thread(target=loop, name="generator-watch", daemon=True).start()
    return _observe(data_dir, lambda path: changed.set())


def _data_changed(options: Options) -> None:
    """Run the generator after an edit of ``data/``; ask for a rebuild when it wrote
    something."""
    try:
        # The registry a build writes wakes the watcher too: nothing to do then.
        with _session.lock:
            if _session.data_ok and not inputs_changed(options):
                return
            _stop_pagefind()
            summary = regenerate(options)
    except Exception:  # a generator bug: say so, and keep serving
        log.exception("the generator failed")
        _resume_pagefind()
        return
    if summary and (summary.written or summary.removed) and _session.rebuild:
        _session.generated = True
        _session.rebuild()
    else:  # no rebuild follows: the site as it is still needs its index
        _resume_pagefind()


def _observe(folder: Path, changed: Callable[[str], None]) -> Any:
    """A running watchdog observer that calls ``changed`` with each changed file's path."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if not event.is_directory and event.event_type not in ("opened", "closed_no_write"):
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        changed(os.fsdecode(path))

    observer = Observer()
    observer.schedule(Handler(), str(folder), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


def on_files(files: Any, config: Any) -> Any:
    """Convert the generated pages with one Markdown converter a build; in a dirty serve, mark
    what MkDocs' modification times cannot see as changed."""
    if _session.dirty:
        _mark_changed(files, config)
    mkdocs_markdown.adopt(files, config, set(_nav_sources(config.nav or [])))
    return files


def _mark_changed(files: Any, config: Any) -> None:
    """Remove the output MkDocs' dirty build would keep though it changed, and leave the
    generated files the generator did not change out of the build."""
    pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    outputs = {file.abs_dest_path for file in files}
    stamp = _config_stamp(config)
    for gone in _session.outputs - outputs:
        Path(gone).unlink(missing_ok=True)
    everything = stamp != _session.config_stamp
    for file in pages:
        if everything or file.src_uri.split("/")[0] not in layout.OWNED:
            Path(file.abs_dest_path).unlink(missing_ok=True)
    built_before = _session.outputs
    _session.outputs, _session.config_stamp = outputs, stamp
    # Keyed as search entries are, by the page's URL: the home page's file URL is "./", its
    # page URL "" (MkDocs' ``Page.url``).
    _session.page_order = ["" if file.url in (".", "./") else file.url for file in pages]
    _session.built = set()
    changed, _session.changed = _session.changed, set()
    _session.skipped = (
        set() if everything or changed is None else _leave_out(files, changed, built_before, config)
    )


def _leave_out(files: Any, changed: set[str], built: set[str], config: Any) -> set[str]:
    """Leave the generated files the generator did not change out of this dirty build.

    Their output from the last build stays in the site folder, as it is; leaving them out
    spares MkDocs a page object, a modification-time check and a copy check for each of
    20,000 files at 10,000 papers. Links to them still resolve (MkDocs notes each such link
    at the info level, which the hook hides: ``_hide_skipped_links``). Pages of the nav are
    always kept, so the nav stays whole, and so is any file the last build did not write."""
    in_nav = set(_nav_sources(config.nav or []))
    skipped = set()
    for file in files:
        uri = file.src_uri
        if (
            uri.split("/")[0] in layout.OWNED
            and uri not in changed
            and uri not in in_nav
            and not file.inclusion.is_excluded()
            and file.abs_dest_path in built
        ):
            file.inclusion = InclusionLevel.EXCLUDED
            skipped.add(uri)
    return skipped


def _nav_sources(nav: Any) -> list[str]:
    """Every page source the nav names."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [s for value in nav.values() for s in _nav_sources(value)]
    if isinstance(nav, list):
        return [s for item in nav for s in _nav_sources(item)]
    return []


_SKIPPED_LINK = re.compile(r"contains a link to '(.+)' which is excluded from the built site\.$")


def _hide_skipped_links(record: logging.LogRecord) -> bool:
    """Drop MkDocs' note of a link to a file this dirty build left out as unchanged."""
    found = _SKIPPED_LINK.search(record.getMessage())
    return found is None or found.group(1) not in _session.skipped


def _config_stamp(config: Any) -> tuple[tuple[str, int], ...]:
    """The modification times of ``mkdocs.yml`` and of the theme overrides."""
    paths = [Path(config.config_file_path)]
    custom_dir = config.theme.custom_dir
    if custom_dir:
        paths += sorted(p for p in Path(custom_dir).rglob("*") if p.is_file())
    return tuple((str(path), path.stat().st_mtime_ns) for path in paths)


@event_priority(-100)  # last: the nav is final
def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Let a forked child render part of the paper pages meanwhile (``mkdocs build``, and
    a server's builds: see generator/mkdocs_fork.py)."""
    if _session.may_split:
        serving = _session.command == "serve"
        _session.split = Split.start(config, files, nav, dirty=_session.dirty, serving=serving)
    return nav


def on_pre_page(page: Any, config: Any, files: Any) -> Any:
    """Nothing to read or convert here for a page the child renders."""
    if _session.split is not None and _session.split.takes(page):
        return _session.split.placeholder(page)
    return page


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates, kept in memory across the rebuilds of one ``serve`` and on
    disk across builds, in ``.cache/templates/`` beside ``mkdocs.yml``: MkDocs makes a new
    Jinja environment for every build, and compiling Material's templates (about 0.3 s) was
    half of a small rebuild. Jinja keys each template by its source's checksum, and drops code
    of another Jinja or Python, so an edited override or an upgrade is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._disk: jinja2.FileSystemBytecodeCache | None = None

    def keep_in(self, folder: Path | None) -> None:
        """Also read and write the compiled code in ``folder`` (None: in memory only, as
        when the folder cannot be made: a read-only checkout builds as before)."""
        self._disk = None
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                return
            self._disk = jinja2.FileSystemBytecodeCache(str(folder))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self._disk is not None:
            self._disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        if self._disk is not None:
            # A full disk costs the next build a compile, nothing more.
            with contextlib.suppress(OSError):
                self._disk.dump_bytecode(bucket)


_templates = _CompiledTemplates()
TEMPLATE_CACHE = Path(".cache/templates")
"""Where compiled templates are kept, beside ``mkdocs.yml`` (git ignores ``.cache/``)."""


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """Load each theme template once a build, and compile it once for all builds; add the
    empty template of the pages a child renders."""
    # MkDocs makes a new environment for every build, so no template changes during one; yet
    # Jinja checks a template file's modification time at every include of every page (19,000
    # checks at 1,000 papers, about a tenth of the build).
    env.auto_reload = False
    config_file = getattr(config, "config_file_path", None)
    _templates.keep_in(Path(config_file).parent / TEMPLATE_CACHE if config_file else None)
    env.bytecode_cache = _templates
    if _session.split is not None:
        env = _session.split.loader(env)
    return env


@event_priority(100)  # first: search indexes the page after this
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Note which pages this build renders (their search entries replace the old ones), and
    give a page the child rendered its content."""
    _session.built.add(page.url)
    if _session.split is not None and _session.split.takes(page):
        _session.split.fill(page)
    return context


@event_priority(-100)  # last
def on_post_page(output: str, page: Any, config: Any) -> str:
    """For a page the child rendered: its HTML in a dirty rebuild; else nothing, as the
    child wrote it."""
    if _session.split is not None and _session.split.takes(page):
        return _session.split.output(page)
    return output


def on_post_build(config: Any) -> None:
    """Keep the search index whole after a dirty rebuild; index with Pagefind when used."""
    _end_split()  # first: it gives the search plugin back its own index
    search = config.plugins.get("material/search")
    if _session.dirty and search is not None and search.config.enabled:
        _merge_search_index(search, config)
    _session.served = _session.command == "serve"
    try:
        if _session.engine == "pagefind":
            _run_pagefind(config)
        else:  # the list shrank to Material's search: no Pagefind index is owed
            _session.pagefind_owed = False
    finally:
        _release()


def on_build_error(error: Exception) -> None:
    """A failed build must not keep the generator waiting, nor the next build leave out files
    this one may not have built, nor the search index half made."""
    _session.changed = None
    _end_split()
    _release()
    _resume_pagefind()


def on_shutdown() -> None:
    """Stop watching ``data/`` and ``docs/``, and indexing a site that is going away; list
    ``docs/`` with MkDocs' own ``get_files`` again."""
    for watcher in _session.watchers:
        watcher.stop()
    _stop_pagefind()
    mkdocs_files.uninstall()


def _end_split() -> None:
    if _session.split is not None:
        _session.split.close()
        _session.split = None


def _release() -> None:
    if _session.collector_paused:
        _session.collector_paused = False
        gc.enable()
    if _session.holds_lock:
        _session.holds_lock = False
        _session.lock.release()


def _merge_search_index(search: Any, config: Any) -> None:
    """Rewrite the search index from every page's latest entries, in the order of a full build.

    Material's search plugin only indexes the pages a dirty build rendered, and its own merge
    assumes one page per rebuild; so keep each page's entries here, and write them all."""
    index = search.search_index
    fresh: dict[str, list[dict[str, Any]]] = {url: [] for url in _session.built}
    for entry in index.entries:
        fresh.setdefault(entry["location"].split("#")[0], []).append(entry)
    _session.search_entries.update(fresh)
    known = set(_session.page_order)
    for url in set(_session.search_entries) - known:
        del _session.search_entries[url]
    index.entries = [e for url in _session.page_order for e in _session.search_entries.get(url, [])]
    path = Path(config.site_dir) / "search" / "search_index.json"
    path.write_text(index.generate_search_index(None), encoding="utf-8")
    search.search_index_prev = None  # so Material's next write holds only that build's pages


def _run_pagefind(config: Any) -> None:
    """Index the paper pages with Pagefind: at once in a build, in the background in serve."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        config.site_dir,
        "--glob",
        Urls(config.site_url or "", config.use_directory_urls).built_paper_pages(),
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]
    if _session.command == "serve":
        # Indexing thousands of pages takes seconds (20 at 10,000 papers): the reloaded page
        # does not wait for it, and it runs at low priority. The next edit stops it.
        _stop_pagefind()
        nice = shutil.which("nice")
        _session.pagefind_command = [nice, "-n", "15", *command] if nice else command
        _session.pagefind_owed = True
        _resume_pagefind()
        return
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log.error(f"Pagefind failed: {done.stderr.strip() or done.stdout.strip()}")
        raise Abort("Pagefind could not index the site")


def _stop_pagefind() -> None:
    """Stop Pagefind's background run, if any (serve): a rebuild is about to make its index
    stale and should have the processor to itself. The rebuild starts Pagefind again when it
    ends; if none follows, ``_resume_pagefind`` does."""
    running, _session.pagefind = _session.pagefind, None
    if running is not None and running.poll() is None:
        running.terminate()
        try:
            running.wait(timeout=5)
        except subprocess.TimeoutExpired:
            running.kill()
            running.wait()
    elif running is not None:
        _session.pagefind_owed = False  # it had finished: the index is whole


def _resume_pagefind() -> None:
    """Index the site again in the background (serve), unless the last run finished."""
    with _session.lock:  # not while a build runs: it starts Pagefind itself when it ends
        if _session.pagefind_owed and _session.pagefind_command and _session.pagefind is None:
            _session.pagefind = subprocess.Popen(
                _session.pagefind_command, stdout=subprocess.DEVNULL
            )


def _hide_dirty_warning(record: logging.LogRecord) -> bool:
    return "'dirty' build is being performed" not in record.getMessage()
