"""Model: the value types every form kind is made of (amounts, shares, texts, indicators), and the loaded
Document; each kind's own dataclasses live in generator/forms/<kind>/ (their field metadata also generates
the schema)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeAlias

Pos = tuple[int, int]  # (line, col), both 1-based
Path_ = tuple[str | int, ...]  # a value's place in the document, e.g. ("funding", "income", 0)


def f(title: str, description: str, default: Any = ..., **extra: Any) -> Any:
    """A model field with the zh-CN title and description the loader and the JSON Schema use."""
    meta = {"title": title, "description": description, **extra}
    if default is ...:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount exactly as filed: the text and its Decimal value, never a float."""

    text: str
    value: Decimal

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Share:
    """A share (占比) as filed, e.g. "97.27%": the text, the percent value and its precision."""

    text: str
    percent: Decimal

    @property
    def tolerance(self) -> Decimal:
        """One unit of the last filed decimal place: what rounding (and adjusting) may move."""
        exponent = self.percent.as_tuple().exponent
        assert isinstance(exponent, int)
        return Decimal(1).scaleb(exponent)

    def __str__(self) -> str:
        return self.text


class Year(int):
    """A four-digit budget year."""


class UnitId(str):
    """The unit's stable ASCII id, used in file names and URLs."""


class Text(str):
    """Free text as filed, kept verbatim."""


Status = Literal["draft", "published"]
Sign = Literal["≥", "≤", "=", "＞", "＜", ">", "<", "＝", ">=", "<=", "定性"]  # 计算符号 as the prints write it
ValueType = Literal["定量", "定性"]
_COMPARATORS = {"＝": "=", "＞": ">", "＜": "<", ">=": "≥", "<=": "≤"}
# 一体化 exports spell the percent sign out ("=100百分比"): one unit, two spellings.
_UNITS = {"百分比": "%", "％": "%"}


def comparator(sign: str | None) -> str | None:
    """A comparator in one spelling (full-width and two-character forms folded): ≥ ≤ = > <."""
    return _COMPARATORS.get(sign or "", sign) or None


def unit_of(unit: str | None) -> str | None:
    """A unit in one spelling (百分比 and ％ are %)."""
    return _UNITS.get(unit.strip(), unit.strip()) if unit and unit.strip() else None


_VALUE = re.compile(
    r"^\s*(?P<cmp>[≥≤=＝><＞＜]|>=|<=)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s，。；;,]{0,6})\s*$"
)


@dataclass(frozen=True, slots=True)
class Indicator:
    level1: Text = f("一级指标", "产出指标、效益指标或满意度指标（财政部规定，不得更改）")
    level2: Text = f("二级指标", "如 数量指标、质量指标、时效指标、成本指标、社会效益……")
    name: Text = f("指标名称", "由单位依二级指标内容确定的指标名称")
    value: Text | None = f("指标值", "计划实现的数值或程度，按原表填写，如 ≥95%、50000、按上级文件要求时限内", None)
    basis: Text | None = f("绩效标准", "指标值的来源或依据，如 年度计划、按文件要求", None)
    # The columns other prints of the family add (湖北 2022 一体化版, 湖南整体绩效目标表): each optional,
    # shown only where the form's edition prints it; a print without them leaves them out.
    sign: Sign | None = f("计算符号", "≥ ≤ = ＞ ＜ 或 定性，按原表填写", None)
    unit: Text | None = f("计量单位", "指标值的计量单位，如 %、万元、人次", None)
    value_type: ValueType | None = f("指标值类型", "定量或定性", None)
    content: Text | None = f("指标内容", "指标内容（湖南表为“指标解释”），按原表填写", None)
    scoring: Text | None = f("评(扣)分标准", "评(扣)分标准，按原表填写", None)
    remark: Text | None = f("备注", "备注，按原表填写", None)
    value_two_years_ago: Text | None = f("前年指标值", "前年的指标值，按原表填写", None)
    value_last_year: Text | None = f("上年指标值", "上年的指标值，按原表填写（一体化版仅年度目标有此列）", None)

    @property
    def parsed(self) -> ParsedValue | None:
        """Comparator, number and unit where the filed text is a quantity; None for qualitative text."""
        match = _VALUE.match(self.value or "")
        if not match:
            return None
        return ParsedValue(comparator(match["cmp"]), Decimal(match["num"]), match["unit"] or None)

    @property
    def measured(self) -> ParsedValue | None:
        """The value as parsed, completed by the 计算符号 and 计量单位 columns where the text leaves them out.

        For a row without those columns (every print before 一体化) this is `parsed`.
        """
        parsed = self.parsed
        if parsed is None:
            return None
        sign = comparator(self.sign) if self.sign != "定性" else None
        return ParsedValue(parsed.comparator or sign, parsed.number, unit_of(parsed.unit) or unit_of(self.unit))


@dataclass(frozen=True, slots=True)
class ParsedValue:
    comparator: str | None
    number: Decimal
    unit: str | None


@dataclass(frozen=True, slots=True)
class Waiver:
    code: Text = f("问题代码", "被豁免的错误代码，如 SHARE_MISMATCH")
    reason: Text = f("豁免理由", "为何按原表公开（原表如此填报等），会与问题一同公开显示")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a declaration came from: its file, hash and the position of every value."""

    path: Path
    sha256: str
    positions: dict[Path_, Pos]

    def pos(self, *path: str | int) -> Pos:
        """The position of a value, or of its nearest present ancestor."""
        key: Path_ = tuple(path)
        while key not in self.positions and key:
            key = key[:-1]
        return self.positions.get(key, (1, 1))


# The root dataclass of a document's form kind (forms.kind_of(decl) tells which): the stages handle it
# through its kind, so that they need not name any kind's type.
Form: TypeAlias = Any


@dataclass(frozen=True)
class Level:
    """A level-1 indicator and the level-2 categories it admits (site_config/indicators.yml)."""

    name: str
    form: tuple[str, ...]  # printed on every form, empty or not
    variants: tuple[str, ...]  # accepted local spellings, shown only where used

    def admits(self, level2: str) -> bool:
        return level2 in self.form or level2 in self.variants


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded form (of any kind) with its source."""

    decl: Form
    source: Source
    # Values that failed to load (each reported) and stand as None in decl: the rules that read
    # them are skipped, and such a document is never rendered or published (see load.load_partial).
    invalid: frozenset[Path_] = frozenset()

    @property
    def complete(self) -> bool:
        return not self.invalid
