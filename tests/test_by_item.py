"""Loading ``papers.yaml`` item by item: after any edit, exactly what a whole-file load gives.

``mkdocs serve`` loads the file again after every edit; only items whose text changed are
parsed and checked again (``schema.load_records(by_item=True)``). Each case below loads a
first version, then an edited one, and compares records and messages, lines included, with a
fresh whole-file load of the edited text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import schema
from generator.curation import PaperEntry, _named, load_papers
from generator.diagnostics import Diagnostics
from generator.yamlio import _anchor_or_alias, split_items

SEED = Path(__file__).resolve().parent.parent / "data/papers.yaml"

BASE = """\
# Per-paper curation.
papers:
  - title: Vision Paper
    notes: first
  - title: Language Paper
    authors: [Ann One, Bob Two]
    links:
      - url: https://example.org/code
        label: Code

  # a comment between items
  - slug: some-slug
    notes: |
      kept
      as written
"""


def whole(text: str, tmp_path: Path) -> tuple[list[PaperEntry], list[str]]:
    """Records and messages of a whole-file load of the text, remembering nothing."""
    path = tmp_path / "whole" / "papers.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    records = schema.load_records(
        path, "papers.yaml", "papers", PaperEntry, _named("title", "entry"), diagnostics
    )
    return records, [str(d) for d in diagnostics.items]


def by_item(text: str, tmp_path: Path) -> tuple[list[PaperEntry], list[str]]:
    """What ``load_papers`` gives for the text, with what earlier loads remembered."""
    path = tmp_path / "papers.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    records = load_papers(path, "papers.yaml", diagnostics)
    return list(records), [str(d) for d in diagnostics.items]


def fresh(text: str, tmp_path: Path) -> tuple[list[PaperEntry], list[str]]:
    """What ``load_papers`` gives for the text with nothing remembered."""
    saved = dict(schema._REMEMBERED)
    schema._REMEMBERED.clear()
    try:
        return by_item(text, tmp_path / "fresh")
    finally:
        schema._REMEMBERED.clear()
        schema._REMEMBERED.update(saved)


EDITS = {
    "note changed": lambda t: t.replace("notes: first", "notes: second"),
    "lines inserted above": lambda t: t.replace(
        "notes: first", "notes: first\n    year: 2024\n    arxiv: '2401.00001'"
    ),
    "entry inserted first": lambda t: t.replace(
        "papers:\n", "papers:\n  - title: New Paper\n    notes: n\n"
    ),
    "bad key in one item": lambda t: t.replace("notes: first", "notes: first\n    colour: red"),
    "bad value below a shift": lambda t: t.replace(
        "notes: first", "notes: first\n    year: 2024"
    ).replace("authors: [Ann One, Bob Two]", "authors: 12"),
    "untitled entry gets a new index": lambda t: t.replace(
        "papers:\n", "papers:\n  - title: New Paper\n"
    ),
    "item breaks YAML": lambda t: t.replace("notes: first", 'notes: "first'),
    "anchor and alias": lambda t: t.replace("notes: first", "notes: &n first").replace(
        "notes: |\n      kept\n      as written", "notes: *n"
    ),
    "another top-level key": lambda t: t + "extra: 1\n",
    "entry removed": lambda t: t.replace("  - title: Vision Paper\n    notes: first\n", ""),
    "same entry twice": lambda t: t + "  - title: Vision Paper\n    notes: first\n",
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_an_edited_file_loads_as_a_whole_load_does(edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    schema._REMEMBERED.clear()
    by_item(BASE, tmp_path)
    edited = edit(BASE)
    assert edited != BASE
    got = by_item(edited, tmp_path)
    assert got == fresh(edited, tmp_path)
    # And a whole-file load with no item memory at all agrees.
    assert got == whole(edited, tmp_path)
    # Loading the edited text again (every item remembered) changes nothing.
    assert by_item(edited, tmp_path) == got


def test_the_seed_loads_the_same_after_an_edit_in_its_middle(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    schema._REMEMBERED.clear()
    first = by_item(text, tmp_path)
    assert len(first[0]) > 90 and first[1] == []
    lines = text.splitlines(keepends=True)
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("- title:"))
    edited = "".join(lines[:middle] + ["- title: Nowhere\n  colour: x\n"] + lines[middle:])
    got = by_item(edited, tmp_path)
    assert got == whole(edited, tmp_path)
    assert any(f":{middle + 2}: error: entry 'Nowhere': unknown key 'colour'" in m for m in got[1])
    where = {r.title: r.where.line for r in got[0]}  # type: ignore[attr-defined]
    assert where == {r.title: r.where.line for r in whole(edited, tmp_path)[0]}  # type: ignore[attr-defined]


def test_only_changed_items_are_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema._REMEMBERED.clear()
    by_item(BASE, tmp_path)
    parsed: list[str] = []
    real = schema.parse_item
    monkeypatch.setattr(schema, "parse_item", lambda text: parsed.append(text) or real(text))
    by_item(EDITS["note changed"](BASE), tmp_path)
    assert parsed == ["  - title: Vision Paper\n    notes: second\n"]


@pytest.mark.parametrize(
    "text",
    [
        "papers: []\n",
        "papers:\n",
        "---\npapers:\n  - title: A\n",
        "papers:\n  - title: A\nother: 1\n",
        "papers:\n  - title: A\n b: 1\n",
        "papers:\n  - title: A\n    notes: &x y\n  - title: B\n    notes: *x\n",
        "papers:\n  - title: A\n\t- b\n",
        "%YAML 1.1\n---\npapers:\n  - title: A\n",
    ],
)
def test_other_shapes_are_not_split(text: str) -> None:
    assert split_items(text, "papers") is None


def test_items_start_at_the_list_indentation() -> None:
    text = "# c\npapers:\n- title: A\n  authors:\n  - X\n\n# between\n- title: B\n"
    assert split_items(text, "papers") == [
        (2, "- title: A\n  authors:\n  - X\n\n# between\n"),
        (7, "- title: B\n"),
    ]


def test_an_untitled_entry_is_named_by_its_new_position(tmp_path: Path) -> None:
    # Messages name an entry without a title by its position, which an insertion above
    # changes while the entry's text does not.
    broken = BASE.replace("  - slug: some-slug\n", "  - slug: some-slug\n    colour: x\n")
    schema._REMEMBERED.clear()
    assert any("entry 3: unknown key 'colour'" in m for m in by_item(broken, tmp_path)[1])
    edited = EDITS["entry inserted first"](broken)
    got = by_item(edited, tmp_path)
    assert any("entry 4: unknown key 'colour'" in m for m in got[1])
    assert got == whole(edited, tmp_path)


def test_the_seed_and_the_registry_writer_split_into_their_entries() -> None:
    import yaml

    from generator.yamlio import dump_yaml

    text = SEED.read_text(encoding="utf-8")
    items = split_items(text, "papers")
    assert items is not None
    assert [yaml.safe_load(t)[0] for _, t in items] == yaml.safe_load(text)["papers"]
    assert all(text.splitlines()[line].startswith("- ") for line, _ in items)
    registry = dump_yaml({"papers": [{"title": "A: b", "slug": "a"}, {"title": "C", "slug": "c"}]})
    assert [t for _, t in split_items(registry, "papers") or []] == [
        "- title: 'A: b'\n  slug: a\n",
        "- title: C\n  slug: c\n",
    ]


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("a: &x 1", True),
        ("a: *x", True),
        ("- &x\n", True),
        ("[*x, 1]", True),
        ("&x", True),
        ("title: AT&T & Co", False),
        ("title: A* search, 2*3", False),
        ("notes: x & y * z", False),
        ("a: b&", False),
    ],
)
def test_anchors_and_aliases_are_noticed(text: str, marked: bool) -> None:
    assert _anchor_or_alias(text) is marked
