"""Deterministic synthetic reading lists of N papers, built from the seed digest's vocabulary.

Titles share their first words often ("Efficient", "Towards Scalable", ...) so slugs and cite
keys clash heavily; no two titles are identical. Papers are spread over daily digests of about
100 papers, and half of them get curated authors, years and sometimes venues.
"""

from __future__ import annotations

import datetime
import random
import re
import shutil
from pathlib import Path

import yaml

from generator import layout

ROOT = Path(__file__).resolve().parent.parent
SEED_DIGEST = ROOT / "data/digests/2025-03-20.txt"
STARTERS = [
    "Efficient",
    "Towards",
    "Scaling",
    "Learning",
    "A",
    "On",
    "Fast",
    "Sparse",
    "Mamba",
    "Vision",
    "Large",
    "Quantized",
    "Accelerating",
    "Understanding",
]
SURNAMES = [
    "Wang",
    "Li",
    "Zhang",
    "Chen",
    "Liu",
    "Smith",
    "Kim",
    "Garcia",
    "Müller",
    "van der Berg",
    "Nguyen",
    "Cywiński",
    "Singh",
    "Rossi",
    "Sato",
]
VENUES = ["ICLR 2025", "NeurIPS 2024", "ICML 2024", "CVPR 2024", "TMLR 2024", "EMNLP 2023"]
PER_DIGEST = 100


def vocabulary() -> tuple[list[str], list[str]]:
    """Title words and abstract words of the seed."""
    lines = [line for line in SEED_DIGEST.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = lines.index("Mar 20") + 1
    titles, abstracts = lines[start::2], lines[start + 1 :: 2]
    words = lambda texts: [w for t in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9-]+", t)]  # noqa: E731
    return words(titles), words(abstracts)


def papers(n: int, seed: int = 20250320) -> list[tuple[str, str]]:
    """N distinct (title, abstract) pairs."""
    rng = random.Random(seed)
    title_words, abstract_words = vocabulary()
    seen: set[str] = set()
    result = []
    while len(result) < n:
        title = " ".join([rng.choice(STARTERS)] + rng.sample(title_words, rng.randint(4, 10)))
        if title.casefold() in seen:
            continue
        seen.add(title.casefold())
        sentences = [
            " ".join(rng.sample(abstract_words, rng.randint(12, 24))).capitalize() + "."
            for _ in range(rng.randint(8, 12))
        ]
        if rng.random() < 0.2:
            sentences.append(
                f"Code is at https://github.com/lab{rng.randint(1, 500)}/repo{len(result)}."
            )
        result.append((title, " ".join(sentences)))
    return result


def write_project(target: Path, n: int, seed: int = 20250320) -> list[tuple[str, str]]:
    """A project folder (mkdocs.yml, docs/, overrides/, data/) with N synthetic papers."""
    if target.exists():
        shutil.rmtree(target)
    for name in ("mkdocs.yml",):
        target.mkdir(parents=True)
        shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copytree(
        ROOT / "generator", target / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(
        ROOT / "docs",
        target / "docs",
        ignore=shutil.ignore_patterns(*layout.OWNED, layout.MANIFEST),
    )
    data = target / "data"
    (data / "digests").mkdir(parents=True)
    for name in ("topics.yaml", "venues.yaml", "settings.yaml"):
        shutil.copy(ROOT / "data" / name, data / name)
    rng = random.Random(seed + 1)
    all_papers = papers(n, seed)
    curated = []
    start = datetime.date(2025, 1, 1)
    for index in range(0, n, PER_DIGEST):
        day = start + datetime.timedelta(days=index // PER_DIGEST)
        chunk = all_papers[index : index + PER_DIGEST]
        write_digest(data / "digests" / f"{day.isoformat()}.txt", day, chunk)
        for title, _ in chunk:
            if rng.random() < 0.5:
                entry = {
                    "title": title,
                    "year": rng.choice([2023, 2024, 2025]),
                    "authors": [f"Ann {rng.choice(SURNAMES)}" for _ in range(rng.randint(1, 5))],
                }
                if rng.random() < 0.3:
                    entry["venue"] = rng.choice(VENUES)
                curated.append(entry)
    (data / "papers.yaml").write_text(
        yaml.safe_dump({"papers": curated}, allow_unicode=True, sort_keys=False)
    )
    return all_papers


def write_digest(path: Path, day: datetime.date, chunk: list[tuple[str, str]]) -> None:
    """One digest file in the Hugging Face page's shape."""
    blocks = ["new", "Subscribe", f"{day:%b} {day.day}"]
    for title, abstract in chunk:
        blocks += [title, abstract]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def add_one_paper(project: Path, seed: int = 7) -> str:
    """Append one new paper to the newest digest; return its title."""
    newest = sorted((project / "data/digests").glob("*.txt"))[-1]
    title = "Benchmark Added Paper " + " ".join(random.Random(seed).sample(vocabulary()[0], 6))
    abstract = "A paper added to measure an incremental build. " * 4
    with newest.open("a", encoding="utf-8") as stream:
        stream.write(f"\n{title}\n\n{abstract.strip()}\n")
    return title
