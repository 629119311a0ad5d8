"""LaTeX escaping and capital protection for BibTeX field values."""

from __future__ import annotations

import pytest

from generator.capitals import ProperNouns
from generator.latex import author_list, escape, escape_url, protect_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "M^3ViT: Mixture-of-Experts", r"{M$^3$ViT}: Mixture-of-Experts", id="superscript"
        ),
        pytest.param("x^12 and ^ alone", r"x$^{12}$ and \textasciicircum{} alone", id="caret"),
        pytest.param(
            "Multi-Task, Tuning-Free and Linear-Time",
            "Multi-Task, Tuning-Free and Linear-Time",
            id="hyphen_parts_with_one_capital_left_alone",
        ),
        pytest.param(
            "GEMM-Based 70B-scale LLM-assisted CNN-transformers",
            "{GEMM}-Based {70B}-scale {LLM}-assisted {CNN}-transformers",
            id="hyphen_parts_judged_alone",
        ),
        pytest.param("TPI-LLM and OVRL-V2", "{TPI-LLM} and {OVRL-V2}", id="protected_parts_joined"),
        pytest.param("2bit and Multi and 4+2", "2bit and Multi and 4+2", id="nothing_more"),
        pytest.param(
            'a "Soft" VSA for "JSON"', "a ``Soft'' {VSA} for ``{JSON}''", id="straight_quotes"
        ),
        pytest.param('He said "no".', "He said ``no''.", id="closing_quote_before_punctuation"),
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


NOUNS = ProperNouns.of(("NVIDIA", "Hopper", "Ada Lovelace", "Verilog", "Weisfeiler-Lehman"))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "the Nvidia Hopper GPU",
            "the {Nvidia} {Hopper} {GPU}",
            id="spelled_as_the_title_spells_it",
        ),
        pytest.param("NVIDIA Ada Lovelace: A", "{NVIDIA} {Ada} {Lovelace}: A", id="phrase"),
        pytest.param("Ada and Lovelace", "Ada and Lovelace", id="phrase_only_whole"),
        pytest.param(
            "MG-Verilog: LLM-assisted Verilog",
            "{MG-Verilog}: {LLM}-assisted {Verilog}",
            id="hyphen_part",
        ),
        pytest.param("Weisfeiler-Lehman Tests", "{Weisfeiler-Lehman} Tests", id="hyphenated_noun"),
        pytest.param(
            "the hopper of grain", "the hopper of grain", id="lowercase_occurrence_left_alone"
        ),
        pytest.param("Hoppers and Verilogs", "Hoppers and Verilogs", id="whole_words_only"),
    ],
)
def test_protect_title_keeps_proper_nouns(title: str, expected: str) -> None:
    assert protect_title(title, NOUNS) == expected


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
