"""`disclose import` and `disclose template`: workbooks laid out like the printed form, read by their labels."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from conftest import ROOT, SEED, copy_project

from generator.check import Context, check_files
from generator.cli import main
from generator.forms.department.model import Declaration
from generator.importer import Options, Result, format_problem, import_all
from generator.importer_book import Cell, Sheet, read_book, shown
from generator.importer_form import DEPT
from generator.importer_locate import locate
from generator.importer_template import write_template
from generator.load import load


@pytest.fixture(scope="module")
def seed() -> Declaration:
    doc, problems = load(SEED)
    assert doc and not problems
    return doc.decl


@pytest.fixture(scope="module")
def levels(context: Context) -> Any:
    return context.levels


def filled(tmp_path: Path, decl: Declaration, levels: Any, name: str = "guangshui-ldbxj.xlsx",
           typed: bool = True) -> Path:
    path = tmp_path / name
    write_template(path, levels, decl, typed=typed)
    return path


def run(tmp_path: Path, *books: Path, **options: Any) -> list[Result]:
    return import_all(list(books), Options(tmp_path / "content", **options))


def loaded(path: Path) -> Declaration:
    doc, problems = load(path)
    assert doc is not None, problems
    assert problems == []
    return doc.decl


def codes(results: list[Result]) -> list[tuple[str, str]]:
    return [(p.code, p.file) for r in results for p in r.problems]


def mutate(book: Path, change: Callable[[Any], None]) -> Path:
    """The workbook edited as a clerk would in Excel (openpyxl keeps merges and number formats)."""
    wb = openpyxl.load_workbook(book)
    change(wb["部门整体"])
    wb.save(book)
    return book


def find(ws: Any, text: str) -> Any:
    """The openpyxl cell that holds exactly this text."""
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


# -- a cell's text as shown ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fmt", "text"), [
    (0.9727, "0.00%", "97.27%"),
    (1.0, "0%", "100%"),
    (0.0, "0.00%", "0.00%"),
    (0.02725, "0.00%", "2.73%"),  # Excel rounds half away from zero
    (968.1918, None, "968.1918"),
    (968.1918, "General", "968.1918"),
    (10.0, None, "10"),
    (367.58, None, "367.58"),
    (367.58, "0.00", "367.58"),
    (10.0, "0.00", "10.00"),
    (1234.5, "#,##0.00", "1234.50"),
    (44224.0, 'yyyy"年"mm"月"dd"日"', "2021-01-28"),
    (44224.0, "yyyy-mm-dd", "2021-01-28"),
    (15997856299.0, None, "15997856299"),
    (0.1 + 0.2, None, "0.30000000000000004"),  # a formula's float, shown as Excel stores it
    ("0722", None, "0722"),
    ("97.27%", None, "97.27%"),
    (" 年度计划 ", None, "年度计划"),
])
def test_shown_text(value: object, fmt: str | None, text: str) -> None:
    cell = shown(value, fmt)
    assert cell is not None and cell.text == text


def test_formats_are_read_from_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "cells.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("部门整体")
    ws.write_number(0, 0, 0.9727, wb.add_format({"num_format": "0.00%"}))
    ws.write_number(0, 1, 968.1918)
    ws.write_number(0, 2, 10)
    ws.write_number(0, 3, 44224, wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_datetime(0, 4, dt.datetime(2021, 1, 28), wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'}))
    ws.write_string(0, 5, "367.58")
    ws.write_number(0, 6, 367.58, wb.add_format({"num_format": "0.0"}))
    ws.merge_range(2, 0, 3, 1, "合并")
    wb.close()
    (sheet,) = read_book(path)
    assert [sheet.text(0, c) for c in range(7)] == [
        "97.27%", "968.1918", "10", "2021-01-28", "2021-01-28", "367.58", "367.6"]
    assert sheet.text(3, 1) == "合并"  # filled from the anchor
    assert sheet.region(3, 1).ref == "A3:B4"


# -- round trips ---------------------------------------------------------------------------------


def test_the_seed_through_a_print_layout_workbook_loads_to_the_same_model(
        tmp_path: Path, seed: Declaration, levels: Any, context: Context) -> None:
    results = run(tmp_path, filled(tmp_path, seed, levels), status="published")
    assert [format_problem(p) for r in results for p in r.problems] == []
    out = tmp_path / "content" / "2021" / "guangshui-ldbxj.yaml"
    assert results[0].written == out
    assert loaded(out) == seed
    report = check_files([out], context)
    assert [p for p in report.problems if p.severity.value != "info"] == []
    text = out.read_text(encoding="utf-8")
    assert "share: 97.27%" in text and "amount: 10\n" in text and "filing_date: 2021-01-28" in text
    assert not text.startswith("#")  # nothing but the declaration: the download carries no comments


def test_the_seed_with_text_cells_round_trips_too(tmp_path: Path, seed: Declaration, levels: Any) -> None:
    results = run(tmp_path, filled(tmp_path, seed, levels, typed=False), status="published")
    assert codes(results) == []
    assert loaded(tmp_path / "content/2021/guangshui-ldbxj.yaml") == seed


def test_imported_files_are_drafts_unless_asked(tmp_path: Path, seed: Declaration, levels: Any) -> None:
    run(tmp_path, filled(tmp_path, seed, levels))
    assert loaded(tmp_path / "content/2021/guangshui-ldbxj.yaml").status == "draft"


def test_blank_template_from_the_cli_reads_back(tmp_path: Path, seed: Declaration) -> None:
    book = tmp_path / "模板.xlsx"
    assert main(["-C", str(ROOT), "template", "部门整体", "-o", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["部门整体"]
    assert wb["词表"].sheet_state == "hidden"
    lists = {str(v.formula1) for v in ws.data_validations.dataValidation}
    assert '"产出指标,效益指标,满意度指标"' in lists and '"常年性项目,延续性项目,一次性项目"' in lists
    assert any(f.startswith("INDIRECT(") for f in lists)  # 二级 lists follow the 一级 chosen
    assert find(ws, "部门总体资金情况").coordinate in {str(r).split(":")[0] for r in ws.merged_cells.ranges}
    amount = ws.cell(find(ws, "财政拨款").row, find(ws, "金额").column)
    share = ws.cell(find(ws, "财政拨款").row, find(ws, "占比").column)
    assert (amount.number_format, share.number_format) == ("0.00", "0.00%")

    def fill(ws: Any) -> None:  # what a clerk types into the blank template
        right = {"单位编号": "test-unit", "部门（单位）名称": "测试局", "填报人": "张三", "单位领导审签": "李四"}
        for label, value in right.items():
            cell = find(ws, label)
            ws.cell(cell.row, cell.column + 1, value)
        ws.cell(find(ws, "预算年度").row, find(ws, "预算年度").column + 1, 2022)
        date = find(ws, "填报日期")
        ws.cell(date.row, date.column + 1, dt.datetime(2021, 12, 30))
        for cell, year in zip([c for row in ws.iter_rows() for c in row if c.value == "年"], ["2020年", "2021年"],
                              strict=True):
            cell.value = year
        row = find(ws, "财政拨款").row
        ws.cell(row, amount.column, 12.5)
        ws.cell(row, share.column, 1)
        head = find(ws, "项目名称")
        for offset, value in enumerate(["办公经费", "一次性项目", 12.5, 12.5, "办公"]):
            ws.cell(head.row + 1, head.column + offset, value)
        goal = find(ws, "年度目标 1：")
        ws.cell(goal.row, goal.column + 1, "完成工作")
        first = ws.cell(goal.row + 2, 2)  # under the matrix header: 产出指标 / 数量指标 already printed
        ws.cell(first.row, 4, "办件数")
        ws.cell(first.row, 5, 100)
        ws.cell(first.row, 6, "年度计划")

    mutate(book, fill)
    assert codes(run(tmp_path, book)) == []  # 年度目标 2 left blank: the spare table is not a goal
    decl = loaded(tmp_path / "content/2022/test-unit.yaml")
    assert (decl.unit_id, decl.year, decl.filing_date, decl.leader) == (
        "test-unit", 2022, dt.date(2021, 12, 30), "李四")
    assert decl.funding and decl.funding.income[0].amount and decl.funding.income[0].amount.text == "12.50"
    assert decl.projects[0].name == "办公经费" and decl.projects[0].total_budget
    indicator = decl.annual.goals[0].indicators[0]
    assert (indicator.level1, indicator.level2, indicator.name, indicator.value) == (
        "产出指标", "数量指标", "办件数", "100")
    assert decl.funding.history_years == (2020, 2021)


# -- labels, not addresses -------------------------------------------------------------------------


def bureau_workbook(path: Path) -> Path:
    """A bureau's own layout: shifted, other widths, blank rows, spaced labels, half-width brackets, inline values."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    pct, two = wb.add_format({"num_format": "0.00%"}), wb.add_format({"num_format": "0.00"})
    ws.set_column(0, 0, 3)
    ws.write(1, 1, "附件2")
    ws.merge_range(2, 1, 2, 9, "部门整体支出绩效目标申报表")
    ws.merge_range(3, 1, 3, 9, "填报日期：2021 年 01 月 28 日      单位：万元     单位领导审签：熊斌")
    ws.merge_range(5, 1, 5, 2, "部门(单位)\n名 称")  # an extra blank row above, half-width brackets
    ws.merge_range(5, 3, 5, 9, "广水市劳动保险事业管理局")
    ws.write(6, 1, "填 报 人")
    ws.merge_range(6, 3, 6, 4, "姚尧")  # a spacer column between label and value
    ws.write(6, 5, "联系电话")
    ws.write_number(6, 6, 15997856299)  # a number cell, as Excel makes of a typed phone number
    ws.merge_range(7, 1, 15, 1, "部门总体\n资金情况")
    ws.merge_range(7, 2, 8, 3, "总体资金情况")
    ws.write(7, 4, "当年金额")
    ws.write(7, 5, "占  比")
    ws.merge_range(7, 6, 7, 7, "近两年收支金额")
    ws.write(8, 6, "2019 年")
    ws.write(8, 7, "2020年")
    rows = [("收入构成", [("财政拨款", 367.58, 1.0, 482.93, 422.26), ("其他资金", 0, 0, 0, 0),
                          ("合  计", 367.58, 1.0, 482.93, 422.26)]),
            ("支出构成", [("基本支出", 357.58, 0.9727, 482.93, 412.26), ("项目支出", 10, 0.0273, 0, 10),
                          ("合计", 367.58, 1.0, 482.93, 422.26)])]
    r = 9
    for side, lines in rows:
        ws.merge_range(r, 2, r + 2, 2, side)
        for name, amount, share, *history in lines:
            ws.write(r, 3, name)
            ws.write_number(r, 4, amount)
            ws.write_number(r, 5, share, pct)
            for i, h in enumerate(history):
                ws.write_number(r, 6 + i, h)
            r += 1
    r += 1  # a blank row the bureau left
    ws.write(r, 1, "部门职能概述")
    ws.merge_range(r, 2, r, 9, "1. 宣传贯彻政策；\n2. 负责发放工作。")
    ws.write(r + 1, 1, "年度工作任务")
    ws.merge_range(r + 1, 2, r + 1, 9, "1. 扩大覆盖面。")
    r += 2
    ws.merge_range(r, 1, r + 3, 1, "项目支出情况")
    for c, head in enumerate(["项目名称", "项目类型", "项目总预算", "项目本年度预算", "项目主要支出方向和用途"]):
        ws.write(r, 2 + c, head)
    ws.write(r + 1, 2, "工伤保险专项办公经费")
    ws.write(r + 1, 3, "常年性项目")
    ws.write_number(r + 1, 4, 10, two)
    ws.write_number(r + 1, 5, 10)
    ws.write(r + 1, 6, "工伤保险业务经办经费")
    ws.write(r + 2, 2, "……")
    r += 4
    ws.merge_range(r, 1, r + 1, 1, "整体绩效\n总目标")
    ws.merge_range(r, 2, r, 4, "长期目标（截止    年）")
    ws.merge_range(r, 5, r, 9, "年度目标")
    ws.merge_range(r + 1, 2, r + 1, 4, "目标 1：\n目标 2：\n……")
    ws.merge_range(r + 1, 5, r + 1, 9, "目标 1：扩大养老保险覆盖面。\n目标 2：扩大工伤保险覆盖面。")
    r += 2
    ws.merge_range(r, 1, r, 9, "年度目标 1：提高养老、工伤保险覆盖面。")  # title inline, after the colon
    r += 1
    ws.merge_range(r, 1, r + 6, 1, "年度目标\n绩效指标")
    for c, head in enumerate(["一级指标", "二级指标", "指标名称", "指标值"]):
        ws.write(r, 2 + c, head)
    ws.merge_range(r, 6, r, 8, "绩效标准")  # a wide header: its values are merged the same way
    ws.merge_range(r + 1, 2, r + 4, 2, "产出指标")
    ws.merge_range(r + 1, 3, r + 2, 3, "数量指标")
    ws.write(r + 1, 4, "养老保险在职参保人数")
    ws.write_number(r + 1, 5, 50000)
    ws.merge_range(r + 1, 6, r + 2, 8, "年度计划")  # one 绩效标准 for two rows: filled from its anchor
    ws.write(r + 2, 4, "工伤保险在职参保人数")
    ws.write_string(r + 2, 5, "32700")
    ws.write(r + 3, 3, "质量指标")
    ws.write(r + 3, 4, "核定准确率")
    ws.write_number(r + 3, 5, 1, wb.add_format({"num_format": "0%"}))
    ws.merge_range(r + 3, 6, r + 3, 8, "年度计划")
    ws.write(r + 4, 3, "时效指标")  # printed, left empty
    ws.write(r + 5, 2, "满意度指标")
    ws.write(r + 5, 3, "服务对象满意度指标")
    ws.write(r + 5, 4, "满意度")
    ws.write(r + 5, 5, "≥95%")
    ws.merge_range(r + 5, 6, r + 5, 8, "年度计划")
    ws.write(r + 6, 4, "……")
    wb.close()
    return path


