"""Check stage: the form's rules, each a small function yielding Problems; waivers applied last."""

from __future__ import annotations

import dataclasses
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .config import Level
from .load import load_partial
from .model import (
    PROJECT_TYPES,
    Document,
    FundingRow,
    FundingTotal,
    Indicator,
    Path_,
    Pos,
    Share,
    column_cell,
    column_sum,
    total_value,
)
from .privacy import personal_data
from .problems import CODES, Problem, Severity, code

# Half-width digits, single half-width spaces, hyphens, brackets, +: anything else (full-width digits, U+3000,
# NBSP, dots, dashes, zero-width characters, doubled spaces) is odd enough to ask the clerk about.
_PHONE = re.compile(r"^(?!.*  )[0-9 ()（）+-]{7,20}$")
PUBLICATION_DAYS = 20  # 预算法: disclose within 20 days of approval


@dataclass(frozen=True)
class Context:
    levels: dict[str, Level]
    content: Path | None = None  # the project's content/: files under it must sit at content/<year>/<file>


Rule = Callable[[Document, Context], Iterator[Problem]]
# The top-level fields each rule reads. A rule whose fields hold a value that failed to load is
# not run: its finding would rest on a None standing for that value (the load error says it all).
_READS: dict[Rule, tuple[str, ...]] = {}


def reads(*fields: str) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        _READS[rule] = fields
        return rule
    return register


def _can_run(doc: Document, fields: Iterable[str]) -> bool:
    """Whether every value under these top-level fields loaded."""
    wanted = set(fields)
    return not any(path[0] in wanted for path in doc.invalid)


def _at(doc: Document, code_name: str, *path: str | int, **params: object) -> Problem:
    return code(code_name).at(doc.source.path, *doc.source.pos(*path), **params)


# -- header ------------------------------------------------------------------------------------


@reads("approval_date", "publication_date")
def publication_in_time(doc: Document, ctx: Context) -> Iterator[Problem]:
    approved, published = doc.decl.approval_date, doc.decl.publication_date
    if approved and published:
        days = (published - approved).days
        params = {"published": published, "approved": approved, "days": days}
        if days > PUBLICATION_DAYS:
            yield _at(doc, "LATE_PUBLICATION", "publication_date", **params)
        elif days < 0:
            yield _at(doc, "PUBLISHED_BEFORE_APPROVAL", "publication_date", **params)


@reads("phone")
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


@reads("funding", "year")
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


@reads("funding")
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


def _totals(rows: Sequence[FundingRow], total: FundingTotal | None, index: int | None) -> set[Decimal]:
    """What a column's total may be: the filed 合计 cell and the sum of the rows.

    Where the two differ, one of them is wrong and INCOME_TOTAL / EXPENDITURE_TOTAL names it;
    a rule that leans on the total accepts either, so that one mistake is reported once.
    """
    return {v for v in (total_value(rows, total, index), column_sum(rows, index)) if v is not None}


