"""Digest text that looks like markup stays text everywhere a title or abstract shows up."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, expect

from generator import markup
from generator.build import gather
from generator.diagnostics import Diagnostics

from .browser import SEARCH_RESULT, PageWatch, build_site, search, static_server
from .conftest import copy_project, digest_text

HOSTILE = [
    "# heading vision",
    "* item vision",
    "!!! note vision",
    '--8<-- "/etc/passwd" vision',
    "Vision [x](javascript:alert(1)) link",
    "Vision <!-- comment --> hidden",
    "Vision {: .evil } attributes",
    "Vision <script>window.__pwned=1</script> script",
    'Vision <img src=x onerror="window.__pwned=2"> image',
    "Vision </textarea> textarea",
    "Vision </title><script>window.__pwned=3</script> title",
    "Vision </script><script>window.__pwned=4</script> json",
    "Vision <svg onload=alert(5)> svg",
    "Vision &lt;b&gt; &amp; entities",
    "Vision {{ config.site_name }} jinja",
]
PAD = " This sentence pads the abstract so that it reads like a real one." * 2


def abstract_for(title: str) -> str:
    return f"Abstract quoting {title} verbatim, with https://example.org/a_(b) and more.{PAD}"


class Page(HTMLParser):
    """The parts of a built page that show digest text, and anything that could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, str] = {
            "title": "",
            "h1": "",
            "abstract": "",
            "jsonld": "",
            "script": "",
        }
        self.handlers: list[str] = []
        self.tags: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handlers += [f"{tag} {k}" for k, _ in attrs if k.startswith("on")]
        self.handlers += [
            f"{tag} {k}={v}"
            for k, v in attrs
            if (v or "").strip().lower().startswith("javascript:")
        ]
        if any(t == "article" for t, _ in self.stack):
            self.tags.append(tag)  # only the page's content: Material's chrome has its own icons
        if tag == "meta" and values.get("name"):
            self.meta[values["name"] or ""] = values.get("content") or ""
        if tag not in ("meta", "link", "img", "br", "input", "hr"):
            self.stack.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for tag, values in self.stack:
            if tag == "title":
                self.texts["title"] += data
            if tag == "h1" and not any(t == "a" for t, _ in self.stack):
                self.texts["h1"] += data
            if "rl-abstract" in (values.get("class") or ""):
                self.texts["abstract"] += data
            if tag == "script":
                key = "jsonld" if values.get("type") == "application/ld+json" else "script"
                self.texts[key] += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module", params=["material", "pagefind"])
def hostile_site(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Path, dict[str, str]]:
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    data = root / "data"
    (data / "settings.yaml").write_text(f"search: {request.param}\n")
    for name in ("papers.yaml", "registry.yaml", "digests/2025-03-20.txt"):
        (data / name).unlink()
    # Authors keep the strict build free of "no authors" warnings; the titles are the payload.
    authored = [{"title": t, "authors": ["Ada Lovelace"]} for t in HOSTILE]
    (data / "papers.yaml").write_text(yaml.safe_dump({"papers": authored}), encoding="utf-8")
    (data / "topics.yaml").write_text(
        "topics:\n  - {id: vision, name: Vision, description: Seeing., match: {title: [vision]}}\n"
    )
    (data / "digests/2025-03-20.txt").write_text(
        digest_text([(t, abstract_for(t)) for t in HOSTILE])
    )
    site = build_site(root)
    catalog = gather(root / "data", Diagnostics()).catalog
    slugs = {p.title: p.slug for p in catalog.papers}
    assert sorted(slugs) == sorted(HOSTILE)
    return site, slugs


@pytest.mark.parametrize("title", HOSTILE)
def test_paper_page_shows_title_and_abstract_as_text(
    hostile_site: tuple[Path, dict[str, str]], title: str
) -> None:
    site, slugs = hostile_site
    page = parse(site / f"papers/{slugs[title]}/index.html")
    assert page.texts["h1"].strip() == title
    assert page.texts["title"] == f"{title} - ML Systems Reading List"
    assert page.meta["citation_title"] == title
    assert json.loads(page.texts["jsonld"])["headline"] == title
    assert page.texts["abstract"] == abstract_for(title)
    assert page.handlers == []
    assert "__pwned" not in page.texts["script"]
    assert not {"img", "svg", "textarea"} & set(page.tags)


def test_listings_show_titles_as_text(hostile_site: tuple[Path, dict[str, str]]) -> None:
    site, _ = hostile_site
    for path in [
        site / "topics/vision/index.html",
        site / "papers/index.html",
        site / "index.html",
    ]:
        page = parse(path)
        assert page.handlers == [], path
        assert not {"img", "svg", "textarea"} & set(page.tags), path
        text = path.read_text()
        assert (
            "<script>window" not in text and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
        )