def test_a_bureau_layout_is_read_by_its_labels(tmp_path: Path, context: Context) -> None:
    results = run(tmp_path, bureau_workbook(tmp_path / "广水市劳动保险事业管理局.xlsx"), unit_id="guangshui-ldbxj")
    assert codes(results) == []
    out = tmp_path / "content/2021/guangshui-ldbxj.yaml"
    decl = loaded(out)
    assert (decl.unit_name, decl.filing_date, decl.money_unit, decl.leader, decl.filer, decl.phone) == (
        "广水市劳动保险事业管理局", dt.date(2021, 1, 28), "万元", "熊斌", "姚尧", "15997856299")
    assert decl.funding is not None
    assert [(r.name, str(r.amount), str(r.share), [str(h) for h in r.history]) for r in decl.funding.expenditure] == [
        ("基本支出", "357.58", "97.27%", ["482.93", "412.26"]), ("项目支出", "10", "2.73%", ["0", "10"])]
    assert decl.funding.income_total and str(decl.funding.income_total.share) == "100.00%"  # as its format shows
    assert decl.funding.history_years == (2019, 2020)
    assert decl.functions == ("1. 宣传贯彻政策；", "2. 负责发放工作。")
    assert [(p.name, str(p.total_budget), str(p.budget)) for p in decl.projects] == [
        ("工伤保险专项办公经费", "10.00", "10")]
    assert decl.long_term.deadline_year is None and decl.long_term.targets == ()
    assert decl.annual.targets == ("目标 1：扩大养老保险覆盖面。", "目标 2：扩大工伤保险覆盖面。")
    (goal,) = decl.annual.goals
    assert goal.title == "提高养老、工伤保险覆盖面。"
    assert [(i.level1, i.level2, i.name, i.value, i.basis) for i in goal.indicators] == [
        ("产出指标", "数量指标", "养老保险在职参保人数", "50000", "年度计划"),
        ("产出指标", "数量指标", "工伤保险在职参保人数", "32700", "年度计划"),
        ("产出指标", "质量指标", "核定准确率", "100%", "年度计划"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥95%", "年度计划"),
    ]
    assert [p for p in check_files([out], context).problems if p.blocks] == []


# -- problems, each at its cell --------------------------------------------------------------------


def _cell_of(ws: Any, label: str, column: str) -> Any:
    return ws.cell(find(ws, label).row, find(ws, column).column)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda ws: setattr(_cell_of(ws, "基本支出", "金额"), "value", "357.58 万元"), ("IMPORT_NOT_NUMBER", "D11")),
    (lambda ws: setattr(_cell_of(ws, "基本支出", "占比"), "number_format", "General"), ("IMPORT_NOT_SHARE", "E11")),
    (lambda ws: setattr(find(ws, "占比"), "value", "比例"), ("IMPORT_LABEL_MISSING", "A1")),
    (lambda ws: setattr(find(ws, "填报日期").offset(0, 1), "value", "2021 年 02 月 30 日"), ("IMPORT_NOT_DATE", "B3")),
    (lambda ws: ws.merge_cells("D34:E34"), ("IMPORT_MERGE_CUT", "D34")),
    (lambda ws: ws.merge_cells("B50:B52"), ("IMPORT_MERGE_CUT", "B50")),
    (lambda ws: setattr(ws["A70"], "value", "部门整体支出绩效目标申报表"), ("IMPORT_SECOND_FORM", "A70")),
])
def test_each_problem_names_the_cell(tmp_path: Path, seed: Declaration, levels: Any,
                                     change: Callable[[Any], None], expected: tuple[str, str]) -> None:
    book = mutate(filled(tmp_path, seed, levels), change)
    results = run(tmp_path, book)
    wanted = (expected[0], f"guangshui-ldbxj.xlsx:部门整体!{expected[1]}")
    assert wanted in codes(results), [format_problem(p) for r in results for p in r.problems]
    assert results[0].written is None
    assert not (tmp_path / "content").exists()  # nothing written for a workbook with errors


