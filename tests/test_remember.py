"""Per-paper results kept between the builds of one process (``mkdocs serve``)."""

from __future__ import annotations

import dataclasses

from generator.build import gather
from generator.diagnostics import Diagnostics
from generator.remember import _memo, per_paper

from .conftest import ROOT


def test_each_paper_is_made_once_and_only_current_papers_stay() -> None:
    papers = list(gather(ROOT / "data", Diagnostics()).catalog.papers[:3])
    made: list[str] = []

    def make(paper: object) -> str:
        made.append(paper.slug)  # type: ignore[attr-defined]
        return f"entry of {paper.slug}"  # type: ignore[attr-defined]

    first = per_paper("test", ("settings",), papers, make)
    assert first == {p.key: f"entry of {p.slug}" for p in papers}
    assert per_paper("test", ("settings",), papers, make) == first
    assert made == [p.slug for p in papers]  # the second build made nothing

    edited = dataclasses.replace(papers[0], notes="A note.")
    per_paper("test", ("settings",), [edited, papers[1]], make)
    assert made[3:] == [edited.slug]  # only the edited paper is made again
    assert set(_memo("test", ("settings",))) == {edited, papers[1]}  # nothing else kept

    per_paper("test", ("other settings",), [papers[1]], make)
    assert made[4:] == [papers[1].slug]  # other settings: made afresh
