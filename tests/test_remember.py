"""Per-paper results kept between the builds of one process (``mkdocs serve``)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from generator import registry
from generator.build import Options, build, gather
from generator.diagnostics import Diagnostics
from generator.remember import _memo, per_paper

from .conftest import ROOT, copy_project


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


def test_a_paper_as_it_was_is_the_same_object_in_the_next_catalog(tmp_path: Path) -> None:
    """Every memo is keyed by the paper: an unchanged paper found by identity, not by a
    comparison of every field; a changed paper is a new value, made again."""
    project = copy_project(tmp_path)
    first = gather(project / "data", Diagnostics()).catalog.papers
    papers_yaml = project / "data/papers.yaml"
    text = papers_yaml.read_text(encoding="utf-8")
    entry = re.search(r"^- title: .*$", text, re.MULTILINE)
    assert entry is not None
    papers_yaml.write_text(
        text.replace(entry.group(0), f"{entry.group(0)}\n  notes: A new note.", 1),
        encoding="utf-8",
    )
    second = gather(project / "data", Diagnostics()).catalog.papers
    assert len(first) == len(second) == 96
    changed = [(a, b) for a, b in zip(first, second, strict=True) if a is not b]
    assert len(changed) == 1  # the 95 others are the objects of the first catalog
    before, after = changed[0]
    assert before.slug == after.slug and after.notes == "A new note." and before != after


def test_a_servers_first_build_remembers_the_registrys_entries(tmp_path: Path) -> None:
    """The first new paper in a server writes the registry from remembered entry texts, even
    when the server's first build found the registry unchanged."""
    project = copy_project(tmp_path)
    options = Options(data_dir=project / "data", docs_dir=project / "docs", config_file=None)
    build(options)  # the registry is born
    registry._ENTRIES.clear()
    build(dataclasses.replace(options, remember=True))  # a server's first build: no change
    assert len(registry._ENTRIES) == 96
    text = (project / "data/registry.yaml").read_text(encoding="utf-8")
    assert text.endswith("\npapers:\n" + "".join(registry._ENTRIES.values()))
