"""The 部门整体 form's data package tables: one row per filed line, keyed by (year, unit_id)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from ...datapackage import LINE, NO, YES, Column, Row, Table, of, own
from ...model import Indicator, Waiver
from .model import Annual, AnnualGoal, Declaration, Funding, FundingRow, FundingTotal, LongTerm, Project

YEAR = of(Declaration, "year")
UNIT = of(Declaration, "unit_id")
KEY = (YEAR, UNIT)
SIDES = {"income": "收入构成", "expenditure": "支出构成"}
SIDE = own("side", "收支", "该行属于“收入构成”还是“支出构成”", "string", enum=list(SIDES.values()))
GOAL = own("goal", "目标序号", "0 为长期目标；1、2……为“年度目标 1”“年度目标 2”……", "integer", minimum=0)


def _section(cls: Any, attr: str) -> str:
    return str({f.name: f for f in dataclasses.fields(cls)}[attr].metadata["title"])


SECTIONS: dict[str, str] = {  # the filed lists of text, named by their titles on the form
    "functions": _section(Declaration, "functions"),
    "tasks": _section(Declaration, "tasks"),
    "long_term.targets": _section(LongTerm, "targets"),
    "annual.targets": _section(Annual, "targets"),
}
GOAL_KINDS = (_section(Declaration, "long_term"), "年度目标")


def _key(decl: Declaration) -> Row:
    return {"year": decl.year, "unit_id": decl.unit_id}


# -- rows -----------------------------------------------------------------------------------------


def declaration_rows(decl: Declaration) -> Iterator[Row]:
    yield {
        **_key(decl),
        **{name: getattr(decl, name) for name in (
            "unit_name", "filing_date", "money_unit", "leader", "filer", "phone", "status",
            "approval_date", "publication_date", "edition")},
        "history_years": list(decl.funding.history_years) if decl.funding else None,
    }


def funding_lines(decl: Declaration) -> Iterator[tuple[str, int, bool, FundingRow | FundingTotal]]:
    """(side, line, is_total, row) for every filed row of both sides, each side's total last."""
    if not decl.funding:
        return
    for side in SIDES:
        rows: tuple[FundingRow, ...] = getattr(decl.funding, side)
        for line, row in enumerate(rows, 1):
            yield SIDES[side], line, False, row
        total: FundingTotal | None = getattr(decl.funding, f"{side}_total")
        if total is not None:
            yield SIDES[side], len(rows) + 1, True, total


TOTAL_NAME = "合计"


def funding_rows(decl: Declaration) -> Iterator[Row]:
    for side, line, is_total, row in funding_lines(decl):
        name = TOTAL_NAME if isinstance(row, FundingTotal) else row.name
        yield {**_key(decl), "side": side, "line": line, "is_total": is_total, "name": name,
               "amount": row.amount, "share": row.share}


def history_rows(decl: Declaration) -> Iterator[Row]:
    years = decl.funding.history_years if decl.funding else ()
    for side, line, _, row in funding_lines(decl):
        for column, amount in enumerate(row.history, 1):
            year = years[column - 1] if column <= len(years) else None
            yield {**_key(decl), "side": side, "line": line, "column": column, "history_year": year,
                   "amount": amount}


def project_rows(decl: Declaration) -> Iterator[Row]:
    for line, p in enumerate(decl.projects, 1):
        yield {**_key(decl), "line": line, **{f.name: getattr(p, f.name) for f in dataclasses.fields(Project)}}


def item_rows(decl: Declaration) -> Iterator[Row]:
    lists = {"functions": decl.functions, "tasks": decl.tasks,
             "long_term.targets": decl.long_term.targets, "annual.targets": decl.annual.targets}
    for key, section in SECTIONS.items():
        for line, text in enumerate(lists[key], 1):
            yield {**_key(decl), "section": section, "line": line, "text": text}


def goal_rows(decl: Declaration) -> Iterator[Row]:
    yield {**_key(decl), "goal": 0, "kind": GOAL_KINDS[0], "title": None,
           "deadline_year": decl.long_term.deadline_year}
    for number, goal in enumerate(decl.annual.goals, 1):
        yield {**_key(decl), "goal": number, "kind": GOAL_KINDS[1], "title": goal.title, "deadline_year": None}


def goal_indicators(decl: Declaration) -> Iterator[tuple[int, tuple[Indicator, ...]]]:
    yield 0, decl.long_term.indicators
    for number, goal in enumerate(decl.annual.goals, 1):
        yield number, goal.indicators


def indicator_rows(decl: Declaration) -> Iterator[Row]:
    for number, indicators in goal_indicators(decl):
        for line, ind in enumerate(indicators, 1):
            yield {**_key(decl), "goal": number, "line": line,
                   **{f.name: getattr(ind, f.name) for f in dataclasses.fields(Indicator)}}


def waiver_rows(decl: Declaration) -> Iterator[Row]:
    for line, waiver in enumerate(decl.waivers, 1):
        yield {**_key(decl), "line": line, "code": waiver.code, "reason": waiver.reason}