def test_partial_writes_the_readable_part_with_the_problems_on_top(
        tmp_path: Path, seed: Declaration, levels: Any) -> None:
    book = mutate(filled(tmp_path, seed, levels), lambda ws: setattr(_cell_of(ws, "基本支出", "金额"), "value", "—"))
    results = run(tmp_path, book, partial=True, status="published")
    assert results[0].outcome == "部分写入"
    text = (tmp_path / "content/2021/guangshui-ldbxj.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("# guangshui-ldbxj.xlsx:部门整体!D11: 错误[IMPORT_NOT_NUMBER]")
    decl = loaded(tmp_path / "content/2021/guangshui-ldbxj.yaml")
    assert decl.status == "draft" and decl.funding and decl.funding.expenditure[0].amount is None


def test_unreadable_no_form_and_no_id(tmp_path: Path, seed: Declaration, levels: Any) -> None:
    junk = tmp_path / "坏.xlsx"
    junk.write_bytes(b"not a zip")
    other = tmp_path / "其他.xlsx"
    wb = xlsxwriter.Workbook(str(other))
    wb.add_worksheet("名单").write(0, 0, "姓名")
    wb.close()
    unnamed = filled(tmp_path, dataclasses.replace(seed, unit_id="x"), levels, name="广水市劳动保险事业管理局.xlsx")
    mutate(unnamed, lambda ws: setattr(find(ws, "x"), "value", None))
    found = codes(run(tmp_path, junk, other, unnamed))
    assert ("IMPORT_UNREADABLE", "坏.xlsx") in found
    assert ("IMPORT_NO_FORM", "其他.xlsx:名单!A1") in found
    assert ("IMPORT_NO_ID", "广水市劳动保险事业管理局.xlsx:部门整体!F1") in found


def test_existing_files_are_not_overwritten_unless_imported_from_the_same_book(
        tmp_path: Path, seed: Declaration, levels: Any) -> None:
    book = filled(tmp_path, seed, levels)
    assert codes(run(tmp_path, book)) == []
    assert codes(run(tmp_path, book)) == []  # re-importing the same workbook replaces its own file
    (tmp_path / "x").mkdir()
    moved = filled(tmp_path / "x", seed, levels)
    assert codes(run(tmp_path, moved)) == []  # the same workbook, in another folder
    other = filled(tmp_path, seed, levels, name="另一个.xlsx")
    assert [c for c, _ in codes(run(tmp_path, other, unit_id="guangshui-ldbxj"))] == ["IMPORT_TARGET_EXISTS"]
    assert codes(run(tmp_path, other, unit_id="guangshui-ldbxj", force=True)) == []


def test_xls_shares_are_guessed_and_flagged() -> None:
    cells = {(0, 0): Cell("基本支出"), (0, 1): Cell("0.9727", number=Decimal("0.9727"), guessed=True)}
    sheet = Sheet("a.xls", "S", cells, {}, 1, 2)
    from generator.importer_locate import Locator
    locator = Locator(sheet, DEPT, 0, 1)
    assert locator.share(0, 1, "基本支出占比") == "97.27%"
    assert [p.code for p in locator.out.problems] == ["IMPORT_FORMAT_GUESSED"]


def test_locate_reads_a_second_sheet_form_only_up_to_the_second_title(
        tmp_path: Path, seed: Declaration, levels: Any) -> None:
    book = mutate(filled(tmp_path, seed, levels), lambda ws: setattr(ws["A70"], "value", "部门整体支出绩效目标申报表"))
    (sheet, _vocabulary) = read_book(book)
    found = locate(sheet, DEPT)
    assert found.data["unit_name"] == seed.unit_name
    assert [p.code for p in found.problems] == ["IMPORT_SECOND_FORM"]


# -- provenance --------------------------------------------------------------------------------------


def test_check_names_the_workbook_cell_of_an_imported_value(
        tmp_path: Path, seed: Declaration, levels: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run(tmp_path, filled(tmp_path, seed, levels))
    out = tmp_path / "content/2021/guangshui-ldbxj.yaml"
    side = json.loads((out.parent / "guangshui-ldbxj.yaml.source.json").read_text(encoding="utf-8"))
    assert side["cells"]["funding/expenditure/0/share"] == "部门整体!E11"
    out.write_text("# 手工改过\n" + out.read_text(encoding="utf-8").replace("97.27%", "98.27%"), encoding="utf-8")
    assert main(["check", str(out)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "SHARE_MISMATCH" in line]
    assert lines and all(line.endswith("（来自 guangshui-ldbxj.xlsx:部门整体!E11）") for line in lines), lines


def test_the_cli_imports_a_folder_with_a_summary(tmp_path: Path, seed: Declaration, levels: Any) -> None:
    folder = tmp_path / "表"
    folder.mkdir()
    filled(folder, seed, levels)
    (folder / "~$guangshui-ldbxj.xlsx").write_bytes(b"lock")  # Excel's lock file: not a workbook
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(tmp_path), "import", str(folder)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert "已写入" in done.stderr and "共 1 张表：写入 1 张" in done.stderr
    assert (tmp_path / "content/2021/guangshui-ldbxj.yaml").is_file()


@pytest.mark.slow
def test_the_build_never_publishes_side_files(tmp_path: Path, seed: Declaration, levels: Any) -> None:
    project = copy_project(tmp_path / "project")
    book = filled(tmp_path, seed, levels)
    assert main(["-C", str(project), "import", "--force", "--status", "published", "-q", str(book)]) == 0
    assert (project / "content/2021/guangshui-ldbxj.yaml.source.json").is_file()
    built = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "-q"],
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    files = [p for p in (project / "site").rglob("*") if p.is_file()]
    assert not [p for p in files if "source.json" in p.name]
    download = next(p for p in files if p.name == "guangshui-ldbxj.yaml")
    assert "xlsx" not in download.read_text(encoding="utf-8")


# -- disclose's own download -------------------------------------------------------------------------


def test_the_xlsx_download_imports_back_to_the_same_model(tmp_path: Path, seed: Declaration) -> None:
    from generator.export import workbook_bytes
    from generator.synth import synthesize

    decls = [seed, *(loaded(p) for p in synthesize(tmp_path / "synth", 5, years=1, seed=7))]
    books = []
    for i, decl in enumerate(decls):
        decl = dataclasses.replace(decl, status="published")
        books.append(tmp_path / f"download-{i}.xlsx")
        books[-1].write_bytes(workbook_bytes(decl))
    results = run(tmp_path, *books, status="published")
    assert [format_problem(p) for r in results for p in r.problems] == []
    for decl, result in zip(decls, results, strict=True):
        assert result.written and loaded(result.written) == dataclasses.replace(decl, status="published")


# -- .xls and several forms per workbook -------------------------------------------------------------


def to_xls(src: Path, dest: Path) -> Path:
    """The workbook saved as Excel 97–2003 (.xls), merges and number formats kept, as old bureau files are."""
    import xlwt

    book = openpyxl.load_workbook(src)
    out = xlwt.Workbook()
    styles: dict[str, Any] = {}
    for ws in book.worksheets:
        sheet = out.add_sheet(ws.title)
        anchors = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        covered = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
                   for c in range(m.min_col, m.max_col + 1)}
        for row in ws.iter_rows():
            for cell in row:
                key = (cell.row, cell.column)
                fmt = cell.number_format or "General"
                style = styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt))
                if key in anchors:
                    m = anchors[key]
                    sheet.write_merge(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1, cell.value, style)
                elif key not in covered and cell.value is not None:
                    sheet.write(cell.row - 1, cell.column - 1, cell.value, style)
    out.save(str(dest))
    return dest


