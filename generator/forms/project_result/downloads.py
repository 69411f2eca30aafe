"""The 项目支出绩效自评表's downloads: its data package tables (keyed as the project's target tables, so that
a result joins its 项目申报表 by year, unit_id and project_id), the workbook's sheets and the CSVs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ...datapackage import LINE, Row, Table, cells, of, own, titled
from ..base import Block, Download, Sheets
from ..department.tables import KEY
from ..project.downloads import PROJECT, PROJECT_KEY
from ..results import workbook
from .model import FUND_ROWS, FundRow, ProjectResult, ResultIndicator

ROW = own("row", "资金行", "年度资金总额，或其中的当年财政拨款、上年结转资金、其他资金", "string",
          enum=list(FUND_ROWS.values()))
_HEADER = [f.name for f in dataclasses.fields(ProjectResult)
           if f.name not in ("year", "unit_id", "project_id", "funds", "indicators", "waivers")]

DOWNLOADS = (
    Download(".xlsx", "Excel 工作簿", "每部分一张工作表：基本信息、项目资金、绩效指标"),
    Download("-funds.csv", "项目资金 CSV", "年度资金总额及其中各项的预算数、执行数、执行率、分值与得分"),
    Download("-indicators.csv", "绩效指标 CSV", "各三级指标的指标值、实际完成值、分值、得分与偏差原因"),
    Download(".json", "JSON", "整张项目自评表，金额与分值为原表文字；符合项目自评表格式的 JSON Schema"),
    Download(".yaml", "YAML 原文件", "录入的原文件，个人手机号已打码"),
)


def result_rows(decl: ProjectResult) -> Iterator[Row]:
    yield {**cells(decl, PROJECT_KEY), **cells(decl, _HEADER)}


def fund_rows(decl: ProjectResult) -> Iterator[Row]:
    for name, label in FUND_ROWS.items():
        row: FundRow | None = getattr(decl.funds, name)
        if row is not None:
            yield {**cells(decl, PROJECT_KEY), "row": label, **cells(row)}


def indicator_rows(decl: ProjectResult) -> Iterator[Row]:
    for line, ind in enumerate(decl.indicators, 1):
        yield {**cells(decl, PROJECT_KEY), "line": line, **cells(ind)}


_RESULT = ((PROJECT_KEY, "project_results", PROJECT_KEY),)
TABLES: tuple[Table, ...] = (
    Table("project_results", "项目自评表",
          "每张公开的项目支出绩效自评表一行：表头、目标完成情况与总分；year、unit_id、project_id 对应该项目的"
          "申报表 project_forms（指标按 一级、二级、三级指标名称对应 project_indicators 中 period 为“年度”的行）",
          (*KEY, PROJECT, *(of(ProjectResult, name) for name in _HEADER)),
          PROJECT_KEY, ((PROJECT_KEY, "project_forms", PROJECT_KEY),), result_rows),
    Table("project_result_funds", "项目自评资金", "每张项目自评表的项目资金各行，按原表填写",
          (*KEY, PROJECT, ROW, *(of(FundRow, f.name) for f in dataclasses.fields(FundRow))),
          (*PROJECT_KEY, "row"), _RESULT, fund_rows),
    Table("project_result_indicators", "项目自评指标", "每张项目自评表的绩效指标，每个三级指标一行，按原表填写",
          (*KEY, PROJECT, LINE, *(of(ResultIndicator, f.name) for f in dataclasses.fields(ResultIndicator))),
          (*PROJECT_KEY, "line"), _RESULT, indicator_rows),
)


def csvs(decl: ProjectResult) -> dict[str, Block]:
    return {"-funds.csv": titled(TABLES[1], decl, PROJECT_KEY),
            "-indicators.csv": titled(TABLES[2], decl, PROJECT_KEY)}


def sheets(decl: ProjectResult) -> Sheets:
    blocks = csvs(decl)  # the sheets are the CSVs' tables: build them once
    return workbook(TABLES[0], decl, [("项目资金", blocks["-funds.csv"]), ("指标", blocks["-indicators.csv"])])


def workbook_title(decl: ProjectResult) -> str:
    return f"{decl.project_name} {decl.year} 年度项目支出绩效自评表"
