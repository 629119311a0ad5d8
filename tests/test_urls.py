"""Relative links between generated pages, for both of MkDocs' URL styles."""

from __future__ import annotations

import pytest

from generator.urls import href, page_url


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
    assert page_url(source, True) == directory
    assert page_url(source, False) == flat


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
    assert href(source, target, True) == directory
    assert href(source, target, False) == flat
