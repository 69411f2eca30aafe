"""The 部门整体支出绩效自评表's downloads: its data package tables (keyed as the unit's target tables, so that a
result joins its 部门整体 form by year and unit_id), the workbook's sheets and the CSV."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ...datapackage import LINE, Row, Table, cells, of, titled
from ..base import Block, Download, Sheets
from ..department.tables import KEY
from ..results import workbook
from .model import BudgetExecution, UnitIndicator, UnitResult

UNIT_KEY = ("year", "unit_id")
_HEADER = [f.name for f in dataclasses.fields(UnitResult)
           if f.name not in ("year", "unit_id", "budget", "indicators", "waivers")]
_BUDGET = [f.name for f in dataclasses.fields(BudgetExecution)]

DOWNLOADS = (
    Download(".xlsx", "Excel 工作簿", "两张工作表：基本信息（含预算执行情况）、绩效指标"),
    Download("-indicators.csv", "绩效指标 CSV", "各指标的年初、调整指标值，全年完成值，得分系数、权重与得分"),
    Download(".json", "JSON", "整张部门整体自评表，金额与分值为原表文字；符合部门整体自评表格式的 JSON Schema"),
    Download(".yaml", "YAML 原文件", "录入的原文件，个人手机号已打码"),
)


def result_rows(decl: UnitResult) -> Iterator[Row]:
    yield {**cells(decl, UNIT_KEY), **cells(decl, _HEADER),
           **{f"budget_{name}": getattr(decl.budget, name) for name in _BUDGET}}


def indicator_rows(decl: UnitResult) -> Iterator[Row]:
    for line, ind in enumerate(decl.indicators, 1):
        yield {**cells(decl, UNIT_KEY), "line": line, **cells(ind)}


TABLES: tuple[Table, ...] = (
    Table("unit_results", "部门整体自评表",
          "每张公开的部门整体支出绩效自评表一行：表头、预算执行情况、绩效目标完成情况与自评总分；"
          "year、unit_id 对应该单位的申报表 declarations（指标按指标名称对应 indicators 中 goal ≥ 1 的行）",
          (*KEY, *(of(UnitResult, name) for name in _HEADER),
           *(of(BudgetExecution, name, name=f"budget_{name}") for name in _BUDGET)),
          UNIT_KEY, ((UNIT_KEY, "declarations", UNIT_KEY),), result_rows),
    Table("unit_result_indicators", "部门整体自评指标", "每张部门整体自评表的绩效指标，每个指标一行，按原表填写",
          (*KEY, LINE, *(of(UnitIndicator, f.name) for f in dataclasses.fields(UnitIndicator))),
          (*UNIT_KEY, "line"), ((UNIT_KEY, "unit_results", UNIT_KEY),), indicator_rows),
)


def csvs(decl: UnitResult) -> dict[str, Block]:
    return {"-indicators.csv": titled(TABLES[1], decl)}


def sheets(decl: UnitResult) -> Sheets:
    return workbook(TABLES[0], decl, [("指标", csvs(decl)["-indicators.csv"])])


def workbook_title(decl: UnitResult) -> str:
    return f"{decl.unit_name} {decl.year} 年度部门整体支出绩效自评表"
