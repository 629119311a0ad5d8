"""End to end: a small fixture (two digests and curated YAML) must produce the reviewed docs/ tree.

Refresh the expected tree after an intended change with ``./dev.sh goldens`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import Options, build
from generator.config import display_path

GOLDEN = Path(__file__).resolve().parent / "golden"


def tree(root: Path) -> dict[str, str]:
    """Every generated file; the manifest is bookkeeping (file times), not output."""
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".generator-manifest.json"
    }


def test_fixture_produces_the_golden_tree(tmp_path: Path, update_goldens: bool) -> None:
    data = tmp_path / "data"
    shutil.copytree(GOLDEN / "data", data)
    docs = tmp_path / "docs"
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Golden\nsite_url: https://example.org/golden/\n"
    )
    summary = build(Options(data_dir=data, docs_dir=docs, config_file=tmp_path / "mkdocs.yml"))
    assert (summary.papers, len(summary.excluded)) == (5, 1)
    produced = tree(docs)
    produced["registry.yaml"] = (data / "registry.yaml").read_text(encoding="utf-8")
    # The expected log lines are part of the golden output.
    shown = display_path(data)
    produced["warnings.txt"] = "".join(f"{w}\n".replace(shown, "data") for w in summary.warnings)
    expected_dir = GOLDEN / "expected"
    if update_goldens:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in produced.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = tree(expected_dir)
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{name} differs from tests/golden/expected/{name}"