# The national data elements (部标, FORMS.md §4: BGT_PERF_INDICATOR and the vendors' additions) each indicator
# column stands for, so that a table exported from an 一体化 system can be matched column by column.
BUBIAO = {"level1": "KPI_LV1", "level2": "KPI_LV2", "name": "KPI_LV3", "value": "KPI_VAL",
          "basis": "INDEXSTANDARDS", "sign": "COMPUTESIGN", "unit": "METERUNIT", "content": "KPI_CONTENT",
          "scoring": "KPI_EVALSTD", "remark": "KPI_REMARK", "value_two_years_ago": "QNINDEXVAL",
          "value_last_year": "SNINDEXVAL"}


def _bubiao(name: str) -> str:
    """What a column's description adds: its 部标 field, and that a print without the column leaves it blank."""
    element = f"部标 {BUBIAO[name]}" if name in BUBIAO else "部标无对应字段"
    return element if name in ("level1", "level2", "name") else f"{element}；表式无此列的为空"


# -- tables ---------------------------------------------------------------------------------------

_DECL = ((("year", "unit_id"), "declarations", ("year", "unit_id")),)
_FUNDING_KEY = ("year", "unit_id", "side", "line")

TABLES: tuple[Table, ...] = (
    Table(
        "declarations", "申报表", "每张公开的申报表一行，即表头信息（单位、日期、审签、填报人）",
        (*KEY, *(of(Declaration, n) for n in ("unit_name", "filing_date", "money_unit", "leader", "filer",
                                              "phone", "status", "approval_date", "publication_date")),
         of(Declaration, "edition", note="空白即 湖北-2021（文件未写 edition:）"),
         of(Funding, "history_years", required=False, note="本表中为 JSON 数组")),
        ("year", "unit_id"), (), declaration_rows,
    ),
    Table(
        "funding", "部门总体资金情况", "收入构成、支出构成的各行及合计行（当年金额与占比），按原表填写；原表空白处为空",
        (*KEY, SIDE, LINE,
         own("is_total", "是否合计", f"{YES} 为该部分的合计行（排在最后），{NO} 为构成项", "boolean"),
         of(FundingRow, "name", note=f"合计行为“{TOTAL_NAME}”"),
         of(FundingRow, "amount"),
         of(FundingRow, "share")),
        _FUNDING_KEY, _DECL, funding_rows,
    ),
    Table(
        "funding_history", "近两年收支金额", "funding 各行的“近两年收支金额”，每个金额一行",
        (*KEY, SIDE, LINE,
         own("column", "列序号", "“近两年收支金额”中的第几列，从 1 起", "integer", minimum=1),
         Column("history_year", "年份", "该列的年份，即 declarations.history_years 的对应项", "integer",
                {"minimum": 1900, "maximum": 2999}),
         of(FundingRow, "history", name="amount", item=True, note="本表每行为其中一列")),
        (*_FUNDING_KEY, "column"), ((_FUNDING_KEY, "funding", _FUNDING_KEY),), history_rows,
    ),
    Table(
        "projects", "项目支出情况", "项目支出各行，按原表填写",
        (*KEY, LINE, *(of(Project, f.name) for f in dataclasses.fields(Project))),
        ("year", "unit_id", "line"), _DECL, project_rows,
    ),
    Table(
        "items", "文字条目", "部门职能概述、年度工作任务及整体绩效总目标（长期目标、年度目标）的各条，连同原表编号",
        (*KEY, own("section", "部分", "条目所属部分", "string", enum=list(SECTIONS.values())), LINE,
         own("text", "内容", "该条的文字，按原表填写（错别字照录）", "string")),
        ("year", "unit_id", "section", "line"), _DECL, item_rows,
    ),
    Table(
        "goals", "绩效目标", "每张表的长期目标（goal 为 0）和各“年度目标 N”（goal 为 N），绩效指标见 indicators",
        (*KEY, GOAL, own("kind", "类别", "长期目标或年度目标", "string", enum=list(GOAL_KINDS)),
         of(AnnualGoal, "title", required=False, note="长期目标行为空"),
         of(LongTerm, "deadline_year", note="仅长期目标行")),
        ("year", "unit_id", "goal"), _DECL, goal_rows,
    ),
    Table(
        "indicators", "绩效指标", "长期目标及各年度目标的绩效指标，每个指标一行，按原表填写",
        (*KEY, GOAL, LINE, *(of(Indicator, f.name, note=_bubiao(f.name)) for f in dataclasses.fields(Indicator))),
        ("year", "unit_id", "goal", "line"), ((("year", "unit_id", "goal"), "goals", ("year", "unit_id", "goal")),),
        indicator_rows,
    ),
    Table(
        "waivers", "豁免", "按原表公开而豁免的检查问题及其理由",
        (*KEY, LINE, *(of(Waiver, f.name) for f in dataclasses.fields(Waiver))),
        ("year", "unit_id", "line"), _DECL, waiver_rows,
    ),
)
TABLE = {t.name: t for t in TABLES}
