"""Exports: CSL-JSON against its schema, RIS read back with rispy, papers.json, and feeds."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
import rispy

from generator import layout
from generator.capitals import ProperNouns
from generator.catalog_json import VERSION
from generator.csl import rich_title
from generator.feeds import xml_text

from .citing_outputs import render_cited
from .conftest import ROOT, Project, abstract
from .test_bibtex import TRICKY, tricky_project

SCHEMA = json.loads((Path(__file__).parent / "schemas/csl-data.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed() -> dict[str, str]:
    return render_cited(ROOT / "data", ROOT / "mkdocs.yml")


@pytest.fixture
def tricky(project: Project) -> Project:
    return tricky_project(project)


def exports(docs: Path, suffix: str) -> list[Path]:
    return sorted(p for p in docs.rglob(f"*{suffix}") if p.is_file())


def test_every_export_path_is_generated(seed: dict[str, str]) -> None:
    assert all(layout.is_generated(path) for path in seed)
    for path in (layout.ALL_CSL, layout.ALL_RIS, layout.PAPERS_JSON, layout.ALL_FEED):
        assert path in seed


def test_csl_json_passes_its_schema(seed: dict[str, str], tricky: Project) -> None:
    files = [text for path, text in seed.items() if path.endswith(".csl.json")]
    files += [p.read_text(encoding="utf-8") for p in exports(tricky.docs, ".csl.json")]
    assert len(files) > 20
    for text in files:
        jsonschema.validate(json.loads(text), SCHEMA)


def test_csl_json_protects_words_with_nocase(seed: dict[str, str]) -> None:
    items = {item["id"]: item for item in json.loads(seed[layout.ALL_CSL])}
    assert len(items) == 96
    titles = "\n".join(item["title"] for item in items.values())
    for word in ("W4A4KV4", "SN40L", "Hopper", "Lovelace"):
        assert f'<span class="nocase">{word}</span>' in titles, word
    assert '<span class="nocase">M<sup>3</sup>ViT</span>' in titles
    assert "Multi-Task" in titles and '"nocase">Multi' not in titles
    mamba = items["gu2023mamba"]
    assert mamba["type"] == "paper-conference"
    assert mamba["container-title"] == (
        'Proceedings of the <span class="nocase">Conference on Language Modeling (COLM)</span>'
    )
    assert mamba["issued"] == {"date-parts": [[2024]]}
    assert mamba["author"] == [
        {"given": "Albert", "family": "Gu"},
        {"given": "Tri", "family": "Dao"},
    ]


def test_csl_titles_keep_hostile_text_as_text() -> None:
    title = "<script>alert(1)</script> & 50% {x}"
    assert rich_title(title, ProperNouns()) == title  # citeproc reads no entities: no &amp;


def test_csl_json_of_hostile_titles_reads_back(tricky: Project) -> None:
    items = json.loads((tricky.docs / layout.ALL_CSL).read_text(encoding="utf-8"))
    titles = {item["title"] for item in items}
    assert "<script>alert(1)</script> &amp; </title> in a title" not in titles
    assert "<script>alert(1)</script> & </title> in a title" in titles
    assert "A title with an unbalanced } brace" in titles
    assert 'A "quoted" Multi-Task title on <span class="nocase">NVIDIA</span> Hopper' in titles


def test_ris_reads_back_with_rispy(seed: dict[str, str], tricky: Project) -> None:
    entries = rispy.loads(seed[layout.ALL_RIS])
    assert len(entries) == 96
    mamba = next(e for e in entries if e["id"] == "gu2023mamba")
    assert mamba["type_of_reference"] == "CPAPER"
    assert mamba["authors"] == ["Gu, Albert", "Dao, Tri"]
    assert mamba["year"] == "2024"
    assert mamba["secondary_title"] == "Proceedings of the Conference on Language Modeling (COLM)"
    assert mamba["urls"] == ["https://arxiv.org/abs/2312.00752"]
    back = rispy.loads((tricky.docs / layout.ALL_RIS).read_text(encoding="utf-8"))
    assert sorted(e["title"] for e in back) == sorted(title for title, _ in TRICKY)
    names = {a for e in back for a in e.get("authors", [])}
    assert "van der Berg, Ludwig" in names and "Staniszewski, Łukasz" in names
    for path in exports(tricky.docs, ".ris"):
        rispy.loads(path.read_text(encoding="utf-8"))
        assert not path.read_text().startswith("1.")


def test_ris_values_stay_on_one_line(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.write(
        "papers.yaml",
        'papers:\n  - title: Vision Paper\n    authors: ["Ann\\nSmith"]\n    venue: "Odd\\tVenue"\n',
    )
    project.build()
    text = (project.docs / layout.ALL_RIS).read_text()
    assert "AU  - Smith, Ann\n" in text and "N1  - Odd Venue\n" in text


def test_papers_json_is_the_catalog(seed: dict[str, str]) -> None:
    document = json.loads(seed[layout.PAPERS_JSON])
    assert document["version"] == VERSION == 1
    assert len(document["papers"]) == 96
    mamba = next(p for p in document["papers"] if p["key"] == "gu2023mamba")
    assert mamba["slug"] and mamba["topics"] and mamba["digests"] == ["2025-03-20"]
    assert mamba["venue"]["series"] == "Conference on Language Modeling"
    assert mamba["year"] == 2024 and mamba["first_version_year"] == 2023
    assert mamba["url"].endswith(f"papers/{mamba['slug']}/")
    assert mamba["bib"].endswith("bib/papers/gu2023mamba.bib")
    expected = {
        "slug", "key", "title", "digest_title", "authors", "year", "first_version_year", "venue",
        "arxiv", "primary_class", "doi", "pages", "abstract", "notes", "links", "topics",
        "topic_reasons", "digests", "sources", "url", "bib",
    }  # fmt: skip
    assert all(set(p) == expected for p in document["papers"])
    listed = {slug for topic in document["topics"] for slug in topic["papers"]}
    assert listed == {p["slug"] for p in document["papers"]}
    assert document["digests"][0]["date"] == "2025-03-20"


def test_papers_json_keeps_hostile_titles(tricky: Project) -> None:
    document = json.loads((tricky.docs / layout.PAPERS_JSON).read_text(encoding="utf-8"))
    assert sorted(p["title"] for p in document["papers"]) == sorted(t for t, _ in TRICKY)


def test_two_builds_give_byte_identical_exports(project: Project, tmp_path: Path) -> None:
    tricky_project(project)
    first = project.snapshot("docs/bib", "docs/feeds")
    (project.docs / ".generator-manifest.json").unlink()
    for path in project.docs.glob("feeds/**/*"):
        if path.is_file():
            path.unlink()
    project.build()
    assert project.snapshot("docs/bib", "docs/feeds") == first


def feeds(docs: Path) -> list[Path]:
    return sorted((docs / "feeds").rglob("*.xml"))


def test_every_feed_parses_without_bozo(tricky: Project) -> None:
    paths = feeds(tricky.docs)
    assert [p.relative_to(tricky.docs).as_posix() for p in paths][:1] == [layout.ALL_FEED]
    for path in paths:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    parsed = feedparser.parse((tricky.docs / layout.ALL_FEED).read_bytes())
    assert len(parsed.entries) == len(TRICKY)
    titles = {entry.title for entry in parsed.entries}
    assert "<script>alert(1)</script> & </title> in a title" in titles
    entry = next(e for e in parsed.entries if e.title.startswith("M^3ViT"))
    assert (
        entry.id
        == "tag:example.org,2025-03-20:/list/papers/m-3vit-mixture-experts-vision-transformer"
    )
    assert (
        entry.link == "https://example.org/list/papers/m-3vit-mixture-experts-vision-transformer/"
    )
    assert entry.published.startswith("2025-03-20") and entry.summary.startswith("Vision work")
    assert parsed.feed.updated.startswith("2025-03-20")
    assert "generator" in parsed.feed and "version" not in parsed.feed.generator_detail


def test_json_feeds_are_json_feed_1_1(tricky: Project) -> None:
    document = json.loads((tricky.docs / layout.ALL_JSON_FEED).read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert len(document["items"]) == len(TRICKY)
    assert all(
        {"id", "url", "title", "content_text", "date_published"} <= set(i)
        for i in document["items"]
    )
    topic = json.loads((tricky.docs / layout.topic_json_feed("vision")).read_text())
    assert topic["feed_url"] == "https://example.org/list/feeds/topics/vision.json"


def test_adding_a_paper_rewrites_only_its_feeds(project: Project) -> None:
    project.digest(
        "2025-03-20.txt",
        [("Vision Paper", abstract()), ("Language Models Rule", abstract("A language model"))],
    )
    project.build()
    before = project.snapshot("docs/feeds")
    project.digest("2025-03-21.txt", [("Another Vision Paper", abstract())], "Mar 21")
    project.build()
    after = project.snapshot("docs/feeds")
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == [
        "docs/feeds/all.json",
        "docs/feeds/all.xml",
        "docs/feeds/topics/vision.json",
        "docs/feeds/topics/vision.xml",
    ]
    parsed = feedparser.parse(after["docs/feeds/topics/vision.xml"])
    assert [e.title for e in parsed.entries] == ["Another Vision Paper", "Vision Paper"]
    assert parsed.feed.updated.startswith("2025-03-21")


def test_a_feed_never_cuts_a_digest_in_half(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A feed holds its FEED_SIZE newest papers (3 here) and the rest of the oldest digest among
    # them: a reader who follows it sees every paper of every digest it reaches.
    monkeypatch.setattr("generator.feeds.FEED_SIZE", 3)
    project.digest("2025-03-19.txt", [("Old Vision Paper", abstract())], "Mar 19")
    project.digest(
        "2025-03-20.txt",
        [(f"Vision Paper {name}", abstract()) for name in ("One", "Two", "Three")],
    )
    project.digest("2025-03-21.txt", [("New Vision Paper", abstract())], "Mar 21")
    project.build()
    parsed = feedparser.parse((project.docs / layout.ALL_FEED).read_bytes())
    assert [e.title for e in parsed.entries] == [
        "New Vision Paper",
        "Vision Paper One",
        "Vision Paper Three",
        "Vision Paper Two",
    ]


def test_the_seed_feed_holds_its_whole_digest(seed: dict[str, str]) -> None:
    parsed = feedparser.parse(seed[layout.ALL_FEED].encode())
    assert len(parsed.entries) == 96 == len(json.loads(seed[layout.PAPERS_JSON])["papers"])


def test_control_characters_in_a_title_never_reach_a_feed(project: Project) -> None:
    # The digest reader replaces them (with a warning); the feed writer still could not
    # write one (XML 1.0 cannot hold it, even escaped).
    project.digest("2025-03-20.txt", [("Vision\x08 Paper\x1b", abstract())])
    project.build()
    parsed = feedparser.parse((project.docs / layout.ALL_FEED).read_bytes())
    assert not parsed.bozo and parsed.entries[0].title == "Vision Paper"
    assert xml_text("a\x08b\x1b\ud800c\td") == "a\ufffdb\ufffd\ufffdc\td"
    assert rispy.loads((project.docs / layout.ALL_RIS).read_text())[0]["title"] == "Vision Paper"
