"""The GitHub workflow: valid against the schema check-jsonschema ships, and least-privilege."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
CHECK = Path(sys.executable).parent / "check-jsonschema"


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True; keep it a string like GitHub does.
    text = path.read_text()
    data = yaml.safe_load(re.sub(r"^on:", '"on":', text, flags=re.M))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_schema_offline(path: Path) -> None:
    result = subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_matches_its_schema_and_covers_actions_and_pip() -> None:
    path = ROOT / ".github/dependabot.yml"
    result = subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.dependabot", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load(path.read_text())["updates"]}
    assert ecosystems == {"github-actions", "pip"}


def test_site_workflow_is_least_privilege_and_deploys_only_from_main() -> None:
    workflow = load(ROOT / ".github/workflows/site.yml")
    assert set(workflow["on"]) >= {"push", "pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert deploy["needs"] == "build"
    assert deploy["concurrency"]["group"] == "pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    uses = [s["uses"].split("@")[0] for s in build["steps"] if "uses" in s]
    assert {"actions/configure-pages", "actions/upload-pages-artifact"} <= set(uses)
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m generator build --strict --frozen" in runs
    assert "mkdocs build --strict" in runs
    assert "python -m pytest" in runs
    assert "python -m playwright install --with-deps chromium" in runs


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_and_no_secrets_are_used(path: Path) -> None:
    text = path.read_text()
    for action in re.findall(r"uses:\s*(\S+)", text):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", action), action
    assert "secrets." not in text


def test_workflow_installs_the_same_node_tools_as_dev_sh() -> None:
    dev = (ROOT / "dev.sh").read_text()
    pinned = dev.split('NODE_TEST_PACKAGES="', 1)[1].split('"', 1)[0]
    workflow = (ROOT / ".github/workflows/site.yml").read_text()
    assert f"npm install --prefix .node --no-audit --no-fund {pinned}" in workflow
