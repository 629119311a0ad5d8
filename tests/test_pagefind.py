"""Large lists search with Pagefind: it indexes paper pages only and finds what Material finds."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.curation import PAGEFIND_ABOVE, Settings

from .browser import PageWatch, build_site, screenshot, search, static_server
from .conftest import copy_project

pytestmark = pytest.mark.browser
MAMBA = "papers/mamba-linear-time-sequence-modeling-selective/"


def test_auto_switches_to_pagefind_above_the_threshold() -> None:
    assert Settings(search="auto").search_engine(PAGEFIND_ABOVE) == "material"
    assert Settings(search="auto").search_engine(PAGEFIND_ABOVE + 1) == "pagefind"
    assert Settings(search="material").search_engine(10**6) == "material"
    assert Settings(search="pagefind").search_engine(1) == "pagefind"


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("pagefind"))
    (project / "data/settings.yaml").write_text("search: pagefind\n")
    site = build_site(project)
    assert (site / "pagefind/pagefind-entry.json").exists()
    assert not (site / "search/search_index.json").exists()  # Material's index is not built
    return site


@pytest.fixture(scope="module")
def base_url(pagefind_site: Path) -> Iterator[str]:
    with static_server(pagefind_site) as url:
        yield url + "/"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_pagefind_finds_an_abstract_word_and_opens_the_paper(page: Page, base_url: str) -> None:
    watch = PageWatch(page, base_url)
    results = search(page, base_url, "genomics", "pagefind")
    expect(results.filter(has_text="Mamba: Linear-Time Sequence Modeling")).to_have_count(1)
    assert "¶" not in results.first.inner_text()
    screenshot(page, "desktop-search-pagefind")
    results.filter(has_text="Mamba").locator("a.pagefind-ui__result-link").click()
    expect(page).to_have_url(re.compile(re.escape(base_url + MAMBA)))
    watch.assert_clean()


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Staniszewski", "Precise Parameter Localization"),
        ("gu2023mamba", "Mamba: Linear-Time Sequence Modeling"),
        ("2401.16677", "T3: Transparent Tracking & Triggering"),
    ],
)
def test_pagefind_finds_authors_keys_and_arxiv_ids(
    page: Page, base_url: str, query: str, title: str
) -> None:
    results = search(page, base_url, query, "pagefind")
    expect(results.filter(has_text=title)).to_have_count(1)


def fragments(site: Path) -> list[dict[str, object]]:
    """Pagefind's indexed pages: gzip, a 12-byte signature, then JSON."""
    return [
        json.loads(gzip.decompress(f.read_bytes())[12:])
        for f in (site / "pagefind/fragment").glob("*.pf_fragment")
    ]


def test_only_paper_pages_are_indexed_without_bibtex(pagefind_site: Path) -> None:
    indexed = fragments(pagefind_site)
    assert len(indexed) == 96
    assert all(str(f["url"]).startswith("/papers/") and f["url"] != "/papers/" for f in indexed)
    mamba = next(f for f in indexed if f["url"] == "/" + MAMBA)
    content = str(mamba["content"])
    assert content.startswith("Mamba: Linear-Time Sequence Modeling with Selective State Spaces.")
    assert "genomics" in content and "gu2023mamba" in content and "Albert Gu" in content
    assert not any(
        "archivePrefix" in str(f["content"]) or "¶" in str(f["content"]) for f in indexed
    )


def test_the_404_page_finds_the_index_at_the_site_root(pagefind_site: Path) -> None:
    # The 404 page is served at any depth, so Pagefind's base is the site's absolute path,
    # once: "/reading-list//pagefind/" would not load from every host.
    missing = (pagefind_site / "404.html").read_text()
    assert 'baseUrl: new URL("/reading-list/", location.href).pathname' in missing
    paper = (pagefind_site / MAMBA / "index.html").read_text()
    assert 'baseUrl: new URL("../../", location.href).pathname' in paper
