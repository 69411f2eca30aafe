"""Import stage, the form's knowledge in one table: which printed labels name which fields.

Everything the importer and the template know about one form kind is a `FormKind` value here; a
second kind (or a province's edition) is one more entry in `KINDS`. Labels are compared after
`importer_book.normal` (full-width brackets and colons folded, whitespace dropped), so "部门（单位）
名称", "部门(单位)名称" and "部门（单位） 名称" are one label.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A header field: its declaration key, printed labels (first = the one the template prints), kind."""

    key: str
    labels: tuple[str, ...]
    kind: str  # text | date | year | id
    title: str
    required: bool = False


@dataclass(frozen=True)
class Column:
    """A table column: the key in the row's mapping, its header labels, kind (text | money)."""

    key: str
    labels: tuple[str, ...]
    kind: str = "text"
    required: bool = False
    group: bool = False  # merged over the rows it heads (一级/二级): a row with only these is blank


@dataclass(frozen=True)
class FormKind:
    key: str
    names: tuple[str, ...]  # what `disclose template KIND` accepts
    title: str  # the printed title: recognises the form, and a second one in the same sheet
    header: tuple[Field, ...]
    funding: str  # section label
    sides: tuple[tuple[str, str, tuple[str, ...]], ...]  # (model key, label, the template's row names)
    total: str  # the row name of a side's total
    amount: tuple[str, ...]
    share: tuple[str, ...]
    history: str  # the label over the history columns; the year headers sit below it
    lists: tuple[tuple[str, str], ...]  # (model key, label): numbered text, one item per line
    projects: str
    project_columns: tuple[Column, ...]
    targets: str  # 整体绩效总目标
    long_term: str  # regex over the normal form: the long-term target header with its deadline year
    annual: str  # the annual target header beside it
    long_block: str  # the label beside the long-term indicator matrix
    annual_block: str  # the label beside each annual goal's matrix
    goal: str  # regex over the normal form: "年度目标 N：title"
    indicator_columns: tuple[Column, ...]
    blank: str  # regex over the normal form of a template row's placeholder ("……")
    placeholder: str  # regex: an unfilled numbered target ("目标 1：")
    money_unit: str = "万元"
    # A multi-year project's years, printed in its type cell: 延续性项目（2020—2022 年）, （从 2020 年至 2022 年）.
    project_years: str = (r"^(?P<type>[^（(]+?)\s*[（(]\s*从?\s*(?P<start>\d{4})\s*年?\s*[-—–~至到]"
                          r"\s*(?P<end>\d{4})\s*年?\s*[)）]$")


DEPT = FormKind(
    key="dept",
    names=("部门整体", "dept"),
    title="部门整体支出绩效目标申报表",
    header=(
        Field("filing_date", ("填报日期",), "date", "填报日期", required=True),
        Field("money_unit", ("单位", "金额单位"), "text", "金额单位", required=True),
        Field("leader", ("单位领导审签",), "text", "单位领导审签"),
        Field("unit_name", ("部门（单位）名称", "部门名称", "单位名称"), "text", "部门（单位）名称", required=True),
        Field("filer", ("填报人",), "text", "填报人"),
        Field("phone", ("联系电话",), "text", "联系电话"),
        # Not printed on the paper form: the template adds them so that a file names itself.
        Field("year", ("预算年度",), "year", "预算年度"),
        Field("unit_id", ("单位编号",), "id", "单位编号"),
    ),
    funding="部门总体资金情况",
    sides=(("income", "收入构成", ("财政拨款", "其他资金")), ("expenditure", "支出构成", ("基本支出", "项目支出"))),
    total="合计",
    amount=("金额", "当年金额"),
    share=("占比",),
    history="近两年收支金额",
    lists=(("functions", "部门职能概述"), ("tasks", "年度工作任务")),
    projects="项目支出情况",
    project_columns=(
        Column("name", ("项目名称",), required=True),
        Column("type", ("项目类型",), required=True),
        Column("total_budget", ("项目总预算", "总预算"), "money"),
        Column("budget", ("项目本年度预算", "本年度预算"), "money"),
        Column("purpose", ("项目主要支出方向和用途", "主要支出方向和用途")),
    ),
    targets="整体绩效总目标",
    long_term=r"^长期目标\(截止(?P<year>.*)年\)$",
    annual="年度目标",
    long_block="长期目标绩效指标",
    annual_block="年度目标绩效指标",
    goal=r"^年度目标(?P<number>\d+):(?P<title>.*)$",
    indicator_columns=(
        Column("level1", ("一级指标",), required=True, group=True),
        Column("level2", ("二级指标",), required=True, group=True),
        Column("name", ("指标名称", "三级指标"), required=True),
        Column("value", ("指标值",)),
        Column("basis", ("绩效标准", "指标值确定依据", "指标值设定依据")),
    ),
    blank=r"^(?:\.{2,}|…+|\.\.\.)$",
    placeholder=r"^(?:目标\d+:?|\.{2,}|…+)$",
)

KINDS = (DEPT,)


def kind_named(name: str) -> FormKind | None:
    return next((k for k in KINDS if name in k.names), None)
