"""Problems point at the line:col an editor shows, whatever line breaks libyaml sees inside the text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import Report
from generator.load import load
from generator.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_TEXT = (ROOT / "tests/fixtures/valid/2021/minimal-unit.yaml").read_text(encoding="utf-8")

# Characters libyaml counts as line breaks and editors (and `grep -n`) do not: they arrive by copy-paste.
YAML_ONLY_BREAKS = ["\u2028", "\u2029", "\x85"]


def found(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in problems]


def text_with(char: str, times: int = 1) -> str:
    """The minimal form with `char` pasted into a quoted text value on line 4, and three defects after it."""
    text = MINIMAL_TEXT.replace("unit_name: 测试单位", f'unit_name: "测试{char * times}单位"')
    text = text.replace("filing_date: 2021-01-28", "filing_date: 2021-02-30")  # line 5
    text = text.replace("income_total: {amount: 100,", "income_total: {amount: 110,")  # line 16
    return text.replace("type: 常年性项目", "type: 常性性项目")  # line 26


EXPECTED = [(5, 14, "BAD_DATE"), (16, 26, "INCOME_TOTAL"), (26, 24, "PROJECT_TYPE")]


def test_baseline_positions(write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> None:
    assert found(run_check(write_decl(text_with(""))).problems) == EXPECTED


@pytest.mark.parametrize("char", YAML_ONLY_BREAKS, ids=["U+2028", "U+2029", "U+0085"])
@pytest.mark.parametrize("times", [1, 3])
def test_pasted_separators_do_not_shift_later_lines(write_decl: Callable[..., Path],
                                                    run_check: Callable[..., Report], char: str, times: int) -> None:
    assert found(run_check(write_decl(text_with(char, times))).problems) == EXPECTED


@pytest.mark.parametrize("char", YAML_ONLY_BREAKS, ids=["U+2028", "U+2029", "U+0085"])
def test_column_after_a_separator_on_the_same_line(write_decl: Callable[..., Path], char: str) -> None:
    # A bad amount after the separator on the same line: the column counts it as one character.
    text = MINIMAL_TEXT.replace(
        "{name: 专项经费, type: 常年性项目, total_budget: 10,",
        f'{{name: "专项{char}经费", type: 常年性项目, total_budget: 1e1,')
    _, problems = load(write_decl(text))
    assert found(problems) == [(26, 48, "AMOUNT_FORMAT")]


def test_crlf_file_positions_match(write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> None:
    crlf = text_with("\u2028").replace("\n", "\r\n")
    assert found(run_check(write_decl(crlf)).problems) == EXPECTED


def test_duplicate_key_names_the_editor_line(write_decl: Callable[..., Path]) -> None:
    text = MINIMAL_TEXT.replace("unit_name: 测试单位", 'unit_name: "测试\u2028单位"') + "leader: 王五\n"
    _, problems = load(write_decl(text))
    assert found(problems) == [(35, 1, "DUPLICATE_KEY")]
    assert "首次出现在第 7 行" in problems[0].message


def test_syntax_error_after_a_separator(write_decl: Callable[..., Path]) -> None:
    text = MINIMAL_TEXT.replace("unit_name: 测试单位", 'unit_name: "测试\u2029单位"')
    text = text.replace("history_years: [2019, 2020]", "history_years: [2019, 2020")
    _, problems = load(write_decl(text))
    assert [(p.line, p.code) for p in problems] == [(13, "YAML_SYNTAX")]
