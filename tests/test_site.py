"""The shipped seed, generated and built by real MkDocs: every paper reachable and searchable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.paper_page import CITE_MARKER

from .conftest import ROOT, copy_project


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


class Links(HTMLParser):
    """Collects hrefs and the text of <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def linked_papers(page: Path, site: Path) -> set[str]:
    """Slugs of the paper pages a built page links to."""
    found = set()
    papers = (site / "papers").resolve()
    for href in parse(page).hrefs:
        target = (page.parent / href.split("#")[0]).resolve()
        if target.name == "index.html":
            target = target.parent
        if target.parent == papers:
            found.add(target.name)
    return found


@pytest.fixture(scope="module")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("seed"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == []
    return project


def test_every_seed_paper_has_a_page_reachable_from_topics_and_all_papers(built_seed: Path) -> None:
    site = built_seed / "site"
    registry = yaml.safe_load((built_seed / "data/registry.yaml").read_text())["papers"]
    slugs = {r["slug"] for r in registry}
    assert len(slugs) == 96
    pages = {p.parent.name for p in (site / "papers").glob("*/index.html")}
    assert pages == slugs
    from_topics: set[str] = set()
    for topic_page in (site / "topics").glob("*/index.html"):
        from_topics |= linked_papers(topic_page, site)
    assert from_topics == slugs
    assert linked_papers(site / "papers/index.html", site) == slugs


def test_paper_pages_show_authors_and_escape_titles(built_seed: Path) -> None:
    page = built_seed / "site/papers/t3-transparent-tracking-triggering-fine-grained/index.html"
    html = page.read_text(encoding="utf-8")
    links = parse(page)
    assert links.title.startswith(
        "T3: Transparent Tracking & Triggering for Fine-grained Overlap of Compute & Collectives - "
    )
    assert (
        "Suchita Pati, Shaizeen Aga, Mahzabeen Islam, Nuwan Jayasena, Matthew D. Sinclair" in html
    )
    assert "T3: Transparent Tracking &amp; Triggering" in html
    assert " & " not in re.sub(r"<script.*?</script>", "", html, flags=re.S).split("<body", 1)[1]
    assert 'download="pati2024t3.bib"' in html and "pati2024t3" in links.title + html


def test_every_paper_page_shows_its_bib_file_under_cite(built_seed: Path) -> None:
    # The template puts the BibTeX block (front matter HTML) where the content's marker is.
    site = built_seed / "site"
    pages = sorted((site / "papers").glob("*/index.html"))
    assert len(pages) == 96
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert CITE_MARKER not in html, page
        key = re.search(r' download="([^"]+)\.bib"', html).group(1)  # type: ignore[union-attr]
        cite, download, block = (html.find(s) for s in ('id="cite"', ' download="', "rl-bibtex"))
        assert -1 < cite < download < block < html.find('class="rl-about"'), page
        shown = re.search(r'<pre class="rl-bibtex"><code>(.*?)</code>', html, re.S)
        bib = (site / f"bib/papers/{key}.bib").read_text(encoding="utf-8")
        assert shown is not None and unescape(shown.group(1)) == bib.rstrip(), page


def test_search_index_finds_abstract_words_authors_ids_and_keys_but_not_bibtex(
    built_seed: Path,
) -> None:
    index = json.loads((built_seed / "site/search/search_index.json").read_text())
    docs = index["docs"]
    mamba = [
        d
        for d in docs
        if d["location"].startswith("papers/mamba-linear-time-sequence-modeling-selective/")
    ]
    text = " ".join(d["text"] + " " + d["title"] for d in mamba)
    for expected in ("genomics", "Albert Gu", "2312.00752", "gu2023mamba"):
        assert expected in text, expected
    everything = " ".join(d["text"] for d in docs)
    assert "archivePrefix" not in everything
    assert not [d for d in docs if d["location"].startswith(("papers/#", "digests/", "topics/#"))]


def test_generated_docs_build_without_the_hook(built_seed: Path, tmp_path: Path) -> None:
    config = (built_seed / "mkdocs.yml").read_text()
    (built_seed / "mkdocs-nohook.yml").write_text(
        config.replace("hooks:\n  - generator/mkdocs_hook.py\n", "")
    )
    result = mkdocs_build(built_seed, "-f", "mkdocs-nohook.yml", "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "generator:" not in result.stderr
    assert len(list((tmp_path / "site/papers").glob("*/index.html"))) == 96


def test_a_second_build_writes_nothing(built_seed: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (built_seed / "docs").rglob("*") if p.is_file()}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--strict", "--frozen"],
        cwd=built_seed,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "files: 0 written" in result.stdout
    assert {
        p: p.stat().st_mtime_ns for p in (built_seed / "docs").rglob("*") if p.is_file()
    } == before


def test_no_third_party_fonts(built_seed: Path) -> None:
    html = (built_seed / "site/index.html").read_text()
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert (ROOT / "mkdocs.yml").read_text().count("font: false") == 1


class HeadTags(HTMLParser):
    """Collects citation_* meta tags and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").startswith("citation_"):
            self.meta.append((values["name"] or "", values.get("content") or ""))
        self._in_jsonld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False


def test_every_paper_page_carries_correct_citation_tags_and_jsonld(built_seed: Path) -> None:
    from generator.build import gather
    from generator.diagnostics import Diagnostics

    catalog = gather(built_seed / "data", Diagnostics()).catalog
    topics = {t.id: t.name for t in catalog.topics}
    assert len(catalog.papers) == 96
    for paper in catalog.papers:
        tags = HeadTags()
        tags.feed((built_seed / f"site/papers/{paper.slug}/index.html").read_text(encoding="utf-8"))
        expected = [("citation_title", paper.title)]
        expected += [("citation_author", a) for a in paper.authors]
        expected += [("citation_publication_date", str(paper.cited_year))]
        if paper.arxiv:
            expected += [
                ("citation_arxiv_id", paper.arxiv),
                ("citation_pdf_url", f"https://arxiv.org/pdf/{paper.arxiv}"),
            ]
        expected += [("citation_abstract", paper.abstract or "")]
        expected += [("citation_keywords", "; ".join(topics[t] for t in paper.topics))]
        if paper.venue and paper.venue.kind in ("conference", "workshop"):
            expected += [("citation_conference_title", paper.venue.name)]
        if paper.venue and paper.venue.kind == "journal":
            expected += [("citation_journal_title", paper.venue.name)]
        assert tags.meta == expected, paper.slug
        assert len(tags.jsonld) == 1
        ld = json.loads(tags.jsonld[0])
        assert ld["@type"] == "ScholarlyArticle"
        assert (ld["headline"], ld["author"], ld["datePublished"], ld["identifier"]) == (
            paper.title,
            list(paper.authors),
            str(paper.cited_year),
            paper.key,
        )
        assert ld["url"] == f"https://example.org/reading-list/papers/{paper.slug}/"
        assert ld["abstract"] == paper.abstract


def test_canonical_links_404_and_sitemap(built_seed: Path) -> None:
    site = built_seed / "site"
    page = (site / "papers/mamba-linear-time-sequence-modeling-selective/index.html").read_text()
    assert (
        '<link rel="canonical" href="https://example.org/reading-list/papers/mamba-linear-time-sequence-modeling-selective/">'
        in page
    )
    missing = (site / "404.html").read_text()
    assert "404" in missing
    # The 404 page is served at any depth, so its links are absolute, and well formed.
    assert 'href="/reading-list/feeds/all.xml"' in missing
    assert "//feeds" not in missing
    assert 'href="../../feeds/all.xml"' in page
    sitemap = (site / "sitemap.xml").read_text()
    assert sitemap.count("<loc>https://example.org/reading-list/papers/") == 97
