"""Paper pages rendered by MkDocs on a second core, in a forked child, during ``mkdocs build``.

MkDocs reads, converts and renders one page after the other, in one process: at 1,000 papers
the paper pages are about 5.7 of its 6.3 seconds. When the hook may fork (``mkdocs build``,
Linux, two cores, no other thread: see ``generator/forked.py``), it hands the last paper pages
in MkDocs' own order (but those of the nav) to a child forked once the nav is known. The child
runs MkDocs' own steps for each (``_populate_page``, then the page template and every plugin's
page events, as ``_build_page`` does), writes the page into the site, and returns what MkDocs
keeps of it: its Markdown, metadata, HTML content, table of contents, anchors and links to
anchors, its entries in Material's search index, and the messages it logged. Meanwhile this
process reads and renders the other pages as usual, and for the child's pages reads and
renders nothing: when the build reaches one, it takes the child's page as it is, so that the
search index, the anchor checks, the sitemap and strict mode see exactly what a build in one
process sees. A build with the child writes the same bytes as one without (a test compares
them).

Only the plugins this project configures take part (Material's search and the hook): a plugin
that keeps its own state about pages would not see the child's, so with any other plugin
everything is rendered here. A child that fails is replaced by the same work here.

``mkdocs serve`` splits its rebuilds too: a topic rule can change hundreds of paper pages at
once. A server has threads (its HTTP handlers, the watchers), so its child is forked beside
them: the child only reads the build's objects, renders, and hands back what it made through
a file of its own, taking no lock those threads use; and the server waits for it a bounded
time, after which it stops the child and renders its pages itself. In a dirty rebuild, which
renders only the pages whose source is newer than their output, the child takes only such
pages, and returns each page's HTML instead of writing it: MkDocs writes it at the page's
turn, so no output changes under the modification times MkDocs is still comparing.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any

import jinja2
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import InclusionLevel

from generator import forked, layout

FORK_FROM = 40
"""Fewer paper pages than this render faster here than a child is forked and read back."""
SHARE = 0.55
"""The child's share of the paper pages: a little more than half, since this process also
renders the other pages and copies the site's other files."""
ELSEWHERE = "rendered-by-child.html"
"""The template MkDocs renders here for a child's page: empty, since the child rendered it."""
KNOWN_PLUGINS = ("material/search", "search")
WAIT = 30.0
"""Seconds a server waits for its child, plus ``WAIT_PER_PAGE`` for each page it took (about
ten times what a page takes): a child that has not ended by then is stopped."""
WAIT_PER_PAGE = 0.05
_build_log = logging.getLogger("mkdocs.commands.build")
_EMPTY_OUTPUT = re.compile(r"Page skipped: '(.+)'\. Generated empty output\.$")


@dataclass
class Rendered:
    """What MkDocs keeps of one page, as the child made it."""

    markdown: str
    meta: dict[str, Any]
    content: str
    toc: Any
    title: str | None
    anchors: set[str]
    links: dict[str, dict[str, str]]
    """Links to anchors, by the source path of the page they point to."""
    search: list[dict[str, Any]]
    """The page's entries in Material's search index."""
    output: str | None
    """The page's HTML, for MkDocs to write (dirty builds); None when the child wrote it."""


@dataclass
class _Result:
    pages: dict[str, Rendered]
    records: list[tuple[str, int, str]]
    """Messages the child logged: (logger, level, text), to log here."""
    pid: int
    """The process that rendered the pages."""


class _Placeholder:
    """What MkDocs' reading step handles for a child's page: nothing to read or convert."""

    def __init__(self, page: Any) -> None:
        self.file = page.file
        self.meta = page.meta
        self.markdown = ""
        self.content = ""

    def read_source(self, config: Any) -> None:
        pass

    def render(self, config: Any, files: Any) -> None:
        pass


