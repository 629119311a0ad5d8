"""Live-reload latency of ``mkdocs serve``: from saving a change in data/ to the changed page.

    python -m benchmarks.reload                          # N = 100, 1,000, 10,000; serve --dirty
    python -m benchmarks.reload --sizes 100,1000 --mode plain    # full rebuilds, for comparison
    python -m benchmarks.reload --hook HEAD              # the hook as committed (before/after)
    python -m benchmarks.reload --sizes 10000 --edits note    # one kind of edit

For each size, a synthetic project (benchmarks/synthetic.py) is served on 127.0.0.1, and three
edits are timed, each from the write to the first poll (every 50 ms) that serves the changed
page: a curator note in data/papers.yaml, a new paper appended to the newest digest, and a word
added to a topic's title rule. Each wait is bounded by --timeout. The number of rebuilds each
edit triggered is counted in the server's log.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.build import gather
from generator.diagnostics import Diagnostics

from .synthetic import add_one_paper, write_project

WORK = Path(__file__).resolve().parent / "work"
REBUILD = "Building documentation..."


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    """The page's text, or "" while it is missing or the server is busy."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_until(condition: Callable[[], bool], timeout: float, poll: float = 0.05) -> float | None:
    """Seconds until the condition held, or None after the timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(poll)
    return None


@dataclass
class Served:
    """A running ``mkdocs serve`` of a project."""

    project: Path
    base: str
    log: Path

    def rebuilds(self) -> int:
        return self.log.read_text(errors="replace").count(REBUILD)


@contextmanager
def serve(project: Path, dirty: bool, start_timeout: float) -> Iterator[Served]:
    """Start ``mkdocs serve`` at a free port; stop it afterwards."""
    port = free_port()
    log = project / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    with log.open("wb") as stream:
        process = subprocess.Popen(
            command + (["--dirty"] if dirty else []),
            cwd=project,
            stdout=stream,
            stderr=subprocess.STDOUT,
            env=env,
        )
        served = Served(project, f"http://127.0.0.1:{port}/", log)
        try:
            if wait_until(lambda: "</html>" in fetch(served.base), start_timeout, 0.5) is None:
                raise SystemExit(f"mkdocs serve did not start in {start_timeout} s: see {log}")
            time.sleep(1.5)  # let the watchers settle
            yield served
        finally:
            process.send_signal(signal.SIGINT)  # as a curator stops it: Ctrl-C
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def slug_of(project: Path, title: str) -> str:
    catalog = gather(project / "data", Diagnostics()).catalog
    return next(p.slug for p in catalog.papers if p.title == title)


def edit_note(served: Served) -> Callable[[], bool]:
    """Add a curator note to the first curated paper; return the check that it shows."""
    papers = served.project / "data/papers.yaml"
    text = papers.read_text(encoding="utf-8")
    first = re.search(r"^- title: (.*)$", text, re.MULTILINE)
    assert first is not None
    title = yaml.safe_load(first.group(1))
    url = f"{served.base}papers/{slug_of(served.project, title)}/"
    marker = f"note-{time.monotonic_ns()}"
    assert marker not in fetch(url)
    papers.write_text(text.replace(first.group(0), f"{first.group(0)}\n  notes: {marker}", 1))
    return lambda: marker in fetch(url)


def edit_digest(served: Served) -> Callable[[], bool]:
    """Append a new paper to the newest digest; return the check that its page is served."""
    newest = sorted((served.project / "data/digests").glob("*.txt"))[-1]
    title = add_one_paper(served.project, seed=time.monotonic_ns())
    url = f"{served.base}digests/{newest.stem}/"
    return lambda: title in fetch(url)


def edit_topic_rule(served: Served) -> Callable[[], bool]:
    """Add a word of a paper's title to a topic's title rule; return the check that the paper
    page shows the topic."""
    topics_file = served.project / "data/topics.yaml"
    text = topics_file.read_text(encoding="utf-8")
    topic = "vision-transformers"
    catalog = gather(served.project / "data", Diagnostics()).catalog
    paper = next(p for p in reversed(catalog.papers) if topic not in p.topics)
    word = max(re.findall(r"[A-Za-z]{6,}", paper.title), key=len)
    rule = re.compile(rf"(\n  - id: {topic}\n(?:    .*\n)*?      title: \[)")
    assert rule.search(text), "topics.yaml changed shape"
    url = f"{served.base}papers/{paper.slug}/"
    assert f"topics/{topic}/" not in fetch(url)
    topics_file.write_text(rule.sub(lambda m: f"{m.group(1)}{word}, ", text, count=1))
    return lambda: f"topics/{topic}/" in fetch(url)


EDITS = {
    "curator note": edit_note,
    "new paper in a digest": edit_digest,
    "topic rule": edit_topic_rule,
}


def measure(
    n: int, dirty: bool, hook: str | None, timeout: float, edits: list[str]
) -> dict[str, str]:
    """The edits at one size: seconds to the changed page, and the rebuilds each caused."""
    project = WORK / f"reload-{n}"
    write_project(project, n)
    if hook:
        source = subprocess.run(
            ["git", "show", f"{hook}:generator/mkdocs_hook.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (project / "generator/mkdocs_hook.py").write_text(source)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"the generator failed in {project}:\n{done.stdout}\n{done.stderr}")
    results = {}
    with serve(project, dirty, start_timeout=max(120.0, n * 0.05)) as served:
        for name in edits:
            edit = EDITS[name]
            before = served.rebuilds()
            shows = edit(served)
            seconds = wait_until(shows, timeout)
            time.sleep(2)  # a second rebuild, if any, would start by now
            wait_until(lambda: "Reloading browsers" in served.log.read_text()[-300:], timeout)
            count = served.rebuilds() - before
            shown = f"{seconds:.2f} s" if seconds is not None else f"> {timeout:.0f} s"
            results[name] = f"{shown} ({count} rebuild{'s' if count != 1 else ''})"
            print(f"N={n} {name}: {results[name]}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--mode", choices=["dirty", "plain"], default="dirty")
    parser.add_argument("--hook", help="a git revision whose generator/mkdocs_hook.py to use")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for one edit")
    parser.add_argument(
        "--edits", default="note,paper,rule", help="which edits, of note, paper and rule"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    short = {"note": "curator note", "paper": "new paper in a digest", "rule": "topic rule"}
    edits = [short[e] for e in args.edits.split(",")]
    table = {n: measure(n, args.mode == "dirty", args.hook, args.timeout, edits) for n in sizes}
    print(f"\nmkdocs serve{' --dirty' if args.mode == 'dirty' else ''}, hook {args.hook or 'ours'}")
    print("| edit | " + " | ".join(f"N = {n:,}" for n in sizes) + " |")
    print("| --- |" + " --- |" * len(sizes))
    for name in edits:
        print(f"| {name} | " + " | ".join(table[n][name] for n in sizes) + " |")


if __name__ == "__main__":
    main()
