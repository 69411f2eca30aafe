"""Check stage: the form's rules, each a small function yielding Problems; waivers applied last."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .config import Level
from .load import load
from .model import PROJECT_TYPES, Document, FundingRow, Indicator, Path_, Pos, column_cell, column_sum, total_value
from .privacy import personal_data
from .problems import CODES, Problem, Severity, code

# Half-width digits, single half-width spaces, hyphens, brackets, +: anything else (full-width digits, U+3000,
# NBSP, dots, dashes, zero-width characters, doubled spaces) is odd enough to ask the clerk about.
_PHONE = re.compile(r"^(?!.*  )[0-9 ()（）+-]{7,20}$")
PUBLICATION_DAYS = 20  # 预算法: disclose within 20 days of approval


@dataclass(frozen=True)
class Context:
    levels: dict[str, Level]


Rule = Callable[[Document, Context], Iterator[Problem]]


def _at(doc: Document, code_name: str, *path: str | int, **params: object) -> Problem:
    return code(code_name).at(doc.source.path, *doc.source.pos(*path), **params)


# -- header ------------------------------------------------------------------------------------


def publication_in_time(doc: Document, ctx: Context) -> Iterator[Problem]:
    approved, published = doc.decl.approval_date, doc.decl.publication_date
    if approved and published:
        days = (published - approved).days
        params = {"published": published, "approved": approved, "days": days}
        if days > PUBLICATION_DAYS:
            yield _at(doc, "LATE_PUBLICATION", "publication_date", **params)
        elif days < 0:
            yield _at(doc, "PUBLISHED_BEFORE_APPROVAL", "publication_date", **params)


def phone_format(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.decl.phone and not _PHONE.match(doc.decl.phone):
        yield _at(doc, "PHONE_FORMAT", "phone", actual=doc.decl.phone)


# -- funding -----------------------------------------------------------------------------------

def _columns(doc: Document) -> list[tuple[str, tuple[str | int, ...], int | None]]:
    """(label, path suffix, column index) for the current-year column (None) and each history column."""
    assert doc.decl.funding
    cols: list[tuple[str, tuple[str | int, ...], int | None]] = [("当年", ("amount",), None)]
    for i, year in enumerate(doc.decl.funding.history_years):
        cols.append((f"{year}年" if year else f"近两年第 {i + 1} 列", ("history", i), i))
    return cols


def history_shape(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    width = len(funding.history_years)
    for side in ("income", "expenditure", "income_total", "expenditure_total"):
        rows = getattr(funding, side)
        for i, row in enumerate(rows if isinstance(rows, tuple) else [rows] if rows else []):
            if len(row.history) != width:
                where = (side, i) if isinstance(rows, tuple) else (side,)
                yield _at(doc, "HISTORY_LENGTH", "funding", *where, "history",
                          expected=width, actual=len(row.history))
    expected = (doc.decl.year - 2, doc.decl.year - 1)
    filed = funding.history_years
    if width == 2 and None not in filed and tuple(filed) != expected:
        yield _at(doc, "HISTORY_YEARS", "funding", "history_years",
                  expected=f"{expected[0]}、{expected[1]}", actual="、".join(map(str, filed)))


def totals_add_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for side, total, name in (("income", funding.income_total, "INCOME_TOTAL"),
                              ("expenditure", funding.expenditure_total, "EXPENDITURE_TOTAL")):
        if total is None:
            continue
        for label, suffix, index in _columns(doc):
            expected, filed = column_sum(getattr(funding, side), index), column_cell(total, index)
            if expected is not None and filed is not None and filed.value != expected:
                yield _at(doc, name, "funding", f"{side}_total", *suffix,
                          column=label, expected=expected, actual=filed.text)


def budget_balances(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for label, suffix, index in _columns(doc):
        income = total_value(funding.income, funding.income_total, index)
        spending = total_value(funding.expenditure, funding.expenditure_total, index)
        if income is not None and spending is not None and income != spending:
            where = ("funding", "expenditure_total", *suffix) if funding.expenditure_total else ("funding",)
            yield _at(doc, "UNBALANCED", *where, income=income, expenditure=spending, column=label)


def shares_agree(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for side, label in (("income", "收入构成"), ("expenditure", "支出构成")):
        rows: tuple[FundingRow, ...] = getattr(funding, side)
        total = total_value(rows, getattr(funding, f"{side}_total"), None)
        if not total:
            continue
        for i, row in enumerate(rows):
            if row.share is None or row.amount is None:
                continue
            exact = row.amount.value * 100 / total
            if abs(row.share.percent - exact) > row.share.tolerance:
                yield _at(doc, "SHARE_MISMATCH", "funding", side, i, "share",
                          name=row.name, actual=row.share.text, expected=f"{exact:.4f}%")
        shares = [r.share for r in rows]
        if shares and all(shares):
            filed = sum((s.percent for s in shares if s), Decimal(0))
            if abs(filed - 100) > max(s.tolerance for s in shares if s):
                yield _at(doc, "SHARE_SUM", "funding", side, side=label, actual=f"{filed}%")


# -- projects ----------------------------------------------------------------------------------


def projects_sum(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    rows = [(i, r) for i, r in enumerate(funding.expenditure if funding else ()) if r.name == "项目支出"]
    if not rows or rows[0][1].amount is None:
        return
    i, row = rows[0]
    assert row.amount
    budgets = sum((p.budget.value for p in doc.decl.projects if p.budget), Decimal(0))
    if budgets != row.amount.value:
        yield _at(doc, "PROJECT_SUM", "funding", "expenditure", i, "amount",
                  expected=row.amount.text, actual=budgets)


def project_budgets(doc: Document, ctx: Context) -> Iterator[Problem]:
    for i, p in enumerate(doc.decl.projects):
        if p.budget and p.total_budget and p.budget.value > p.total_budget.value:
            yield _at(doc, "PROJECT_OVER_TOTAL", "projects", i, "budget",
                      budget=p.budget.text, total=p.total_budget.text)


def project_types(doc: Document, ctx: Context) -> Iterator[Problem]:
    year = doc.decl.year
    for i, p in enumerate(doc.decl.projects):
        if p.type not in PROJECT_TYPES:
            yield _at(doc, "PROJECT_TYPE", "projects", i, "type", actual=p.type)
        elif p.type == "延续性项目" and not (p.from_year and p.to_year and p.from_year <= year <= p.to_year):
            span = f"{p.from_year or '？'}–{p.to_year or '？'}"
            yield _at(doc, "PROJECT_YEARS", "projects", i, "type", year=year, actual=span)


# -- goals and indicators ----------------------------------------------------------------------


def _indicators(doc: Document) -> Iterator[tuple[tuple[str | int, ...], Indicator]]:
    """(path, indicator) for every indicator row, long-term and annual."""
    for i, ind in enumerate(doc.decl.long_term.indicators):
        yield ("long_term", "indicators", i), ind
    for g, goal in enumerate(doc.decl.annual.goals):
        for i, ind in enumerate(goal.indicators):
            yield ("annual", "goals", g, "indicators", i), ind


def indicator_levels(doc: Document, ctx: Context) -> Iterator[Problem]:
    for path, ind in _indicators(doc):
        level = ctx.levels.get(ind.level1)
        if level is None:
            yield _at(doc, "LEVEL1_UNKNOWN", *path, "level1", actual=ind.level1, allowed="、".join(ctx.levels))
        elif not level.admits(ind.level2):
            yield _at(doc, "LEVEL2_UNKNOWN", *path, "level2", actual=ind.level2, level1=ind.level1)


def indicator_values(doc: Document, ctx: Context) -> Iterator[Problem]:
    for path, ind in _indicators(doc):
        if not ind.value:
            continue
        parsed = ind.parsed
        if parsed is None:
            yield _at(doc, "VALUE_QUALITATIVE", *path, "value", name=ind.name, actual=ind.value)
        elif parsed.unit == "%" and parsed.number > 100:
            yield _at(doc, "RATE_OVER_100", *path, "value", name=ind.name, actual=ind.value)


def goals_have_indicators(doc: Document, ctx: Context) -> Iterator[Problem]:
    for g, goal in enumerate(doc.decl.annual.goals):
        if not goal.indicators:
            yield _at(doc, "GOAL_NO_INDICATORS", "annual", "goals", g, number=g + 1)


RULES: tuple[Rule, ...] = (
    publication_in_time,
    phone_format,
    personal_data,
    history_shape,
    totals_add_up,
    budget_balances,
    shares_agree,
    projects_sum,
    project_budgets,
    project_types,
    indicator_levels,
    indicator_values,
    goals_have_indicators,
)


# -- waivers and the corpus --------------------------------------------------------------------


def apply_waivers(doc: Document, problems: list[Problem]) -> list[Problem]:
    """Mark waived errors (never drop them); report waivers that name no error or are unused."""
    reasons = {str(w.code): str(w.reason) for w in doc.decl.waivers}
    out = [p.waive(reasons[p.code]) if p.code in reasons and p.severity is Severity.ERROR else p
           for p in problems]
    used = {p.code for p in out if p.waived}
    for i, w in enumerate(doc.decl.waivers):
        known = w.code in CODES and CODES[w.code].severity is Severity.ERROR
        if not known:
            out.append(_at(doc, "WAIVER_UNKNOWN", "waivers", i, "code", actual=w.code))
        elif w.code not in used:
            out.append(_at(doc, "WAIVER_UNUSED", "waivers", i, "code", actual=w.code))
    return out


def check_document(doc: Document, ctx: Context) -> list[Problem]:
    problems = [p for rule in RULES for p in rule(doc, ctx)]
    return apply_waivers(doc, problems)


def file_name(doc: Document) -> Iterator[Problem]:
    path, decl = doc.source.path, doc.decl
    if path.stem != decl.unit_id or path.parent.name != str(decl.year):
        actual = "/".join(path.parts[-2:])
        yield code("FILE_NAME").at(path, *doc.source.pos("unit_id"),
                                   year=decl.year, unit_id=decl.unit_id, actual=actual)


def duplicates(docs: Iterable[Document]) -> Iterator[Problem]:
    by_key: dict[tuple[int, str], list[Document]] = defaultdict(list)
    for doc in docs:
        by_key[(doc.decl.year, doc.decl.unit_id)].append(doc)
    for (year, unit_id), group in by_key.items():
        for doc in group[1:] if len(group) > 1 else []:
            yield _at(doc, "DUPLICATE_DECLARATION", "unit_id",
                      unit_id=unit_id, year=year, other=group[0].source.path)


@dataclass(frozen=True)
class Report:
    """Everything the check stage found: the documents that loaded and every problem."""

    files: list[Path]
    documents: list[Document]
    problems: list[Problem]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocks]

    def problems_of(self, path: Path) -> list[Problem]:
        return [p for p in self.problems if p.file == str(path)]


def declaration_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            files.append(path)
    return files


def check_file(path: Path, ctx: Context) -> tuple[Document | None, list[Problem]]:
    """Load and check one file on its own (the corpus-wide rules need all files: see check_files)."""
    doc, problems = load(path)
    if doc:
        problems += check_document(doc, ctx)
        problems += file_name(doc)
    return doc, problems


def assemble(files: Sequence[Path], results: Sequence[tuple[Document | None, list[Problem]]]) -> Report:
    """The report of a corpus from each file's own result, adding the corpus-wide rules."""
    docs = [doc for doc, _ in results if doc]
    problems = [p for _, found in results for p in found] + list(duplicates(docs))
    problems.sort(key=lambda p: (p.file, p.line, p.col, p.code))
    return Report(list(files), docs, problems)


def check_files(files: Sequence[Path], ctx: Context) -> Report:
    """Load and check every file, returning all problems at once (never stopping at the first)."""
    return assemble(files, [_lean(*check_file(path, ctx)) for path in files])


def _lean(doc: Document | None, problems: list[Problem]) -> tuple[Document | None, list[Problem]]:
    """Once a file is checked, only the unit id's position is still needed (for DUPLICATE_DECLARATION):
    keeping every value's position would hold about half of a big build's memory."""
    if doc is None:
        return None, problems
    kept: dict[Path_, Pos] = {key: pos for key, pos in doc.source.positions.items() if key == ("unit_id",)}
    return dataclasses.replace(doc, source=dataclasses.replace(doc.source, positions=kept)), problems