class _Indexed:
    """Material's search index, here: a child's page brings the entries the child made of it."""

    def __init__(self, index: Any, split: Split) -> None:
        self.index, self._split = index, split

    def add_entry_from_context(self, page: Any) -> None:
        if self._split.takes(page):
            self.index.entries.extend(self._split.search_entries(page))
        else:
            self.index.add_entry_from_context(page)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.index, name)


class Split:
    """The paper pages a forked child renders for this build."""

    def __init__(
        self,
        pages: list[Any],
        config: Any,
        files: Any,
        nav: Any,
        dirty: bool = False,
        serving: bool = False,
    ) -> None:
        self.uris = {page.file.src_uri for page in pages}
        self._pages, self._config, self._files, self._nav = pages, config, files, nav
        self._dirty, self._serving = dirty, serving
        self._rendering = False
        self._relaying = False
        self._result: _Result | None = None
        _build_log.addFilter(self._hide_empty_output)
        self._parent = os.getpid()
        search = config.plugins.get("material/search")
        self._search = search if getattr(search, "search_index", None) is not None else None
        if self._search is not None:
            self._search.search_index = _Indexed(self._search.search_index, self)
        self._job = forked.Forked.start(self._render, beside_threads=serving)

    @classmethod
    def start(
        cls, config: Any, files: Any, nav: Any, dirty: bool = False, serving: bool = False
    ) -> Split | None:
        """A child rendering the last paper pages, when this build may fork and is big enough;
        ``dirty``: a dirty build, ``serving``: a server's (see the module)."""
        plugins = [name for name in config.plugins if name not in config.hooks]
        if any(name not in KNOWN_PLUGINS for name in plugins):
            return None
        if not forked.can_fork(beside_threads=serving):
            return None
        papers = candidates(files, nav)
        share = round(len(papers) * SHARE)
        if dirty:
            # Only the pages MkDocs renders this time; and the other pages it renders (the
            # listings an edit changed, the hand-written pages) are rendered here, a larger
            # part of a rebuild than of a full build: the child takes its share of them all.
            rendered = _modified(files)
            papers = [page for page in papers if page.file.src_uri in rendered]
            share = min(len(papers), round(len(rendered) * SHARE))
        if len(papers) < FORK_FROM:
            return None
        taken = papers[len(papers) - share :]
        return cls(taken, config, files, nav, dirty, serving)

    def takes(self, page: Any) -> bool:
        """Whether the child renders this page (never while the pages are rendered here)."""
        return not self._rendering and page.file.src_uri in self.uris

    def placeholder(self, page: Any) -> _Placeholder:
        """Stand in for a child's page in MkDocs' reading step, and choose the empty
        template for its rendering step."""
        page.meta = {"template": ELSEWHERE}
        return _Placeholder(page)

    def loader(self, env: jinja2.Environment) -> jinja2.Environment:
        """The theme's templates, plus the empty one for the child's pages."""
        assert env.loader is not None
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE: ""}), env.loader])
        return env

    def fill(self, page: Any) -> None:
        """Give a child's page what MkDocs would have made of it here, before search indexes
        it; the child's messages are logged at the first."""
        result = self._collect(page)
        done = result.pages[page.file.src_uri]
        page.markdown, page.meta, page.content = done.markdown, done.meta, done.content
        page.toc, page._title_from_render = done.toc, done.title
        page.present_anchor_ids = done.anchors
        page.links_to_anchors = {
            self._files.get_file_from_path(uri): links for uri, links in done.links.items()
        }

    def search_entries(self, page: Any) -> list[dict[str, Any]]:
        assert self._result is not None
        return self._result.pages[page.file.src_uri].search

    def output(self, page: Any) -> str:
        """The HTML for MkDocs to write for a child's page: the child's, in a dirty build;
        none otherwise, as the child wrote it."""
        assert self._result is not None
        done = self._result.pages[page.file.src_uri]
        output, done.output = done.output, None  # written once: hold no page twice
        return output or ""

    def close(self) -> None:
        """Stop the child if it still runs; give the search plugin back its own index."""
        self._job.close()
        _build_log.removeFilter(self._hide_empty_output)
        if self._search is not None and isinstance(self._search.search_index, _Indexed):
            self._search.search_index = self._search.search_index.index

    def _collect(self, page: Any) -> _Result:
        if self._result is None:
            current = self._config._current_page
            timeout = WAIT + WAIT_PER_PAGE * len(self.uris) if self._serving else None
            try:
                self._result = self._job.result(timeout)
            finally:  # the work done here (after a failed child) moved these
                self._config._current_page = current
                page.active = True
            self._relaying = True
            try:
                for name, level, text in self._result.records:
                    logging.getLogger(name).log(level, text)
            finally:
                self._relaying = False
            if self._serving and self._result.pid != os.getpid():
                _build_log.info(f"{len(self.uris):,} changed pages rendered on a second core")
        return self._result

    def _hide_empty_output(self, record: logging.LogRecord) -> bool:
        """Drop MkDocs' note that a child's page rendered empty here: the child wrote it, or
        made that note itself (kept: logged while rendering, or relayed from the child)."""
        found = _EMPTY_OUTPUT.match(record.getMessage())
        return self._rendering or self._relaying or found is None or found.group(1) not in self.uris

    def _render(self) -> _Result:
        """Run MkDocs' steps for each of the child's pages (in the child, or here when it
        failed), and keep what the build needs of each."""
        config, files, nav = self._config, self._files, self._nav
        records: list[tuple[str, int, str]] = []
        if os.getpid() != self._parent:
            _capture_log(records)
        entries: list[dict[str, Any]] = (
            [] if self._search is None else self._search.search_index.index.entries
        )
        self._rendering = True
        try:
            env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
            for page in nav.pages:
                if page.markdown is None:
                    page.read_source(config)
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            pages = {}
            for page in self._pages:
                mkdocs_build._populate_page(page, config, files)
                content = page.content
                indexed = len(entries)
                output = _write_page(page, config, doc_files, nav, env, keep=self._dirty)
                pages[page.file.src_uri] = Rendered(
                    markdown=page.markdown,
                    meta=page.meta,
                    content=content,
                    toc=page.toc,
                    title=page._title_from_render,
                    anchors=page.present_anchor_ids,
                    links={f.src_uri: links for f, links in page.links_to_anchors.items()},
                    search=entries[indexed:],
                    output=output,
                )
                del entries[indexed:]  # here, after a failed child: they go in at the page's turn
        finally:
            self._rendering = False
        return _Result(pages, records, os.getpid())


