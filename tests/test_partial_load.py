"""Every problem at once: the rules run on whatever loaded, and a partly loaded file is never published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import preview_inputs
from generator.check import Report
from generator.load import load, load_partial
from generator.problems import Problem
from generator.render import Renderer

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_TEXT = (ROOT / "tests/fixtures/valid/2021/minimal-unit.yaml").read_text(encoding="utf-8")


def found(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in problems]


def edit(*pairs: tuple[str, str]) -> str:
    text = MINIMAL_TEXT
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


BAD_DATE = ("filing_date: 2021-01-28", "filing_date: 2021-02-30")
WRONG_TOTAL = ("income_total: {amount: 100,", "income_total: {amount: 110,")


def test_bad_date_and_wrong_total_are_reported_together(write_decl: Callable[..., Path],
                                                        run_check: Callable[..., Report]) -> None:
    report = run_check(write_decl(edit(BAD_DATE, WRONG_TOTAL)))
    assert found(report.problems) == [(5, 14, "BAD_DATE"), (16, 26, "INCOME_TOTAL")]
    assert report.documents == []  # not publishable, not rendered as a declaration


def test_partial_document_names_its_invalid_values(write_decl: Callable[..., Path]) -> None:
    path = write_decl(edit(BAD_DATE, ("total_budget: 10,", "total_budget: 1e5,")))
    doc, problems = load_partial(path)
    assert doc is not None and not doc.complete
    assert doc.invalid == {("filing_date",), ("projects", 0, "total_budget")}
    assert doc.decl.filing_date is None and doc.decl.projects[0].total_budget is None
    assert doc.decl.unit_name == "测试单位"
    assert load(path) == (None, problems)  # load() still gives only complete documents


def test_rule_reading_an_invalid_value_is_not_run(write_decl: Callable[..., Path],
                                                   run_check: Callable[..., Report]) -> None:
    # The 项目支出 row's amount is unreadable: no total, share or project-sum finding rests on it.
    report = run_check(write_decl(edit(("{name: 项目支出, amount: 10,", "{name: 项目支出, amount: 10万,"),
                                       ("type: 常年性项目", "type: 常性性项目"))))
    assert found(report.problems) == [(19, 28, "AMOUNT_FORMAT"), (26, 24, "PROJECT_TYPE")]


def test_missing_required_key_still_checks_the_rest(write_decl: Callable[..., Path],
                                                    run_check: Callable[..., Report]) -> None:
    report = run_check(write_decl(edit(("money_unit: 万元\n", ""), WRONG_TOTAL)))
    assert found(report.problems) == [(2, 1, "MISSING_KEY"), (15, 26, "INCOME_TOTAL")]


def test_bad_year_skips_the_rules_that_need_the_year(write_decl: Callable[..., Path],
                                                     run_check: Callable[..., Report]) -> None:
    report = run_check(write_decl(edit(("year: 2021", "year: 21"), WRONG_TOTAL)))
    # No FILE_NAME (year unknown) and no HISTORY_YEARS guess; the total is still checked.
    assert found(report.problems) == [(2, 7, "BAD_YEAR"), (16, 26, "INCOME_TOTAL")]


def test_unreadable_waivers_waive_nothing(write_decl: Callable[..., Path],
                                          run_check: Callable[..., Report]) -> None:
    text = edit(WRONG_TOTAL) + "waivers:\n  - {code: INCOME_TOTAL}\n"
    report = run_check(write_decl(text))
    assert found(report.problems) == [(16, 26, "INCOME_TOTAL"), (36, 5, "MISSING_KEY")]
    assert all(p.blocks for p in report.problems)


def test_waiver_of_a_skipped_rule_is_not_called_unused(write_decl: Callable[..., Path],
                                                       run_check: Callable[..., Report]) -> None:
    text = edit(("{name: 基本支出, amount: 90,", "{name: 基本支出, amount: -0,")) + \
        "waivers:\n  - {code: SHARE_MISMATCH, reason: 原表如此}\n"
    report = run_check(write_decl(text))
    assert found(report.problems) == [(18, 28, "AMOUNT_FORMAT")]


@pytest.mark.parametrize(("old", "new"), [
    ("funding:\n", "funding: 无\nfunding_old:\n"),  # a whole section of the wrong shape
    ("status: published", "status: 公开"),
    ("unit_id: minimal-unit", "unit_id: 测试"),
])
def test_rules_survive_any_invalid_value(write_decl: Callable[..., Path], run_check: Callable[..., Report],
                                         old: str, new: str) -> None:
    report = run_check(write_decl(edit((old, new), ("type: 常年性项目", "type: 常性性项目"))))
    assert "PROJECT_TYPE" in [p.code for p in report.problems]
    assert report.documents == []


def test_preview_page_of_a_partial_file_lists_its_rule_problems(write_decl: Callable[..., Path],
                                                                run_check: Callable[..., Report]) -> None:
    report = run_check(write_decl(edit(BAD_DATE, WRONG_TOTAL)))
    docs, options, broken = preview_inputs(report)
    assert docs == [] and len(broken) == 1
    page = Renderer({}, options, {}).broken(broken[0])
    assert "BAD_DATE" in page and "INCOME_TOTAL" in page
    assert "本文件有 2 个错误" in page and "错误[INCOME_TOTAL]" in page


SEED_TEXT = (ROOT / "content/2021/guangshui-ldbxj.yaml").read_text(encoding="utf-8")
VALUE_LINES = [i for i, line in enumerate(SEED_TEXT.split("\n")) if ": " in line and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("bad", ["{}", "[]", "~", "x"])
def test_every_value_of_the_seed_replaced_by_a_wrong_one(write_decl: Callable[..., Path],
                                                         run_check: Callable[..., Report], bad: str) -> None:
    """Each value in turn made unreadable: the rules run on the rest without tripping on its None."""
    for i in VALUE_LINES:
        lines = SEED_TEXT.split("\n")
        head = lines[i].split(": ", 1)[0]
        lines[i] = f"{head}: {bad}"
        report = run_check(write_decl("\n".join(lines), name="guangshui-ldbxj"))
        assert report.documents == [] or not any(p.code in LOAD_CODES for p in report.problems), lines[i]


LOAD_CODES = {"WRONG_TYPE", "MISSING_KEY", "BAD_ENUM", "BAD_YEAR", "BAD_DATE", "BAD_ID", "EMPTY_TEXT",
              "AMOUNT_FORMAT", "SHARE_FORMAT"}
