"""Proposed slugs and cite keys (the registry freezes whichever a paper is born with)."""

from __future__ import annotations

import pytest

from generator.names import (
    first_significant_word,
    key_suffix,
    propose_key,
    propose_slug,
    slug_suffix,
    surname,
)


@pytest.mark.parametrize(
    ("authors", "year", "title", "key"),
    [
        pytest.param(
            ("Albert Gu", "Tri Dao"),
            2023,
            "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
            "gu2023mamba",
            id="mamba",
        ),
        pytest.param(
            ("Ludwig van der Berg",),
            2024,
            "On the Things",
            "vanderberg2024things",
            id="particles_attached_stop_words_skipped",
        ),
        pytest.param(
            ("Bartosz Cywiński",),
            2025,
            "Precise Parameter Localization",
            "cywinski2025precise",
            id="diacritics_folded",
        ),
        pytest.param(
            ("Łukasz Staniszewski",), 2025, "Precise", "staniszewski2025precise", id="polish_l"
        ),
        pytest.param(
            (), 2023, "Mamba: Linear-Time Sequence Modeling", "mamba2023", id="no_authors"
        ),
        pytest.param(
            ("Yu-Hsin Chen",),
            2022,
            "M^3ViT: Mixture-of-Experts",
            "chen2022m3vit",
            id="caret_dropped",
        ),
        pytest.param(
            ("X Li",), 2023, "Graphix-T5: Mixing", "li2023graphix", id="word_runs_to_hyphen"
        ),
        pytest.param(
            ("李 明",), 2024, "Towards a Thing", "thing2024", id="non_latin_surname_falls_back"
        ),
        pytest.param(
            ("Martin Luther King Jr.",), 2020, "A Dream", "king2020dream", id="suffix_skipped"
        ),
    ],
)
def test_propose_key(authors: tuple[str, ...], year: int, title: str, key: str) -> None:
    assert propose_key(authors, year, title) == key


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        pytest.param(
            "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
            "mamba-linear-time-sequence-modeling-selective",
            id="short_and_readable",
        ),
        pytest.param(
            "T3: Transparent Tracking & Triggering for Fine-grained Overlap of Compute & Collectives",
            "t3-transparent-tracking-triggering-fine-grained",
            id="ampersands",
        ),
        pytest.param("Ünïcödé Tïtlé", "unicode-title", id="ascii_folded"),
        pytest.param("Con", "con-paper", id="windows_reserved_name"),
        pytest.param("Index", "index-paper", id="index_is_reserved"),
        pytest.param("x" * 300, "x" * 50, id="long_word_cut"),
    ],
)
def test_propose_slug(title: str, slug: str) -> None:
    assert propose_slug(title) == slug


@pytest.mark.parametrize(
    "title", ["Γεια σου κόσμε", "深度学习", "🚀🚀", "שלום עולם", "\u0301\u0301"]
)
def test_non_latin_titles_get_short_stable_ascii_slugs(title: str) -> None:
    slug = propose_slug(title)
    assert slug == propose_slug(title)
    assert slug.startswith("paper-") and slug.isascii() and len(slug) == 14


def test_surname_and_word() -> None:
    assert surname("Matthew D. Sinclair") == "sinclair"
    assert surname("") == ""
    assert first_significant_word("A The Of") == "paper"


def test_clash_suffixes_go_past_z() -> None:
    first = [key_suffix(index) for index in range(30)]
    assert first[:3] == ["", "a", "b"]
    assert first[26:30] == ["z", "aa", "ab", "ac"]


def test_slug_suffixes_are_numbered() -> None:
    assert [slug_suffix(index) for index in range(4)] == ["", "-2", "-3", "-4"]
