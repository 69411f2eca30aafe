"""The 部门整体 form's downloads: the workbook's sheets, the CSVs and what the 数据下载 page says of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from ...datapackage import LINE, titled
from ..base import Block, Download, Sheets
from .editions import edition_of
from .model import Declaration, FundingRow
from .tables import SECTIONS, TABLE, funding_lines, item_rows

DOWNLOADS = (
    Download(".xlsx", "Excel 工作簿", "每部分一张工作表：基本信息、资金情况、职能、任务、项目、目标、指标"),
    Download("-funding.csv", "资金情况 CSV", "收入构成、支出构成及合计，近两年金额各占一列"),
    Download("-projects.csv", "项目支出 CSV", "项目支出各行"),
    Download("-indicators.csv", "绩效指标 CSV", "长期目标及各年度目标的绩效指标"),
    Download(".json", "JSON", "整张申报表，金额为原表文字；符合申报表格式的 JSON Schema"),
    Download(".yaml", "YAML 原文件", "录入的原文件，个人手机号已打码"),
)


def funding_block(decl: Declaration) -> Block:
    """部门总体资金情况 laid out like the form: the funding table with one column per history year."""
    head, rows = titled(TABLE["funding"], decl)
    lines = list(funding_lines(decl))
    years = decl.funding.history_years if decl.funding else ()
    width = max([len(years), *(len(row.history) for *_, row in lines)])
    title = {f.name: f for f in dataclasses.fields(FundingRow)}["history"].metadata["title"]
    labels = edition_of(decl).history_labels  # the print's own heads (上年金额, 前年金额), else the years
    for i in range(width):
        year = years[i] if i < len(years) else None
        label = labels[i] if i < len(labels) else title
        head.append(f"{label}（{year}年）" if year else f"{label}（第 {i + 1} 列）")
    for cells, (*_, row) in zip(rows, lines, strict=True):
        cells.extend(row.history[i] if i < len(row.history) else None for i in range(width))
    return head, rows


def items_block(decl: Declaration, sections: Sequence[str]) -> Block:
    lines = [[r["line"], r["text"]] for r in item_rows(decl) if r["section"] in sections]
    return [LINE.title, "内容"], lines


def sheets(decl: Declaration) -> Sheets:
    """The workbook: a sheet per section of the form, each one or more blocks of header and rows."""
    basic = TABLE["declarations"]
    (info,) = list(basic.cells(decl))
    years = [str(y) if y else "" for y in (info[-1] if isinstance(info[-1], list) else [])]
    info_rows = [[c.title, v] for c, v in zip(basic.columns[:-1], info[:-1], strict=True)]
    info_rows.append([basic.columns[-1].title, "、".join(years) or None])
    out = [
        ("基本信息", [(["项目", "内容"], info_rows)]),
        ("资金情况", [funding_block(decl)]),
        ("职能", [items_block(decl, [SECTIONS["functions"]])]),
        ("任务", [items_block(decl, [SECTIONS["tasks"]])]),
        ("项目", [titled(TABLE["projects"], decl)]),
        ("目标", [titled(TABLE["goals"], decl),
                  (["部分", LINE.title, "内容"],
                   [[r["section"], r["line"], r["text"]] for r in item_rows(decl)
                    if r["section"] in (SECTIONS["long_term.targets"], SECTIONS["annual.targets"])])]),
        ("指标", [titled(TABLE["indicators"], decl)]),
    ]
    if decl.waivers:
        out.append(("豁免", [titled(TABLE["waivers"], decl)]))
    absent = edition_of(decl).absent  # a print without a section (湖南: funding, tasks, projects) has no sheet
    return [sheet for sheet in out if _SHEET_SECTIONS.get(sheet[0]) not in absent]


_SHEET_SECTIONS = {"资金情况": ("funding",), "任务": ("tasks",), "项目": ("projects",)}




def csvs(decl: Declaration) -> dict[str, Block]:
    """The CSVs beside the workbook, by their suffix after the unit id (none for a table the print lacks)."""
    blocks: dict[str, Callable[[], Block]] = {
        "-funding.csv": lambda: funding_block(decl), "-projects.csv": lambda: titled(TABLE["projects"], decl),
        "-indicators.csv": lambda: titled(TABLE["indicators"], decl)}
    withheld = edition_of(decl).withheld
    return {suffix: block() for suffix, block in blocks.items() if suffix not in withheld}


def workbook_title(decl: Declaration) -> str:
    return f"{decl.unit_name} {decl.year} 年度部门整体支出绩效目标申报表"
