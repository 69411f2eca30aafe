"""The 部门整体支出绩效目标申报表: one per budget unit and year, at content/<year>/<unit_id>.yaml."""

from __future__ import annotations

from ..base import FormKind
from .downloads import DOWNLOADS, csvs, sheets, workbook_title
from .editions import EDITIONS
from .model import Declaration
from .rules import RULES
from .search import search_sections
from .tables import TABLES

KIND = FormKind(
    name="department",
    title="部门整体支出绩效目标申报表",
    model=Declaration,
    rules=RULES,
    template="declaration.md.j2",
    stem=lambda decl: str(decl.unit_id),
    search_sections=search_sections,
    schema_file="declaration.schema.json",  # the name it was published under before there were kinds
    downloads=DOWNLOADS,
    sheets=sheets,
    workbook_title=workbook_title,
    csvs=csvs,
    tables=TABLES,
    filer_fields={"filer": "filer", "phone": "phone"},
    kept=("projects",),  # where each 项目支出情况 row stands: a project form names it when they disagree
    editions=EDITIONS,
    describes="每个预算单位每年一个文件 content/<年度>/<单位编号>.yaml",
)
