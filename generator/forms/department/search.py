"""What the search index holds of a 部门整体 form: its page and one entry per section."""

from __future__ import annotations

from collections.abc import Iterator

from ..base import Section, sections
from .model import Declaration


def search_sections(decl: Declaration) -> Iterator[Section]:
    """The page, then each section that readers search in: names, functions, tasks, projects, goals and
    indicator names. Amounts and indicator values are left out (numbers are found on the page itself),
    and nothing is indexed twice: the index is most of what a reader downloads before a first result."""
    yield "", f"{decl.unit_name}（{decl.year} 年度）", [f"{decl.year} 年度部门整体支出绩效目标申报表"]
    yield from sections([
        ("部门职能概述", list(decl.functions)),
        ("年度工作任务", list(decl.tasks)),
        ("项目支出情况", [f"{p.name} {p.purpose or ''}" for p in decl.projects]),
        ("整体绩效总目标", [*decl.long_term.targets, *decl.annual.targets]),
        ("长期目标绩效指标", [i.name for i in decl.long_term.indicators]),
    ])
    yield from sections((f"年度目标 {n}：{goal.title}", [i.name for i in goal.indicators])
                        for n, goal in enumerate(decl.annual.goals, 1))
