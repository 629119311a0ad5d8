"""``mkdocs serve --dirty``: each kind of data edit shows after exactly one rebuild, and the
search index, listings and pages stay what a full build would make."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import free_port
from .conftest import copy_project
from .test_serve import MAMBA, TITLE_LINE, fetch, wait_for

pytestmark = pytest.mark.browser
REBUILD = "Building documentation..."
NEW_TITLE = "Zyxwv Quokka Attention for Reload Tests"
NEW_ABSTRACT = "A pangolinesque abstract for a paper added while serving. " * 3


class Server:
    """A running ``mkdocs serve --dirty`` and its log."""

    def __init__(self, project: Path, base: str, log: Path):
        self.project, self.base, self.log = project, base, log

    def rebuilds(self) -> int:
        return self.log.read_text(errors="replace").count(REBUILD)

    def settle(self) -> None:
        """Wait until no rebuild is under way or about to start."""
        time.sleep(2.5)

        def idle() -> bool:
            text = self.log.read_text(errors="replace")
            # The first build, at start-up, reloads no browser.
            return text.count(REBUILD) == text.count("Reloading browsers") + 1

        wait_for(idle, "the rebuild to finish")

    def generator_runs(self) -> int:
        return self.log.read_text(errors="replace").count("generator: ")

    def search_index(self) -> list[dict[str, str]]:
        return list(json.loads(fetch(self.base + "search/search_index.json"))["docs"])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"},
        )
        served = Server(project, f"http://127.0.0.1:{port}/", log)
        try:
            wait_for(lambda: "Mamba" in fetch(served.base + MAMBA), "mkdocs serve to start")
            served.settle()
            yield served
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_each_edit_shows_after_one_rebuild_and_search_stays_whole(server: Server) -> None:
    data = server.project / "data"
    pages_before = {e["location"].split("#")[0] for e in server.search_index()}

    # A curator note.
    before = server.rebuilds()
    papers = data / "papers.yaml"
    papers.write_text(
        papers.read_text().replace(TITLE_LINE, TITLE_LINE + "  notes: Reload note plugh.\n")
    )
    wait_for(lambda: "Reload note plugh" in fetch(server.base + MAMBA), "the note", 30)
    server.settle()
    assert server.rebuilds() - before == 1

    # A new paper in the digest: its page, the listings and search all know it.
    before, runs = server.rebuilds(), server.generator_runs()
    digest = next((data / "digests").glob("*.txt"))
    with digest.open("a", encoding="utf-8") as stream:
        stream.write(f"\n\n{NEW_TITLE}\n\n{NEW_ABSTRACT.strip()}\n")
    wait_for(lambda: NEW_TITLE in fetch(server.base + "papers/"), "the new paper listed", 30)
    server.settle()
    assert server.rebuilds() - before == 1
    # One generator run: the registry entry it writes for the new paper does not wake it again.
    assert server.generator_runs() - runs == 1
    index = server.search_index()
    hits = {e["location"].split("#")[0] for e in index if "pangolinesque" in e["text"]}
    assert len(hits) == 1
    (new_page,) = hits
    assert NEW_TITLE in fetch(server.base + new_page)
    pages_after = {e["location"].split("#")[0] for e in index}
    assert pages_before | {new_page} <= pages_after  # nothing dropped from the index
    assert all(fetch(server.base + page) for page in pages_after - pages_before)
    locations = [e["location"] for e in index]
    assert len(locations) == len(set(locations)), "no page indexed twice"
    assert "Reload note plugh" in json.dumps(index)

    # A topic rule: the paper gains the topic on its page and in the topic's listing.
    before = server.rebuilds()
    topics = data / "topics.yaml"
    rule = re.compile(r"(\n  - id: vision-transformers\n(?:    .*\n)*?      title: \[)")
    topics.write_text(rule.sub(r"\1Quokka, ", topics.read_text(), count=1))
    wait_for(
        lambda: "topics/vision-transformers/" in fetch(server.base + new_page),
        "the new topic chip",
        30,
    )
    assert NEW_TITLE in fetch(server.base + "topics/vision-transformers/")
    server.settle()
    assert server.rebuilds() - before == 1

    # A broad rule: dozens of paper pages change, and a forked child renders part of them
    # beside the server's threads (generator/mkdocs_fork.py).
    before = server.rebuilds()
    split = re.compile(r"INFO +- +(\d+) changed pages rendered on a second core")
    splits = len(split.findall(server.log.read_text()))
    kv_cache = re.compile(r"(\n  - id: kv-cache\n(?:    .*\n)*?      text: \[)")
    topics.write_text(kv_cache.sub(r"\1performance, ", topics.read_text(), count=1))
    wait_for(lambda: "topics/kv-cache/" in fetch(server.base + MAMBA), "the broad rule", 30)
    server.settle()
    assert server.rebuilds() - before == 1
    log = server.log.read_text()
    assert len(split.findall(log)) == splits + 1
    assert 20 < int(split.findall(log)[-1]) < 96  # part of the 96 papers
    assert "Traceback" not in log
    # Files the generator left alone were left out of each rebuild, silently.
    assert "excluded from the built site" not in log
    assert_served_as_a_full_build_makes_it(server)


LIVERELOAD = re.compile(r"<script[^>]*>[^<]*livereload[^<]*</script>", re.S)


def assert_served_as_a_full_build_makes_it(server: Server) -> None:
    """Every page and file the server serves is what ``mkdocs build`` makes of the same
    project (but for the server's live-reload script)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": server.base}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", "full-site"],
        cwd=server.project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    site = server.project / "full-site"
    compared = 0
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if not path.is_file() or not name.endswith((".html", ".bib", ".xml", ".json")):
            continue
        if name.startswith(("search/", "sitemap")) or name == "404.html":
            continue  # the index is checked above; the sitemap carries the build date
        url = server.base + (
            name.removesuffix("index.html") if name.endswith("index.html") else name
        )
        served = LIVERELOAD.sub("", fetch(url))
        assert served == path.read_text(encoding="utf-8"), name
        compared += 1
    assert compared > 300
    # And the search index, entry by entry, in a full build's order (the home page's too).
    full = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert len(full) > 300
    assert server.search_index() == full


def test_an_edit_that_changes_nothing_rebuilds_nothing(server: Server) -> None:
    before = server.rebuilds()
    papers = server.project / "data/papers.yaml"
    papers.write_text(papers.read_text() + "\n# a comment changes no page\n")
    time.sleep(3)
    server.settle()
    assert server.rebuilds() - before == 0
    assert "generator: " in server.log.read_text()  # the generator did run


def test_a_hand_written_page_edit_shows_after_one_rebuild(server: Server) -> None:
    # The hook watches docs/ in MkDocs' stead, and must not miss the pages a person writes.
    before = server.rebuilds()
    about = server.project / "docs/about.md"
    about.write_text(about.read_text() + "\nA hand-written xyzzy sentence.\n")
    wait_for(lambda: "xyzzy" in fetch(server.base + "about/"), "the edited page", 30)
    server.settle()
    assert server.rebuilds() - before == 1
