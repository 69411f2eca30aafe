"""The 部门整体 form's editions: the prints of one form by province and year (FORMS.md §1).

A file names its print by `edition:`; a file without one is the seed's print (湖北 2021), so every file
written before editions existed checks and renders as it did. What the prints differ in is data here;
the rules (rules.py), the page (declaration.md.j2) and the downloads read it from the form's edition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..base import Edition

EditionName = Literal["湖北-2021", "湖北-2022", "湖南-整体"]
Columns = tuple[tuple[str, str], ...]  # (Indicator field, the print's label), in the print's order

SEED_COLUMNS: Columns = (("name", "指标名称"), ("value", "指标值"), ("basis", "绩效标准"))
# 一体化 (Hubei from 2022): the 中长期 tab lacks the 上年指标值 the 年度 tab has.
_YITIHUA_HEAD: Columns = (("name", "指标名称"), ("value_two_years_ago", "前年指标值"))
_YITIHUA_TAIL: Columns = (("sign", "计算符号"), ("value", "指标值"), ("unit", "计量单位"),
                          ("basis", "指标值确定依据"), ("remark", "备注"), ("content", "指标内容"),
                          ("scoring", "评(扣)分标准"))
# 项目支出情况's category: the seed's 项目类型, and 一体化's 支出项目类别 — the classes its expenditure rows
# total (人员类、运转类、特定目标类项目支出: 财政部 项目支出标准, the 一体化 项目库's 项目类别).
PROJECT_TYPES = ("常年性项目", "延续性项目", "一次性项目")
YITIHUA_PROJECT_TYPES = ("人员类项目", "运转类项目", "特定目标类项目")
HUNAN_COLUMNS: Columns = (("name", "三级指标"), ("value_type", "指标值类型"), ("value", "指标值"),
                          ("unit", "计量单位"), ("content", "指标解释"), ("scoring", "评(扣)分标准"),
                          ("remark", "备注"))


@dataclass(frozen=True)
class DepartmentEdition(Edition):
    """What one print of the 部门整体 form has: its funding table, columns, required cells, sections."""

    # 部门总体资金情况: printed at all; the row names it admits (() = any, unchecked); the history
    # columns as years before the budget year, in the print's order, and their heads (() = the years).
    funding: bool = True
    income_rows: tuple[str, ...] = ()
    expenditure_rows: tuple[str, ...] = ()
    history_offsets: tuple[int, ...] = (2, 1)
    history_labels: tuple[str, ...] = ()
    funding_heads: tuple[str, str] = ("总体资金情况", "项目")
    # The indicator tables' columns after 一级 and 二级 (long-term, annual) and the filed cells required.
    long_term_columns: Columns = SEED_COLUMNS
    annual_columns: Columns = SEED_COLUMNS
    required: tuple[str, ...] = ()
    blank_rows: bool = True  # every level-2 of site_config/indicators.yml printed, empty or not
    filing_date: bool = True  # printed in the header
    signed: bool = True  # the header prints 单位 (the money unit) and 单位领导审签
    # Sections (a path of fields) the print requires, and those it does not have (filed there, the page
    # would not show them).
    required_sections: tuple[tuple[str, ...], ...] = ()
    absent: tuple[tuple[str, ...], ...] = ()
    # The annual goal is the print's 年度总体绩效目标, its indicators the one table (湖南; declaration_hunan.md.j2).
    overall_goal: bool = False
    contents: str = "资金情况、职能、任务、项目与绩效指标"  # what the page's description says it holds
    # The print's own names of sections (a path of fields) where they differ from the model's titles.
    titles: tuple[tuple[tuple[str, ...], str], ...] = ()
    project_type_label: str = "项目类型"
    project_types: tuple[str, ...] = PROJECT_TYPES
    # The 支出构成 row the project rows' 本年度预算 add up to (PROJECT_SUM, the year page's 项目支出 column),
    # and the category of the projects that make it up ("" = every project row).
    project_row: str = "项目支出"
    project_class: str = ""

    @property
    def named(self) -> str:
        """How a message names the print: 湖北-2022（部门整体支出绩效目标申报表）."""
        return f"{self.name}（{self.title}）"

    @property
    def functions_label(self) -> str:
        return self.title_of(("functions",), "部门职能概述")

    def title_of(self, path: tuple[str, ...], default: str) -> str:
        return dict(self.titles).get(path, default)

    def counted(self, project_type: str) -> bool:
        """Whether a project row of this category counts towards `project_row`."""
        return not self.project_class or project_type == self.project_class

    def labels(self) -> dict[str, str]:
        """Every column's label in this print (for the messages)."""
        return dict(self.long_term_columns + self.annual_columns)


# The header fields every print but 湖南's has (the model leaves them optional for 湖南's sake).
_HEADER = ("filing_date", "money_unit")
HUBEI_2021 = DepartmentEdition("湖北-2021", "部门整体支出绩效目标申报表", needs=_HEADER)
HUBEI_2022 = DepartmentEdition(
    "湖北-2022", "部门整体支出绩效目标申报表", needs=_HEADER,
    income_rows=("财政拨款", "财政专户管理资金", "单位资金"),
    expenditure_rows=("人员类项目支出", "运转类项目支出", "特定目标类项目支出"),
    history_offsets=(1, 2), history_labels=("上年金额", "前年金额"), funding_heads=("资金分类", "资金性质"),
    long_term_columns=(*_YITIHUA_HEAD, *_YITIHUA_TAIL),
    annual_columns=(*_YITIHUA_HEAD, ("value_last_year", "上年指标值"), *_YITIHUA_TAIL),
    required=("content", "scoring"), required_sections=(("long_term", "deadline_year"),),
    project_type_label="支出项目类别", project_types=YITIHUA_PROJECT_TYPES,
    # 基本支出 became 人员类 and 运转类 projects; the seed's 项目支出 is the 特定目标类 (docs/editions.md).
    project_row="特定目标类项目支出", project_class="特定目标类项目",
)
HUNAN = DepartmentEdition(
    "湖南-整体", "部门整体绩效目标表", template="declaration_hunan.md.j2",
    withheld=("-funding.csv", "-projects.csv"),
    funding=False, history_offsets=(), long_term_columns=HUNAN_COLUMNS, annual_columns=HUNAN_COLUMNS,
    required=("value_type", "value"), blank_rows=False, filing_date=False, signed=False,
    required_sections=(("functions",), ("annual", "goals")),
    absent=(("leader",), ("funding",), ("tasks",), ("projects",), ("long_term",), ("annual", "targets")),
    titles=((("functions",), "部门(单位)职责"), (("annual", "goals"), "年度总体绩效目标")),
    overall_goal=True, contents="职责、年度总体绩效目标与绩效指标",
)
EDITIONS: tuple[DepartmentEdition, ...] = (HUBEI_2021, HUBEI_2022, HUNAN)
_BY_NAME = {e.name: e for e in EDITIONS}


def edition_of(decl: Any) -> DepartmentEdition:
    """The print a form names (the seed's when it names none); the kind's `edition()` says the same."""
    return _BY_NAME.get(decl.edition or "", EDITIONS[0])
