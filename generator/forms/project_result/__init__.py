"""The 项目支出绩效自评表: one per project, unit and year, at content/<year>/<unit_id>--<project_id>_result.yaml.

Ids are lowercase letters, digits and single hyphens, so `_result` cannot end a unit's (`<unit_id>`) or a project
target form's (`<unit_id>--<project_id>`) name, and the `--` keeps it apart from the unit's own result
(`<unit_id>_result`): no two kinds' files or pages can take one name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..base import FormKind, Section, sections
from ..results import pairing
from .downloads import DOWNLOADS, TABLES, csvs, sheets, workbook_title
from .editions import EDITIONS
from .model import ProjectResult
from .rules import RULES

TITLE = "项目支出绩效自评表"


def search_sections(decl: ProjectResult) -> Iterator[Section]:
    """The page (titled by the project's name), then every text cell by its section (not the personal fields)."""
    header = [t for t in (decl.project_code, decl.unit_name, decl.department) if t]
    yield "", str(decl.project_name), [f"{decl.year} 年度{TITLE}", *header]
    yield from sections([
        ("目标完成情况", [t for t in (decl.expected_goal, decl.achieved) if t]),
        ("绩效指标", [t for i in decl.indicators for t in (i.level1, i.level2, i.name, i.target, i.actual,
                                                              i.deviation) if t]),
        ("评价结论", [t for t in (decl.conclusion, decl.issues, decl.measures) if t]),
    ])


KIND = FormKind(
    name="project-result",
    title=TITLE,
    model=ProjectResult,
    rules=RULES,
    template="project_result.md.j2",
    templates=Path(__file__).parent / "templates",
    stem=lambda decl: f"{decl.unit_id}--{decl.project_id}_result",
    identity=("year", "unit_id", "project_id"),
    search_sections=search_sections,
    corpus_rules=(pairing("project-result"),),
    labelled_by="project_name",
    downloads=DOWNLOADS,
    sheets=sheets,
    workbook_title=workbook_title,
    csvs=csvs,
    tables=TABLES,
    filer_fields={"contact": "filer", "phone": "phone"},
    describes="每个项目每年一个自评文件 content/<年度>/<单位编号>--<项目编号>_result.yaml，form: project-result",
    editions=EDITIONS,
    evaluates="project",
)
