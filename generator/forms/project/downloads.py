"""The 项目支出绩效目标申报表's downloads: its data package tables, the workbook's sheets and the CSVs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ...datapackage import LINE, Row, Table, cells, of, own, titled
from ...model import Indicator
from ..base import Block, Download, Sheets
from ..department.tables import KEY
from .model import Cost, Funds, ProjectForm

PROJECT = of(ProjectForm, "project_id")
PROJECT_KEY = ("year", "unit_id", "project_id")
PERIODS = {"mid_term": "中期", "annual": "年度"}
PERIOD = own("period", "期间", "中期或年度", "string", enum=list(PERIODS.values()))
_HEADER = [f.name for f in dataclasses.fields(ProjectForm)
           if f.name not in ("year", "unit_id", "project_id", "mid_term_funds", "annual_funds",
                             "mid_term_indicators", "annual_indicators", "costs", "waivers")]

DOWNLOADS = (
    Download(".xlsx", "Excel 工作簿", "每部分一张工作表：基本信息、资金、绩效指标、成本构成"),
    Download("-funds.csv", "资金 CSV", "中期与年度资金总额及其中财政拨款、其他资金"),
    Download("-indicators.csv", "绩效指标 CSV", "中期与年度的绩效指标"),
    Download("-costs.csv", "成本构成 CSV", "成本构成各项的金额、测算依据与前两年实际执行数"),
    Download(".json", "JSON", "整张项目申报表，金额为原表文字；符合项目申报表格式的 JSON Schema"),
    Download(".yaml", "YAML 原文件", "录入的原文件，个人手机号已打码"),
)


def form_rows(decl: ProjectForm) -> Iterator[Row]:
    yield {**cells(decl, PROJECT_KEY), **cells(decl, _HEADER)}


def fund_rows(decl: ProjectForm) -> Iterator[Row]:
    for side, label in PERIODS.items():
        funds: Funds = getattr(decl, f"{side}_funds")
        yield {**cells(decl, PROJECT_KEY), "period": label, **cells(funds)}


def indicator_rows(decl: ProjectForm) -> Iterator[Row]:
    for side, label in PERIODS.items():
        for line, ind in enumerate(getattr(decl, f"{side}_indicators"), 1):
            yield {**cells(decl, PROJECT_KEY), "period": label, "line": line, **cells(ind)}


def cost_rows(decl: ProjectForm) -> Iterator[Row]:
    for line, cost in enumerate(decl.costs, 1):
        yield {**cells(decl, PROJECT_KEY), "line": line, **cells(cost)}


_FORM = ((PROJECT_KEY, "project_forms", PROJECT_KEY),)
TABLES: tuple[Table, ...] = (
    Table("project_forms", "项目申报表",
          "每张公开的项目支出绩效目标申报表一行：表头与文字部分；year、unit_id 对应 declarations",
          (*KEY, PROJECT, *(of(ProjectForm, name) for name in _HEADER)),
          PROJECT_KEY, ((("year", "unit_id"), "declarations", ("year", "unit_id")),), form_rows),
    Table("project_funds", "项目资金", "每张项目申报表的中期与年度资金，各一行，按原表填写",
          (*KEY, PROJECT, PERIOD, *(of(Funds, f.name) for f in dataclasses.fields(Funds))),
          (*PROJECT_KEY, "period"), _FORM, fund_rows),
    Table("project_indicators", "项目绩效指标", "每张项目申报表的中期与年度绩效指标，每个指标一行，按原表填写",
          (*KEY, PROJECT, PERIOD, LINE, *(of(Indicator, f.name) for f in dataclasses.fields(Indicator))),
          (*PROJECT_KEY, "period", "line"), _FORM, indicator_rows),
    Table("project_costs", "项目成本构成", "每张项目申报表的成本构成，每项一行，按原表填写",
          (*KEY, PROJECT, LINE, *(of(Cost, f.name) for f in dataclasses.fields(Cost))),
          (*PROJECT_KEY, "line"), _FORM, cost_rows),
)
_DROP = PROJECT_KEY


def csvs(decl: ProjectForm) -> dict[str, Block]:
    return {"-funds.csv": titled(TABLES[1], decl, _DROP), "-indicators.csv": titled(TABLES[2], decl, _DROP),
            "-costs.csv": titled(TABLES[3], decl, _DROP)}


def sheets(decl: ProjectForm) -> Sheets:
    head, rows = titled(TABLES[0], decl, ())
    blocks = csvs(decl)  # the sheets are the CSVs' tables: build them once
    return [("基本信息", [(["项目", "内容"], [[title, value] for title, value in zip(head, rows[0], strict=True)])]),
            ("资金", [blocks["-funds.csv"]]),
            ("指标", [blocks["-indicators.csv"]]),
            ("成本", [blocks["-costs.csv"]])]


def workbook_title(decl: ProjectForm) -> str:
    return f"{decl.project_name} {decl.year} 年度项目支出绩效目标申报表"
