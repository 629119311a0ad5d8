"""A server's listing of docs/ is MkDocs' own, with the file objects of the last rebuild kept."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import mkdocs
import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import File, InclusionLevel, get_files
from mkdocs.structure.pages import Page

from generator import mkdocs_files

PAGES = [
    "index.md",
    "about.md",
    ".hidden.md",
    "drafts/plan.md",
    "templates/x.md",
    "guide/README.md",
    "guide/intro.md",
    "guide/deep/index.md",
    "guide/deep/z.md",
    "papers/a-paper.md",
    "bib/a-paper.bib",
    "assets/logo.svg",
]


@pytest.fixture(autouse=True)
def fresh_listing() -> Any:
    mkdocs_files.uninstall()
    yield
    mkdocs_files.uninstall()


def project(tmp_path: Path, directory_urls: bool = True) -> Any:
    for page in PAGES:
        path = tmp_path / "docs" / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {page}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\n"
        f"use_directory_urls: {str(directory_urls).lower()}\n"
        "exclude_docs: |\n  *.bib.tmp\n"
        "draft_docs: |\n  drafts/\n"
        "not_in_nav: |\n  /papers/\n",
        encoding="utf-8",
    )
    return config_of(tmp_path, directory_urls)


def config_of(tmp_path: Path, directory_urls: bool = True) -> Any:
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    config.use_directory_urls = directory_urls
    return config


def described(files: Any) -> list[tuple[str, str, str, InclusionLevel]]:
    return [(f.src_uri, f.dest_uri, f.url, f.inclusion) for f in files]


def test_a_listing_is_mkdocs_own(tmp_path: Path) -> None:
    config = project(tmp_path)
    found = described(mkdocs_files.listing(config))
    assert found == described(get_files(config))
    levels = {uri: level for uri, _, _, level in found}
    assert levels[".hidden.md"] == InclusionLevel.EXCLUDED
    assert levels["drafts/plan.md"] == InclusionLevel.DRAFT
    assert levels["papers/a-paper.md"] == InclusionLevel.NOT_IN_NAV
    assert levels["guide/intro.md"] == InclusionLevel.INCLUDED


def test_a_path_found_again_keeps_its_object_as_it_was_made(tmp_path: Path) -> None:
    config = project(tmp_path)
    first = {f.src_uri: f for f in mkdocs_files.listing(config)}
    # What a build does to its files: pages, and inclusions the hook changes.
    paper = first["papers/a-paper.md"]
    Page(None, paper, config)
    paper.inclusion = InclusionLevel.EXCLUDED
    assert paper.page is not None

    (tmp_path / "docs/papers/a-paper.md").write_text("# changed\n", encoding="utf-8")
    (tmp_path / "docs/papers/new-paper.md").write_text("# new\n", encoding="utf-8")
    (tmp_path / "docs/about.md").unlink()
    again = mkdocs_files.listing(config_of(tmp_path))

    assert described(again) == described(get_files(config_of(tmp_path)))
    files = {f.src_uri: f for f in again}
    assert files["papers/a-paper.md"] is paper  # its content is read when it is built
    assert paper.page is None and paper.inclusion == InclusionLevel.NOT_IN_NAV
    assert files["guide/intro.md"] is first["guide/intro.md"]
    assert "papers/new-paper.md" not in first and "about.md" not in files


def test_new_settings_make_new_objects(tmp_path: Path) -> None:
    config = project(tmp_path)
    first = {f.src_uri: f for f in mkdocs_files.listing(config)}
    flat = config_of(tmp_path, directory_urls=False)
    again = mkdocs_files.listing(flat)
    assert described(again) == described(get_files(flat))
    assert all(f is not first[f.src_uri] for f in again)
    assert {f.src_uri: f.url for f in again}["guide/intro.md"] == "guide/intro.html"


def test_a_readme_beside_an_index_is_left_out_as_mkdocs_does(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = project(tmp_path)
    mkdocs_files.listing(config)
    (tmp_path / "docs/guide/index.md").write_text("# index\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        ours = described(mkdocs_files.listing(config_of(tmp_path)))
        ours_log = [r.getMessage() for r in caplog.records]
        caplog.clear()
        theirs = described(get_files(config_of(tmp_path)))
        theirs_log = [r.getMessage() for r in caplog.records]
    assert ours == theirs
    assert "guide/README.md" not in [uri for uri, *_ in ours]
    assert ours_log == theirs_log
    assert theirs_log == [
        "Excluding 'guide/README.md' from the site because it conflicts with 'guide/index.md'."
    ]


def with_theme(files: Any, config: Any) -> Any:
    files.add_files_from_theme(config.theme.get_env(), config)
    return files


def test_the_themes_files_are_mkdocs_own_and_listed_once_while_the_theme_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8"
    )
    (tmp_path / "overrides/assets").mkdir(parents=True)
    (tmp_path / "overrides/assets/extra.js").write_text("//\n", encoding="utf-8")
    (tmp_path / "docs/assets/extra.js").write_text("// mine\n", encoding="utf-8")
    config = config_of(tmp_path)
    listed = []
    own = mkdocs_files.Files.add_files_from_theme
    monkeypatch.setattr(
        mkdocs_files.Files,
        "add_files_from_theme",
        lambda self, env, config: listed.append(1) or own(self, env, config),
    )

    def both() -> tuple[list[Any], list[Any]]:
        config = config_of(tmp_path)
        ours = described(with_theme(mkdocs_files.listing(config), config))
        return ours, described(with_theme(get_files(config), config))

    ours, theirs = both()
    assert ours == theirs and len(listed) == 2  # ours lists the theme, then MkDocs does
    by_uri = {f.src_uri: f for f in with_theme(mkdocs_files.listing(config), config)}
    assert any(uri.startswith("assets/javascripts/bundle.") for uri in by_uri)
    assert by_uri["assets/extra.js"].src_dir == str(tmp_path / "docs")  # docs/ wins
    assert len(listed) == 2  # the theme unchanged: not listed again

    (tmp_path / "overrides/assets/added.js").write_text("//\n", encoding="utf-8")
    ours, theirs = both()
    assert ours == theirs and "assets/added.js" in [uri for uri, *_ in ours]
    assert len(listed) == 4  # a folder of the theme changed: listed again


def test_install_lists_with_it_only_under_the_mkdocs_it_follows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert mkdocs_files.install()
    assert mkdocs_build.get_files is mkdocs_files.listing
    mkdocs_files.uninstall()
    assert mkdocs_build.get_files is get_files
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    assert not mkdocs_files.install()
    assert mkdocs_build.get_files is get_files


def test_file_objects_are_still_made_from_path_and_settings_only() -> None:
    """What ``listing`` relies on: a file's fields are its path's and three settings'."""
    fields = set(vars(File("a/b.md", "/docs", "/site", True)))
    assert fields == {"src_uri", "src_dir", "dest_dir", "use_directory_urls", "inclusion"}
