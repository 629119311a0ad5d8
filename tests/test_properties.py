"""Property-based: random digests, including random Unicode and hostile strings.

Run the generator only. The ``ci`` profile (the default) runs 500 examples with a fixed seed and
no per-example deadline; ``HYPOTHESIS_PROFILE=dev`` runs fewer while working.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import bibtexparser
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.build import Options, build
from generator.config import display_path
from generator.diagnostics import DataError

settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</textarea>",
    "</title>",
    "&lt;",
    "&amp;",
    "# heading",
    "* item",
    "[x](javascript:alert(1))",
    "<!-- -->",
    "{: .class }",
    "!!! note",
    "--8<-- x",
    ": ",
    "- ",
    "'",
    '"',
    "---",
    "!!python/object",
    "}",
    "{",
    "@comment{",
    "\\",
    "%",
    "$",
    "_",
    "^",
    "~",
    "\u00a0",
    "\t",
    "\u200b",
    "\u202e",
    "Γ",
    "深度",
    "🚀",
    "שלום",
    "e\u0301",
    "\r",
    "\x0b",
    "\u2028",
    "\x00",
]
WORDS = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(min_size=1, max_size=12),
    st.sampled_from(["Vision", "language model", "a", "the"]),
)
LINES = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
PAPERS = st.lists(st.tuples(LINES, st.one_of(st.none(), LINES)), min_size=0, max_size=6)
TOPICS = "topics:\n  - {id: vision, name: Vision, description: Seeing., match: {title: [vision], text: [language model*]}}\n"


def digest(papers: list[tuple[str, str | None]], date_line: bool) -> str:
    blocks = ["Mar 20"] if date_line else []
    for title, text in papers:
        blocks.append(title)
        if text is not None:
            blocks.append(text)
    return "\n\n".join(blocks) + "\n"


def run(root: Path, text: str, second: str) -> dict[str, bytes] | None:
    data = root / "data"
    (data / "digests").mkdir(parents=True)
    (data / "digests/2025-03-20.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    (data / "digests/2025-03-21.txt").write_text(second, encoding="utf-8", errors="surrogatepass")
    (data / "topics.yaml").write_text(TOPICS)
    docs = root / "docs"
    try:
        build(Options(data_dir=data, docs_dir=docs, config_file=None))
    except DataError as failure:
        errors = failure.diagnostics.errors
        assert errors and all(str(e.where).startswith(display_path(data)) for e in errors)
        assert not any("nothing-lost" in e.message for e in errors), errors
        assert not docs.exists() or not any(docs.rglob("*.md"))
        return None
    return {
        # The manifest records file times: bookkeeping, not output.
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".generator-manifest.json"
    }


@given(PAPERS, PAPERS, st.booleans())
def test_random_digests_build_or_fail_cleanly(first: list, second: list, date_line: bool) -> None:
    text, other = digest(first, date_line), digest(second, True).replace("Mar 20", "Mar 21")
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        output = run(Path(one), text, other)
        again = run(Path(two), text, other)
    assert output == again  # the same input twice gives byte-identical output (or the same failure)
    event("failed cleanly" if output is None else "built")
    if output is None:
        return
    for name, data in output.items():
        if name.endswith(".md"):
            page = data.decode("utf-8")
            if page.startswith("---\n"):
                assert isinstance(yaml.safe_load(page.split("---\n")[1]), dict), name
        if name.endswith(".bib"):
            library = bibtexparser.parse_string(data.decode("utf-8"))
            assert library.failed_blocks == [], name
            assert len(library.entries) == data.decode("utf-8").count("\n@") + data.startswith(b"@")
    registry = (
        yaml.safe_load(output["data/registry.yaml"])
        if "data/registry.yaml" in output
        else {"papers": []}
    )
    whole = bibtexparser.parse_string(output.get("docs/bib/all.bib", b"").decode("utf-8"))
    assert {r["key"] for r in registry["papers"]} == {e.key for e in whole.entries}
    for record in registry["papers"]:
        assert f"docs/papers/{record['slug']}.md" in output
        assert record["slug"].isascii() and len(record["slug"]) <= 50
