"""Benchmark the generator and the site at N papers, beside a bare Material site of N pages.

    python -m benchmarks.run                      # N = 100, 1,000 and 10,000
    python -m benchmarks.run --sizes 100,1000     # fewer sizes
    python -m benchmarks.run --no-browser         # skip the Chromium search timing

Prints a Markdown table. Timings are wall-clock seconds of the real commands (`python -m
generator build`, `mkdocs build`): medians of --repeat same-time triples (after an untimed
first generator run), each a cold generator run, our `mkdocs build` and the bare site's. The
full build's ratio to the bare site is the median of the triples' ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import layout

from .synthetic import add_one_paper, papers, write_project

WORK = Path(__file__).resolve().parent / "work"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Result:
    """The figures of one size."""

    n: int
    rows: dict[str, str] = field(default_factory=dict)


def run(command: list[str], cwd: Path) -> tuple[float, str]:
    """Run a command; return its wall time and output. Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout + done.stderr


def generator_run(project: Path) -> tuple[float, int, int]:
    """One `python -m generator build`: seconds, files written, peak RSS in bytes."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "command = [sys.executable, '-m', 'generator', 'build']\n"
        "done = subprocess.run(command, capture_output=True, text=True)\n"
        "elapsed = time.perf_counter() - start\n"
        "sys.stdout.write(done.stdout)\n"
        "print('ELAPSED', elapsed, 'RSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    _, output = run([sys.executable, "-c", probe], project)
    written = int(re.search(r"files: (\d+) written", output).group(1))  # type: ignore[union-attr]
    elapsed, rss = re.search(r"ELAPSED (\S+) RSS (\d+)", output).groups()  # type: ignore[union-attr]
    return float(elapsed), written, int(rss) * 1024


def wipe_generated(project: Path) -> None:
    """Back to a cold start: no generated docs, no registry.

    The old output is moved aside rather than deleted: deleting 20,000 files keeps the
    filesystem busy for seconds afterwards, which would be timed as the generator's.
    """
    trash = WORK / "trash" / f"{project.name}-{time.monotonic_ns()}"
    trash.mkdir(parents=True)
    for name in layout.OWNED:
        if (project / "docs" / name).exists():
            (project / "docs" / name).rename(trash / name)
    (project / "docs" / layout.MANIFEST).unlink(missing_ok=True)
    (project / "data/registry.yaml").unlink(missing_ok=True)
    os.sync()


def mtimes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


def baseline_project(target: Path, n: int, ours: Path) -> Path:
    """A bare Material site: N pages of title and abstract as plain Markdown, same theme."""
    if target.exists():
        shutil.rmtree(target)
    (target / "docs/papers").mkdir(parents=True)
    config = (ours / "mkdocs.yml").read_text()
    config = re.sub(r"\nhooks:\n  - [^\n]+\n", "\n", config)
    config = re.sub(r"\nwatch:\n  - data\n", "\n", config)
    config = config.replace("  - Topics: topics/index.md\n  - All papers: papers/index.md\n", "")
    (target / "mkdocs.yml").write_text(config)
    shutil.copytree(ours / "overrides", target / "overrides")
    shutil.copytree(ours / "docs/assets", target / "docs/assets")
    (target / "docs/index.md").write_text("# Baseline\n")
    (target / "docs/about.md").write_text("# About\n")
    (target / "docs/_generated").mkdir()
    for index, (title, abstract) in enumerate(papers(n)):
        (target / f"docs/papers/p{index}.md").write_text(f"# {title}\n\n{abstract}\n")
    return target


def search_seconds(site: Path, query: str) -> float:
    """Seconds from focusing the search box to the first result, in Chromium."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_options, static_server

    with static_server(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        page = browser.new_page()
        page.goto(base + "/", wait_until="networkidle")
        box = page.locator("input.md-search__input, .pagefind-ui__search-input").first
        start = time.perf_counter()
        box.click()
        box.press_sequentially(query)
        page.locator(".md-search-result__item, .pagefind-ui__result").first.wait_for(
            timeout=120_000
        )
        elapsed = time.perf_counter() - start
        browser.close()
    return elapsed


def measure(n: int, repeat: int, browser: bool) -> Result:
    """Every row of the table for one size."""
    result = Result(n)
    project = WORK / f"ours-{n}"
    corpus = write_project(project, n)
    # One untimed run first: it compiles the copied package's bytecode, which a user's first
    # run does once ever, and lets the file system finish deleting the previous project.
    wipe_generated(project)
    generator_run(project)
    base = baseline_project(WORK / f"baseline-{n}", n, project)
    # The shared machine's speed drifts by tens of percent within minutes, so each repetition
    # is a same-time triple: our cold generator run, then our `mkdocs build`, then the bare
    # site's. The full build's ratio is the median of the triples' ratios.
    cold, ours_s, base_s, rss = [], [], [], 0
    for _ in range(repeat):
        wipe_generated(project)
        os.sync()
        seconds, written, peak = generator_run(project)
        cold.append(seconds)
        rss = max(rss, peak)
        os.sync()
        ours_s.append(run([sys.executable, "-m", "mkdocs", "build"], project)[0])
        os.sync()
        base_s.append(run([sys.executable, "-m", "mkdocs", "build"], base)[0])
    cold_s = statistics.median(cold)
    result.rows["generator cold run"] = (
        f"{cold_s:.2f} s ({n / cold_s:,.0f} papers/s, {written:,} files)"
    )
    again = [generator_run(project) for _ in range(repeat)]
    result.rows["re-run, no change"] = (
        f"{statistics.median(a[0] for a in again):.2f} s, {again[-1][1]} files written"
    )
    before = mtimes(project / "docs")
    add_one_paper(project)
    seconds, written, _ = generator_run(project)
    after = mtimes(project / "docs")
    changed = sorted(p for p in after if before.get(p) != after[p] and not p.startswith("."))
    other_pages = [p for p in changed if p.startswith("papers/") and p != "papers/index.md"]
    result.rows["re-run, one paper added"] = (
        f"{seconds:.2f} s, {written} files written ({len(other_pages) - 1} other paper pages)"
    )
    mkdocs_s = statistics.median(ours_s)
    result.rows["mkdocs build"] = f"{mkdocs_s:.1f} s"
    result.rows["generator peak RSS"] = f"{rss / 2**20:.0f} MB"
    site = project / "site"
    index = site / "search/search_index.json"
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        size = sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file())
        engine = "Pagefind (whole index on disk; a query loads a few fragments)"
    else:
        size = index.stat().st_size
        engine = "Material"
    text_bytes = sum(len(t.encode()) + len(a.encode()) for t, a in corpus) + text_of_authors(
        project
    )
    result.rows["search index"] = (
        f"{size / n:,.0f} B/paper ({size / text_bytes:.2f}× the text; {engine})"
    )
    pages = sorted(p.stat().st_size for p in (site / "papers").glob("*/index.html"))
    result.rows["median paper page"] = f"{statistics.median(pages):,.0f} B"
    listings = [
        *(site / "topics").glob("*/index.html"),
        *(site / "digests").glob("*/index.html"),
        site / "papers/index.html",
        site / "index.html",
    ]
    biggest = max(listings, key=lambda p: p.stat().st_size)
    where = biggest.relative_to(site).parent.as_posix()
    result.rows["largest listing page"] = (
        f"{biggest.stat().st_size / 2**10:,.0f} KB ({'home' if where == '.' else where})"
    )
    if browser:
        _, abstract = corpus[n // 2]
        seconds = search_seconds(site, distinctive_word(abstract, corpus))
        result.rows["first search result (Chromium)"] = f"{seconds:.2f} s"
    full = [c + o for c, o in zip(cold, ours_s, strict=True)]
    ratios = sorted(f / b for f, b in zip(full, base_s, strict=True))
    result.rows["bare Material site, mkdocs build"] = f"{statistics.median(base_s):.1f} s"
    result.rows["full build (cold generate + mkdocs)"] = (
        f"{statistics.median(full):.1f} s ({statistics.median(ratios):.2f}× the bare site;"
        f" same-time runs {', '.join(f'{r:.2f}' for r in ratios)}×)"
    )
    return result


def text_of_authors(project: Path) -> int:
    import yaml

    curated = yaml.safe_load((project / "data/papers.yaml").read_text())["papers"]
    return sum(len(", ".join(e.get("authors", [])).encode()) for e in curated)


def distinctive_word(abstract: str, corpus: list[tuple[str, str]]) -> str:
    """A word of this abstract that few other abstracts have (the benchmark's query)."""
    counts: dict[str, int] = {}
    for _, text in corpus:
        for word in set(re.findall(r"[a-z]{7,}", text.lower())):
            counts[word] = counts.get(word, 0) + 1
    words = sorted(set(re.findall(r"[a-z]{7,}", abstract.lower())), key=lambda w: (counts[w], w))
    return words[0]


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="100,1000,10000", help="comma-separated N (default 100,1000,10000)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium search timing")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    shutil.rmtree(WORK / "trash", ignore_errors=True)
    for n in sizes:
        print(f"measuring N = {n:,} ...", file=sys.stderr, flush=True)
        results.append(measure(n, args.repeat, not args.no_browser))
        print(json.dumps(results[-1].rows, indent=1), file=sys.stderr, flush=True)
        shutil.rmtree(WORK / "trash", ignore_errors=True)
    rows = list(results[0].rows)
    print("| | " + " | ".join(f"N = {r.n:,}" for r in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for row in rows:
        print(f"| {row} | " + " | ".join(r.rows.get(row, "") for r in results) + " |")
    (WORK / "results.json").write_text(json.dumps({r.n: r.rows for r in results}, indent=2))


if __name__ == "__main__":
    main()
