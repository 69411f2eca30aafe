"""Rules' shared kit: the context a rule reads, where a finding points, and the fields each rule reads.

It lies below the check stage, so that a form kind's rules (generator/forms/<kind>/) need not import
the stage that runs them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Document, Indicator, Level, Path_, comparator, unit_of
from .problems import Problem, code


@dataclass(frozen=True)
class Context:
    levels: dict[str, Level]
    content: Path | None = None  # the project's content/: files under it must sit at content/<year>/<file>


Rule = Callable[[Document, Context], Iterator[Problem]]
# The top-level fields each rule reads. A rule whose fields hold a value that failed to load is
# not run: its finding would rest on a None standing for that value (the load error says it all).
READS: dict[Rule, tuple[str, ...]] = {}


def reads(*fields: str) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        READS[rule] = fields
        return rule
    return register


def can_run(doc: Document, fields: Iterable[str]) -> bool:
    """Whether every value under these top-level fields loaded."""
    wanted = set(fields)
    return not any(path[0] in wanted for path in doc.invalid)


def at(doc: Document, code_name: str, *path: str | int, **params: object) -> Problem:
    """A problem at the place of a value of the document (or of its nearest present ancestor)."""
    return code(code_name).at(doc.source.path, *doc.source.pos(*path), **params)


# -- rules more than one kind has ---------------------------------------------------------------------

# Half-width digits, single half-width spaces, hyphens, brackets, +: anything else (full-width digits, U+3000,
# NBSP, dots, dashes, zero-width characters, doubled spaces) is odd enough to ask the clerk about.
_PHONE = re.compile(r"^(?!.*  )[0-9 ()（）+-]{7,20}$")


@reads("phone")
def phone_format(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.decl.phone and not _PHONE.match(doc.decl.phone):
        yield at(doc, "PHONE_FORMAT", "phone", actual=doc.decl.phone)


Placed = Iterable[tuple[Path_, Indicator]]  # (where in the document, indicator)


def level_problems(doc: Document, ctx: Context, indicators: Placed) -> Iterator[Problem]:
    """Each indicator's 一级 and 二级 against the vocabulary of site_config/indicators.yml."""
    for path, ind in indicators:
        level = ctx.levels.get(ind.level1)
        if level is None:
            yield at(doc, "LEVEL1_UNKNOWN", *path, "level1", actual=ind.level1, allowed="、".join(ctx.levels))
        elif not level.admits(ind.level2):
            yield at(doc, "LEVEL2_UNKNOWN", *path, "level2", actual=ind.level2, level1=ind.level1)


def value_problems(doc: Document, indicators: Placed) -> Iterator[Problem]:
    """Each 指标值: qualitative text (a note; for a row typed 定量, a warning), a rate over 100%."""
    for path, ind in indicators:
        if not ind.value:
            continue
        measured = ind.measured
        if measured is None:
            if ind.value_type == "定量":
                yield at(doc, "VALUE_NOT_NUMBER", *path, "value", name=ind.name, actual=ind.value)
            elif ind.value_type is None and ind.sign != "定性":  # a row typed 定性 says so itself
                yield at(doc, "VALUE_QUALITATIVE", *path, "value", name=ind.name, actual=ind.value)
        elif measured.unit == "%" and measured.number > 100:
            yield at(doc, "RATE_OVER_100", *path, "value", name=ind.name, actual=ind.value)


def column_problems(doc: Document, indicators: Placed) -> Iterator[Problem]:
    """What the 计算符号, 计量单位 and 指标值类型 columns say against the 指标值 (rows that have them)."""
    for path, ind in indicators:
        yield from _unit_problems(doc, path, ind)
        yield from _sign_problems(doc, path, ind)


def _unit_problems(doc: Document, path: Path_, ind: Indicator) -> Iterator[Problem]:
    unit, parsed = unit_of(ind.unit), ind.parsed
    glued = unit_of(parsed.unit) if parsed else None
    if ind.value_type == "定性" and (unit or glued):
        yield at(doc, "QUALITATIVE_UNIT", *path, "unit" if unit else "value", name=ind.name, unit=unit or glued)
    elif unit and glued and unit != glued:
        yield at(doc, "UNIT_MISMATCH", *path, "value", name=ind.name, actual=ind.value, unit=ind.unit)


def _sign_problems(doc: Document, path: Path_, ind: Indicator) -> Iterator[Problem]:
    if ind.sign and not _sign_agrees(ind):
        yield at(doc, "SIGN_MISMATCH", *path, "sign", name=ind.name, sign=ind.sign, value=ind.value or "",
                 value_type=ind.value_type or "未填")


def _sign_agrees(ind: Indicator) -> bool:
    """计算符号 against 指标值类型 and the comparator (if any) written in the value itself."""
    parsed = ind.parsed
    if ind.sign == "定性":
        return ind.value_type != "定量" and not (parsed and parsed.comparator)
    if ind.value_type == "定性" or (ind.value and parsed is None):
        return False  # a comparator before a qualitative text
    return not (parsed and parsed.comparator and parsed.comparator != comparator(ind.sign))


def required_problems(doc: Document, indicators: Placed, required: Iterable[str],
                      labels: dict[str, str], edition: str) -> Iterator[Problem]:
    """The columns an edition requires, empty in a filed row (an empty printed level-2 row is no row)."""
    for path, ind in indicators:
        for name in required:
            if not getattr(ind, name):
                yield at(doc, "COLUMN_REQUIRED", *path, name=ind.name, column=labels.get(name, name),
                         edition=edition)


def unprinted_problems(doc: Document, indicators: Placed, printed: Iterable[str],
                       labels: dict[str, str], edition: str) -> Iterator[Problem]:
    """Columns filed that the edition does not print: the page would not show them."""
    shown = set(printed)
    for path, ind in indicators:
        for name in _OPTIONAL_COLUMNS:
            if name not in shown and getattr(ind, name):
                yield at(doc, "NOT_IN_EDITION", *path, name, what=f"指标「{ind.name}」的{labels.get(name, name)}",
                         edition=edition)


# The columns a print may lack (一级, 二级 and 指标名称 are on every print).
_OPTIONAL_COLUMNS = tuple(f.name for f in dataclasses.fields(Indicator))[3:]
