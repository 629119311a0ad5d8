"""The nothing-lost check fails the build, naming the paper, when an output drops it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

import generator.render
from generator.diagnostics import DataError
from generator.render import Rendered

from .conftest import Project, abstract

Damage = Callable[[Rendered], Rendered]


def drop_from_topic_page(rendered: Rendered) -> Rendered:
    return replace(rendered, listed={**rendered.listed, "vision": {"vision-one"}})


def drop_from_whole_list(rendered: Rendered) -> Rendered:
    bundled = {**rendered.bundled, "bib/all.bib": frozenset({"visiona2025"})}
    return replace(rendered, bundled=bundled)


def drop_from_topic_bundle(rendered: Rendered) -> Rendered:
    return replace(rendered, bundled={**rendered.bundled, "bib/topics/vision.bib": frozenset()})


def drop_page(rendered: Rendered) -> Rendered:
    files = {k: v for k, v in rendered.files.items() if k != "papers/vision-two.md"}
    return replace(rendered, files=files)


def page_twice(rendered: Rendered) -> Rendered:
    pages = {**rendered.paper_pages, "vision-two": ["papers/vision-two.md"] * 2}
    return replace(rendered, paper_pages=pages)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (drop_from_topic_page, "'Vision Two': it is not listed on topic page 'vision'"),
        (drop_from_whole_list, "'Vision Two': it is missing from the whole-list .bib"),
        (drop_from_topic_bundle, "'Vision One': it is missing from the 'vision' bundle"),
        (drop_page, "'Vision Two': it has 0 paper pages, not 1"),
        (page_twice, "'Vision Two': it has 2 paper pages, not 1"),
    ],
)
def test_a_lost_paper_fails_the_build_and_writes_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch, damage: Damage, problem: str
) -> None:
    project.digest("2025-03-20.txt", [("Vision One", abstract()), ("Vision Two", abstract())])
    real = generator.render.render_site

    def damaged(*args: object, **kwargs: object) -> Rendered:
        return damage(real(*args, **kwargs))  # type: ignore[arg-type]

    monkeypatch.setattr(generator.render, "render_site", damaged)
    with pytest.raises(DataError) as failure:
        project.build()
    messages = [str(d) for d in failure.value.diagnostics.errors]
    assert any(f"nothing-lost check: {problem}" in m for m in messages), messages
    assert not (project.docs / "papers").exists()