def candidates(files: Any, nav: Any) -> list[Any]:
    """The paper pages a child may render, in MkDocs' order: not those of the nav, whose
    titles every page shows."""
    in_nav = {id(page) for page in nav.pages} if nav is not None else set()
    return [
        file.page
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
        if file.page is not None
        and layout.is_paper_page(file.src_uri)
        and id(file.page) not in in_nav
    ]


def _modified(files: Any) -> set[str]:
    """The pages a dirty build renders: those whose source is newer than their output."""
    return {
        file.src_uri
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
        if file.page is not None and file.is_modified()
    }


def _write_page(
    page: Any, config: Any, doc_files: Any, nav: Any, env: Any, keep: bool = False
) -> str | None:
    """Render and write the page as MkDocs' ``_build_page`` does; ``keep``: return its HTML
    (or "" when it rendered empty) instead of writing it."""
    config._current_page = page
    page.active = True
    try:
        context = mkdocs_build.get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        if not output.strip():
            _build_log.info(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
            return "" if keep else None
        if keep:
            return str(output)
        utils.write_file(
            output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path
        )
        return None
    finally:
        page.active = False
        config._current_page = None


class _Records(logging.Handler):
    def __init__(self, records: list[tuple[str, int, str]]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _capture_log(records: list[tuple[str, int, str]]) -> None:
    """In the child: keep what MkDocs and Markdown log, for the parent to log in its turn."""
    handler = _Records(records)
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)
