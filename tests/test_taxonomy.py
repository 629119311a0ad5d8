"""The taxonomy: ``not_title`` rules, and the ``topics`` review a curator reads.

Refresh the expected review after an intended change with
``pytest tests/test_taxonomy.py --update-goldens`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.__main__ import main
from generator.build import gather
from generator.diagnostics import Diagnostics
from generator.model import Topic
from generator.taxonomy_review import review_lines
from generator.topics import compile_rules, match_topics

from .conftest import ROOT, Project, abstract

EXPECTED = Path(__file__).resolve().parent / "taxonomy"

LANGUAGE = Topic(
    "language",
    "Language",
    "Words.",
    title_terms=("LLM*", "language model*"),
    terms=("chain-of-thought",),
    not_title_terms=("serving", "LLM inference"),
)


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param("Reasoning in LLMs", "", {"language": ("llms",)}, id="title_term_places"),
        pytest.param("Serving LLMs Fast", "", {}, id="not_title_keeps_out"),
        pytest.param("Platforms for LLM Inference", "", {}, id="not_title_phrase_keeps_out"),
        pytest.param(
            "Fast Serving", "We use chain-of-thought.", {}, id="not_title_keeps_out_text_matches"
        ),
        pytest.param(
            "Language Models Reason",
            "Unlike serving systems, we use chain-of-thought.",
            {"language": ("chain-of-thought", "language models")},
            id="not_title_counts_in_the_title_only",
        ),
        pytest.param(
            "Observing LLMs", "", {"language": ("llms",)}, id="not_title_matches_whole_words"
        ),
    ],
)
def test_not_title_terms(title: str, text: str, expected: dict[str, tuple[str, ...]]) -> None:
    assert match_topics(title, text, compile_rules((LANGUAGE,))) == expected


WORDS = Topic(
    "words",
    "Words",
    "Words.",
    title_terms=("KV cache",),
    terms=("model", "sparse*", "mixture of experts", "C++", "ViT"),
)


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param("Model Zoo", "", ("model",), id="at_the_start_of_the_title"),
        pytest.param("A", "model", ("model",), id="at_the_start_of_the_abstract"),
        pytest.param("A", "We remodel it; models.", (), id="never_inside_a_word"),
        pytest.param("A", "MODEL, Model and model", ("model",), id="any_case_one_word"),
        pytest.param("A", "SPARSEness and Sparse-ish", ("sparse", "sparseness"), id="prefix_term"),
        pytest.param("A", "x_sparse", (), id="underscore_is_a_word_character"),
        pytest.param(
            "A",
            "Mixture-of-Experts\nmixture  of experts",
            ("mixture of experts", "mixture-of-experts"),
            id="phrase_over_hyphens_and_spaces",
        ),
        pytest.param("A", "in C++ and c++x", ("c++",), id="symbols_escaped"),
        pytest.param("KV-Cache Eviction", "", ("kv-cache",), id="title_phrase"),
        pytest.param("A", "kv cache", (), id="title_term_not_in_abstract"),
        pytest.param("A", "a ViT-B and ViTs", ("vit",), id="ends_at_a_word_end"),
    ],
)
def test_rules_match_whole_words_in_any_case(
    title: str, text: str, expected: tuple[str, ...]
) -> None:
    found = match_topics(title, text, compile_rules((WORDS,)))
    assert found == ({"words": expected} if expected else {})


def review_project(project: Project) -> None:
    """Topics named out of id order, a veto, overrides both ways and an uncategorized paper."""
    project.write(
        "topics.yaml",
        """
        topics:
          - id: a-systems
            name: Systems
            description: Serving and training.
            match:
              title: [serving]
          - id: z-language
            name: Language
            description: Words.
            match:
              title: [LLM*]
              text: [chain-of-thought]
              not_title: [serving]
          - id: m-vision
            name: Vision
            description: Seeing.
            match:
              title: [vision]
        """,
    )
    project.digest(
        "2025-03-20.txt",
        [
            ("Serving LLMs Fast", abstract("We serve LLMs with chain-of-thought")),
            ("Reasoning in LLMs", abstract("We study chain-of-thought")),
            ("Vision for LLMs", abstract("Pictures")),
            ("Something Else Entirely", abstract()),
        ],
    )
    project.write(
        "papers.yaml",
        """
        papers:
          - title: Vision for LLMs
            remove_topics: [m-vision]
            add_topics: [a-systems]
        """,
    )


def test_review_lists_topics_by_name_with_papers_and_reasons(
    project: Project, update_goldens: bool
) -> None:
    review_project(project)
    diagnostics = Diagnostics()
    catalog = gather(project.data, diagnostics).catalog
    produced = "\n".join(review_lines(catalog)) + "\n"
    expected = EXPECTED / "review.txt"
    if update_goldens:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(produced, encoding="utf-8")
    assert produced == expected.read_text(encoding="utf-8")


def test_review_of_one_topic(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review_project(project)
    assert main(["topics", "--data", str(project.data), "--topic", "z-language"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Language (z-language): 2 papers",
        "  - Reasoning in LLMs",
        "      by: 'chain-of-thought', 'llms'",
        "  - Vision for LLMs",
        "      by: 'llms'",
    ]


def test_review_of_an_unknown_topic_exits_2(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    review_project(project)
    assert main(["topics", "--data", str(project.data), "--topic", "nope"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "topics: unknown topic 'nope'; known: a-systems, m-vision, uncategorized, z-language"
    )


def test_review_with_data_errors_prints_path_line_and_exits_1(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    review_project(project)
    project.write("papers.yaml", "papers:\n  - title: Vision for LLMs\n    add_topics: [nope]\n")
    assert main(["topics", "--data", str(project.data)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    errors = [line for line in captured.err.splitlines() if ": error: " in line]
    assert [e.split("/data/", 1)[1] for e in errors] == [
        "papers.yaml:2: error: entry 'Vision for LLMs': add_topics: unknown topic 'nope'"
    ]
    assert captured.err.splitlines()[-1] == "topics: 1 error(s) in the data"
    assert "Traceback" not in captured.err


def test_after_a_rule_edit_only_the_changed_topics_match_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A server builds after every edit: a changed topic is matched again, the others keep
    # their matches, and the result is what fresh rules give.
    import dataclasses

    from benchmarks.synthetic import papers as synthetic_papers
    from generator import topics as topics_module
    from generator.curation import load_topics

    taxonomy = load_topics(ROOT / "data/topics.yaml", "topics.yaml", Diagnostics())
    papers = synthetic_papers(400)
    before = topics_module.rules_for(taxonomy)
    for title, text in papers:
        before.match(title, text)
    edited = list(taxonomy)
    changed = next(i for i, t in enumerate(edited) if t.id == "vision-transformers")
    edited[changed] = dataclasses.replace(
        edited[changed], title_terms=(*edited[changed].title_terms, "Scaling")
    )
    renamed = next(i for i, t in enumerate(edited) if t.id == "quantization")
    edited[renamed] = dataclasses.replace(edited[renamed], name="Low-bit numbers")
    emptied = next(i for i, t in enumerate(edited) if t.id == "inference-serving")
    edited[emptied] = dataclasses.replace(edited[emptied], title_terms=("zzyzx",), terms=())
    edited.append(Topic("zz-new", "New", "A new topic.", title_terms=("efficient",)))
    edited.pop(next(i for i, t in enumerate(edited) if t.id == "surveys"))
    taxonomy_after = tuple(edited)
    asked: list[list[str]] = []
    real = topics_module.match_topics

    def counting(title, text, matchers):  # type: ignore[no-untyped-def]
        asked.append([m.topic.id for m in matchers])
        return real(title, text, matchers)

    monkeypatch.setattr(topics_module, "match_topics", counting)
    after = topics_module.rules_for(taxonomy_after)
    fresh = compile_rules(taxonomy_after)
    for title, text in papers:
        assert after.match(title, text) == real(title, text, fresh)
    assert len(asked) == len(papers)
    assert all(ids == ["inference-serving", "vision-transformers", "zz-new"] for ids in asked)
    assert any("inference-serving" in before.match(title, text) for title, text in papers)
    # A paper the old rules never saw is matched against every topic.
    assert after.match("Efficient Scaling of Vision Things", None) == real(
        "Efficient Scaling of Vision Things", None, fresh
    )
    assert len(asked[-1]) == len(taxonomy_after)
