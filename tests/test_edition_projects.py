"""湖北-2022's 项目支出情况: its 支出项目类别 is one of the classes its 支出构成 rows total
(人员类、运转类、特定目标类), and the 特定目标类 projects' 本年度预算 add up to the 特定目标类项目支出 row
(the seed's 项目支出: PROJECT_SUM)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import ROOT, SEED

from generator.check import Report
from generator.load import load
from generator.render import project_spending

HUBEI_2022 = ROOT / "content" / "2022" / "guangshui-ldbxj.yaml"
TYPE_LINE = 39  # `type:` of the example's one project
ROW_LINE = 26  # 特定目标类项目支出 in 支出构成


def _errors(report: Report) -> list[tuple[str, int, int, str]]:
    return [(p.code, p.line, p.col, p.message) for p in report.problems if p.severity.zh == "错误"]


def _variant(write_decl: Callable[..., Path], old: str, new: str) -> Path:
    text = HUBEI_2022.read_text("utf-8")
    assert old in text
    return write_decl(text.replace(old, new, 1), year="2022", name="guangshui-ldbxj")


def test_the_example_passes(run_check: Callable[..., Report]) -> None:
    assert _errors(run_check(HUBEI_2022)) == []
    assert HUBEI_2022.read_text("utf-8").splitlines()[TYPE_LINE - 1].strip().startswith("type: 特定目标类项目")


def test_hubei_2022_category_is_the_yitihua_class(write_decl: Callable[..., Path],
                                                   run_check: Callable[..., Report]) -> None:
    path = _variant(write_decl, "type: 特定目标类项目 ", "type: 常年性项目 ")
    assert _errors(run_check(path)) == [
        ("PROJECT_TYPE", TYPE_LINE, 11,
         "支出项目类别应为 人员类项目、运转类项目、特定目标类项目 之一，实为 常年性项目")]


def test_the_seed_keeps_its_vocabulary_and_message(write_decl: Callable[..., Path],
                                                   run_check: Callable[..., Report]) -> None:
    text = SEED.read_text("utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "type: 常年性项目" in t)
    report = run_check(write_decl(text.replace("type: 常年性项目", "type: 特定目标类项目", 1),
                                  name="guangshui-ldbxj"))
    assert [e for e in _errors(report) if e[0] == "PROJECT_TYPE"] == [
        ("PROJECT_TYPE", line, 11, "项目类型应为 常年性项目、延续性项目、一次性项目 之一，实为 特定目标类项目")]


def test_specific_projects_add_up_to_their_row(write_decl: Callable[..., Path],
                                              run_check: Callable[..., Report]) -> None:
    path = _variant(write_decl, "    budget: 10\n", "    budget: 9\n")
    assert _errors(run_check(path)) == [
        ("PROJECT_SUM", ROW_LINE, 33, "特定目标类项目支出 10.00 与各特定目标类项目本年度预算之和 9 不相等")]


def test_staff_and_running_projects_are_not_counted(write_decl: Callable[..., Path],
                                                    run_check: Callable[..., Report]) -> None:
    """A listed 人员类 project is part of 人员类项目支出, not of the 特定目标类 row."""
    extra = "  - {name: 在职人员工资, type: 人员类项目, total_budget: 300, budget: 300}\n\nlong_term:"
    path = _variant(write_decl, "\nlong_term:", "\n" + extra)
    assert _errors(run_check(path)) == []


def test_year_page_project_column_reads_the_specific_row() -> None:
    doc, _ = load(HUBEI_2022)
    assert doc is not None and project_spending(doc.decl) == "10.00"
    seed, _ = load(SEED)
    assert seed is not None and project_spending(seed.decl) == "10"
