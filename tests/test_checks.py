"""The nothing-lost check fails the build, naming the paper, when an output drops it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import generator.build
from generator.diagnostics import DataError

from .conftest import Project, abstract

Damage = Callable[[dict[str, str]], None]


def drop_from_topic_page(files: dict[str, str]) -> None:
    files["topics/vision.md"] = re.sub(
        r"^<li data-paper=\"vision-two\">.*\n", "", files["topics/vision.md"], flags=re.M
    )


def drop_from_whole_list(files: dict[str, str]) -> None:
    files["bib/all.bib"] = files["bib/all.bib"].split("\n\n")[0] + "\n"


def drop_from_topic_bundle(files: dict[str, str]) -> None:
    files["bib/topics/vision.bib"] = ""


def drop_page(files: dict[str, str]) -> None:
    del files["papers/vision-two.md"]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (drop_from_topic_page, "'Vision Two': it is not listed on topic page 'vision'"),
        (drop_from_whole_list, "'Vision Two': it is missing from the whole-list .bib"),
        (drop_from_topic_bundle, "'Vision One': it is missing from the 'vision' bundle"),
        (drop_page, "'Vision Two': it has 0 paper pages, not 1"),
    ],
)
def test_a_lost_paper_fails_the_build_and_writes_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch, damage: Damage, problem: str
) -> None:
    project.digest("2025-03-20.txt", [("Vision One", abstract()), ("Vision Two", abstract())])
    real = generator.build.render_site

    def damaged(*args: object, **kwargs: object) -> tuple[dict[str, str], dict[str, str]]:
        files, entries = real(*args, **kwargs)  # type: ignore[arg-type]
        damage(files)
        return files, entries

    monkeypatch.setattr(generator.build, "render_site", damaged)
    with pytest.raises(DataError) as failure:
        project.build()
    messages = [str(d) for d in failure.value.diagnostics.errors]
    assert any(f"nothing-lost check: {problem}" in m for m in messages), messages
    assert not (project.docs / "papers").exists()
