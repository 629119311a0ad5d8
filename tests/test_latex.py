"""LaTeX escaping and capital protection for BibTeX field values."""

from __future__ import annotations

import pytest

from generator.latex import author_list, escape, escape_url, protect_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "M^3ViT: Mixture-of-Experts",
            r"{M\textasciicircum{}3ViT}: {Mixture-of-Experts}",
            id="caret",
        ),
        pytest.param(
            "ZeroQuant(4+2): Redefining LLMs Quantization",
            r"{ZeroQuant(4+2)}: Redefining {LLMs} Quantization",
            id="parentheses",
        ),
        pytest.param("CodeT5+: Open Code", r"{CodeT5+}: Open Code", id="plus"),
        pytest.param(
            "T3: Transparent Tracking & Triggering",
            r"{T3}: Transparent Tracking \& Triggering",
            id="ampersand",
        ),
        pytest.param(
            "50% & $x$ _ # ~ ^ \\",
            r"50\% \& \$x\$ \_ \# \textasciitilde{} \textasciicircum{} \textbackslash{}",
            id="all_specials",
        ),
        pytest.param(
            "Unbalanced } brace {",
            r"Unbalanced \textbraceright{} brace \textbraceleft{}",
            id="braces",
        ),
        pytest.param(
            "Vision (ViT) models", r"Vision ({ViT}) models", id="protected_inside_parentheses"
        ),
        pytest.param("Año Cywiński", r"A{\~n}o Cywi{\'n}ski", id="diacritics_as_accent_commands"),
        pytest.param("Γ 深度 😀", "Γ 深度 😀", id="other_scripts_stay_utf8"),
        pytest.param("A “quoted” – title…", r"A ``quoted'' -- title\ldots{}", id="typography"),
        pytest.param(
            "Trailing backslash\\", r"Trailing backslash\textbackslash{}", id="trailing_backslash"
        ),
        pytest.param("In 2024 we", "In 2024 we", id="plain_numbers_not_braced"),
    ],
)
def test_protect_title(title: str, expected: str) -> None:
    assert protect_title(title) == expected


def test_escape_keeps_braces_balanced() -> None:
    for text in ["}{", "{{{", "\\{", "@comment{", "a}b"]:
        escaped = escape(text)
        depth = 0
        for char in escaped:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0
        assert depth == 0


def test_authors() -> None:
    assert author_list(("Łukasz Staniszewski", "Ludwig van der Berg", "Ann And")) == (
        r"{\L}ukasz Staniszewski and Ludwig van der Berg and Ann {and}"
    )


def test_url() -> None:
    assert escape_url("https://x.org/a%20b#frag") == r"https://x.org/a\%20b\#frag"
