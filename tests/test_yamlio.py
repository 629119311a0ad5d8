"""The front matter writer: whatever text a digest holds, YAML reads back exactly what was written."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta as mkdocs_meta

from generator.markup import front_matter
from generator.yamlio import dump_front_matter, dump_yaml

KEYS = st.one_of(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), st.text(max_size=8))
SCALARS = st.one_of(st.text(), st.integers(), st.booleans(), st.none())
MAPPINGS = st.recursive(
    st.dictionaries(KEYS, SCALARS, max_size=4),
    lambda inner: st.dictionaries(
        KEYS,
        st.one_of(
            SCALARS,
            inner,
            st.lists(st.text(), max_size=4),
            st.lists(inner.filter(bool), min_size=1, max_size=3),
        ),
        max_size=4,
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(MAPPINGS)
def test_yaml_reads_back_what_was_written(data: dict[str, Any]) -> None:
    text = dump_front_matter(data)
    assert yaml.load(text, Loader=yaml.SafeLoader) == (data or None)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == (data or None)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.text(), max_size=3))
def test_mkdocs_reads_the_page_meta_back(title: str, terms: list[str]) -> None:
    data = {"title": title, "rl": {"related": [{"title": title, "terms": terms}]}}
    _, meta = mkdocs_meta.get_data(front_matter(data) + "# Page\n")
    assert meta == data


@pytest.mark.parametrize(
    "text",
    [
        "line\u2028break",
        "next\x85line",
        "para\u2029graph",
        "del\x7f",
        "bom\ufeff",
        "tab\tand\nnewline",
        '"quoted" and \\backslash\\',
        "--- not a document end\n---",
        "key: value # not a comment",
        "- not a list",
        "&anchor *alias !tag %directive @ `",
        "",
        " leading and trailing spaces ",
        "yes",
        "null",
        "1e3",
        "😀 astral",
    ],
)
def test_awkward_strings_survive(text: str) -> None:
    data = {"title": text, "list": [text, text], "items": [{"title": text}]}
    assert yaml.safe_load(dump_front_matter(data)) == data


def test_keys_are_plain_where_they_can_be_and_only_plain_values_are_written() -> None:
    assert (
        dump_front_matter({"title": "x", "on": 1, "a: b": 2}) == 'title: "x"\n"on": 1\n"a: b": 2\n'
    )
    with pytest.raises(TypeError):
        dump_front_matter({"score": 0.5})


YAML_DATA = st.recursive(
    st.one_of(SCALARS, st.floats()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=16,
)


@settings(max_examples=400, deadline=None)
@given(YAML_DATA)
def test_registry_writer_matches_the_safe_dumper(data: Any) -> None:
    """``dump_yaml`` feeds the emitter directly; it writes what PyYAML's own dump would."""
    expected = yaml.dump(
        data,
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    assert dump_yaml(data) == expected


@pytest.mark.parametrize(
    "text", ["", "true", "No", "null", "~", "12", "1_000", "0o17", ".inf", "2025-01-01", "<<", "="]
)
def test_registry_writer_quotes_what_would_read_back_as_another_type(text: str) -> None:
    written = dump_yaml({"papers": [{"title": text, "provisional": True, "n": 3, "x": None}]})
    assert yaml.safe_load(written) == {
        "papers": [{"title": text, "provisional": True, "n": 3, "x": None}]
    }


def test_a_long_string_reads_back_every_time() -> None:
    """Strings over a few kilobytes (a listing's HTML) are written once and remembered."""
    text = ('<li class="x">"quoted" \\ line\u2028break\x85 é\n</li>' * 200) + "end"
    assert len(text) > 4096
    for _ in range(2):
        assert yaml.load(dump_front_matter({"rl": {"listing": text}}), Loader=yaml.CSafeLoader) == {
            "rl": {"listing": text}
        }
