"""The BibTeX and CSL-JSON through the tools people use: pandoc's citeproc, biber and pybtex.

Each runs on the seed's whole list and on a tricky fixture (hostile titles, quotes, carets,
braces and proper nouns): no warnings, and rendered text without braces, backslashes or LaTeX.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pybtex.database
import pybtex.errors
import pytest

from generator.build import Options, build

from .citing_outputs import render_cited, write_tree
from .conftest import ROOT, Project
from .test_bibtex import TRICKY, tricky_project

SENTENCE_CASE = Path(__file__).parent / "csl/sentence-case.csl"
AS_STORED = Path(__file__).parent / "csl/as-stored.csl"
NOCITE = '---\nnocite: "@*"\n---\n'
LATEX_COMMAND = re.compile(r"\\[A-Za-z]|\btext(?:[a-z]+)\b")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; ./dev.sh test installs the Debian package {name}")
    return path


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = render_cited(ROOT / "data", ROOT / "mkdocs.yml")
    return write_tree(files, tmp_path_factory.mktemp("seed-cited"))


@pytest.fixture
def tricky(project: Project, tmp_path: Path) -> Path:
    tricky_project(project)
    return write_tree(render_cited(project.data, project.root / "mkdocs.yml"), tmp_path / "out")


def citeproc(bibliography: Path, csl: Path | None = None) -> str:
    """pandoc's plain-text rendering of every entry; fails on any warning."""
    document = bibliography.parent / "cite-all.md"
    document.write_text(NOCITE)
    command = [tool("pandoc"), str(document), "--citeproc", "--bibliography", str(bibliography)]
    command += ["--csl", str(csl)] if csl else []
    done = subprocess.run([*command, "-t", "plain", "--wrap=none"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout


def assert_clean_text(
    text: str, entries: int, titles: list[str] | None = None, lost: str = ""
) -> None:
    """One line per entry, with no LaTeX left: no command, and no brace, backslash or dollar
    but those the titles themselves hold (less the characters pandoc is known to drop)."""
    references = [line for line in text.splitlines() if line.strip()]
    assert len(references) == entries
    for line in references:
        assert not LATEX_COMMAND.search(line), line
    for char in set("{}\\$") - set(lost):
        assert text.count(char) == sum(t.count(char) for t in titles or []), (char, text)


@pytest.mark.tex
@pytest.mark.parametrize("name", ["bib/all.bib", "bib/all.csl.json"])
def test_pandoc_citeproc_renders_the_seed_cleanly(seed: Path, name: str) -> None:
    text = citeproc(seed / name)
    assert_clean_text(text, 96)
    assert "M³ViT" in text
    assert "In Proceedings of the Symposium" not in text  # the seed has no SOSP paper
    assert "Proceedings of the International Conference on Learning Representations (ICLR)" in text
    assert "ICLR 2024" not in text and "(2023)." not in text  # no year in a venue's name


@pytest.mark.tex
@pytest.mark.parametrize("name", ["bib/all.bib", "bib/all.csl.json"])
def test_pandoc_citeproc_renders_hostile_titles_as_text(tricky: Path, name: str) -> None:
    text = citeproc(tricky / name)
    # pandoc 2.17's LaTeX reader drops \textbraceleft{} and \textbraceright{}, the only brace
    # escapes real BibTeX accepts: a literal brace is lost from pandoc's text, and nothing else.
    lost = "{}" if name.endswith(".bib") else ""
    assert_clean_text(text, len(TRICKY), [title for title, _ in TRICKY], lost)
    assert "<script>alert(1)</script> & </title>" in text.lower()
    assert "50% & $x$ _ # ~ ^ \\ in one title" in text.lower()
    assert f"unbalanced {'' if lost else '} '}brace" in text.lower()


@pytest.mark.tex
def test_csl_json_keeps_protected_words_in_sentence_case(seed: Path) -> None:
    text = citeproc(seed / "bib/all.csl.json", SENTENCE_CASE)
    for kept in ("W4A4KV4", "SN40L", "Nvidia Hopper GPU", "NVIDIA Ada Lovelace", "on Frontier"):
        assert kept in text, kept


@pytest.mark.tex
def test_pandoc_keeps_the_capitals_the_bibtex_braces(seed: Path) -> None:
    # pandoc stores a BibTeX title in sentence case, keeping what braces protect: a style that
    # prints titles as stored shows what sentence-case styles (APA, IEEE) print.
    text = citeproc(seed / "bib/all.bib", AS_STORED)
    for kept in (
        "Benchmarking and dissecting the Nvidia Hopper GPU architecture",
        "on NVIDIA Ada Lovelace",
        "training on Frontier with",
        "MG-Verilog: Multi-grained dataset towards enhanced LLM-assisted Verilog generation",
        "COMET: Towards partical W4A4KV4 LLMs serving",
        "SambaNova SN40L: Scaling the AI memory wall",
        "UL2: Unifying language learning paradigms",
        "M³ViT: Mixture-of-experts vision transformer",
        "with Hessian-aware saliency",
    ):
        assert kept in text, kept


@pytest.mark.tex
@pytest.mark.parametrize("fixture", ["seed", "tricky"])
def test_biber_validates_against_the_datamodel(
    fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder: Path = request.getfixturevalue(fixture)
    shutil.copy(folder / "bib/all.bib", tmp_path / "all.bib")
    done = subprocess.run(
        [tool("biber"), "--tool", "--validate-datamodel", "--output-file", "out.bib", "all.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    problems = [line for line in done.stdout.splitlines() if re.match(r"(WARN|ERROR)", line)]
    assert problems == []


@pytest.mark.parametrize("fixture", ["seed", "tricky"])
def test_pybtex_parses_every_bib_strictly(fixture: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(fixture)
    pybtex.errors.set_strict_mode(True)
    data = pybtex.database.parse_file(str(folder / "bib/all.bib"), bib_format="bibtex")
    assert len(data.entries) == (96 if fixture == "seed" else len(TRICKY))


def test_pybtex_parses_every_built_bundle_strictly(project: Project) -> None:
    tricky_project(project)
    pybtex.errors.set_strict_mode(True)
    files = sorted((project.docs / "bib").rglob("*.bib"))
    assert len(files) > len(TRICKY)
    for path in files:
        pybtex.database.parse_file(str(path), bib_format="bibtex")


def test_booktitles_name_the_series_and_keep_the_year_apart(seed: Path) -> None:
    bib = (seed / "bib/all.bib").read_text()
    assert "booktitle = {Proceedings of the {Conference on Language Modeling} ({COLM})}" in bib
    assert "journal = {{npj Digital Medicine}}" in bib
    assert "booktitle = {{Findings of the Association for Computational Linguistics: NAACL}}" in bib
    for line in bib.splitlines():
        if line.lstrip().startswith(("booktitle", "journal")):
            assert not re.search(r"(19|20)\d\d", line), line
    assert "{Multi-Task}" not in bib and "{Tuning-Free}" not in bib and "{Linear-Time}" not in bib
    assert "{Nvidia} {Hopper}" in bib and "{Ada} {Lovelace}" in bib and "{M$^3$ViT}" in bib


def test_the_build_cites_with_the_projects_series_and_proper_nouns(
    seed: Path, tmp_path: Path
) -> None:
    """The build passes the project's venues and proper nouns to rendering: its files are the
    ones the tests above checked with real tools."""
    build(
        Options(
            data_dir=ROOT / "data", docs_dir=tmp_path, config_file=ROOT / "mkdocs.yml", frozen=True
        )
    )
    for name in ("bib/all.bib", "bib/all.csl.json", "bib/all.ris", "bib/papers.json"):
        assert (tmp_path / name).read_text() == (seed / name).read_text(), name
