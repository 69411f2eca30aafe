"""The 部门整体支出绩效自评表: one per budget unit and year, at content/<year>/<unit_id>_result.yaml.

An id never holds `_`, so the name cannot be a unit's (`<unit_id>`), a project form's (`<unit_id>--<project_id>`)
or a project result's (`<unit_id>--<project_id>_result`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..base import FormKind, Section, sections
from ..results import pairing
from .downloads import DOWNLOADS, TABLES, csvs, sheets, workbook_title
from .model import UnitResult
from .rules import RULES

TITLE = "部门整体支出绩效自评表"


def search_sections(decl: UnitResult) -> Iterator[Section]:
    """The page (titled by the unit's name), then every text cell by its section (not the personal fields)."""
    yield "", str(decl.unit_name), [f"{decl.year} 年度{TITLE}", decl.department]
    yield from sections([
        ("绩效目标完成情况", [t for t in (decl.initial_goal, decl.adjusted_goal, decl.achieved) if t]),
        ("绩效指标", [t for i in decl.indicators for t in (i.name, i.initial, i.adjusted, i.actual) if t]),
    ])


KIND = FormKind(
    name="department-result",
    title=TITLE,
    model=UnitResult,
    rules=RULES,
    template="department_result.md.j2",
    templates=Path(__file__).parent / "templates",
    stem=lambda decl: f"{decl.unit_id}_result",
    search_sections=search_sections,
    corpus_rules=(pairing("department-result"),),
    downloads=DOWNLOADS,
    sheets=sheets,
    workbook_title=workbook_title,
    csvs=csvs,
    tables=TABLES,
    filer_fields={"contact": "filer", "phone": "phone"},
    describes="每个预算单位每年一个自评文件 content/<年度>/<单位编号>_result.yaml，form: department-result",
    evaluates="department",
)
