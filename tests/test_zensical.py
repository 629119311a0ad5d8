"""The same project builds with Zensical: the seed compares equal to the MkDocs build, and
hostile digest text stays text there too.

Zensical (Material for MkDocs' successor) reads ``mkdocs.yml`` but runs no MkDocs hooks, so the
generator runs first as its own step, then ``zensical build -f zensical.yml`` writes into
``site-zensical/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

from generator.build import gather
from generator.diagnostics import Diagnostics

from . import test_markup
from .browser import PageWatch, build_site, static_server
from .conftest import ROOT, copy_project, digest_text
from .test_markup import HOSTILE, abstract_for

SEARCH_BUTTON = ".md-search__button"
"""Zensical's search opens a dialog (in a shadow root, which Playwright's CSS pierces)."""
SEARCH_BOX = "dialog input[role=combobox]"
SEARCH_RESULT = "ol[role=listbox] a[role=option]"
UL2 = "papers/ul2-unifying-language-learning-paradigms/"
UL2_WORD = "denoisers"
"""A word only UL2's abstract has (not its title)."""


def build_with_zensical(project: Path) -> Path:
    """Generate docs/, then ``zensical build`` with the repository's zensical.yml; return the
    site folder."""
    shutil.copy(ROOT / "zensical.yml", project / "zensical.yml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for command in (
        [sys.executable, "-m", "generator", "build", "--strict"],
        [sys.executable, "-m", "zensical", "build", "-f", "zensical.yml", "--clean", "--strict"],
    ):
        done = subprocess.run(
            command, cwd=project, capture_output=True, text=True, check=False, env=env
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
    return project / "site-zensical"


@dataclass
class Facts:
    """What must agree between the engines on one page."""

    title: str = ""
    h1: str = ""
    citation: tuple[tuple[str, str], ...] = ()
    jsonld: tuple[object, ...] = ()
    bib_links: tuple[str, ...] = ()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.title, self.h1 = "", ""
        self.citation: list[tuple[str, str]] = []
        self.jsonld: list[str] = []
        self.bib_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and values.get("name", "").startswith("citation_"):
            self.citation.append((values["name"], values.get("content", "")))
        if tag == "a" and values.get("href", "").endswith(".bib"):
            self.bib_links.append(values["href"])
        if tag == "script" and values.get("type") == "application/ld+json":
            self.jsonld.append("")
            tag = "jsonld"
        if tag in ("title", "h1", "jsonld"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and tag in (self.open[-1], "script"):
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self.open:
            self.title += data
        if "h1" in self.open:
            self.h1 += data
        if "jsonld" in self.open:
            self.jsonld[-1] += data


def facts(site: Path) -> dict[str, Facts]:
    """Every HTML page of a built site, with the facts both engines must agree on."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        reader = _Reader()
        reader.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = Facts(
            reader.title.strip(),
            " ".join(reader.h1.split()),
            tuple(reader.citation),
            tuple(json.loads(text) for text in reader.jsonld),
            tuple(reader.bib_links),
        )
    return pages


@pytest.fixture(scope="module")
def both_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed, built by Zensical and by MkDocs from the same generated docs/."""
    project = copy_project(tmp_path_factory.mktemp("engines"))
    zensical = build_with_zensical(project)
    return build_site(project), zensical


def test_same_pages(both_sites: tuple[Path, Path]) -> None:
    mkdocs, zensical = both_sites
    assert sorted(facts(zensical)) == sorted(facts(mkdocs))
    bundles = {p.relative_to(mkdocs).as_posix() for p in mkdocs.rglob("*.bib")}
    assert bundles == {p.relative_to(zensical).as_posix() for p in zensical.rglob("*.bib")}
    assert len(bundles) > 100


@pytest.mark.parametrize("fact", ["title", "h1", "citation", "jsonld", "bib_links"])
def test_same_facts_on_every_page(both_sites: tuple[Path, Path], fact: str) -> None:
    mkdocs, zensical = (facts(site) for site in both_sites)
    differ = {
        page: (getattr(mkdocs[page], fact), getattr(zensical[page], fact))
        for page in mkdocs
        if getattr(mkdocs[page], fact) != getattr(zensical.get(page, Facts()), fact)
    }
    assert differ == {}
    assert any(getattr(f, fact) for f in mkdocs.values())


def test_search_index_has_abstracts_not_bibtex(both_sites: tuple[Path, Path]) -> None:
    _, zensical = both_sites
    items = json.loads((zensical / "search.json").read_text(encoding="utf-8"))["items"]
    hits = {item["location"].split("#")[0] for item in items if UL2_WORD in item["text"].lower()}
    assert hits == {UL2}
    assert not any("@inproceedings{" in item["text"] or "@misc{" in item["text"] for item in items)


@pytest.mark.browser
def test_search_finds_a_paper_by_an_abstract_word(
    both_sites: tuple[Path, Path], browser: Browser
) -> None:
    _, zensical = both_sites
    with static_server(zensical) as base:
        page = browser.new_page()
        watch = PageWatch(page, base)
        results = zensical_search(page, f"{base}/", UL2_WORD)
        expect(results.first).to_have_attribute("href", f"{base}/{UL2}?h={UL2_WORD}#abstract")
        watch.assert_clean()
        page.close()


def zensical_search(page: Page, base_url: str, query: str) -> Locator:
    """Open Zensical's search, type a query, and return the result links once one shows."""
    page.goto(base_url, wait_until="networkidle")
    page.locator(SEARCH_BUTTON).click()
    page.locator(SEARCH_BOX).press_sequentially(query, delay=20)
    results = page.locator(SEARCH_RESULT)
    expect(results.first).to_be_visible(timeout=15000)
    return results


# The hostile-markup checks of test_markup.py, on a Zensical build of the same hostile digest.


@pytest.fixture(scope="module")
def hostile_zensical(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = copy_project(tmp_path_factory.mktemp("hostile-zensical"))
    data = root / "data"
    (data / "settings.yaml").write_text("search: material\n")
    for name in ("papers.yaml", "registry.yaml", "digests/2025-03-20.txt"):
        (data / name).unlink()
    authored = [{"title": t, "authors": ["Ada Lovelace"]} for t in HOSTILE]
    (data / "papers.yaml").write_text(yaml.safe_dump({"papers": authored}), encoding="utf-8")
    (data / "topics.yaml").write_text(
        "topics:\n  - {id: vision, name: Vision, description: Seeing., match: {title: [vision]}}\n"
    )
    (data / "digests/2025-03-20.txt").write_text(
        digest_text([(t, abstract_for(t)) for t in HOSTILE])
    )
    site = build_with_zensical(root)
    slugs = {p.title: p.slug for p in gather(data, Diagnostics()).catalog.papers}
    return site, slugs


@pytest.mark.parametrize("title", HOSTILE)
def test_zensical_paper_page_shows_title_and_abstract_as_text(
    hostile_zensical: tuple[Path, dict[str, str]], title: str
) -> None:
    test_markup.test_paper_page_shows_title_and_abstract_as_text(hostile_zensical, title)


def test_zensical_listings_show_titles_as_text(
    hostile_zensical: tuple[Path, dict[str, str]],
) -> None:
    test_markup.test_listings_show_titles_as_text(hostile_zensical)


@pytest.mark.browser
def test_nothing_runs_in_zensical_in_a_real_browser(
    hostile_zensical: tuple[Path, dict[str, str]], browser: Browser
) -> None:
    site, slugs = hostile_zensical
    with static_server(site) as base:
        page = browser.new_page()
        page.add_init_script(
            "window.__pwned = undefined; window.alert = (m) => { window.__pwned = 'alert ' + m; };"
        )
        watch = PageWatch(page, base)
        for title, slug in slugs.items():
            page.goto(f"{base}/papers/{slug}/", wait_until="networkidle")
            expect(page.locator("h1")).to_contain_text(title)
            assert page.evaluate("window.__pwned") is None, title
            assert page.title() == f"{title} - ML Systems Reading List"
        for query in ("script", "onerror", "textarea", "svg", "javascript"):
            results = zensical_search(page, f"{base}/", query)
            page.wait_for_timeout(500)
            assert page.evaluate("window.__pwned") is None, query
            injected = f"{SEARCH_RESULT} img, {SEARCH_RESULT} svg, {SEARCH_RESULT} textarea"
            assert page.locator(injected).count() == 0, query
            assert results.count() >= 1
        zensical_search(page, f"{base}/", "javascript")
        expect(
            page.locator(SEARCH_RESULT).filter(has_text="javascript:alert(1)").first
        ).to_be_visible()
        assert watch.dialogs == []
        assert watch.console_errors == []
