"""The 项目支出绩效目标申报表: one per key project of a unit and year, at content/<year>/<unit_id>--<project_id>.yaml.

The `--` cannot occur in a unit id, so a project's file and page never take a unit's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..base import FormKind, Section, indicator_cells, sections
from .downloads import DOWNLOADS, TABLES, csvs, sheets, workbook_title
from .model import ProjectForm
from .rules import RULES, in_unit_form


def search_sections(decl: ProjectForm) -> Iterator[Section]:
    """The page (titled by the project's name), then every text cell by its section (not the personal fields)."""
    header = [t for t in (decl.project_code, decl.unit_name, decl.department, decl.attribute, decl.period) if t]
    yield "", str(decl.project_name), [f"{decl.year} 年度项目支出绩效目标申报表", *header]
    yield from sections([
        ("绩效目标", [t for t in (decl.mid_term_goal, decl.annual_goal) if t]),
        ("中期绩效指标", indicator_cells(decl.mid_term_indicators)),
        ("年度绩效指标", indicator_cells(decl.annual_indicators)),
        ("项目概况", [t for t in (decl.overview, decl.basis, decl.schedule) if t]),
    ])
    # The parts only older templates have: a section where filed (an empty one would point at no heading).
    later = [("可行性", [decl.feasibility]), ("必要性", [decl.necessity]),
             ("成本构成", [t for c in decl.costs for t in (c.item, c.basis)])]
    yield from sections((heading, [t for t in texts if t]) for heading, texts in later if any(texts))


KIND = FormKind(
    name="project",
    title="项目支出绩效目标申报表",
    model=ProjectForm,
    rules=RULES,
    template="project.md.j2",
    templates=Path(__file__).parent / "templates",
    stem=lambda decl: f"{decl.unit_id}--{decl.project_id}",
    identity=("year", "unit_id", "project_id"),
    search_sections=search_sections,
    corpus_rules=(in_unit_form,),
    kept=("unit_id", "project_name", "annual_funds"),
    labelled_by="project_name",
    downloads=DOWNLOADS,
    sheets=sheets,
    workbook_title=workbook_title,
    csvs=csvs,
    tables=TABLES,
    filer_fields={"leader": "filer", "phone": "phone"},
    describes="每个重点项目每年一个文件 content/<年度>/<单位编号>--<项目编号>.yaml，form: project",
)
