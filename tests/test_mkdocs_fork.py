"""``mkdocs build`` with part of the paper pages rendered in a forked child: the same site."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator import forked, layout, mkdocs_fork, mkdocs_hook, related_job
from generator.build import Options
from generator.build import build as generate

from .conftest import copy_project

# Runs `mkdocs build` in a fresh process (which may fork: no thread), after one change that
# MODE names, and prints which paper pages the child took.
BUILD = """
import json, logging, os, sys
from generator import mkdocs_fork, mkdocs_markdown
from mkdocs.structure.pages import Page

mode = sys.argv[1]
taken = []
converted = []  # pages converted with the build's one Markdown converter, in this process
compiled = []  # templates compiled from source, in this process
reuse = mkdocs_markdown.GeneratedPage.render
import jinja2

compile_template = jinja2.Environment.compile

def counted_compile(self, source, name=None, filename=None, raw=False, defer_init=False):
    compiled.append(name)
    return compile_template(self, source, name, filename, raw, defer_init)

jinja2.Environment.compile = counted_compile

def counted(self, config, files):
    converted.append(self.file.src_uri)
    reuse(self, config, files)

mkdocs_markdown.GeneratedPage.render = counted
start = mkdocs_fork.Split.start.__func__

def recorded(cls, config, files, nav, **how):
    split = start(cls, config, files, nav, **how)
    taken.extend(sorted(split.uris) if split else [])
    return split

mkdocs_fork.Split.start = classmethod(recorded)
if mode in ("alone", "fresh"):
    mkdocs_fork.FORK_FROM = 10**9
if mode == "fresh":  # every page gets MkDocs' own Page, and a new converter
    mkdocs_markdown.adopt = lambda files, config, nav_sources: None
if mode == "fail":
    work = mkdocs_fork.Split._render

    def failing(self):
        if os.getpid() != self._parent:
            raise RuntimeError("the child fails")
        return work(self)

    mkdocs_fork.Split._render = failing
if mode == "warn":
    render = Page.render

    def noisy(self, config, files):
        render(self, config, files)
        if self.file.src_uri == os.environ["NOISY_PAGE"]:
            logging.getLogger("mkdocs.structure.pages").warning("noisy page: %s", os.getpid())

    Page.render = noisy
    mkdocs_markdown.GeneratedPage.render = noisy
if os.environ.get("EMPTY_PAGE"):
    import jinja2

    template_render = jinja2.Template.render

    def empty(self, *args, **kwargs):
        page = (args[0] if args else kwargs).get("page")
        if page is not None and page.file.src_uri == os.environ["EMPTY_PAGE"]:
            return ""
        return template_render(self, *args, **kwargs)

    jinja2.Template.render = empty
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "--strict"]
try:
    cli()
finally:
    print(json.dumps(
        {"taken": taken, "pid": os.getpid(), "converted": converted, "compiled": compiled}
    ))
"""


def build(project: Path, mode: str, **env: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    done = subprocess.run(
        [sys.executable, "-c", BUILD, mode],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1742428800", **env},
    )
    return done, json.loads(done.stdout.strip().splitlines()[-1])


def site(project: Path) -> dict[str, bytes]:
    root = project / "site"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The seed built in one process."""
    project = copy_project(tmp_path_factory.mktemp("alone"))
    done, report = build(project, "alone")
    assert done.returncode == 0, done.stderr
    assert report["taken"] == []
    return site(project)


def test_the_child_renders_pages_and_the_site_is_the_same(
    tmp_path: Path, alone: dict[str, bytes]
) -> None:
    project = copy_project(tmp_path)
    done, report = build(project, "split")
    assert done.returncode == 0, done.stderr
    built = site(project)
    papers = sorted(p for p in built if p.startswith("papers/") and p.count("/") == 2)
    # The child took the last 55% of the paper pages, in MkDocs' order.
    assert len(report["taken"]) == round(len(papers) * mkdocs_fork.SHARE) > 40
    assert report["taken"][-1] == max(f"papers/{p.split('/')[1]}.md" for p in papers)
    assert sorted(built) == sorted(alone)
    different = [path for path in built if built[path] != alone[path]]
    assert different == []
    # Its pages are in the search index (and in a build's order: the index is byte-equal).
    index = json.loads(built["search/search_index.json"])
    located = {e["location"].split("#")[0] for e in index["docs"]}
    assert {f"papers/{Path(uri).stem}/" for uri in report["taken"]} <= located
    assert "Page skipped" not in done.stderr


