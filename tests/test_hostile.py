"""The hostile-input corpus: every case has its stated outcome, and markup always stays text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import Options, build
from generator.config import display_path
from generator.diagnostics import DataError

from .conftest import shape_warnings

CASES = yaml.safe_load((Path(__file__).parent / "hostile/cases.yaml").read_text(encoding="utf-8"))[
    "cases"
]
PAD = " This sentence pads the abstract so that it reads like a real one." * 2
TOPICS = "topics:\n  - id: vision\n    name: Vision\n    description: Seeing.\n    match:\n      title: [vision, title]\n"


def materialise(case: dict[str, Any], root: Path) -> Path:
    data = root / "data"
    (data / "digests").mkdir(parents=True)
    fill = lambda text: text.replace("{pad}", PAD).replace("{long_title}", ("Vision " * 286)[:2000])  # noqa: E731
    digest = data / "digests" / case.get("file", "2025-03-20.txt")
    if "digest_hex" in case:
        digest.write_bytes(bytes.fromhex(case["digest_hex"]))
    else:
        digest.write_bytes(fill(case["digest"]).encode("utf-8"))
    for name, text in case.get("more_digests", {}).items():
        (data / "digests" / name).write_bytes(fill(text).encode("utf-8"))
    (data / "topics.yaml").write_text(case.get("topics_yaml", TOPICS), encoding="utf-8")
    for key, name in (("papers_yaml", "papers.yaml"), ("registry_yaml", "registry.yaml")):
        if key in case:
            (data / name).write_text(case[key], encoding="utf-8")
    return data


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_corpus_case_has_its_stated_outcome(case: dict[str, Any], tmp_path: Path) -> None:
    data = materialise(case, tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n")
    before = files(tmp_path)
    options = Options(data_dir=data, docs_dir=docs, config_file=None)
    prefix = display_path(data) + "/"
    if case["outcome"] == "error":
        with pytest.raises(DataError) as failure:
            build(options)
        found = [str(d).replace(prefix, "") for d in failure.value.diagnostics.sorted()]
        assert [m for m in found if ": error: " in m] == sorted(case["messages"])
        assert files(tmp_path) == before  # nothing written, not even the registry
        return
    summary = build(options)
    # Most cases have no authors on purpose; the warning about that is tested on its own.
    found = sorted(w.replace(prefix, "") for w in shape_warnings(summary))
    assert found == sorted(case.get("messages", []))
    assert (case["outcome"] == "clean") == (found == [])
    registry = (
        yaml.safe_load((data / "registry.yaml").read_text())
        if (data / "registry.yaml").exists()
        else {"papers": []}
    )
    slugs = {r["title"]: r["slug"] for r in registry["papers"]}
    for title in case.get("papers", []):
        slug = slugs[title]
        assert slug.isascii() and slug == slug.lower() and len(slug) <= 50
        page = (docs / f"papers/{slug}.md").read_text(encoding="utf-8")
        front = yaml.safe_load(page.split("---\n")[1])
        assert front["citation"]["title"] == title
    assert (docs / "index.md").read_text() == "# Home\n"
    # No output carries a control character a digest smuggled in (XML, HTML and LaTeX
    # forbid them; RIS and feeds would break).
    for name, data in files(docs).items():
        assert not CONTROL.search(data.decode("utf-8")), name
