"""strip_comments' shortcut (issue 18): a text whose only `#` are in comment lines at its top is not parsed;
it gives exactly what the parse gives (`_strip_parsed`) on every YAML file the tests hold, a synthetic corpus,
and generated texts mixing heading comments, blank lines, `#` in values and odd line breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_comment_spans import texts

from generator import export


def test_same_text_as_the_parse_on_every_yaml_file(tmp_path: Path) -> None:
    checked = texts(tmp_path)
    shortcut = 0
    for name, text in checked:
        assert export.strip_comments(text) == export._strip_parsed(text), name
        head = export._HEAD_COMMENTS.match(text)
        shortcut += bool(head and "#" not in text[head.end():])
    assert shortcut >= 10  # the synthetic forms (a heading comment each) take the shortcut


def test_the_shortcut_is_taken_only_without_a_later_hash() -> None:
    assert export.strip_comments("# 申报表\n\n  # 说明\nyear: 2025\nunit: 局\n") == "\n\n\nyear: 2025\nunit: 局\n"
    # a `#` inside a value after the heading: parsed, kept
    assert export.strip_comments("# 申报表\nname: a#b\nx: 1 # gone\n") == "\nname: a#b\nx: 1\n"


LINES = ["# 申报表（合成）", "  # 缩进的注释", "", "   ", "\t# tab", "year: 2025", "name: 'a # b'", "text: |",
         "  # 不是注释", "  第二行", "x: 1 # 行尾注释", "- 1", "key: \"c\\u0023d\"", "#", "a: >-  # 块头注释",
         "  折叠", "b: [1, 2] # c", "\u2028# 另一种换行", "\x85", "\ufeff# BOM"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=14), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_same_text_as_the_parse_on_generated_texts(lines: list[str], end: str, final: bool) -> None:
    text = end.join(lines) + (end if final else "")
    try:
        expected = export._strip_parsed(text)
    except yaml.YAMLError:
        return  # not YAML: the check refuses it before any download is made
    assert export.strip_comments(text) == expected


@pytest.mark.parametrize("text", ["# only\n", "# only", "\n\n", "# a\n# b\r\n\r\nk: v\n"])
def test_headings_alone(text: str) -> None:
    assert export.strip_comments(text) == export._strip_parsed(text)