def test_one_markdown_converter_for_the_generated_pages_gives_the_same_site(
    tmp_path: Path, alone: dict[str, bytes]
) -> None:
    """A converter kept for the build and reset between pages, as Python-Markdown intends, is
    not a new converter for every page, as MkDocs makes: compare every byte of the sites."""
    project = copy_project(tmp_path)
    done, report = build(project, "fresh")
    assert done.returncode == 0, done.stderr
    assert report["converted"] == []
    assert site(project) == alone


def test_the_generated_pages_outside_the_nav_share_the_converter(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    done, report = build(project, "alone")
    assert done.returncode == 0, done.stderr
    converted = set(report["converted"])
    docs = project / "docs"
    generated = {
        p.relative_to(docs).as_posix()
        for top in ("papers", "topics", "digests")
        for p in (docs / top).rglob("*.md")
    }
    # The nav's pages (titled from the nav) and the hand-written ones keep MkDocs' own Page.
    assert converted == generated - {"papers/index.md", "topics/index.md"}
    assert len(converted) > 100


def test_a_failing_child_is_replaced_by_the_same_work_here(
    tmp_path: Path, alone: dict[str, bytes]
) -> None:
    project = copy_project(tmp_path)
    done, report = build(project, "fail")
    assert done.returncode == 0, done.stderr
    assert report["taken"]
    assert "Traceback" not in done.stderr
    assert site(project) == alone


def test_what_the_child_logs_is_logged_and_counted_in_strict_mode(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    # The last paper page in MkDocs' order is the child's: find its source name first.
    done, report = build(project, "split")
    assert done.returncode == 0, done.stderr
    noisy = report["taken"][-1]
    done, report = build(project, "warn", NOISY_PAGE=noisy)
    assert noisy in report["taken"]
    assert done.returncode == 1
    warnings = [line for line in done.stderr.splitlines() if "noisy page" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("WARNING")
    assert warnings[0].split()[-1] != str(report["pid"])  # logged by the child, shown here
    assert "Aborted with 1 warnings in strict mode!" in done.stdout


@pytest.mark.parametrize("mode", ["split", "fail", "alone"])
def test_a_page_that_renders_empty_is_noted_once(tmp_path: Path, mode: str) -> None:
    """MkDocs writes no empty page and says so: once, whoever rendered it."""
    project = copy_project(tmp_path)
    generate(Options(project / "data", project / "docs", project / "mkdocs.yml"))
    empty = max(p.name for p in (project / "docs/papers").glob("*.md"))  # the child's, if any
    done, report = build(project, mode, EMPTY_PAGE=f"papers/{empty}")
    assert done.returncode == 0, done.stderr
    assert (f"papers/{empty}" in report["taken"]) is (mode != "alone")
    assert done.stderr.count("Page skipped: 'papers/") == 1
    assert f"Page skipped: 'papers/{empty}'. Generated empty output." in done.stderr
    assert not (project / "site/papers" / Path(empty).stem / "index.html").exists()


def test_links_to_anchors_of_the_childs_pages_are_checked(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    done, report = build(project, "split")
    assert done.returncode == 0, done.stderr
    theirs = report["taken"][-1]
    about = project / "docs/about.md"
    target = f"{theirs}#abstract"  # a heading of every paper page: no warning
    about.write_text(about.read_text() + f"\n[its abstract]({target})\n")
    done, _ = build(project, "split")
    assert done.returncode == 0, done.stderr
    about.write_text(about.read_text() + f"\n[nowhere]({theirs}#no-such-anchor)\n")
    done, report = build(project, "split")
    assert theirs in report["taken"]
    assert done.returncode == 1
    assert f"the doc '{theirs}' does not contain an anchor '#no-such-anchor'" in done.stderr


def fake_build(pages: int, plugins: tuple[str, ...] = ("material/search",)) -> Any:
    hook = "generator/mkdocs_hook.py"
    files = [SimpleNamespace(src_uri="index.md", page=object())] + [
        SimpleNamespace(src_uri=f"papers/p{i}.md", page=object()) for i in range(pages)
    ]
    config = SimpleNamespace(plugins={**dict.fromkeys(plugins), hook: None}, hooks={hook: None})
    return config, SimpleNamespace(documentation_pages=lambda inclusion: files), None


@pytest.mark.parametrize(
    ("pages", "plugins", "may_fork"),
    [
        (mkdocs_fork.FORK_FROM - 1, ("material/search",), True),  # too few to gain
        (500, ("material/search", "tags"), True),  # a plugin that could track pages
        (500, ("material/search",), False),  # a thread, one core or another system
    ],
)
def test_no_child_when_it_would_not_help_or_not_be_safe(
    monkeypatch: pytest.MonkeyPatch, pages: int, plugins: tuple[str, ...], may_fork: bool
) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda beside_threads=False: may_fork)
    assert mkdocs_fork.Split.start(*fake_build(pages, plugins)) is None


@pytest.mark.parametrize("serving", [False, True])
def test_a_dirty_rebuild_splits_only_the_pages_it_renders(
    monkeypatch: pytest.MonkeyPatch, serving: bool
) -> None:
    """A dirty rebuild renders the pages whose source is newer than their output: the child
    takes the last of those, as many as its share of all the pages rendered. A server forks
    beside its threads; a build only without them."""
    asked: list[bool] = []
    monkeypatch.setattr(
        forked, "can_fork", lambda beside_threads=False: asked.append(beside_threads) or True
    )
    made: list[Any] = []
    monkeypatch.setattr(mkdocs_fork.Split, "__init__", lambda self, *args: made.append(args))
    config, files, nav = fake_build(0)
    modified = set(range(0, 200, 3))
    pages = [
        SimpleNamespace(src_uri=f"papers/p{i}.md", is_modified=lambda i=i: i in modified)
        for i in range(200)
    ]
    others = [  # the home page and ten listings, which the rebuild renders; one it does not
        SimpleNamespace(src_uri=uri, is_modified=lambda uri=uri: uri != "about.md")
        for uri in ["index.md", "about.md"] + [f"topics/t{i}.md" for i in range(10)]
    ]
    for file in pages + others:
        file.page = SimpleNamespace(file=file)
    listed = others[:2] + pages + others[2:]
    files = SimpleNamespace(documentation_pages=lambda inclusion: listed)
    split = mkdocs_fork.Split.start(config, files, nav, dirty=True, serving=serving)
    assert split is not None
    assert asked == [serving]
    ((taken, *_, dirty, serving_too),) = made
    expected = [f"papers/p{i}.md" for i in sorted(modified)]
    share = round((len(expected) + 11) * mkdocs_fork.SHARE)
    assert [page.file.src_uri for page in taken] == expected[-share:]
    assert (dirty, serving_too) == (True, serving)
    # Too few changed pages to gain from a child.
    modified.clear()
    modified.update(range(mkdocs_fork.FORK_FROM - 1))
    assert mkdocs_fork.Split.start(config, files, nav, dirty=True, serving=serving) is None
    assert len(made) == 1


def test_the_child_takes_no_page_of_the_nav() -> None:
    """Every page shows the nav's titles, and a child's page has none until its turn."""
    _, files, _ = fake_build(5)
    pages = [file.page for file in files.documentation_pages(None)]
    nav = SimpleNamespace(pages=[pages[0], pages[3]])  # the home page and one paper
    assert mkdocs_fork.candidates(files, nav) == [pages[1], pages[2], pages[4], pages[5]]
    assert mkdocs_fork.candidates(files, None) == pages[1:]


@pytest.mark.parametrize(
    ("command", "dirty", "split"),
    [
        ("build", False, True),
        ("gh-deploy", False, True),
        ("build", True, False),
        ("serve", False, True),
        ("serve", True, True),
    ],
)
def test_a_full_build_and_a_server_split(
    monkeypatch: pytest.MonkeyPatch, command: str, dirty: bool, split: bool
) -> None:
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session())
    mkdocs_hook.on_startup(command, dirty)
    assert mkdocs_hook._session.may_split is split


@pytest.mark.parametrize(
    ("command", "cores", "kept"), [("serve", 2, True), ("serve", 1, False), ("build", 2, False)]
)
def test_a_server_relates_papers_with_workers_it_keeps(
    monkeypatch: pytest.MonkeyPatch, command: str, cores: int, kept: bool
) -> None:
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session())
    monkeypatch.setattr(related_job, "_workers", None)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    mkdocs_hook.on_startup(command, False)
    job = related_job.RelatedJob.start()
    assert (job._kept is not None) is kept
    assert (related_job._workers is not None) is kept
    job.close()


@pytest.mark.parametrize("ends", ["built", "failed"])
def test_a_server_pauses_the_cycle_collector_while_it_builds(
    monkeypatch: pytest.MonkeyPatch, ends: str
) -> None:
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session())
    monkeypatch.setattr(related_job, "keep_workers", lambda: None)
    mkdocs_hook.on_startup("serve", True)
    mkdocs_hook._session.generated = True  # the data watcher has just run the generator
    config = SimpleNamespace(extra={}, plugins={})
    assert gc.isenabled()
    try:
        # The first build makes what the server keeps: the collector runs as usual.
        mkdocs_hook.on_pre_build(config)
        assert gc.isenabled()
        mkdocs_hook.on_post_build(config)
        mkdocs_hook._session.generated = True
        mkdocs_hook.on_pre_build(config)
        assert not gc.isenabled()
        if ends == "built":
            mkdocs_hook.on_post_build(config)
        else:
            mkdocs_hook.on_build_error(RuntimeError("a page failed"))
        assert gc.isenabled()
        assert not mkdocs_hook._session.holds_lock
    finally:
        gc.enable()


