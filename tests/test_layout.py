"""The one map of the output: paths, and page URLs for both of MkDocs' URL styles."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from generator import layout
from generator.layout import Urls

DIRECTORY = Urls("https://example.org/list/", True)
FLAT = Urls("https://example.org/list/", False)


@pytest.mark.parametrize(
    ("source", "directory", "flat"),
    [
        ("index.md", "", ""),
        ("papers/index.md", "papers/", "papers/"),
        ("papers/mamba.md", "papers/mamba/", "papers/mamba.html"),
        ("topics/vision/2025-03.md", "topics/vision/2025-03/", "topics/vision/2025-03.html"),
    ],
)
def test_page_url(source: str, directory: str, flat: str) -> None:
    assert DIRECTORY.page(source) == directory
    assert FLAT.page(source) == flat


@pytest.mark.parametrize(
    ("source", "target", "directory", "flat"),
    [
        ("topics/vision.md", "papers/mamba.md", "../../papers/mamba/", "../papers/mamba.html"),
        (
            "topics/vision/2025-03.md",
            "papers/mamba.md",
            "../../../papers/mamba/",
            "../../papers/mamba.html",
        ),
        ("index.md", "papers/mamba.md", "papers/mamba/", "papers/mamba.html"),
        ("papers/index.md", "papers/mamba.md", "mamba/", "mamba.html"),
        ("digests/2025-03-20.md", "papers/mamba.md", "../../papers/mamba/", "../papers/mamba.html"),
    ],
)
def test_href(source: str, target: str, directory: str, flat: str) -> None:
    assert DIRECTORY.href(source, target) == directory
    assert FLAT.href(source, target) == flat


def test_absolute_page_urls_follow_the_url_style() -> None:
    page = layout.paper_page("mamba")
    assert DIRECTORY.absolute(page) == "https://example.org/list/papers/mamba/"
    assert FLAT.absolute(page) == "https://example.org/list/papers/mamba.html"


@pytest.mark.parametrize(
    ("source", "target", "link"),
    [
        (layout.paper_page("mamba"), layout.topic_page("vision"), "../topics/vision.md"),
        (
            layout.paper_page("mamba"),
            layout.paper_bib("gu2023mamba"),
            "../bib/papers/gu2023mamba.bib",
        ),
        (layout.HOME_PAGE, layout.ALL_BIB, "bib/all.bib"),
        (layout.topic_month_page("vision", "2025-03"), layout.topic_page("vision"), "../vision.md"),
    ],
)
def test_markdown_links_are_relative_between_sources(source: str, target: str, link: str) -> None:
    assert layout.md_link(source, target) == link


@pytest.mark.parametrize(
    ("path", "generated"),
    [
        ("papers/mamba.md", True),
        ("bib/topics/vision.bib", True),
        ("index.md", False),
        ("papers/../index.md", False),
        ("assets/reading-list.css", False),
        ("papers/Upper.md", False),
    ],
)
def test_only_safe_paths_inside_the_owned_folders_are_generated(path: str, generated: bool) -> None:
    assert layout.is_generated(path) is generated


def test_the_template_names_the_feeds_where_layout_puts_them() -> None:
    # overrides/main.html links the whole-list feeds on every page, hand-written ones too, so
    # it spells their paths: they must stay those of the one map.
    template = (Path(__file__).resolve().parent.parent / "overrides/main.html").read_text()
    for feed in (layout.ALL_FEED, layout.ALL_JSON_FEED):
        assert f"href=\"{{{{ '{feed}' | url }}}}\"" in template


SOURCES = [
    "index.md",
    "about.md",
    "papers/index.md",
    "papers/mamba.md",
    "topics/vision.md",
    "topics/vision/2025-03.md",
    "digests/2025-03-20.md",
    "bib/papers/gu2023mamba.bib",
    "bib/all.bib",
    "feeds/topics/vision.xml",
]


@pytest.mark.parametrize("source", SOURCES)
def test_markdown_links_agree_with_relpath(source: str) -> None:
    for target in SOURCES:
        expected = posixpath.relpath(target, posixpath.dirname(source) or ".")
        assert layout.md_link(source, target) == expected, target
