"""Merging digests and curation into one catalog."""

from __future__ import annotations

import dataclasses
import pickle
import shutil

import pytest

from generator.build import gather
from generator.config import display_path
from generator.diagnostics import Diagnostics

from .conftest import ROOT, Project, abstract, rl_data, shape_warnings


def warnings(project: Project, summary) -> list[str]:
    prefix = display_path(project.data) + "/"
    return [w.replace(prefix, "") for w in shape_warnings(summary)]


def empty_topics(project: Project, summary) -> list[str]:
    prefix = display_path(project.data) + "/"
    return [str(w).replace(prefix, "") for w in summary.warnings if "holds no paper" in str(w)]


def test_same_paper_in_two_digests_merges_quietly(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.digest("2025-03-21.txt", [("VISION  paper", abstract())], "Mar 21")
    summary = project.build_clean()
    assert summary.papers == 1
    assert (
        'Listed in the digests of <a href="../../digests/2025-03-20/">2025-03-20</a>, '
        '<a href="../../digests/2025-03-21/">2025-03-21</a>.'
        in rl_data(project.docs / "papers/vision-paper.md")["about"]
    )
    for digest in ("2025-03-20", "2025-03-21"):
        assert "@misc{vision2025," in (project.docs / f"bib/digests/{digest}.bib").read_text()


def test_same_paper_twice_in_one_digest_warns_naming_both(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract()), ("Vision Paper.", abstract())])
    summary = project.build()
    assert summary.papers == 1
    assert warnings(project, summary) == [
        "digests/2025-03-20.txt:15: warning: same paper as digests/2025-03-20.txt:11 in the same digest; merged"
    ]


def test_same_title_different_abstract_keeps_the_earliest(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract("First text"))])
    project.digest("2025-03-21.txt", [("Vision Paper", abstract("Second text"))], "Mar 21")
    summary = project.build()
    assert warnings(project, summary) == [
        "digests/2025-03-21.txt:11: warning: same title as digests/2025-03-20.txt:11 with a different abstract; keeping the earlier one"
    ]
    page = (project.docs / "papers/vision-paper.md").read_text()
    assert "First text" in page and "Second text" not in page


def test_excluded_paper_is_accounted_for(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract()), ("Vision Spam", abstract())])
    project.write(
        "papers.yaml", "papers:\n  - title: Vision Spam\n    exclude: not a paper, an advert\n"
    )
    summary = project.build_clean()
    assert summary.papers == 1
    assert [(e.title, e.reason) for e in summary.excluded] == [
        ("Vision Spam", "not a paper, an advert")
    ]
    assert "excluded: 'Vision Spam' (not a paper, an advert)" in "\n".join(summary.lines())
    assert not list(project.docs.glob("papers/vision-spam*"))


def test_overrides_win_and_reasons_are_shown(project: Project) -> None:
    project.digest(
        "2025-03-20.txt", [("Vision Paper", abstract("It is about large language models"))]
    )
    project.write(
        "papers.yaml",
        "papers:\n  - title: Vision Paper\n    remove_topics: [vision]\n    add_topics: [vision]\n",
    )
    project.build()
    page = (project.docs / "papers/vision-paper.md").read_text()
    assert "In <em>Language</em> because its abstract mentions “language models”." in page
    assert "In <em>Vision</em> because the curator put it there." in page


def test_unmatched_paper_goes_to_uncategorized_with_a_warning(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Something Else Entirely", abstract())])
    summary = project.build()
    assert warnings(project, summary) == [
        "digests/2025-03-20.txt:11: warning: no topic matched 'Something Else Entirely'; placed in Uncategorized"
    ]
    assert (
        '<li class="rl-row" data-paper="something-else-entirely" data-key="something2025" '
        'data-bib="../../bib/papers/something2025.bib" data-year="2025" data-venue="" '
        'data-code="no" data-topics="uncategorized"><a class="rl-title" '
        'href="../../papers/something-else-entirely/">'
        in rl_data(project.docs / "topics/uncategorized.md")["listing"]
    )


def test_curated_fields_reach_the_page(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract("See https://github.com/a/b]."))])
    project.write(
        "papers.yaml",
        """
        papers:
          - title: Vision Paper
            display_title: "Vision Paper: Corrected"
            authors: [Ann Smith, Bob Jones]
            year: 2024
            arxiv: '2401.00001'
            venue: CVPR 2024
            notes: "Read section 3 first.\\n\\nThen https://example.org/x."
            links: [{url: "https://example.org/slides", label: Slides}]
        """,
    )
    # This project's venues.yaml has no rule for CVPR: cited as @misc, with a warning.
    (warning,) = shape_warnings(project.build())
    assert warning.endswith(
        "papers.yaml:2: warning: venue 'CVPR 2024' of 'Vision Paper' matches no rule of "
        "venues.yaml, so it is cited as @misc with the venue in a note; check its spelling, "
        "or add a rule for it"
    )
    page = (project.docs / "papers/vision-paper.md").read_text()
    for expected in [
        "# Vision Paper: Corrected",
        '<span class="rl-authors">Ann Smith, Bob Jones</span><br>'
        '<span class="rl-facts">CVPR 2024 · arXiv 2024</span>',
        'href="https://arxiv.org/abs/2401.00001"',
        'href="https://arxiv.org/pdf/2401.00001"',
        'href="https://huggingface.co/papers/2401.00001"',
        'rl-link--code"><a href="https://github.com/a/b">',
        '<a href="https://example.org/slides">Slides</a>',
        "Read section 3 first.",
        '<a href="https://example.org/x">https://example.org/x</a>',
        "{smith2024vision,",
    ]:
        assert expected in page, expected
    # The About block is front matter data, which the template renders.
    about = rl_data(project.docs / "papers/vision-paper.md")["about"]
    assert "Authors, year, arXiv id, venue from the curator." in about


