"""What the search index holds of a 部门整体 form: every text cell, by the page section that shows it."""

from __future__ import annotations

from collections.abc import Iterator

from ..base import Section, indicator_cells, sections
from .editions import DepartmentEdition, edition_of
from .model import Declaration

Texts = tuple[str, list[str]]  # (the section's heading on the page, its texts)


def search_sections(decl: Declaration) -> Iterator[Section]:
    """The page itself (its title is the unit's full name: it ranks that unit first), then each section its
    edition prints (a section the print lacks has no heading on the page to point at)."""
    printed = edition_of(decl)
    yield "", str(decl.unit_name), [f"{decl.year} 年度{printed.title}"]
    rows = (*decl.funding.income, *decl.funding.expenditure) if decl.funding else ()
    parts: list[tuple[tuple[str, ...], str, list[str]]] = [
        (("funding",), "部门总体资金情况", [r.name for r in rows]),
        (("functions",), printed.functions_label, list(decl.functions)),
        (("tasks",), "年度工作任务", list(decl.tasks)),
        (("projects",), "项目支出情况", [t for p in decl.projects for t in (p.name, p.type, p.purpose) if t]),
        (("long_term",), "整体绩效总目标", [*decl.long_term.targets, *decl.annual.targets]),
        (("long_term",), "长期目标绩效指标", indicator_cells(decl.long_term.indicators)),
    ]
    yield from sections((heading, texts) for path, heading, texts in parts if path not in printed.absent)
    yield from sections(_goals(decl, printed))


def _goals(decl: Declaration, printed: DepartmentEdition) -> Iterator[Texts]:
    goals = decl.annual.goals
    for n, goal in enumerate(goals, 1):
        if printed.overall_goal:  # 湖南: the goal's text and its table, numbered only when there are several
            suffix = f" {n}" if len(goals) > 1 else ""
            yield f"年度总体绩效目标{suffix}", [str(goal.title)]
            yield f"绩效指标{suffix}", indicator_cells(goal.indicators)
        else:
            yield f"年度目标 {n}：{goal.title}", indicator_cells(goal.indicators)
