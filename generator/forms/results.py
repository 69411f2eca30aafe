"""The 绩效自评表 kinds' shared kit: arithmetic within the filed precision, and a result against its target.

Both self-evaluation kinds (project_result/, department_result/) check the same sums: 执行率 = 全年执行数 ÷
全年预算数, budget 得分 = 分值 × 执行率 (capped at 分值), Σ 分值, 总分 = Σ 得分, each 得分 ≤ its 分值. A filed
value may differ from the exact result by half a unit of its own last filed decimal place, what rounding moves
(98.77% for 80.00/81.00 is 98.7654…%: legitimate; 98.76% and 98.70% are not; at exactly half a unit, 12% and
13% for 12.5%, either neighbour), never more: the forms round, they do not adjust (9.4 is never 10).

A result is paired with its target form by its kind's `evaluates` (the target kind's name and key): the project
result with the 项目 form of its year, unit and project_id; the unit result with the unit's 部门整体 form.
Indicators are matched by `match`: first the exact 一级/二级/三级 names, then the name alone where exactly one
unmatched target indicator bears it, both compared with every whitespace removed; nothing fuzzy.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from ..datapackage import Table, titled
from ..model import Document, Indicator, Money, ParsedValue, Path_, Share, Sign, Text
from ..problems import Problem
from ..rules import at
from .base import Block, Sheets
from .registry import KINDS, kind_of


def last_place(value: Money | Share) -> Decimal:
    """One unit of the value's last filed decimal place ("9.88" → 0.01, "10" → 1, "98.77%" → 0.01): what a
    filed figure may be off by (not model.unit_of, the unit of measure)."""
    number = value.percent if isinstance(value, Share) else value.value
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # (a filed number is finite: the loader refuses nan and inf)
    return Decimal(1).scaleb(exponent)


def off(filed: Money | Share, expected: Decimal) -> bool:
    """Whether a filed value is further from the exact one than rounding to its last filed place moves it (half
    a unit; one unit let 10 stand for 9.01, a ceiling no form rounds to)."""
    number = filed.percent if isinstance(filed, Share) else filed.value
    return abs(number - expected) > last_place(filed) / 2


def shown(value: Decimal) -> str:
    """An exact result for a message: at most four decimals, trailing zeros dropped (never a float)."""
    # Room for every integer digit: a tiny budget makes a rate of 27 digits, beyond the default context's 28
    # once four decimals are added (quantize would raise InvalidOperation).
    room = decimal.Context(prec=max(decimal.getcontext().prec, value.adjusted() + 6))
    text = format(value.quantize(Decimal("0.0001"), context=room), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class Execution(Protocol):
    """A budget-execution row (a 项目资金 row, or the unit's 预算执行情况): the fields the sums read."""

    @property
    def budget(self) -> Money | None: ...  # 全年（调整）预算数

    @property
    def spent(self) -> Money | None: ...  # 全年执行数

    @property
    def rate(self) -> Share | None: ...  # 执行率

    @property
    def points(self) -> Money | None: ...  # 分值 (or 权重)

    @property
    def score(self) -> Money | None: ...  # 得分


def execution_problems(doc: Document, row: Execution, place: Path_, label: str) -> Iterator[Problem]:
    """执行率 = 全年执行数 ÷ 全年预算数; 得分 = 分值 × 执行率 (from the amounts or the filed rate), ≤ 分值."""
    exact = row.spent.value / row.budget.value * 100 if row.spent and row.budget and row.budget.value else None
    if row.budget and not row.budget.value and ((row.spent and row.spent.value) or (row.rate and row.rate.percent)):
        # a zero divisor: no rate to hold the filed one (or the 执行数) to — said, never passed over
        yield at(doc, "RESULT_ZERO_BUDGET", *place, "budget", row=label, spent=row.spent or "未填",
                 rate=row.rate or "未填")
    if row.budget is None and (row.spent or row.rate):  # (a blank divisor: nothing holds the rate either)
        yield at(doc, "RESULT_NO_BUDGET", *place, "spent" if row.spent else "rate", row=label,
                 spent=row.spent or "未填", rate=row.rate or "未填")
    if row.rate and exact is not None and off(row.rate, exact):
        yield at(doc, "RESULT_RATE", *place, "rate", row=label, actual=row.rate.text, spent=row.spent,
                 budget=row.budget, expected=f"{shown(exact)}%")
    if row.score and row.points:
        if row.score.value > row.points.value:
            yield at(doc, "RESULT_SCORE_OVER", *place, "score", title=label, actual=row.score.text,
                     points=row.points.text)
            return
        candidates = [r for r in (exact, row.rate.percent if row.rate else None) if r is not None]
        expected = [row.points.value * min(r / 100, Decimal(1)) for r in candidates]
        if expected and all(off(row.score, e) for e in expected):
            yield at(doc, "RESULT_BUDGET_SCORE", *place, "score", row=label, actual=row.score.text,
                     points=row.points.text, expected=shown(expected[0]))


def score_over(doc: Document, items: Sequence[Any], place: Path_, points: str, label: Callable[[Any], str]
               ) -> Iterator[Problem]:
    """Each indicator's 得分 ≤ its 分值 (权重)."""
    for i, item in enumerate(items):
        cap: Money | None = getattr(item, points)
        if item.score and cap and item.score.value > cap.value:
            yield at(doc, "RESULT_SCORE_OVER", *place, i, "score", title=label(item), actual=item.score.text,
                     points=cap.text)


def points_sum(doc: Document, parts: Sequence[Money | None], expected: Decimal, part: str, *place: str | int
               ) -> Iterator[Problem]:
    """Σ 分值 = expected (the edition says which), over the filed ones; nothing said when none is filed."""
    filed = [p.value for p in parts if p is not None]
    if filed and sum(filed) != expected:
        yield at(doc, "RESULT_POINTS_SUM", *place, part=part, actual=shown(sum(filed, Decimal(0))),
                 expected=shown(expected))


def total_problems(doc: Document, total: Money | None, scores: Sequence[Money | None], *place: str | int
                   ) -> Iterator[Problem]:
    """总分 = Σ 得分, within rounding to the 总分's last filed place."""
    filed = [s.value for s in scores if s is not None]
    if total and filed and off(total, sum(filed, Decimal(0))):
        yield at(doc, "RESULT_TOTAL", *place, actual=total.text, expected=shown(sum(filed, Decimal(0))))


# -- a result against its target ----------------------------------------------------------------------------

MET, MISSED, NOT_COMPARABLE = "达成", "未达成", "无法比较"
_HOLDS = {"≥": lambda a, t: a >= t, ">": lambda a, t: a > t, "≤": lambda a, t: a <= t,
          "<": lambda a, t: a < t, "=": lambda a, t: a == t}


def quantity(text: str | None, sign: Sign | None = None) -> ParsedValue | None:
    """Comparator, number and unit of a filed value, read as an indicator's 指标值 is (None: qualitative): its
    comparator completed by a 计算符号 column, its unit in one spelling (百分比 and ％ are %)."""
    return Indicator(Text("-"), Text("-"), Text("-"), Text(text), sign=sign).measured if text else None


@dataclass(frozen=True)
class Verdict:
    text: str  # 达成 | 未达成 | 无法比较
    why: str = ""  # for 无法比较: why not


def attainment(target: str | None, actual: str | None, sign: Sign | None = None) -> Verdict:
    """Whether a 实际完成值 meets its target. Both must be quantities in the same unit; a bare target number is
    a level to reach (≥) unless the target's 计算符号 column (`sign`, 一体化 prints) says otherwise; an actual
    with a comparator (≥95%) is no exact figure. Anything else is not guessed."""
    if not target or not actual:
        return Verdict(NOT_COMPARABLE, "未填报")
    t, a = quantity(target, sign), quantity(actual)
    if t is None or a is None:
        return Verdict(NOT_COMPARABLE, "定性表述")
    if a.comparator not in (None, "="):
        return Verdict(NOT_COMPARABLE, "完成值不是确数")
    if t.unit != a.unit:
        return Verdict(NOT_COMPARABLE, "计量单位不同")
    return Verdict(MET if _HOLDS[t.comparator or "≥"](a.number, t.number) else MISSED)


def normal(text: str | None) -> str:
    """A name as matched: every whitespace (spaces, U+3000, line breaks) removed, nothing else changed."""
    return "".join((text or "").split())


def match(results: Sequence[tuple[str, str, str] | str], targets: Sequence[Indicator]) -> list[int | None]:
    """For each result indicator (its 一级/二级/三级 names, or its name alone), the index of its target
    indicator, or None. Exact levels and name first; then the name alone where exactly one target indicator
    still unmatched bears it. A target indicator is matched once at most."""
    out: list[int | None] = [None] * len(results)
    used: set[int] = set()
    full = [(normal(t.level1), normal(t.level2), normal(t.name)) for t in targets]
    for i, r in enumerate(results):
        if isinstance(r, tuple):
            key = tuple(normal(x) for x in r)
            j = next((j for j, f in enumerate(full) if f == key and j not in used), None)
            if j is not None:
                out[i] = j
                used.add(j)
    for i, r in enumerate(results):
        if out[i] is None:
            name = normal(r[2] if isinstance(r, tuple) else r)
            free = [j for j, f in enumerate(full) if f[2] == name and j not in used]
            if len(free) == 1:
                out[i] = free[0]
                used.add(free[0])
    return out


@dataclass(frozen=True)
class Comparison:
    """One row of the side-by-side view: the result's indicator, the declared target (if matched), the verdict."""

    result: Any
    target: Indicator | None
    verdict: Verdict


def compare(results: Sequence[Any], keys: Sequence[tuple[str, str, str] | str], targets: Sequence[Indicator]
            ) -> list[Comparison]:
    """Each result indicator beside its declared target and whether its 实际完成值 meets it."""
    pairs = match(keys, targets)
    rows = []
    for result, j in zip(results, pairs, strict=True):
        target = targets[j] if j is not None else None
        verdict = (attainment(target.value, result.own_actual, target.sign) if target
                   else Verdict(NOT_COMPARABLE, "申报表无对应指标"))
        rows.append(Comparison(result, target, verdict))
    return rows


# -- across forms: a result and its target -------------------------------------------------------------------


def pairing(result_kind: str) -> Callable[[Sequence[Document]], Iterator[Problem]]:
    """The corpus rule of a result kind: a result without its target form of that year (a note at its identity; an
    error once published, as a published result of a draft target: the data package's foreign key must hold),
    and a target form without its result once its year is closed (a note). Closed means earlier than the latest
    year with a result of this kind filed (the check does not read archive/; a year's self-evaluations arrive
    together the year after)."""

    def rule(docs: Sequence[Document]) -> Iterator[Problem]:
        kind = KINDS[result_kind]
        target_kind = KINDS[kind.evaluates]
        results = [d for d in docs if kind_of(d.decl) is kind]
        targets = {target_kind.key(d.decl): d for d in docs if kind_of(d.decl) is target_kind}
        for doc in results:
            target, published = targets.get(kind.target_key(doc.decl)), doc.decl.status == "published"
            if target is None:
                # published, its data package row's foreign key would point at nothing: the package would not hold
                yield at(doc, "RESULT_TARGET_MISSING" if published else "RESULT_NO_TARGET", kind.identity[-1],
                         year=doc.decl.year, kind=target_kind.title)
            elif published and target.decl.status != "published":
                # the public page could not show the targets, and the data package's key would point at nothing
                yield at(doc, "RESULT_TARGET_DRAFT", kind.identity[-1], kind=target_kind.title,
                         other=target.source.path)
        latest = max((d.decl.year for d in results), default=None)
        evaluated = {kind.target_key(d.decl) for d in results}
        for key, doc in targets.items():
            if latest is not None and doc.decl.year < latest and key not in evaluated:
                yield at(doc, "TARGET_NO_RESULT", target_kind.identity[-1], year=doc.decl.year, latest=latest,
                         kind=kind.title)

    return rule


# -- downloads ---------------------------------------------------------------------------------------------------


def workbook(header: Table, decl: Any, blocks: Sequence[tuple[str, Block]]) -> Sheets:
    """A result's workbook: its header table as one 项目 | 内容 sheet, then one sheet per block (the CSVs')."""
    head, rows = titled(header, decl, ())
    info = (["项目", "内容"], [[title, value] for title, value in zip(head, rows[0], strict=True)])
    return [("基本信息", [info]), *((title, [block]) for title, block in blocks)]
