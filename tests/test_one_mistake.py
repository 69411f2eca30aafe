"""One mistake, one error that names it: a wrong 合计 is not also reported as wrong shares or imbalance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import Report
from generator.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_TEXT = (ROOT / "tests/fixtures/valid/2021/minimal-unit.yaml").read_text(encoding="utf-8")

# The minimal form with 400 + 20 in both columns and shares to two decimals, as forms print them.
FUNDING = """\
  income:
    - {name: 财政拨款, amount: 400, share: 95.24%, history: [90, 95]}
    - {name: 其他资金, amount: 20, share: 4.76%, history: [0, 0]}
  income_total: {amount: 420, share: 100.00%, history: [90, 95]}
  expenditure:
    - {name: 基本支出, amount: 400, share: 95.24%, history: [90, 90]}
    - {name: 项目支出, amount: 20, share: 4.76%, history: [0, 5]}
  expenditure_total: {amount: 420, share: 100.00%, history: [90, 95]}
"""
START, END = MINIMAL_TEXT.index("  income:\n"), MINIMAL_TEXT.index("functions:")
TEXT = (MINIMAL_TEXT[:START] + FUNDING + MINIMAL_TEXT[END:]).replace("budget: 10,", "budget: 20,")


def found(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in problems]


def check(write_decl: Callable[..., Path], run_check: Callable[..., Report], *pairs: tuple[str, str]) -> Report:
    text = TEXT
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return run_check(write_decl(text))


def test_the_base_form_is_clean(write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> None:
    assert check(write_decl, run_check).problems == []


def test_wrong_income_total_is_one_error_naming_it(write_decl: Callable[..., Path],
                                                   run_check: Callable[..., Report]) -> None:
    report = check(write_decl, run_check, ("income_total: {amount: 420,", "income_total: {amount: 430,"))
    assert found(report.problems) == [(16, 26, "INCOME_TOTAL")]
    assert "应为各行之和 420，填报为 430" in report.problems[0].message


def test_wrong_expenditure_total_is_one_error(write_decl: Callable[..., Path],
                                              run_check: Callable[..., Report]) -> None:
    report = check(write_decl, run_check, ("expenditure_total: {amount: 420,", "expenditure_total: {amount: 430,"))
    assert found(report.problems) == [(20, 31, "EXPENDITURE_TOTAL")]


def test_wrong_row_under_a_right_total_flags_only_that_row(write_decl: Callable[..., Path],
                                                    run_check: Callable[..., Report]) -> None:
    # 其他资金 typed 30 for 20: the total and the other shares were filed right. The row's own share
    # disagrees with its (wrong) amount; 财政拨款's share and the balance are not called wrong.
    report = check(write_decl, run_check, ("{name: 其他资金, amount: 20,", "{name: 其他资金, amount: 30,"))
    assert found(report.problems) == [(15, 39, "SHARE_MISMATCH"), (16, 26, "INCOME_TOTAL")]


def test_a_real_imbalance_is_still_reported(write_decl: Callable[..., Path],
                                            run_check: Callable[..., Report]) -> None:
    report = check(write_decl, run_check,
                   ("{name: 其他资金, amount: 20, share: 4.76%", "{name: 其他资金, amount: 30, share: 6.98%"),
                   ("{name: 财政拨款, amount: 400, share: 95.24%", "{name: 财政拨款, amount: 400, share: 93.02%"),
                   ("income_total: {amount: 420,", "income_total: {amount: 430,"))
    assert found(report.problems) == [(20, 31, "UNBALANCED")]


def test_expected_share_is_at_the_filed_precision_against_the_rows(
        write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> None:
    report = check(write_decl, run_check, ("income_total: {amount: 420,", "income_total: {amount: 430,"),
                   ("share: 95.24%, history: [90, 95]}", "share: 93.24%, history: [90, 95]}"))
    mismatch = [p for p in report.problems if p.code == "SHARE_MISMATCH"]
    assert [(p.line, p.col) for p in mismatch] == [(14, 40)]
    assert mismatch[0].message == "「财政拨款」占比填报为 93.24%，按金额计算应为 95.24%"


@pytest.mark.parametrize(("filed", "expected"), [("90%", "80%"), ("90.0%", "80.0%"), ("90.000%", "80.000%")])
def test_expected_share_keeps_the_filed_decimals(write_decl: Callable[..., Path], run_check: Callable[..., Report],
                                                 filed: str, expected: str) -> None:
    text = MINIMAL_TEXT.replace("{name: 基本支出, amount: 90, share: 90%",
                                f"{{name: 基本支出, amount: 80, share: {filed}")
    text = text.replace("{name: 项目支出, amount: 10, share: 10%", "{name: 项目支出, amount: 20, share: 20%")
    text = text.replace("total_budget: 10, budget: 10,", "total_budget: 20, budget: 20,")
    report = run_check(write_decl(text))
    assert [p.message.rsplit("应为 ", 1)[1] for p in report.problems if p.code == "SHARE_MISMATCH"] == [expected]


# -- a 合计 row's own 占比 -----------------------------------------------------------------------


@pytest.mark.parametrize(("share", "expected"), [
    ("3%", [(16, 38, "TOTAL_SHARE")]), ("250%", [(16, 38, "TOTAL_SHARE")]), ("99.8%", [(16, 38, "TOTAL_SHARE")]),
    ("0%", [(16, 38, "TOTAL_SHARE")]), ("100%", []), ("100.00%", []), ("99.99%", []), ("100.01%", []), ("99.9%", []),
])
def test_total_share_must_be_100(write_decl: Callable[..., Path], run_check: Callable[..., Report],
                                 share: str, expected: list[tuple[int, int, str]]) -> None:
    text = MINIMAL_TEXT.replace("income_total: {amount: 100, share: 100%",
                                f"income_total: {{amount: 100, share: {share}")
    assert found(run_check(write_decl(text)).problems) == expected


def test_expenditure_total_share_too(write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> None:
    text = MINIMAL_TEXT.replace("expenditure_total: {amount: 100, share: 100%",
                                "expenditure_total: {amount: 100, share: 3%")
    problems = run_check(write_decl(text)).problems
    assert found(problems) == [(20, 43, "TOTAL_SHARE")]
    assert problems[0].message == "支出构成合计的占比填报为 3%，应为 100%"