def test_an_xls_workbook_round_trips_with_its_number_formats(
        tmp_path: Path, seed: Declaration, levels: Any) -> None:
    book = to_xls(filled(tmp_path, seed, levels), tmp_path / "guangshui-ldbxj.xls")
    results = run(tmp_path, book, status="published")
    assert [format_problem(p) for r in results for p in r.problems] == []
    assert loaded(tmp_path / "content/2021/guangshui-ldbxj.yaml") == seed


def test_each_sheet_with_a_form_is_one_declaration(tmp_path: Path, seed: Declaration, levels: Any) -> None:
    book = filled(tmp_path, seed, levels, name="全局.xlsx")
    wb = openpyxl.load_workbook(book)
    for title in ("二", "三"):
        copy = wb.copy_worksheet(wb["部门整体"])
        copy.title = title
    find(wb["二"], "guangshui-ldbxj").value = "guangshui-two"
    wb.save(book)
    results = run(tmp_path, book, status="published")
    assert [r.outcome for r in results] == ["已写入", "已写入", "未写入"]
    assert ("IMPORT_DUPLICATE_TARGET", "全局.xlsx:三!A1") in codes(results)
    assert loaded(tmp_path / "content/2021/guangshui-two.yaml").unit_name == seed.unit_name


def _header_of(*texts: str) -> dict[str, Any]:
    from generator.importer_locate import Locator

    sheet = Sheet("a.xlsx", "S", {(0, c): Cell(t) for c, t in enumerate(texts)}, {}, 1, len(texts))
    locator = Locator(sheet, DEPT, 0, 1)
    locator.header()
    return locator.out.data