def test_a_build_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a server holds a large heap between builds; and a collector already paused by
    someone else stays paused."""
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session())
    monkeypatch.setattr(related_job, "keep_workers", lambda: None)
    mkdocs_hook.on_startup("serve", True)
    mkdocs_hook._session.generated = True
    config = SimpleNamespace(extra={}, plugins={})
    mkdocs_hook._session.served = True
    gc.disable()
    try:
        mkdocs_hook.on_pre_build(config)
        mkdocs_hook.on_post_build(config)
        assert not gc.isenabled()
    finally:
        gc.enable()
    monkeypatch.setattr(mkdocs_hook, "_session", mkdocs_hook._Session())
    mkdocs_hook.on_startup("build", False)
    for _ in range(2):
        mkdocs_hook._session.generated = True
        mkdocs_hook.on_pre_build(config)
        assert gc.isenabled()
        mkdocs_hook.on_post_build(config)
        assert gc.isenabled()


def test_a_paper_page_is_one_file_in_papers() -> None:
    assert layout.is_paper_page("papers/mamba.md")
    assert not layout.is_paper_page(layout.PAPERS_INDEX)
    assert not layout.is_paper_page("topics/mamba.md")
    assert not layout.is_paper_page("papers/x/y.md")


def test_templates_are_loaded_once_a_build() -> None:
    """MkDocs makes a new environment for every build: Jinja need not check the files again."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader({"a.html": "a"}))
    assert env.auto_reload
    assert not mkdocs_hook.on_env(env, config=None, files=None).auto_reload


def test_templates_compiled_once_serve_every_later_build(
    tmp_path: Path, alone: dict[str, bytes]
) -> None:
    project = copy_project(tmp_path)
    first, report = build(project, "alone")
    assert first.returncode == 0, first.stderr
    assert len(report["compiled"]) > 10
    assert list((project / mkdocs_hook.TEMPLATE_CACHE).glob("*.cache"))
    again, report = build(project, "alone")
    assert again.returncode == 0, again.stderr
    # Only what Material's search plugin reads, before the build's environment exists.
    assert set(report["compiled"]) <= {"partials/language.html", "partials/languages/en.html"}
    assert site(project) == alone
    # An edited override is compiled afresh, and its change shows.
    main = project / "overrides/main.html"
    main.write_text(
        main.read_text().replace("{% block scripts %}", "{% block scripts %}<!-- edited -->")
    )
    edited, report = build(project, "alone")
    assert edited.returncode == 0, edited.stderr
    assert "main.html" in report["compiled"] and "base.html" not in report["compiled"]
    assert "<!-- edited -->" in (project / "site/index.html").read_text()