@reads("funding")
def budget_balances(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for label, suffix, index in _columns(doc):
        income = _totals(funding.income, funding.income_total, index)
        spending = _totals(funding.expenditure, funding.expenditure_total, index)
        if income and spending and not income & spending:
            where = ("funding", "expenditure_total", *suffix) if funding.expenditure_total else ("funding",)
            yield _at(doc, "UNBALANCED", *where, column=label,
                      income=total_value(funding.income, funding.income_total, index),
                      expenditure=total_value(funding.expenditure, funding.expenditure_total, index))


def _at_precision(percent: Decimal, filed: Share) -> str:
    """A computed share written to the filed share's decimals (四舍五入), as the form would show it."""
    return f"{percent.quantize(filed.tolerance, rounding=ROUND_HALF_UP)}%"


@reads("funding")
def shares_agree(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for side, label in (("income", "收入构成"), ("expenditure", "支出构成")):
        rows: tuple[FundingRow, ...] = getattr(funding, side)
        totals = _totals(rows, getattr(funding, f"{side}_total"), None) - {Decimal(0)}
        if not totals:
            continue
        # The expected share is computed against the rows' sum: a wrong filed 合计 is its own error.
        base = column_sum(rows, None) or max(totals)
        for i, row in enumerate(rows):
            if row.share is None or row.amount is None:
                continue
            share, amount = row.share, row.amount.value
            if all(abs(share.percent - amount * 100 / total) > share.tolerance for total in totals):
                yield _at(doc, "SHARE_MISMATCH", "funding", side, i, "share",
                          name=row.name, actual=share.text, expected=_at_precision(amount * 100 / base, share))
        shares = [r.share for r in rows]
        if shares and all(shares):
            filed = sum((s.percent for s in shares if s), Decimal(0))
            if abs(filed - 100) > max(s.tolerance for s in shares if s):
                yield _at(doc, "SHARE_SUM", "funding", side, side=label, actual=f"{filed}%")


@reads("funding")
def total_shares(doc: Document, ctx: Context) -> Iterator[Problem]:
    """A 合计 row's 占比 is 100% (within its filed precision), whatever the rows say."""
    funding = doc.decl.funding
    for side, label in (("income", "收入构成"), ("expenditure", "支出构成")):
        total: FundingTotal | None = getattr(funding, f"{side}_total") if funding else None
        if total and total.share and abs(total.share.percent - 100) > total.share.tolerance:
            yield _at(doc, "TOTAL_SHARE", "funding", f"{side}_total", "share", side=label, actual=total.share.text)


# -- projects ----------------------------------------------------------------------------------


@reads("funding", "projects")
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


@reads("projects")
def project_budgets(doc: Document, ctx: Context) -> Iterator[Problem]:
    for i, p in enumerate(doc.decl.projects):
        if p.budget and p.total_budget and p.budget.value > p.total_budget.value:
            yield _at(doc, "PROJECT_OVER_TOTAL", "projects", i, "budget",
                      budget=p.budget.text, total=p.total_budget.text)


@reads("projects", "year")
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


@reads("long_term", "annual")
def indicator_levels(doc: Document, ctx: Context) -> Iterator[Problem]:
    for path, ind in _indicators(doc):
        level = ctx.levels.get(ind.level1)
        if level is None:
            yield _at(doc, "LEVEL1_UNKNOWN", *path, "level1", actual=ind.level1, allowed="、".join(ctx.levels))
        elif not level.admits(ind.level2):
            yield _at(doc, "LEVEL2_UNKNOWN", *path, "level2", actual=ind.level2, level1=ind.level1)


@reads("long_term", "annual")
def indicator_values(doc: Document, ctx: Context) -> Iterator[Problem]:
    for path, ind in _indicators(doc):
        if not ind.value:
            continue
        parsed = ind.parsed
        if parsed is None:
            yield _at(doc, "VALUE_QUALITATIVE", *path, "value", name=ind.name, actual=ind.value)
        elif parsed.unit == "%" and parsed.number > 100:
            yield _at(doc, "RATE_OVER_100", *path, "value", name=ind.name, actual=ind.value)


@reads("annual")
def goals_have_indicators(doc: Document, ctx: Context) -> Iterator[Problem]:
    for g, goal in enumerate(doc.decl.annual.goals):
        if not goal.indicators:
            yield _at(doc, "GOAL_NO_INDICATORS", "annual", "goals", g, number=g + 1)


reads()(personal_data)  # privacy.py's rule reads every text that loaded, whatever failed beside it

RULES: tuple[Rule, ...] = (
    publication_in_time,
    phone_format,
    personal_data,
    history_shape,
    totals_add_up,
    budget_balances,
    shares_agree,
    total_shares,
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
    if not _can_run(doc, ("waivers",)):
        return problems  # an unreadable waiver waives nothing; its load error blocks the document
    reasons = {str(w.code): str(w.reason) for w in doc.decl.waivers}
    out = [p.waive(reasons[p.code]) if p.code in reasons and p.severity is Severity.ERROR else p
           for p in problems]
    used = {p.code for p in out if p.waived}
    for i, w in enumerate(doc.decl.waivers):
        known = w.code in CODES and CODES[w.code].severity is Severity.ERROR
        if not known:
            out.append(_at(doc, "WAIVER_UNKNOWN", "waivers", i, "code", actual=w.code))
        elif w.code not in used and doc.complete:  # a skipped rule may be the one it waives
            out.append(_at(doc, "WAIVER_UNUSED", "waivers", i, "code", actual=w.code))
    return out


def check_document(doc: Document, ctx: Context) -> list[Problem]:
    """Every rule's problems, for the rules whose inputs loaded (all of them for a complete document)."""
    problems = [p for rule in RULES if _can_run(doc, _READS[rule]) for p in rule(doc, ctx)]
    return apply_waivers(doc, problems)


def file_name(doc: Document) -> Iterator[Problem]:
    if not _can_run(doc, ("year", "unit_id")):
        return
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


_SUFFIXES = (".yaml", ".yml")
_YEAR_FOLDER = re.compile(r"^\d{4}$")


def declaration_files(paths: Iterable[Path]) -> list[Path]:
    """The files a check reads: those named, and under each folder every YAML file (any case of the
    suffix) and every symbolic link, at any depth, so that check_file can refuse what does not belong
    there instead of skipping it silently. Linked folders inside are not walked into (a folder named
    here may itself be a link: content/ on another disk, say)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(_walk(path))
        else:
            files.append(path)
    return files


def _walk(folder: Path) -> Iterator[Path]:
    for top, dirs, names in os.walk(folder):  # os.walk does not follow linked folders
        for name in names + dirs:
            path = Path(top) / name
            if path.is_symlink() or (name in names and path.suffix.lower() in _SUFFIXES):
                yield path


def _layout(path: Path, ctx: Context) -> Problem | None:
    """Why a file is not read at all: a symbolic link (it could point anywhere: /etc/passwd would be
    quoted on the terminal and the preview), a suffix in capitals, or a place other than content/<year>/."""
    here, content = Path(os.path.abspath(path)), Path(os.path.abspath(ctx.content or "/"))  # links unresolved
    rel = here.relative_to(content) if ctx.content and here.is_relative_to(content) else None
    steps = [content.joinpath(*rel.parts[:i]) for i in range(1, len(rel.parts))] if rel else []
    if path.is_symlink() or any(step.is_symlink() for step in steps):  # the file, or a folder on its way
        return code("CONTENT_SYMLINK").at(path, 1, 1)
    if path.suffix.lower() in _SUFFIXES and path.suffix not in _SUFFIXES:
        return code("YAML_SUFFIX").at(path, 1, 1, actual=path.name, suggested=path.stem + path.suffix.lower())
    if rel and (len(rel.parts) != 2 or not _YEAR_FOLDER.match(rel.parts[0])):
        return code("CONTENT_DEPTH").at(path, 1, 1, actual=rel.as_posix())
    return None


def check_file(path: Path, ctx: Context) -> tuple[Document | None, list[Problem]]:
    """Load and check one file on its own (the corpus-wide rules need all files: see check_files).

    The rules run on whatever loaded, so that a file's problems are all reported at once; the
    document is returned only when it loaded completely (a partial one is never rendered).
    """
    refused = _layout(path, ctx)
    if refused:
        return None, [refused]
    doc, problems = load_partial(path)
    if doc:
        problems += check_document(doc, ctx)
        problems += file_name(doc)
    return (doc if doc and doc.complete else None), problems


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
