"""What citations call a venue, and the curated proper nouns: venues.yaml and propernouns.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.capitals import load_proper_nouns, needs_protection, title_runs
from generator.catalog import classify_venue
from generator.citing import Citing, cited_venue, load_citing
from generator.curation import load_curation
from generator.diagnostics import Diagnostics
from generator.metadata import Metadata
from generator.series import without_year

from .conftest import ROOT, messages


@pytest.fixture(scope="module")
def citing() -> Citing:
    diagnostics = Diagnostics()
    curation = load_curation(ROOT / "data", "data", diagnostics)
    found = load_citing(ROOT / "data", "data", curation.venues, diagnostics)
    assert messages(diagnostics) == []
    return found


def cite(name: str, citing: Citing, kind: str | None = None) -> tuple[str, str]:
    venue = classify_venue(Metadata(venue=name, venue_kind=kind), citing.venues)
    assert venue is not None
    return venue.kind, cited_venue(venue, citing.venues).container


SEED_VENUES = sorted(
    {
        m.group(1).strip()
        for m in re.finditer(r"^\s+venue: (.+)$", (ROOT / "data/papers.yaml").read_text(), re.M)
    }
)


@pytest.mark.parametrize(
    ("name", "kind", "container"),
    [
        (
            "SOSP 2023",
            "conference",
            "Proceedings of the Symposium on Operating Systems Principles (SOSP)",
        ),
        ("COLM 2024", "conference", "Proceedings of the Conference on Language Modeling (COLM)"),
        (
            "ICLR 2025",
            "conference",
            "Proceedings of the International Conference on Learning Representations (ICLR)",
        ),
        (
            "NeurIPS 2023",
            "conference",
            "Advances in Neural Information Processing Systems (NeurIPS)",
        ),
        ("NIPS 2017", "conference", "Advances in Neural Information Processing Systems (NeurIPS)"),
        (
            "Findings of NAACL 2024",
            "conference",
            "Findings of the Association for Computational Linguistics: NAACL",
        ),
        (
            "NeurIPS 2023 Workshop on Machine Learning for Systems",
            "workshop",
            "NeurIPS Workshop on Machine Learning for Systems",
        ),
        ("LAD Workshop 2024", "workshop", "LAD Workshop"),
        ("npj Digital Medicine 2024", "journal", "npj Digital Medicine"),
        ("TMLR 2024", "journal", "Transactions on Machine Learning Research"),
        ("JAIR 2023", "journal", "Journal of Artificial Intelligence Research"),
        (
            "IEEE TETCI 2023",
            "journal",
            "IEEE Transactions on Emerging Topics in Computational Intelligence",
        ),
        (
            "IEEE Transactions on Emerging Topics in Computational Intelligence (2023)",
            "journal",
            "IEEE Transactions on Emerging Topics in Computational Intelligence",
        ),
        ("J. Mach. Learn. Res. 2022", "journal", "Journal of Machine Learning Research"),
        ("Some Unknown Venue 2021", "unknown", "Some Unknown Venue"),
    ],
)
def test_venues_are_named_by_their_series_without_the_year(
    citing: Citing, name: str, kind: str, container: str
) -> None:
    assert cite(name, citing) == (kind, container)


def test_dblp_kinds_still_find_their_series(citing: Citing) -> None:
    assert cite("SOSP 2023", citing, "conference")[1].endswith("Principles (SOSP)")
    assert cite("J. Mach. Learn. Res. 2022", citing, "journal") == (
        "journal",
        "Journal of Machine Learning Research",
    )


def test_every_seed_venue_is_named_without_a_year_and_keeps_its_kind(citing: Citing) -> None:
    # The kinds venues.yaml gave before it named series: one workshop, journal and conference rule.
    before = {
        "workshop": ["Workshop"],
        "journal": ["TMLR", "Transactions", "JAIR", "npj"],
    }
    assert len(SEED_VENUES) >= 40
    for name in SEED_VENUES:
        kind, container = cite(name, citing)
        expected = next((k for k, words in before.items() if any(w in name for w in words)), None)
        assert kind == (expected or "conference"), name
        assert not re.search(r"(19|20)\d\d", container), (name, container)


def test_rules_of_one_kind_keep_the_words_they_had(citing: Citing) -> None:
    words = {
        kind: {w for r in citing.venues if r.kind == kind for w in r.match}
        for kind in ("workshop", "journal", "conference")
    }
    assert {"Workshop", "Workshops"} <= words["workshop"]
    assert {
        "TMLR",
        "Transactions",
        "Journal",
        "JMLR",
        "JAIR",
        "npj",
        "Nature",
        "Science",
        "IEEE Access",
        "PLOS",
        "Patterns",
    } <= words["journal"]
    assert {
        "AAAI",
        "ACL",
        "NeurIPS",
        "NIPS",
        "SOSP",
        "Findings",
        "Proceedings",
        "Conference",
        "Symposium",
    } <= words["conference"]
    kinds = [r.kind for r in citing.venues]
    assert kinds == sorted(kinds, key=["workshop", "journal", "conference"].index)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Findings of NAACL 2024", "Findings of NAACL"),
        ("IEEE Transactions on X (2023)", "IEEE Transactions on X"),
        ("X (2023, online)", "X (online)"),
        ("NeurIPS 2024 Workshop ENLSP-IV", "NeurIPS Workshop ENLSP-IV"),
        ("2024", "2024"),
    ],
)
def test_without_year(name: str, expected: str) -> None:
    assert without_year(name) == expected


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_series_with_a_year_is_an_error_naming_the_rule(tmp_path: Path) -> None:
    write(
        tmp_path,
        "venues.yaml",
        "rules:\n  - kind: conference\n    match: [SOSP]\n    series: SOSP 2023\n",
    )
    diagnostics = Diagnostics()
    load_curation(tmp_path, "data", diagnostics)
    assert messages(diagnostics) == [
        "data/venues.yaml:4: error: rule 1: series: expected a name without a year (each paper's "
        "year is cited apart), found '2023' in 'SOSP 2023'"
    ]


def test_proper_nouns_file_errors_name_the_entry(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "propernouns.yaml",
        "proper_nouns:\n"
        "  - name: Hopper\n"
        "  - name: hopper\n"
        "  - name: lowercase words\n"
        "  - {name: Ada, what: a GPU}\n",
    )
    diagnostics = Diagnostics()
    nouns = load_proper_nouns(path, "data/propernouns.yaml", diagnostics)
    assert nouns.names == ("Hopper",)
    assert messages(diagnostics) == [
        "data/propernouns.yaml:3: error: proper noun 'hopper': name: expected a proper noun of words "
        "spelled with their capitals, such as 'Ada Lovelace', found 'hopper'",
        "data/propernouns.yaml:4: error: proper noun 'lowercase words': name: expected a proper noun of "
        "words spelled with their capitals, such as 'Ada Lovelace', found 'lowercase words'",
        "data/propernouns.yaml:5: error: proper noun 'Ada': unknown key 'what'; known keys: name, note",
    ]


def test_a_proper_noun_listed_twice_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path, "propernouns.yaml", "proper_nouns:\n  - name: Hopper\n  - name: HOPPER\n"
    )
    diagnostics = Diagnostics()
    load_proper_nouns(path, "p.yaml", diagnostics)
    assert messages(diagnostics) == [
        "p.yaml:3: error: proper noun 'HOPPER': listed twice; see p.yaml:2"
    ]


def test_no_proper_nouns_file_means_none(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert load_proper_nouns(tmp_path / "absent.yaml", "absent.yaml", diagnostics).names == ()
    assert messages(diagnostics) == []


def test_the_seed_titles_keep_their_proper_nouns(citing: Citing) -> None:
    for title, protected in [
        (
            "Benchmarking and Dissecting the Nvidia Hopper GPU Architecture",
            ["Nvidia", "Hopper", "GPU"],
        ),
        (
            "Understanding GEMM Performance and Energy on NVIDIA Ada Lovelace: A",
            ["GEMM", "NVIDIA", "Ada", "Lovelace"],
        ),
        (
            "Scaling Large Language Model Training on Frontier with Low-Bandwidth Partitioning",
            ["Frontier"],
        ),
        (
            "MG-Verilog: Multi-grained Dataset Towards Enhanced LLM-assisted Verilog Generation",
            ["MG-Verilog", "LLM", "Verilog"],
        ),
    ]:
        assert [text for text, keep in title_runs(title, citing.nouns) if keep] == protected


@pytest.mark.parametrize(
    ("part", "protect"),
    [
        ("LLM", True),
        ("ChatGPT", True),
        ("T3", True),
        ("70B", True),
        ("Multi", False),
        ("2bit", False),
        ("a", False),
        ("I", False),
    ],
)
def test_needs_protection(part: str, protect: bool) -> None:
    assert needs_protection(part) is protect
