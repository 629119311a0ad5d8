"""What a reader does, in real Chromium, against the built seed site on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from playwright.sync_api import Browser, Page, expect

from generator.build import gather
from generator.diagnostics import Diagnostics

from .browser import PageWatch, build_site, screenshot, search, static_server
from .conftest import copy_project

pytestmark = pytest.mark.browser

MAMBA = "papers/mamba-linear-time-sequence-modeling-selective/"
PAGES = {"home": "", "paper": MAMBA, "topic": "topics/quantization/", "all-papers": "papers/"}


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(copy_project(tmp_path_factory.mktemp("browser")))


@pytest.fixture(scope="module")
def base_url(seed_site: Path) -> Iterator[str]:
    with static_server(seed_site) as url:
        yield url + "/"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_no_errors_and_nothing_from_other_hosts(
    page: Page, base_url: str, name: str
) -> None:
    watch = PageWatch(page, base_url)
    page.goto(base_url + PAGES[name], wait_until="networkidle")
    expect(page.locator("h1").first).to_be_visible()
    screenshot(page, f"desktop-{name}")
    watch.assert_clean()


def test_search_by_abstract_word_finds_the_paper_and_opens_it(page: Page, base_url: str) -> None:
    watch = PageWatch(page, base_url)
    results = search(page, base_url, "genomics")
    expect(results.first).to_contain_text("Mamba: Linear-Time Sequence Modeling")
    screenshot(page, "desktop-search")
    results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(re.escape(base_url + MAMBA) + r"(\?h=[^#]*)?(#.*)?$"))
    expect(page.locator("h1")).to_contain_text(
        "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    )
    watch.assert_clean()


@pytest.mark.parametrize(
    ("query", "title"),
    [
        (
            "Staniszewski",
            "Precise Parameter Localization for Textual Generation in Diffusion Models",
        ),
        ("gu2023mamba", "Mamba: Linear-Time Sequence Modeling"),
        ("2401.16677", "T3: Transparent Tracking & Triggering"),
    ],
)
def test_search_by_author_cite_key_and_arxiv_id(
    page: Page, base_url: str, query: str, title: str
) -> None:
    results = search(page, base_url, query)
    # The About page explains keys with gu2023mamba as its example: the paper must be a hit,
    # not necessarily the first.
    expect(results.filter(has_text=title).first).to_be_visible()


def test_paper_page_shows_everything_and_the_copy_button_copies_the_bib_entry(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + MAMBA, wait_until="networkidle")
    expect(page.locator(".rl-byline")).to_contain_text("Albert Gu, Tri Dao")
    expect(page.locator("a.rl-chip")).to_have_text(["Language models", "State-space models"])
    expect(page.locator(".rl-abstract")).to_contain_text("genomics")
    expect(page.locator(".rl-bibtex code")).to_contain_text("@inproceedings{gu2023mamba,")
    page.locator(".rl-bibtex button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    download = page.locator("a[download='gu2023mamba.bib']")
    response = page.request.get(download.evaluate("a => a.href"))
    assert response.ok
    bib_file = response.text()
    assert [line.rstrip() for line in copied.strip().splitlines()] == [
        line.rstrip() for line in bib_file.strip().splitlines()
    ]
    from_file = bibtexparser.parse_string(bib_file).entries
    from_clipboard = bibtexparser.parse_string(copied).entries
    assert [(e.key, e.entry_type, [(f.key, f.value) for f in e.fields]) for e in from_file] == [
        (e.key, e.entry_type, [(f.key, f.value) for f in e.fields]) for e in from_clipboard
    ]
    assert from_file[0].key == "gu2023mamba"


def test_topic_page_lists_exactly_its_papers_and_chips_link_back(
    page: Page, base_url: str, seed_site: Path
) -> None:
    catalog = gather(seed_site.parent / "data", Diagnostics()).catalog
    expected = {p.slug for p in catalog.papers_in("quantization")}
    page.goto(base_url + "topics/quantization/", wait_until="networkidle")
    hrefs = page.locator(".rl-listing a.rl-title").evaluate_all("links => links.map(a => a.href)")
    assert {h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs} == expected
    assert len(hrefs) == len(expected)
    page.locator(".rl-listing a", has_text="KIVI").click()
    chip = page.locator("a.rl-chip", has_text="Quantization")
    expect(chip).to_be_visible()
    chip.click()
    expect(page).to_have_url(base_url + "topics/quantization/")


def test_palette_toggle_switches_and_persists_across_navigation(page: Page, base_url: str) -> None:
    page.goto(base_url, wait_until="networkidle")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.locator(".md-tabs__link", has_text="Topics").click()
    expect(page).to_have_url(base_url + "topics/")
    assert page.evaluate(scheme) == "slate"
    page.goto(base_url + MAMBA, wait_until="networkidle")
    assert page.evaluate(scheme) == "slate"


def test_phone_width_has_no_horizontal_overflow(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    for name, path in {
        **PAGES,
        "t3": "papers/t3-transparent-tracking-triggering-fine-grained/",
    }.items():
        page.goto(base_url + path, wait_until="networkidle")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} overflows by {overflow}px"
        if name in PAGES:
            screenshot(page, f"mobile-{name}")
    page.goto(base_url, wait_until="networkidle")
    page.locator("label.md-header__button[for=__search]").click()
    page.locator("input.md-search__input").press_sequentially("quantization", delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    screenshot(page, "mobile-search")
    context.close()
