"""Review findings in the 绩效自评表 kit (forms/results.py): odd but loadable figures give problems, not tracebacks;
a target's 计算符号 column and a unit's two spellings are read as the target form prints them."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT
from test_department_result import BUDGET, SECOND, problems, result
from test_project_form import check, line_of
from test_project_result import FISCAL, col_of, corpus
from test_project_result import result as project_result
from test_result_editions import HUBEI

from generator.check import Context
from generator.forms.results import MET, MISSED, NOT_COMPARABLE, attainment, shown
from generator.load import load
from generator.model import Text
from generator.render import PageOptions, Renderer

UNIT_RESULT = ROOT / "content" / "2021" / "guangshui-ldbxj_result.yaml"
PROJECT_RESULT = ROOT / "content" / "2021" / "guangshui-ldbxj--gsbx-office_result.yaml"


def test_an_exact_figure_beyond_28_digits_is_shown_not_raised() -> None:
    """9999999999 ÷ 0.00000000000001 × 100 has 27 integer digits: quantizing it to 4 places overflowed the
    default Decimal context (InvalidOperation)."""
    huge = Decimal(9999999999) / Decimal("0.00000000000001") * 100
    assert shown(huge) == format(huge, "f")
    assert shown(Decimal("98.76543210")) == "98.7654"


def test_a_tiny_budget_with_a_large_spend_is_a_rate_problem(context: Context, tmp_path: Path) -> None:
    line = BUDGET.replace("budget: 367.58", "budget: 0.00000000000001").replace("spent: 360.23", "spent: 9999999999")
    found_, path = problems(context, tmp_path, result(**{BUDGET: line}))
    assert ("RESULT_RATE", line_of(path, "budget:"), col_of(line, "rate")) in found_


def test_a_huge_score_coefficient_is_a_score_problem(context: Context, tmp_path: Path) -> None:
    second = SECOND.replace("90%", "1" + "0" * 30 + "%")
    found_, path = problems(context, tmp_path, result(**{SECOND: second}))
    line = next(i for i, text in enumerate(path.read_text("utf-8").splitlines(), 1) if second in text)
    assert ("RESULT_INDICATOR_SCORE", line, col_of(path.read_text("utf-8").splitlines()[line - 1], "score")) in found_


def test_the_targets_sign_column_is_its_comparator() -> None:
    """一体化 prints file ≤ in a 计算符号 column beside a bare 指标值: 3% is within "≤ 5%", not short of "≥ 5%"."""
    assert attainment("5%", "3%", sign="≤").text == MET
    assert attainment("5%", "3%").text == MISSED  # no column: a bare number is a level to reach
    assert attainment("≥5%", "3%", sign="≤").text == MISSED  # the text's own comparator is what was filed
    assert attainment("5%", "3%", sign="定性").text == MISSED


def test_percent_spelled_out_is_percent() -> None:
    """一体化 exports write "=100百分比"; the self-evaluation "100%": one unit, two spellings."""
    assert attainment("=100百分比", "100%").text == MET
    assert attainment("≥90％", "88%").text == MISSED
    assert attainment("≥90人", "88%").text == NOT_COMPARABLE


@pytest.mark.parametrize(("show_filer", "shown"), [("name_and_phone", ["联系人", "联系电话"]), ("name", ["联系人"]),
                                                   ("none", [])])
def test_a_result_page_shows_the_filer_as_show_filer_allows(context: Context, show_filer: str,
                                                            shown: list[str]) -> None:
    """The personal rows follow the kind's filer_fields policy, and the 填报 list stays one HTML block."""
    for path in (UNIT_RESULT, PROJECT_RESULT):
        doc, _ = load(path)
        assert doc is not None
        doc = replace(doc, decl=replace(doc.decl, contact=Text("示例联系人"), phone=Text("0722-0000000")))
        page = Renderer(context.levels, PageOptions(show_filer=show_filer), {}).declaration(doc)
        meta = page[page.index('<dl class="dc-meta">'):page.index("</dl>")]
        assert re.findall(r"<dt>(联系人|联系电话)</dt>", meta) == shown, path
        assert "\n\n" not in meta



def test_a_fund_parts_problem_names_the_column_as_the_print_heads_it(context: Context, tmp_path: Path) -> None:
    """湖北-旧版 heads 全年预算数 "预算数(A)": the message says so (the national print's word otherwise)."""
    def message(**changes: str) -> str:
        text = project_result(**changes, **{FISCAL: FISCAL.replace("budget: 10", "budget: 9")})
        files, path = corpus(tmp_path, text)
        return next(p.message for p in check(context, *files).problems_of(path) if p.code == "RESULT_FUND_PARTS")

    assert "年度资金总额的预算数(A)" in message(**HUBEI)
    assert "年度资金总额的全年预算数" in message()
