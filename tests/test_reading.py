"""Pages a researcher reads, in real Chromium: related papers, rich listings, the filterable
all-papers table, what's new, the digests index and the charts; screenshots of every page type
at desktop and phone width in both palettes; and axe-core on each of them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from playwright.sync_api import Browser, Page, expect

from .browser import PageWatch, build_site, screenshot, static_server
from .conftest import ROOT, copy_project

pytestmark = pytest.mark.browser

KIVI = "papers/kivi-tuning-free-asymmetric-2bit-quantization/"
M3VIT = "papers/m-3vit-mixture-experts-vision-transformer/"
PAGES = {
    "home": "",
    "paper": KIVI,
    "topic": "topics/quantization/",
    "topics": "topics/",
    "all-papers": "papers/",
    "digests": "digests/",
    "digest": "digests/2025-03-20/",
}
AXE = Path(os.environ.get("READING_LIST_AXE", ROOT / ".node/node_modules/axe-core/axe.min.js"))


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(copy_project(tmp_path_factory.mktemp("reading")))


@pytest.fixture(scope="module")
def base_url(seed_site: Path) -> Iterator[str]:
    with static_server(seed_site) as url:
        yield url + "/"


def open_page(browser: Browser, width: int = 1280, scheme: str = "light") -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = open_page(browser)
    yield page
    page.context.close()


def test_paper_page_links_its_related_papers_with_the_shared_terms(
    page: Page, base_url: str
) -> None:
    watch = PageWatch(page, base_url)
    page.goto(base_url + KIVI, wait_until="networkidle")
    related = page.locator("ul.rl-related li")
    expect(related).to_have_count(5)
    expect(related.first).to_contain_text("CSKV")
    expect(related.first).to_contain_text("shares cache, kv")
    related.first.locator("a").click()
    expect(page.locator("h1")).to_contain_text("CSKV")
    page.wait_for_load_state("networkidle")
    page.goto(base_url + M3VIT, wait_until="networkidle")
    expect(page.locator("ul.rl-related li").first).to_contain_text("Edge-MoE")
    watch.assert_clean()


def test_byline_has_authors_venue_and_arxiv_year_and_the_key_sits_in_cite(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + KIVI)
    expect(page.locator(".rl-facts")).to_have_text("ICML 2024 · arXiv 2024")
    expect(page.locator(".rl-byline")).not_to_contain_text("liu2024kivi")
    expect(page.locator(".rl-citekey")).to_contain_text("liu2024kivi")
    about = page.locator("details.rl-about")
    expect(about).not_to_have_attribute("open", "")
    expect(about.locator("li").filter(has_text="KV cache")).to_contain_text(
        "because its title mentions"
    )


def test_bibtex_wraps_and_copy_button_copies_the_entry(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base_url + KIVI, wait_until="networkidle")
    block = page.locator("pre.rl-bibtex")
    overflow = block.evaluate("b => b.scrollWidth - b.clientWidth")
    assert overflow <= 1
    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.locator(".md-dialog")).to_contain_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@inproceedings{liu2024kivi,") and copied.rstrip().endswith("}")
    context.close()


def test_listing_rows_show_short_authors_year_venue_code_and_teaser(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + "topics/quantization/")
    kivi = page.locator('li.rl-row[data-paper="kivi-tuning-free-asymmetric-2bit-quantization"]')
    expect(kivi.locator(".rl-short-authors")).to_have_text("Liu et al.")
    expect(kivi.locator(".rl-year")).to_have_text("2024")
    expect(kivi.locator(".rl-venue")).to_have_text("ICML 2024")
    expect(kivi.locator("a.rl-code")).to_have_attribute("href", "https://github.com/jy-yuan/KIVI")
    expect(kivi.locator(".rl-teaser")).to_contain_text("we developed a tuning-free 2bit")


def test_all_papers_table_filters_and_sorts(page: Page, base_url: str) -> None:
    watch = PageWatch(page, base_url)
    page.goto(base_url + "papers/")
    rows = page.locator("table.rl-table tbody tr")
    expect(rows).to_have_count(96)
    page.get_by_label("Topic", exact=True).select_option("quantization")
    quantization = rows.count()
    assert 0 < quantization < 96
    page.get_by_label("Has code", exact=True).check()
    with_code = rows.count()
    assert 0 < with_code <= quantization
    for index in range(with_code):
        expect(rows.nth(index).locator("td").nth(5).locator("a")).to_have_count(1)
    page.get_by_label("Has code", exact=True).uncheck()
    page.get_by_label("Topic", exact=True).select_option("")
    page.locator("#rl-filter-q").fill("kivi")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("KIVI")
    page.locator("#rl-filter-q").fill("liu2024kivi")  # a cite key finds its paper too
    expect(rows).to_have_count(1)
    page.locator("#rl-filter-q").fill("")
    sorts = page.locator("table.rl-table th[data-column]")
    expect(sorts).to_have_count(4)
    expect(page.locator("th[data-column=year]")).to_have_attribute("aria-sort", "descending")
    page.get_by_role("button", name="Title").click()
    expect(page.locator("th[data-column=title]")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("th[data-column=year]")).to_have_attribute("aria-sort", "none")
    first, second = (
        rows.nth(0).locator("td").first.inner_text(),
        rows.nth(1).locator("td").first.inner_text(),
    )
    assert first.casefold() <= second.casefold()
    expect(page.locator(".rl-filters .rl-count")).to_have_text("96 of 96 papers")
    watch.assert_clean()


def test_all_papers_table_reads_as_blocks_on_a_phone(browser: Browser, base_url: str) -> None:
    # At 390 px each paper is a block (title, then authors, year and venue, then chips): the
    # table is as wide as the page, and no row is taller than a short card.
    page = open_page(browser, width=390)
    page.goto(base_url + "papers/")
    rows = page.locator("table.rl-table tbody tr")
    expect(rows).to_have_count(96)
    wrap = page.locator(".rl-table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(heights) < 250, max(heights)
    expect(rows.first.locator("td").nth(2)).to_be_visible()  # the year, beside the authors
    page.context.close()


def test_all_papers_is_a_plain_list_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "papers/")
    expect(page.locator("li.rl-row")).to_have_count(96)
    expect(page.locator("table.rl-table")).to_have_count(0)
    context.close()


def test_home_shows_counts_whats_new_by_topic_and_downloads(page: Page, base_url: str) -> None:
    page.goto(base_url)
    content = page.locator("article")
    expect(content).to_contain_text("96 papers in")
    expect(content).to_contain_text("96 papers first appeared in the digest of 20 March 2025")
    expect(page.locator("h3", has_text="Quantization")).to_be_visible()
    # Each new paper once, under its most specific topic, with chips for its other topics.
    rows = content.locator("li.rl-row")
    slugs = [row.get_attribute("data-paper") for row in rows.all()]
    assert len(slugs) == len(set(slugs)) == 96
    kv_cache = page.locator("h3", has_text="KV cache").locator("xpath=following-sibling::div[1]")
    chips = kv_cache.locator("li.rl-row", has_text="KIVI").locator("a.rl-chip").all_inner_texts()
    assert "Quantization" in chips and "KV cache" not in chips
    download = page.get_by_role("link", name="BibTeX for the whole list")
    assert (download.get_attribute("href") or "").endswith("bib/all.bib")
    expect(content).not_to_contain_text("1 digests")


def test_digests_index_lists_each_digest_with_count_and_bundle(page: Page, base_url: str) -> None:
    page.goto(base_url + "digests/")
    row = page.locator("table tr", has_text="20 March 2025")
    expect(row).to_contain_text("96")
    row.get_by_role("link", name="20 March 2025").click()
    expect(page.locator("h1")).to_contain_text("Digest of 20 March 2025")


def test_topics_index_is_sorted_by_name_with_two_charts(page: Page, base_url: str) -> None:
    page.goto(base_url + "topics/")
    names = page.locator("ul.rl-topic-list > li > a").all_inner_texts()
    assert names == sorted(names, key=str.casefold) and len(names) > 10
    charts = page.locator("figure.rl-chart svg[role=img]")
    expect(charts).to_have_count(2)
    label = charts.first.get_attribute("aria-labelledby") or ""
    assert (page.locator(f"[id='{label.split()[1]}']").text_content() or "").count(":") > 10
    bars = charts.first.locator("rect.rl-chart-bar")
    assert bars.count() == len([n for n in names if n != "Uncategorized"]) or bars.count() > 10
    # One scale for both: a figure sized by its caption would draw one chart's text larger.
    widths = {round(box["width"]) for box in (c.bounding_box() for c in charts.all()) if box}
    assert len(widths) == 1, widths


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", PAGES)
def test_screenshot_every_page_type(
    browser: Browser, base_url: str, name: str, width: int, scheme: str
) -> None:
    page = open_page(browser, width, scheme)
    page.goto(base_url + PAGES[name], wait_until="networkidle")
    expect(page.locator("h1").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} overflows sideways at {width} px by {overflow} px"
    screenshot(page, f"{'desktop' if width > 500 else 'phone'}-{scheme}-{name}")
    page.context.close()


def axe_violations(page: Page) -> list[dict[str, object]]:
    """Serious and critical axe-core violations on the page as it stands."""
    if not AXE.is_file():
        pytest.fail(f"axe-core not found at {AXE}: run ./dev.sh test, which installs it")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = json.loads(result)["violations"]
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["home", "paper", "topic", "all-papers", "topics"])
def test_axe_finds_no_serious_violations(
    browser: Browser, base_url: str, name: str, scheme: str
) -> None:
    page = open_page(browser, 1280, scheme)
    page.goto(base_url + PAGES[name], wait_until="networkidle")
    found = axe_violations(page)
    summary = [
        (v["id"], [(n["target"], n["failureSummary"][:160]) for n in v["nodes"]][:3])  # type: ignore[index,union-attr]
        for v in found
    ]
    assert summary == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations_in_search_results(
    browser: Browser, base_url: str, scheme: str
) -> None:
    page = open_page(browser, 1280, scheme)
    page.goto(base_url, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("quantization", delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    found = axe_violations(page)
    assert [(v["id"], len(v["nodes"])) for v in found] == []  # type: ignore[arg-type]
    page.context.close()


def test_bibtex_cart_collects_papers_across_pages_and_downloads_them(
    browser: Browser, base_url: str, seed_site: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = PageWatch(page, base_url)
    page.goto(base_url + "topics/quantization/", wait_until="networkidle")
    ticked = []
    for slug in (
        "kivi-tuning-free-asymmetric-2bit-quantization",
        "accurate-block-quantization-llms-outliers",
    ):
        row = page.locator(f'li.rl-row[data-paper="{slug}"]')
        row.locator("input.rl-cart-toggle").check()
        ticked.append(row.get_attribute("data-key"))
    expect(page.locator(".rl-cart-count")).to_have_text("BibTeX cart: 2 papers")
    page.goto(base_url + "topics/state-space-models/", wait_until="networkidle")
    expect(page.locator(".rl-cart-count")).to_have_text("BibTeX cart: 2 papers")
    row = page.locator('li.rl-row[data-paper="mamba-linear-time-sequence-modeling-selective"]')
    row.locator("input.rl-cart-toggle").check()
    ticked.append(row.get_attribute("data-key"))
    expect(page.locator(".rl-cart-count")).to_have_text("BibTeX cart: 3 papers")
    with page.expect_download() as event:
        page.locator(".rl-cart-download").click()
    text = Path(event.value.path()).read_text(encoding="utf-8")
    expected = "\n".join(
        (seed_site / f"bib/papers/{key}.bib").read_text(encoding="utf-8") for key in sorted(ticked)
    )
    assert text == expected
    library = bibtexparser.parse_string(text)
    assert sorted(e.key for e in library.entries) == sorted(ticked) and library.failed_blocks == []
    page.locator(".rl-cart-clear").click()
    expect(page.locator(".rl-cart")).to_be_hidden()
    watch.assert_clean()
    context.close()
