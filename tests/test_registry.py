"""The registry freezes slugs and keys: born once, never changed, never reused."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import DataError
from generator.registry import HEADER, Naming, Record
from generator.yamlio import dump_yaml

from .conftest import Project, abstract


def registry(project: Project) -> list[dict[str, str]]:
    return yaml.safe_load((project.data / "registry.yaml").read_text())["papers"]


def test_collisions_get_suffixes_in_birth_order(project: Project) -> None:
    project.digest(
        "2025-03-20.txt",
        [
            ("Efficient Vision Things", abstract()),
            ("Efficient Vision Things, Revisited", abstract()),
            ("Efficient Vision Things Again", abstract()),
        ],
    )
    project.write(
        "papers.yaml",
        """
        papers:
          - title: Efficient Vision Things
            authors: [Ann Smith]
            year: 2025
          - title: Efficient Vision Things, Revisited
            authors: [Bob Smith]
            year: 2025
          - title: Efficient Vision Things Again
            authors: [Cy Smith]
            year: 2025
        """,
    )
    project.build()
    assert [(r["slug"], r["key"]) for r in registry(project)] == [
        ("efficient-vision-things", "smith2025efficient"),
        ("efficient-vision-things-revisited", "smith2025efficienta"),
        ("efficient-vision-things-again", "smith2025efficientb"),
    ]


def test_slug_collision_is_numbered(project: Project) -> None:
    project.digest(
        "2025-03-20.txt",
        [("Vision: Part One", abstract()), ("Vision (Part One)!", abstract("Other"))],
    )
    project.build()
    # Same identity after punctuation is collapsed: one paper, merged with a warning.
    assert [r["slug"] for r in registry(project)] == ["vision-part-one"]
    project.digest(
        "2025-03-21.txt", [("Vision Part One Two Three Four Five Six", abstract())], "Mar 21"
    )
    project.digest(
        "2025-03-22.txt", [("Vision Part One Two Three Four Five Seven", abstract())], "Mar 22"
    )
    project.build()
    assert [r["slug"] for r in registry(project)] == [
        "vision-part-one",
        "vision-part-one-two-three-four",
        "vision-part-one-two-three-four-2",
    ]


def test_keys_never_change_when_clashing_papers_arrive(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Mamba: Linear-Time Sequence Modeling", abstract())])
    project.write(
        "papers.yaml",
        """
        papers:
          - title: "Mamba: Linear-Time Sequence Modeling"
            authors: [Albert Gu, Tri Dao]
            year: 2023
        """,
    )
    project.build()
    before = registry(project)
    assert before[0]["key"] == "gu2023mamba"
    # A later digest brings a clashing paper that would sort first, and authors change.
    project.digest(
        "2025-03-21.txt", [("A Mamba Survey", abstract()), ("Mamba Again", abstract())], "Mar 21"
    )
    project.write(
        "papers.yaml",
        """
        papers:
          - title: "Mamba: Linear-Time Sequence Modeling"
            authors: [Zed Aardvark]
            year: 2022
          - title: A Mamba Survey
            authors: [Albert Gu]
            year: 2023
          - title: Mamba Again
            authors: [Albert Gu]
            year: 2023
        """,
    )
    project.build()
    after = registry(project)
    assert after[0] == before[0]
    assert [r["key"] for r in after] == ["gu2023mamba", "gu2023mambaa", "gu2023mambab"]
    bib = (project.docs / "bib/papers/gu2023mamba.bib").read_text()
    assert "Zed Aardvark" in bib  # the entry follows the curation; only the key is frozen


def test_removed_paper_keeps_its_names_and_they_are_not_reused(project: Project) -> None:
    first = project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    assert (project.docs / "papers/vision-paper.md").exists()
    first.unlink()
    project.digest(
        "2025-03-21.txt",
        [("Vision Paper!", abstract("Different")), ("Other Vision", abstract())],
        "Mar 21",
    )
    project.build()
    # "Vision Paper!" is the same identity: it keeps its slug.
    assert [r["slug"] for r in registry(project)] == ["vision-paper", "other-vision"]
    (project.data / "digests/2025-03-21.txt").unlink()
    project.digest("2025-03-22.txt", [("Vision Paper, the Sequel", abstract())], "Mar 22")
    summary = project.build()
    assert summary.removed > 0
    assert not (project.docs / "papers/vision-paper.md").exists()
    slugs = [r["slug"] for r in registry(project)]
    assert slugs == ["vision-paper", "other-vision", "vision-paper-sequel"]
    assert len(registry(project)) == 3


def test_hand_pinned_key_is_kept(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    text = (
        (project.data / "registry.yaml").read_text().replace("key: vision2025", "key: mypinnedkey")
    )
    (project.data / "registry.yaml").write_text(text)
    project.build(frozen=True)
    assert (
        (project.docs / "bib/papers/mypinnedkey.bib").read_text().startswith("@misc{mypinnedkey,")
    )


def test_pinned_slug_in_papers_yaml(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    pin_slug: my-vision\n")
    project.build()
    assert registry(project)[0]["slug"] == "my-vision"


def test_frozen_fails_naming_the_new_paper_and_writes_nothing(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    project.digest("2025-03-21.txt", [("New Vision Paper", abstract())], "Mar 21")
    before = project.snapshot("docs/", "data/registry.yaml")
    with pytest.raises(DataError) as failure:
        project.build(frozen=True)
    errors = [str(d) for d in failure.value.diagnostics.errors]
    assert len(errors) == 1
    assert "--frozen: the registry would change (new paper 'New Vision Paper'" in errors[0]
    assert project.snapshot("docs/", "data/registry.yaml") == before


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            "- {title: A, slug: a, key: B}",
            "registry entry: key: expected a cite key",
            id="uppercase_key",
        ),
        pytest.param(
            "- {title: A, slug: ../a, key: b}",
            "registry entry: slug: expected a slug",
            id="traversal_slug",
        ),
        pytest.param(
            "- {title: A, slug: a/b, key: b}",
            "registry entry: slug: expected a slug",
            id="slash_slug",
        ),
        pytest.param(
            "- {title: A, slug: aux, key: b}",
            "'aux' is a reserved file name on Windows",
            id="windows_reserved",
        ),
        pytest.param(
            "- {title: A, slug: a, key: b}\n- {title: B, slug: a, key: c}",
            "registry entry: slug 'a' also at line 2",
            id="duplicate_slug",
        ),
        pytest.param("- {title: A, slug: a}", "registry entry: missing key", id="missing_key"),
    ],
)
def test_bad_registry_entries(project: Project, entry: str, message: str) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    (project.data / "registry.yaml").write_text(
        "papers:\n" + "\n".join("  " + line for line in entry.splitlines()) + "\n"
    )
    with pytest.raises(DataError) as failure:
        project.build()
    errors = [str(d) for d in failure.value.diagnostics.errors]
    assert any(message in e and "registry.yaml:" in e for e in errors), errors


def test_provisional_key_is_derived_again_once_when_authors_arrive(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract()), ("Vision Other", abstract())])
    project.build()
    assert [(r["key"], r.get("provisional")) for r in registry(project)] == [
        ("vision2025", True),
        ("vision2025a", True),
    ]
    project.write(
        "papers.yaml",
        "papers:\n  - title: Vision Paper\n    authors: [Ann Lee]\n    year: 2024\n",
    )
    summary = project.build()
    assert [(r["key"], r.get("provisional")) for r in registry(project)] == [
        ("lee2024vision", None),
        ("vision2025a", True),
    ]
    assert any(
        "derived from its authors: vision2025 -> lee2024vision" in c
        for c in summary.registry_changes
    )
    assert "@misc{lee2024vision," in (project.docs / "bib/papers/lee2024vision.bib").read_text()
    assert not (project.docs / "bib/papers/vision2025.bib").exists()
    # Frozen from now on: new authors change nothing, and the old key is never handed out again.
    project.write(
        "papers.yaml",
        "papers:\n  - title: Vision Paper\n    authors: [Zed Zhu]\n    year: 2024\n"
        "  - title: Vision Other\n    authors: [Bo Vision]\n    year: 2025\n",
    )
    project.build()
    assert [r["key"] for r in registry(project)] == ["lee2024vision", "vision2025vision"]


def test_removing_the_mark_keeps_a_provisional_key(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    path = project.data / "registry.yaml"
    path.write_text(path.read_text().replace("  provisional: true\n", ""))
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    authors: [Ann Lee]\n")
    summary = project.build(frozen=True)
    assert [r["key"] for r in registry(project)] == ["vision2025"]
    assert summary.registry_changes == ()


def test_frozen_fails_when_a_provisional_key_would_be_derived(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    authors: [Ann Lee]\n")
    before = (project.data / "registry.yaml").read_text()
    with pytest.raises(DataError) as failure:
        project.build(frozen=True)
    assert any("derived from its authors" in str(e) for e in failure.value.diagnostics.errors)
    assert (project.data / "registry.yaml").read_text() == before


RECORDS = st.lists(
    st.builds(
        Record,
        title=st.one_of(st.text(max_size=150), st.text("ab \"'#:-", min_size=90, max_size=140)),
        slug=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
        key=st.text(max_size=12),
        provisional=st.booleans(),
    ),
    max_size=6,
)


def written(records: list[Record]) -> str:
    """The registry file as PyYAML's dumper writes the whole list."""
    rows = [
        {"title": r.title, "slug": r.slug, "key": r.key}
        | ({"provisional": True} if r.provisional else {})
        for r in records
    ]
    return HEADER + dump_yaml({"papers": rows})


@settings(max_examples=300, deadline=None)
@given(RECORDS, RECORDS)
def test_the_registry_is_written_entry_by_entry_as_the_dumper_writes_it_whole(
    before: list[Record], after: list[Record]
) -> None:
    """Each entry's text is remembered from one dump to the next, and the file is the same."""
    for records in (before, before + after, after, before + after[:1]):
        naming = Naming({}, tuple(records), ("changed",))
        assert naming.dump() == written(records)