@pytest.mark.browser
def test_nothing_runs_in_a_real_browser(
    hostile_site: tuple[Path, dict[str, str]], browser: Browser
) -> None:
    site, slugs = hostile_site
    with static_server(site) as base:
        page = browser.new_page()
        page.add_init_script(
            "window.__pwned = undefined; window.alert = (m) => { window.__pwned = 'alert ' + m; };"
        )
        watch = PageWatch(page, base)
        for title, slug in slugs.items():
            page.goto(f"{base}/papers/{slug}/", wait_until="networkidle")
            expect(page.locator("h1")).to_contain_text(title)
            assert page.evaluate("window.__pwned") is None, title
            assert page.title() == f"{title} - ML Systems Reading List"
        engine = "pagefind" if (site / "pagefind").is_dir() else "material"
        item = SEARCH_RESULT[engine]
        for query in ("script", "onerror", "textarea", "svg", "javascript"):
            search(page, f"{base}/", query, engine)
            page.wait_for_timeout(500)
            assert page.evaluate("window.__pwned") is None, query
            injected = f"{item} img, {item} svg:not(.md-search-result__icon svg), {item} textarea"
            assert page.locator(injected).count() == 0, query
        expect(page.locator(item).filter(has_text="javascript:alert(1)").first).to_be_visible()
        assert watch.dialogs == []
        assert watch.console_errors == []


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        pytest.param(
            "Transformers yield great results. We propose a pruning method. We show it works.",
            "We propose a pruning method.",
            id="the_contribution_not_the_background",
        ),
        pytest.param(
            "Models are large. We show that pruning works. Here we present a method.",
            "We present a method.",
            id="what_it_makes_before_what_it_studies",
        ),
        pytest.param(
            "Models are large and slow. We show that pruning works. It is fast.",
            "We show that pruning works.",
            id="what_it_studies_otherwise",
        ),
        pytest.param(
            "Models are large and slow. Weird results were seen. Somewhere people found it.",
            "Models are large and slow.",
            id="first_sentence_when_none_states_it",
        ),
        pytest.param(
            "Models are large and slow. THIS PAPER Introduces a method.",
            "THIS PAPER Introduces a method.",
            id="any_case",
        ),
        pytest.param(
            "Models are large and slow. In İstanbul we propose a method.",
            "In İstanbul we propose a method.",
            id="a_letter_whose_lowercase_is_longer",
        ),
        pytest.param(
            "Models are large and slow. Our İnce method improves things. We study it.",
            "We study it.",
            id="dotted_capital_i_as_a_word_before_the_verb",
        ),
        pytest.param(
            'Models are large (e.g. Fig. 2). Then "we propose. Things" as quoted. It ends.',
            'Then "we propose. Things" as quoted.',
            id="never_split_inside_brackets_or_quotes",
        ),
        pytest.param(
            "Models are large and slow today. To address these challenges, in this paper we build a template.",
            "We build a template.",
            id="lead_ins_dropped_up_to_the_subject",
        ),
        pytest.param(
            "Models are large and slow today. Therefore, this paper proposes a method.",
            "This paper proposes a method.",
            id="a_connective_dropped",
        ),
        pytest.param(
            "Here, the models are slow. Then people found it.",
            "Here, the models are slow.",
            id="lead_in_kept_when_no_subject_follows",
        ),
        pytest.param(
            "Models are large and slow today. Motivated by this, we propose a method.",
            "Motivated by this, we propose a method.",
            id="a_clause_that_says_something_kept",
        ),
        pytest.param("", "Abstract missing in the digest.", id="no_abstract"),
    ],
)
def test_teaser_is_the_sentence_that_states_the_contribution(abstract: str, expected: str) -> None:
    assert markup.teaser(abstract) == expected


def test_teaser_is_cut_outside_brackets_with_an_ellipsis() -> None:
    abstract = (
        "We propose " + "a very long method " * 10 + "(with a bracket that runs on " * 5 + ")."
    )
    found = markup.teaser(abstract)
    assert len(found) <= markup.SUMMARY_LENGTH
    assert found.endswith("\u2026")
    assert found.count("(") == found.count(")") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("short", "short", id="fits"),
        pytest.param("alpha beta gamma delta", "alpha beta\u2026", id="at_the_last_space"),
        pytest.param("alpha, beta gamma delta", "alpha\u2026", id="no_trailing_comma"),
        pytest.param("alphabetagammadelta", "alphabetag\u2026", id="no_space_cuts_the_word"),
        pytest.param(" alphabetagammadelta", " alphabeta\u2026", id="a_space_only_first"),
        pytest.param("alpha (beta gamma) delta", "alpha\u2026", id="not_inside_brackets"),
        pytest.param('alpha "beta gamma" delta', "alpha\u2026", id="not_inside_quotes"),
        pytest.param("alpha (beta) gamma delta", "alpha (beta)\u2026", id="after_brackets"),
    ],
)
def test_cut_at_a_space_outside_brackets_and_quotes(text: str, expected: str) -> None:
    assert markup._cut(text, 14 if "(beta)" in text else 11) == expected
