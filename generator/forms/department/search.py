"""What the search index holds of a 部门整体 form: every text cell, by the page section that shows it."""

from __future__ import annotations

from collections.abc import Iterator

from ..base import Section, indicator_cells, sections
from .model import Declaration


def search_sections(decl: Declaration) -> Iterator[Section]:
    """The page itself (its title is the unit's full name: it ranks that unit first), then each section."""
    yield "", str(decl.unit_name), [f"{decl.year} 年度部门整体支出绩效目标申报表"]
    funding = decl.funding
    yield from sections([
        ("部门总体资金情况", [r.name for r in (*funding.income, *funding.expenditure)] if funding else []),
        ("部门职能概述", list(decl.functions)),
        ("年度工作任务", list(decl.tasks)),
        ("项目支出情况", [t for p in decl.projects for t in (p.name, p.type, p.purpose) if t]),
        ("整体绩效总目标", [*decl.long_term.targets, *decl.annual.targets]),
        ("长期目标绩效指标", indicator_cells(decl.long_term.indicators)),
    ])
    yield from sections((f"年度目标 {n}：{goal.title}", indicator_cells(goal.indicators))
                        for n, goal in enumerate(decl.annual.goals, 1))