def test_header_labels_inline_split_and_lookalikes() -> None:
    assert _header_of("填报日期：2021 年 1 月 28 日  单位 : 万元  单位领导审签：熊斌") == {
        "filing_date": dt.date(2021, 1, 28), "money_unit": "万元", "leader": "熊斌"}
    assert _header_of("单位", "万元") == {"money_unit": "万元"}
    assert _header_of("单位", "单位领导审签", "熊斌") == {"leader": "熊斌"}  # 单位 left blank
    assert _header_of("单位工会") == {}  # text that begins like a label is not one
    assert _header_of("部门 ( 单位 )\n名 称", "某局") == {"unit_name": "某局"}


def test_what_the_loader_refuses_is_named_at_its_cell(tmp_path: Path, seed: Declaration, levels: Any) -> None:
    book = mutate(filled(tmp_path, seed, levels), lambda ws: setattr(find(ws, seed.unit_name), "value", "局" * 10_001))
    assert ("TEXT_TOO_LONG", "guangshui-ldbxj.xlsx:部门整体!B4") in codes(run(tmp_path, book))


@pytest.mark.parametrize("printed", [None, "延续性项目（从 2020 年至 2022 年）", "延续性项目(2020-2022)"])
def test_a_multi_year_project_keeps_its_years(tmp_path: Path, seed: Declaration, levels: Any,
                                              printed: str | None) -> None:
    project = dataclasses.replace(seed.projects[0], type="延续性项目", from_year=2020, to_year=2022)
    decl = dataclasses.replace(seed, projects=(project,))
    book = filled(tmp_path, decl, levels)
    if printed:
        mutate(book, lambda ws: setattr(find(ws, "延续性项目（2020—2022 年）"), "value", printed))
    assert codes(run(tmp_path, book)) == []
    assert loaded(tmp_path / "content/2021/guangshui-ldbxj.yaml").projects == (project,)


def test_a_blank_template_names_each_missing_value(tmp_path: Path, levels: Any) -> None:
    book = tmp_path / "空白.xlsx"
    write_template(book, levels)
    found = codes(run(tmp_path, book))
    assert ("IMPORT_VALUE_MISSING", "空白.xlsx:部门整体!B3") in found  # 填报日期
    assert ("IMPORT_VALUE_MISSING", "空白.xlsx:部门整体!B4") in found  # 部门（单位）名称
    assert ("IMPORT_NO_YEAR", "空白.xlsx:部门整体!D1") in found  # 预算年度
    assert ("IMPORT_NO_ID", "空白.xlsx:部门整体!F1") in found  # 单位编号, and 空白 is no id
