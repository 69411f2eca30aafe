"""The 项目支出绩效目标申报表's rules: its funds, its period, its indicators, and its row in the unit's form."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...model import Document, Indicator, UnitId, Year
from ...privacy import personal_data
from ...problems import Problem, code
from ...rules import Context, Rule, at, column_problems, level_problems, phone_format, reads, value_problems
from ..department.model import Declaration
from .model import Funds, ProjectForm

PERIODS = (("mid_term_funds", "中期"), ("annual_funds", "年度"))


@reads("mid_term_funds", "annual_funds")
def funds_add_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    """资金总额 = 财政拨款 + 其他资金, in each period where all three are filed."""
    for name, label in PERIODS:
        funds: Funds = getattr(doc.decl, name)
        if funds.total and funds.fiscal and funds.other:
            parts = funds.fiscal.value + funds.other.value
            if parts != funds.total.value:
                yield at(doc, "FUND_TOTAL", name, "total", period=label, actual=funds.total.text,
                         fiscal=funds.fiscal.text, other=funds.other.text, expected=parts)


@reads("mid_term_funds", "annual_funds")
def annual_within_mid_term(doc: Document, ctx: Context) -> Iterator[Problem]:
    annual, mid = doc.decl.annual_funds.total, doc.decl.mid_term_funds.total
    if annual and mid and annual.value > mid.value:
        yield at(doc, "PROJECT_ANNUAL_OVER_MID", "annual_funds", "total", annual=annual.text, mid=mid.text)


@reads("year", "from_year", "to_year")
def period_holds_year(doc: Document, ctx: Context) -> Iterator[Problem]:
    decl: ProjectForm = doc.decl
    start, end = decl.from_year, decl.to_year
    if (start and start > decl.year) or (end and end < decl.year) or (start and end and start > end):
        where = "from_year" if start else "to_year"
        yield at(doc, "PROJECT_PERIOD", where, year=decl.year, actual=f"{start or '？'}–{end or '？'}")


@reads("costs", "annual_funds")
def costs_add_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Σ 成本构成 金额 = 年度资金总额, where both are filed (a warning: the breakdown is an estimate, published
    as filed); the finding stands at the breakdown and names the total's place."""
    decl: ProjectForm = doc.decl
    amounts = [c.amount.value for c in decl.costs if c.amount is not None]
    annual = decl.annual_funds.total
    if amounts and annual and sum(amounts) != annual.value:
        line, col = doc.source.pos("annual_funds", "total")
        yield at(doc, "COST_TOTAL", "costs", actual=sum(amounts), annual=annual.text, line=line, col=col)


def _indicators(decl: ProjectForm) -> Iterator[tuple[tuple[str | int, ...], Indicator]]:
    for side in ("mid_term_indicators", "annual_indicators"):
        for i, ind in enumerate(getattr(decl, side)):
            yield (side, i), ind


@reads("mid_term_indicators", "annual_indicators")
def indicator_levels(doc: Document, ctx: Context) -> Iterator[Problem]:
    return level_problems(doc, ctx, _indicators(doc.decl))


@reads("mid_term_indicators", "annual_indicators")
def indicator_values(doc: Document, ctx: Context) -> Iterator[Problem]:
    return value_problems(doc, _indicators(doc.decl))


@reads("mid_term_indicators", "annual_indicators")
def indicator_columns(doc: Document, ctx: Context) -> Iterator[Problem]:
    """计算符号, 计量单位, 指标值类型 against the 指标值, for rows that fill them (as the 部门整体 form checks)."""
    return column_problems(doc, _indicators(doc.decl))


RULES: tuple[Rule, ...] = (
    phone_format,
    personal_data,
    funds_add_up,
    annual_within_mid_term,
    period_holds_year,
    costs_add_up,
    indicator_levels,
    indicator_values,
    indicator_columns,
)


# -- across forms: the project and its row in the unit's 部门整体 form ---------------------------------------


def in_unit_form(docs: Sequence[Document]) -> Iterator[Problem]:
    """Each project form against its unit's form of the year: the form is there, lists the project, and the
    row's 项目本年度预算 is the project's 年度资金总额 (an error naming both files); and each row of a unit's
    项目支出情况 that no project form names (see rows_without_form)."""
    units = {(d.decl.year, d.decl.unit_id): d for d in docs if isinstance(d.decl, Declaration)}
    yield from rows_without_form(docs, units)
    for doc in docs:
        decl = doc.decl
        if not isinstance(decl, ProjectForm):
            continue
        unit = units.get((decl.year, decl.unit_id))
        if decl.status == "published" and (unit is None or unit.decl.status != "published"):
            # project_forms' foreign key to declarations would point at nothing: the published package would not hold
            yield at(doc, "PROJECT_UNIT_UNPUBLISHED", "unit_id", year=decl.year, unit_id=decl.unit_id,
                     state="不存在" if unit is None else f"（{unit.source.path}）是草稿")
        if unit is None:
            if decl.status != "published":
                yield at(doc, "PROJECT_NO_UNIT_FORM", "unit_id", year=decl.year, unit_id=decl.unit_id)
            continue
        rows = [(i, p) for i, p in enumerate(unit.decl.projects) if p.name == decl.project_name]
        if not rows:
            yield at(doc, "PROJECT_NOT_LISTED", "project_name", name=decl.project_name, other=unit.source.path)
            continue
        i, row = rows[0]
        annual = decl.annual_funds.total
        if annual and row.budget and annual.value != row.budget.value:
            line, col = unit.source.pos("projects", i, "budget")
            yield at(doc, "PROJECT_BUDGET_DIFFERS", "annual_funds", "total", actual=annual.text,
                     budget=row.budget.text, other=f"{unit.source.path}:{line}:{col}")


def rows_without_form(docs: Sequence[Document], units: dict[tuple[Year, UnitId], Document]) -> Iterator[Problem]:
    """A 项目支出情况 row of a unit's form with no project form of that unit and year: a note at the row's name.

    Only where the unit's year has at least one project form: then the bureau files that unit's project
    forms and a missing one is likely an omission worth a look. A unit with none at all is the ordinary
    case (years before project forms, units whose projects are not key ones): noting each of its rows
    would bury the notes that matter. A note, not a warning: only key projects need a form of their own.
    """
    named: dict[tuple[Year, UnitId], set[str]] = {}
    for doc in docs:
        if isinstance(doc.decl, ProjectForm):
            named.setdefault((doc.decl.year, doc.decl.unit_id), set()).add(str(doc.decl.project_name))
    for key, unit in units.items():
        if key not in named:
            continue
        for i, row in enumerate(unit.decl.projects):
            if row.name not in named[key]:
                line, col = unit.source.pos("projects", i, "name")
                yield code("PROJECT_FORM_MISSING").at(unit.source.path, line, col, name=row.name, year=key[0])