@pytest.mark.parametrize(
    ("venue", "kind", "field"),
    [
        ("ICLR 2025", "inproceedings", "{ICLR}"),
        (
            "NeurIPS 2022 Workshop on Machine Learning for Systems",
            "inproceedings",
            "booktitle = {{NeurIPS Workshop on Machine Learning for Systems}}",
        ),
        (
            "IEEE Transactions on Emerging Topics in Computational Intelligence (2023)",
            "article",
            "journal = {{IEEE Transactions on Emerging Topics in Computational Intelligence}}",
        ),
        ("Some Unknown Venue", "misc", "note = {Some Unknown Venue}"),
    ],
)
def test_venue_decides_the_entry_type(project: Project, venue: str, kind: str, field: str) -> None:
    shutil.copy(ROOT / "data/venues.yaml", project.data / "venues.yaml")
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.write(
        "papers.yaml",
        f"papers:\n  - title: Vision Paper\n    authors: [Ann Smith]\n    year: 2022\n    venue: {venue}\n",
    )
    project.build()
    bib = (project.docs / "bib/papers/smith2022vision.bib").read_text()
    assert bib.startswith(f"@{kind}{{smith2022vision,")
    assert field in bib


def test_large_topics_list_their_papers_by_month(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.listings

    monkeypatch.setattr(generator.listings, "GROUP_TOPICS_ABOVE", 2)
    project.digest(
        "2025-03-30.txt", [("Vision One", abstract()), ("Vision Two", abstract())], "Mar 30"
    )
    project.digest("2025-04-02.txt", [("Vision Three", abstract())], "Apr 2")
    project.build_clean()
    index = (project.docs / "topics/vision.md").read_text()
    assert "- [April 2025](vision/2025-04.md) (1)\n- [March 2025](vision/2025-03.md) (2)\n" in index
    march = rl_data(project.docs / "topics/vision/2025-03.md")["listing"]
    assert (
        'href="../../../papers/vision-one/"' in march
        and 'href="../../../papers/vision-two/"' in march
    )
    assert "vision-three" not in march
    project.digest(
        "2025-04-02.txt", [("Vision Three", abstract()), ("Vision Four", abstract())], "Apr 2"
    )
    before = (project.docs / "topics/vision/2025-03.md").stat().st_mtime_ns
    project.build()
    assert (
        project.docs / "topics/vision/2025-03.md"
    ).stat().st_mtime_ns == before  # one group changes
    assert (
        "(2)"
        in (project.docs / "topics/vision.md").read_text().split("April 2025")[1].splitlines()[0]
    )


def test_curator_values_win_over_enriched_ones_field_by_field(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.write(
        "enriched.yaml",
        """
        papers:
        - title: Vision Paper
          status: found
          arxiv: '2401.00001'
          authors: [Machine Found]
          year: 2023
          venue: CVPR 2024
          venue_kind: conference
          venue_year: 2024
          doi: 10.1109/CVPR.2024.1
          provenance:
          - {source: arxiv, url: 'https://export.arxiv.org/api/query?x', method: title-exact, score: 100.0, fetched: '2026-11-30'}
          - {source: dblp, url: 'https://dblp.org/search/publ/api?q=x', method: title-exact, score: 100.0, fetched: '2026-11-30'}
        """,
    )
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    authors: [Ann Curator]\n")
    project.build()
    bib = (project.docs / "bib/papers/curator2023vision.bib").read_text()
    assert "author = {Ann Curator}" in bib and "Machine Found" not in bib
    assert "eprint = {2401.00001}" in bib and "doi = {10.1109/CVPR.2024.1}" in bib
    assert bib.startswith("@inproceedings{curator2023vision,") and "year = {2024}" in bib
    about = rl_data(project.docs / "papers/vision-paper.md")["about"]
    assert "Authors from the curator." in about
    assert any(
        line.startswith("arXiv id, first-version year from arXiv's API (same title")
        for line in about
    )
    assert any("DBLP, which lists it as a conference paper" in line for line in about)


def test_a_paper_hashes_by_its_fields_once_and_never_pickles_the_hash() -> None:
    paper = gather(ROOT / "data", Diagnostics()).catalog.papers[0]
    same = dataclasses.replace(paper)
    assert same == paper and hash(same) == hash(paper)
    edited = dataclasses.replace(paper, notes="A note.")
    assert edited != paper and hash(edited) != hash(paper)
    assert hash(paper) == hash(tuple(getattr(paper, f.name) for f in dataclasses.fields(paper)))
    assert "_hash" not in vars(pickle.loads(pickle.dumps(paper)))  # another process: its own


def test_two_papers_with_one_arxiv_id_or_doi_warn_where_each_id_was_given(project: Project) -> None:
    project.digest(
        "2025-03-20.txt",
        [("Vision Paper", abstract()), ("Language Paper", abstract()), ("Third Paper", abstract())],
    )
    project.write(
        "enriched.yaml",
        """
        papers:
        - title: Language Paper
          status: found
          arxiv: '2401.00001'
          doi: 10.1000/abc
          authors: [Machine Found]
          year: 2024
        """,
    )
    project.write(
        "papers.yaml",
        "papers:\n  - title: Vision Paper\n    authors: [Ann Lee]\n    arxiv: '2401.00001'\n"
        "  - title: Third Paper\n    authors: [Bo Li]\n    arxiv: '2401.00002'\n"
        "    doi: 10.1000/ABC\n",
    )
    summary = project.build()
    assert summary.papers == 3  # a warning: both papers still reach the site
    assert sorted(w for w in warnings(project, summary) if "DOI" in w) == [
        "digests/2025-03-20.txt:15: warning: DOI 10.1000/abc of 'Language Paper' is also the "
        "DOI of 'Third Paper' (papers.yaml:5); correct the wrong one, or exclude one if they "
        "are the same paper",
        "papers.yaml:5: warning: DOI 10.1000/ABC of 'Third Paper' is also the DOI of 'Language "
        "Paper' (digests/2025-03-20.txt:15); correct the wrong one, or exclude one if they are "
        "the same paper",
    ]
    assert sorted(w for w in warnings(project, summary) if "arXiv id" in w) == [
        "digests/2025-03-20.txt:15: warning: arXiv id 2401.00001 of 'Language Paper' is also "
        "the arXiv id of 'Vision Paper' (papers.yaml:2); correct the wrong one, or exclude one "
        "if they are the same paper",
        "papers.yaml:2: warning: arXiv id 2401.00001 of 'Vision Paper' is also the arXiv id of "
        "'Language Paper' (digests/2025-03-20.txt:15); correct the wrong one, or exclude one "
        "if they are the same paper",
    ]


def test_a_topic_that_holds_no_paper_warns_at_its_definition(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    summary = project.build()
    assert empty_topics(project, summary) == [
        "topics.yaml:7: warning: topic 'language' holds no paper: no rule matched one and no "
        "entry of papers.yaml adds it; its page lists none"
    ]
    # Its page still exists, and says so.
    assert "**0 papers**" in (project.docs / "topics/language.md").read_text()
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    add_topics: [language]\n")
    summary = project.build()
    assert not empty_topics(project, summary)


def test_a_paper_that_loses_its_authors_keeps_its_frozen_key_and_says_so(
    project: Project,
) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    authors: [Ann Lee]\n")
    project.build()
    project.write("papers.yaml", "papers: []\n")
    summary = project.build()
    prefix = display_path(project.data) + "/"
    assert [str(w).replace(prefix, "") for w in summary.warnings if "no authors" in str(w)] == [
        "digests/2025-03-20.txt:11: warning: no authors for 'Vision Paper' (its cite key "
        "lee2025vision is kept as the registry froze it); run `python -m generator enrich`, "
        "or give them in papers.yaml"
    ]
    assert (project.docs / "bib/papers/lee2025vision.bib").exists()


def test_the_papers_texts_are_handed_on_once_named_as_the_catalog_holds_them(
    project: Project,
) -> None:
    """The related lists start from these rows, before topics and venues are placed."""
    project.digest(
        "2025-03-20.txt",
        [("Vision Paper", abstract()), ("Another Vision Paper", abstract()), ("Zed", None)],
    )
    project.write(
        "papers.yaml",
        """
        papers:
          - title: Vision Paper
            display_title: "Vision Paper: Corrected"
        """,
    )
    handed: list[list[tuple[str, str, str | None]]] = []
    catalog = gather(project.data, Diagnostics(), named=lambda rows: handed.append(rows)).catalog
    assert handed == [[(p.slug, p.title, p.abstract) for p in catalog.papers]]
    assert "Vision Paper: Corrected" in [title for _, title, _ in handed[0]]
    assert None in [text for _, _, text in handed[0]]
