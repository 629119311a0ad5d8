"""Shared fixtures: a throw-away project folder, and helpers to write digests and run builds."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

# Builds in this process compute related papers here, as in `mkdocs serve`, rather than
# starting a worker process per build (see generator/related_job.py): that is what a process
# that builds hundreds of times should do. The worker has tests of its own, and every
# `python -m generator` run in a subprocess uses it.
import generator.related  # noqa: F401
from generator import layout
from generator.build import Options, build
from generator.diagnostics import Diagnostics
from generator.summary import Summary

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite the expected golden files from the current output (review the diff!)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def abstract(words: str = "A long enough abstract") -> str:
    """An abstract over the 100-character warning threshold."""
    return f"{words}. " + "This sentence pads the abstract so that it reads like a real one. " * 2


def digest_text(papers: list[tuple[str, str | None]], date_line: str = "Mar 20") -> str:
    """A digest with the usual page furniture, a date line and title/abstract blocks."""
    blocks = []
    for title, text in papers:
        blocks.append(title)
        if text is not None:
            blocks.append(text)
    header = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
    return header + f"{date_line}\n\n" + "\n\n".join(blocks) + "\n"


AUTHORLESS = ": warning: no authors for "
"""Every paper without authors warns; tests about other shapes leave those warnings out."""


def rl_data(page: Path) -> dict[str, Any]:
    """A generated page's ``rl`` front matter: the related list, About lines or listing that
    the template renders after the content."""
    data: dict[str, Any] = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])["rl"]
    return data


EMPTY_TOPIC = "holds no paper: no rule matched one"


def shape_warnings(summary: Summary) -> list[str]:
    """The summary's warnings, but for those about papers without authors and topics without
    papers (most fixtures have both on purpose: they test other things)."""
    return [
        str(w) for w in summary.warnings if AUTHORLESS not in str(w) and EMPTY_TOPIC not in str(w)
    ]


class Project:
    """A project folder with data/, docs/ and mkdocs.yml, for end-to-end builds."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.docs = root / "docs"
        (self.data / "digests").mkdir(parents=True)
        self.docs.mkdir()
        (root / "mkdocs.yml").write_text("site_name: Test\nsite_url: https://example.org/list/\n")
        self.write(
            "topics.yaml",
            """
            topics:
              - id: vision
                name: Vision
                description: Seeing things.
                match:
                  title: [vision, image*]
              - id: language
                name: Language
                description: Words and models of them.
                match:
                  text: [language model*]
            """,
        )

    def write(self, name: str, text: str) -> Path:
        """Write a file under data/, dedented."""
        path = self.data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def digest(
        self, name: str, papers: list[tuple[str, str | None]], date_line: str = "Mar 20"
    ) -> Path:
        """Write data/digests/NAME from papers."""
        path = self.data / "digests" / name
        path.write_text(digest_text(papers, date_line), encoding="utf-8")
        return path

    def build(self, **options: object) -> Summary:
        """Run the generator on this project."""
        return build(
            Options(
                data_dir=self.data,
                docs_dir=self.docs,
                config_file=self.root / "mkdocs.yml",
                **options,
            )
        )  # type: ignore[arg-type]

    def build_clean(self, **options: object) -> Summary:
        """Build, and check that the only warnings are about papers without authors (which
        most fixtures leave out on purpose: they test other things)."""
        summary = self.build(**options)
        assert shape_warnings(summary) == []
        return summary

    def snapshot(self, *prefixes: str) -> dict[str, bytes]:
        """Every file of the project (or those under the given prefixes), with its bytes."""
        files = {
            str(p.relative_to(self.root)): p for p in sorted(self.root.rglob("*")) if p.is_file()
        }
        return {
            name: path.read_bytes()
            for name, path in files.items()
            if name.startswith(prefixes or ("",))
        }


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def copy_project(tmp_path: Path) -> Path:
    """A copy of the real project (mkdocs.yml, docs/, data/, overrides/) without generated files."""
    for name in ("mkdocs.yml", "data", "overrides"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(
        ROOT / "docs",
        tmp_path / "docs",
        ignore=shutil.ignore_patterns(*layout.OWNED, layout.MANIFEST),
    )
    shutil.copytree(
        ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run (see tests/browser.py for the executable setting)."""
    from playwright.sync_api import sync_playwright

    from .browser import launch_options

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


def messages(diagnostics: Diagnostics) -> list[str]:
    """Every diagnostic as the user sees it."""
    return [str(d) for d in diagnostics.sorted()]
