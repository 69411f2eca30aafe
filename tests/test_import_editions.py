"""`disclose import` reads the seed's print (湖北-2021): a 湖北-2022 一体化 or a 湖南 整体绩效目标表 workbook is refused
at the cell of a label only that print has (IMPORT_EDITION), never mis-read as the seed's and written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
from test_import import codes, filled, find, levels, mutate, run, seed  # noqa: F401  (the import tests' fixtures)

from generator.forms.department.model import Declaration

HUNAN_HEAD = ["一级指标", "二级指标", "三级指标", "指标值类型", "指标值", "计量单位", "指标解释", "评(扣)分标准",
              "备注"]
HUNAN_ROW = ["产出指标", "数量指标", "服务人次", "定量", "≥12000", "人次", "全年服务人次", "完成得满分"]


def hunan_workbook(path: Path) -> Path:
    """湖南's 部门整体绩效目标表 as a bureau lays it out: title, 名称, 职责, 年度总体绩效目标, one indicator table."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("整体目标")
    ws.merge_range(0, 0, 0, 8, "部门整体绩效目标表")
    ws.write(1, 0, "部门（单位）名称")
    ws.merge_range(1, 1, 1, 8, "示例县某局")
    ws.write(2, 0, "部门（单位）职责")
    ws.merge_range(2, 1, 2, 8, "1. 贯彻执行有关方针政策。")
    ws.write(3, 0, "年度总体绩效目标")
    ws.merge_range(3, 1, 3, 8, "全面完成年度重点工作任务。")
    for c, head in enumerate(HUNAN_HEAD):
        ws.write(4, c, head)
    for c, value in enumerate(HUNAN_ROW):
        ws.write(5, c, value)
    wb.close()
    return path


def test_a_hubei_2022_workbook_is_refused_at_its_funding_row(
        tmp_path: Path, seed: Declaration, levels: Any) -> None:  # noqa: F811
    def yitihua(ws: Any) -> None:
        find(ws, "基本支出").value = "人员类项目支出"
    book = mutate(filled(tmp_path, seed, levels), yitihua)
    cell = find(openpyxl.load_workbook(book)["部门整体"], "人员类项目支出").coordinate
    results = run(tmp_path, book)
    assert codes(results) == [("IMPORT_EDITION", f"guangshui-ldbxj.xlsx:部门整体!{cell}")]
    assert "湖北-2022" in results[0].problems[0].message and "人员类项目支出" in results[0].problems[0].message
    assert not (tmp_path / "content").exists()


def test_a_hunan_workbook_is_refused_at_its_title(tmp_path: Path) -> None:
    results = run(tmp_path, hunan_workbook(tmp_path / "湖南.xlsx"))
    assert codes(results) == [("IMPORT_EDITION", "湖南.xlsx:整体目标!A1")]
    assert "湖南-整体" in results[0].problems[0].message
    assert [r.written for r in results] == [None] and not (tmp_path / "content").exists()


def test_the_seed_print_in_the_same_workbook_is_still_imported(
        tmp_path: Path, seed: Declaration, levels: Any) -> None:  # noqa: F811
    book = filled(tmp_path, seed, levels)
    other = openpyxl.load_workbook(hunan_workbook(tmp_path / "h.xlsx"))["整体目标"]
    wb = openpyxl.load_workbook(book)
    copy = wb.create_sheet("湖南")
    for row in other.iter_rows():
        for c in row:
            copy.cell(c.row, c.column, c.value)
    wb.save(book)
    results = run(tmp_path, book)
    assert codes(results) == [("IMPORT_EDITION", "guangshui-ldbxj.xlsx:湖南!A1")]
    assert [r.written for r in results] == [None, tmp_path / "content" / "2021" / "guangshui-ldbxj.yaml"]
