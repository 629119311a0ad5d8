"""The curated YAML's schema: every error names the file, the line, the entry and the key."""

from __future__ import annotations

import pytest

from generator.config import display_path
from generator.diagnostics import DataError

from .conftest import Project, abstract


def errors_for(project: Project, name: str, text: str) -> list[str]:
    project.digest(
        "2025-03-20.txt",
        [("Vision Paper", abstract()), ("Language Paper", abstract("About language models"))],
    )
    project.write(name, text)
    with pytest.raises(DataError) as failure:
        project.build()
    prefix = display_path(project.data) + "/"
    return [str(d).replace(prefix, "") for d in failure.value.diagnostics.errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "papers:\n  - title: No Such Paper\n    notes: x\n",
            [
                "papers.yaml:2: error: entry 'No Such Paper': no paper in any digest has this title: title 'No Such Paper'"
            ],
            id="unknown_paper_by_title",
        ),
        pytest.param(
            "papers:\n  - slug: no-such-slug\n",
            [
                "papers.yaml:2: error: entry 'no-such-slug': no paper in any digest has this slug: slug 'no-such-slug'"
            ],
            id="unknown_paper_by_slug",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    year: twenty\n    authors: Ann\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': year: expected a year such as 2025, found text 'twenty'",
                "papers.yaml:4: error: entry 'Vision Paper': authors: expected a list, found text 'Ann'",
            ],
            id="wrong_types",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    pin_slug: ../../etc\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': pin_slug: expected a slug of lowercase ASCII letters, digits and '-' (at most 80 characters), found text '../../etc'"
            ],
            id="slug_with_traversal",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    pin_slug: Vision\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': pin_slug: expected a slug of lowercase ASCII letters, digits and '-' (at most 80 characters), found text 'Vision'"
            ],
            id="uppercase_slug",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    pin_slug: nul\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': pin_slug: 'nul' is a reserved file name on Windows"
            ],
            id="windows_reserved_slug",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    add_topics: [nonsense]\n",
            ["papers.yaml:2: error: entry 'Vision Paper': add_topics: unknown topic 'nonsense'"],
            id="unknown_topic_in_override",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    colour: blue\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': unknown key 'colour'; known keys: add_topics, arxiv, authors, confidence, display_title, doi, exclude, links, notes, pages, pin_slug, primary_class, remove_topics, slug, source, title, venue, venue_source, year"
            ],
            id="unknown_key",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    arxiv: 2312.752\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': arxiv: expected an arXiv id in quotes, such as '2312.00752', found the number 2312.752 (unquoted, YAML drops an id's trailing zeros)"
            ],
            id="unquoted_arxiv_id_lost_a_zero",
        ),
        pytest.param(
            # 2502.0993 would still look like an id (of 2015's four-digit shape): never a number.
            "papers:\n  - title: Vision Paper\n    arxiv: 2502.09930\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': arxiv: expected an arXiv id in quotes, such as '2312.00752', found the number 2502.0993 (unquoted, YAML drops an id's trailing zeros)"
            ],
            id="unquoted_arxiv_id_that_still_looks_valid",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n  - title: vision paper\n",
            [
                "papers.yaml:3: error: entry 'vision paper': the paper is curated twice; see papers.yaml:2"
            ],
            id="curated_twice",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    slug: vision-paper\n",
            [
                "papers.yaml:2: error: entry 'Vision Paper': name the paper by exactly one of 'title' or 'slug'"
            ],
            id="title_and_slug",
        ),
        pytest.param(
            "papers: [unclosed\n",
            [
                "papers.yaml:1: error: not valid YAML: did not find expected ',' or ']' at line 2, column 1, while parsing a flow sequence that starts at line 1, column 9"
            ],
            id="not_yaml",
        ),
        pytest.param(
            "papers:\n  - !!python/object:os.system {}\n",
            [
                "papers.yaml:2: error: not valid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system' at line 2, column 5"
            ],
            id="python_object_tag_refused",
        ),
        pytest.param(
            "- a\n- b\n",
            ["papers.yaml:1: error: expected a mapping with a single key 'papers' holding a list"],
            id="wrong_shape",
        ),
        pytest.param(
            "papers: {}\n",
            ["papers.yaml:1: error: 'papers' must hold a list"],
            id="an_empty_mapping_is_not_a_list",
        ),
        pytest.param(
            "papers:\n  - title: Vision Paper\n    links: [{url: 'javascript:alert(1)'}]\n",
            [
                "papers.yaml:3: error: entry 'Vision Paper': links: expected an http(s) URL, found 'javascript:alert(1)'"
            ],
            id="javascript_link",
        ),
    ],
)
def test_bad_papers_yaml(project: Project, text: str, expected: list[str]) -> None:
    assert errors_for(project, "papers.yaml", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "topics:\n  - id: a\n    name: A\n    description: D\n    match:\n      title: ['*bad']\n",
            [
                "topics.yaml:6: error: topic 'a': match: title: bad match term '*bad': use words or phrases of letters and digits, optionally ending in '*'"
            ],
            id="bad_rule",
        ),
        pytest.param(
            "topics:\n  - id: a\n    name: A\n    description: D\n    match:\n      abstract: [x]\n",
            [
                "topics.yaml:6: error: topic 'a': match: unknown key 'abstract'; known keys: not_title, text, title"
            ],
            id="unknown_rule_kind",
        ),
        pytest.param(
            "topics:\n  - id: Bad Id\n    name: A\n    description: D\n",
            [
                "topics.yaml:2: error: topic 'Bad Id': id: expected a topic id of lowercase ASCII letters, digits and '-' (at most 80 characters), found text 'Bad Id'"
            ],
            id="bad_id",
        ),
        pytest.param(
            "topics:\n  - id: a\n    name: A\n",
            ["topics.yaml:2: error: topic 'a': missing description"],
            id="missing_description",
        ),
        pytest.param(
            "topics:\n  - {id: a, name: A, description: D}\n  - {id: a, name: B, description: E}\n",
            ["topics.yaml:3: error: topic 'a': id 'a' is used twice"],
            id="duplicate_id",
        ),
        pytest.param(
            "topics:\n  - {id: index, name: A, description: D}\n"
            "  - {id: uncategorized, name: B, description: E}\n",
            [
                "topics.yaml:2: error: topic 'index': id 'index' is reserved (the page that "
                "lists the topics); choose another",
                "topics.yaml:3: error: topic 'uncategorized': id 'uncategorized' is reserved "
                "(the papers no topic matched); choose another",
            ],
            id="reserved_ids",
        ),
    ],
)
def test_bad_topics_yaml(project: Project, text: str, expected: list[str]) -> None:
    assert errors_for(project, "topics.yaml", text) == expected


def test_all_errors_are_reported_at_once(project: Project) -> None:
    found = errors_for(
        project,
        "papers.yaml",
        "papers:\n  - title: Nope\n  - title: Vision Paper\n    year: 1\n  - title: Language Paper\n    arxiv: x\n",
    )
    assert len(found) == 3
