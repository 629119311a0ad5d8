"""Links found in abstracts: trimmed of sentence punctuation, classified as code or project."""

from __future__ import annotations

import pytest

from generator.catalog import links
from generator.curation import PaperEntry
from generator.links import abstract_links, link_kind, trim_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "https://github.com/pavlyhalim/GPPerf].",
            "https://github.com/pavlyhalim/GPPerf",
            id="bracket_and_period",
        ),
        pytest.param("https://t3.alanz.info.", "https://t3.alanz.info", id="period"),
        pytest.param(
            "https://x.org/designbench.pdf?download=",
            "https://x.org/designbench.pdf?download=",
            id="significant_equals",
        ),
        pytest.param(
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            id="balanced_parenthesis_kept",
        ),
        pytest.param("https://x.org/a),", "https://x.org/a", id="unbalanced_parenthesis_and_comma"),
        pytest.param("https://x.org/a;", "https://x.org/a", id="semicolon"),
    ],
)
def test_trim_url(raw: str, expected: str) -> None:
    assert trim_url(raw) == expected


def test_abstract_links_are_distinct_and_classified() -> None:
    text = (
        "Code at https://github.com/pavlyhalim/GPPerf]. Models on https://huggingface.co/x/y, "
        "see https://gitlab.com/a/b and https://t3.alanz.info. Again https://github.com/pavlyhalim/GPPerf."
    )
    found = [(link.url, link.kind) for link in abstract_links(text)]
    assert found == [
        ("https://github.com/pavlyhalim/GPPerf", "code"),
        ("https://huggingface.co/x/y", "code"),
        ("https://gitlab.com/a/b", "code"),
        ("https://t3.alanz.info", "project"),
    ]


def test_only_http_links() -> None:
    assert abstract_links("ftp://x.org/a javascript:alert(1) http:// and nothing") == []
    assert link_kind("https://www.github.com/a") == "code"
    assert link_kind("https://a.github.io/") == "project"


def test_a_papers_links_are_arxivs_then_the_abstracts_then_the_curators_each_once() -> None:
    abstract = (
        "Code: https://github.com/a/b. See also https://arxiv.org/abs/2401.00001 and "
        "https://example.org/site"
    )
    entry = PaperEntry(
        links=(("https://github.com/a/b", "Repo"), ("https://example.org/slides", "Slides"))
    )
    for _ in range(2):  # the second time from the memo: the same answer
        found = [(link.url, link.kind) for link in links(abstract, "2401.00001", entry)]
        assert found == [
            ("https://arxiv.org/abs/2401.00001", "arxiv"),
            ("https://arxiv.org/pdf/2401.00001", "pdf"),
            ("https://huggingface.co/papers/2401.00001", "huggingface"),
            ("https://github.com/a/b", "code"),
            ("https://example.org/site", "project"),
            ("https://example.org/slides", "extra"),
        ]
    assert [link.url for link in links(abstract, None, PaperEntry())] == [
        "https://github.com/a/b",
        "https://arxiv.org/abs/2401.00001",
        "https://example.org/site",
    ]
    assert links(None, None, PaperEntry()) == ()
