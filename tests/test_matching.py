"""Title matching: one case per behaviour, and decoys that must never be accepted."""

from __future__ import annotations

import pytest

from generator.arxiv_source import ArxivCandidate
from generator.dblp_source import DblpHit
from generator.matching import choose_arxiv, choose_venue, normalise_title, title_method

VLLM = "Efficient Memory Management for Large Language Model Serving with PagedAttention"


@pytest.mark.parametrize(
    ("title", "normalised"),
    [
        pytest.param(f"{VLLM}.", VLLM.casefold(), id="dblp_final_period"),
        pytest.param("LLaMA$^3$: \\textbf{Bold} Models", "llama 3 bold models", id="latex_markup"),
        pytest.param("Line\n  wrapped   title", "line wrapped title", id="arxiv_line_wrap"),
        pytest.param("ＦＵＬＬ width Ⅳ", "full width iv", id="nfkc"),
        pytest.param(
            "T3: Tracking & Triggering (4+2)", "t3 tracking triggering 4 2", id="punctuation"
        ),
        pytest.param("Ünïcode Straße", "ünïcode strasse", id="casefold"),
    ],
)
def test_normalise_title(title, normalised):
    assert normalise_title(title) == normalised


@pytest.mark.parametrize(
    ("wanted", "found", "method"),
    [
        pytest.param(VLLM, f"{VLLM}.", "title-exact", id="exact_after_normalising"),
        pytest.param(
            "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
            "Flash Attention: Fast and Memory Efficient Exact Attention with IO Awareness",
            "title-fuzzy",
            id="joined_word",
        ),
        pytest.param(VLLM, VLLM.replace("Efficient", "Effcient"), "title-fuzzy", id="typo"),
        pytest.param(
            VLLM,
            "Efficient Memory Management for Large Language Model Serving",
            None,
            id="decoy_shorter_title",
        ),
        pytest.param(
            VLLM,
            "Efficient Memory Management for Large Language Model Training with PagedAttention",
            None,
            id="decoy_one_word_swapped",
        ),
        pytest.param(
            "Qwen2 Technical Report", "Qwen2.5 Technical Report", None, id="decoy_version"
        ),
        pytest.param("GPT-4 Technical Report", "GPT-4o Technical Report", None, id="decoy_short"),
        pytest.param(
            "Large Language Models are Zero-Shot Reasoners",
            "Large Language Models are Few-Shot Reasoners",
            None,
            id="decoy_antonym",
        ),
        pytest.param(
            "Llama 2: Open Foundation and Fine-Tuned Chat Models",
            "Llama 3: Open Foundation and Fine-Tuned Chat Models",
            None,
            id="decoy_number",
        ),
        pytest.param(
            "Denoising Diffusion Probabilistic Models",
            "Improved Denoising Diffusion Probabilistic Models",
            None,
            id="decoy_extra_word",
        ),
    ],
)
def test_title_method(wanted, found, method):
    assert title_method(wanted, found) == method


def paper(id: str, title: str, year: int, authors: tuple[str, ...] = ("Woosuk Kwon",)):
    return ArxivCandidate(id, title, authors, year, f"{year}-01-01", "cs.LG", None, None, None)


def test_exact_title_is_found():
    decision = choose_arxiv(VLLM, 2025, [paper("2309.06180", VLLM, 2023)])
    assert (decision.status, decision.method, decision.chosen.id) == (
        "found",
        "title-exact",
        "2309.06180",
    )


@pytest.mark.parametrize(
    "year", [pytest.param(2026, id="after_the_digest"), pytest.param(2010, id="far_too_old")]
)
def test_implausible_year_goes_to_review(year):
    decision = choose_arxiv(VLLM, 2025, [paper("2309.06180", VLLM, year)])
    assert decision.status == "review" and decision.chosen is None
    assert decision.candidates[0].id == "2309.06180" and decision.candidates[0].year == year


def test_two_papers_with_the_same_title_go_to_review():
    found = [paper("2309.06180", VLLM, 2023), paper("2401.00001", VLLM, 2024)]
    decision = choose_arxiv(VLLM, 2025, found)
    assert decision.status == "review" and [c.id for c in decision.candidates] == [
        "2309.06180",
        "2401.00001",
    ]


def test_near_title_with_a_close_rival_goes_to_review():
    near = VLLM.replace("Efficient", "Effcient")
    rival = VLLM.replace("Efficient", "Eficient")
    found = [paper("2309.06180", VLLM, 2023), paper("2401.00001", rival, 2024)]
    assert choose_arxiv(near, 2025, found).status == "review"
    alone = choose_arxiv(near, 2025, found[:1])
    assert (alone.status, alone.method) == ("found", "title-fuzzy") and alone.score >= 95


def test_decoy_is_never_attached():
    decoy = "Efficient Memory Management for Large Language Model Serving"
    decision = choose_arxiv(decoy, 2025, [paper("2309.06180", VLLM, 2023)])
    assert decision.status == "review" and decision.chosen is None
    candidate = decision.candidates[0]
    assert (candidate.first_author, candidate.year) == ("Woosuk Kwon", 2023)
    assert 80 < candidate.score < 95


def test_noise_only_is_not_found():
    assert choose_arxiv(VLLM, 2025, []).status == "not_found"
    noise = choose_arxiv(VLLM, 2025, [paper("1706.03762", "Attention Is All You Need", 2017)])
    assert noise.status == "not_found" and noise.candidates == ()


def hit(
    kind="conference",
    venue="SOSP",
    year=2023,
    authors=("Woosuk Kwon", "Ion Stoica"),
    title=VLLM,
    key="conf/sosp/x",
):
    return DblpHit(key, title, authors, venue, year, kind, None, None)


@pytest.mark.parametrize(
    ("hits", "expected"),
    [
        pytest.param([hit()], "conf/sosp/x", id="conference"),
        pytest.param([hit(kind=None, venue="CoRR")], None, id="corr_is_not_a_venue"),
        pytest.param([hit(year=2021)], None, id="venue_before_the_preprint"),
        pytest.param([hit(year=2027)], None, id="venue_long_after_the_digest"),
        pytest.param([hit(authors=("Someone Else",))], None, id="no_shared_author"),
        pytest.param([hit(title="Efficient Memory Management")], None, id="other_title"),
        pytest.param(
            [hit(kind="journal", year=2024, key="journals/j/x"), hit()],
            "conf/sosp/x",
            id="earliest",
        ),
        pytest.param(
            [hit(authors=("Someone Else", "Ion Stoica"), key="a"), hit(key="b")],
            "b",
            id="most_authors",
        ),
    ],
)
def test_choose_venue(hits, expected):
    chosen = choose_venue([VLLM], ("Woosuk Kwon", "Ion Stoica"), 2023, 2025, hits)
    assert (chosen.hit.key if chosen else None) == expected
