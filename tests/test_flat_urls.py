"""A flat-URL build (``use_directory_urls: false``) of the seed plus a paper with no id, venue
or links: every internal link resolves, and every site URL in a ``.bib`` names a real page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import abstract, copy_project, digest_text
from .test_site import mkdocs_build, parse

SITE_URL = "https://example.org/flat-list/"
BARE = "Quantization Without a Paper Trail"
"""A paper with authors, but no arXiv id, venue or links."""


@pytest.fixture(scope="module")
def flat_site(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: None) -> Path:
    project = copy_project(tmp_path_factory.mktemp("flat"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "\nuse_directory_urls: false\n")
    with (project / "data/papers.yaml").open("a", encoding="utf-8") as papers:
        papers.write(f"- title: {BARE}\n  authors: [Ada Lovelace]\n")
    (project / "data/digests/2025-03-21.txt").write_text(
        digest_text([(BARE, abstract("We study quantization with no links at all"))], "Mar 21")
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def monkeypatch_module() -> object:
    patch = pytest.MonkeyPatch()
    patch.setenv("SITE_URL", SITE_URL)
    yield
    patch.undo()


def resolves(site: Path, page: Path, href: str) -> bool:
    """Whether a link from a built page (relative, or absolute under the site's path, as on
    404.html) names a file of the site."""
    path = unquote(href.split("#")[0].split("?")[0])
    root = urlsplit(SITE_URL).path
    if path.startswith("/"):
        if not path.startswith(root):
            return False
        target = (site / path.removeprefix(root)).resolve()
    else:
        target = (page.parent / path).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target.is_file() and site.resolve() in target.parents


def test_every_internal_link_of_the_flat_site_resolves(flat_site: Path) -> None:
    pages = sorted(flat_site.rglob("*.html"))
    assert (flat_site / "papers/quantization-without-paper-trail.html").is_file()
    assert not (flat_site / "papers/quantization-without-paper-trail").exists()
    broken = []
    checked = 0
    for page in pages:
        for href in parse(page).hrefs:
            scheme = urlsplit(href).scheme
            if scheme or href.startswith(("#", "//")):
                continue
            checked += 1
            if not resolves(flat_site, page, href):
                broken.append(f"{page.relative_to(flat_site)} -> {href}")
    assert broken == []
    assert checked > 96 * 5


def test_every_site_url_in_a_bib_names_a_page_that_exists(flat_site: Path) -> None:
    urls = []
    for bib in sorted(flat_site.rglob("*.bib")):
        urls += re.findall(re.escape(SITE_URL) + r"[^\s}]*", bib.read_text(encoding="utf-8"))
    assert urls, "the bare paper's entry should fall back to its page on this site"
    assert f"{SITE_URL}papers/quantization-without-paper-trail.html" in urls
    missing = [u for u in urls if not (flat_site / u.removeprefix(SITE_URL)).is_file()]
    assert missing == []
