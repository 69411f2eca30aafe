"""The project form's indicator columns: the print's own (指标名称, 指标值, 绩效标准) and every further column of
`Indicator` a filed row fills (计算符号, 计量单位, 指标值类型 …, as 一体化 exports carry them): the page shows
what was filed rather than dropping it. One order for every table, 一体化's (editions.py of the 部门整体 form)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ...model import Indicator

Columns = tuple[tuple[str, str], ...]  # (Indicator field, the page's label)

PRINTED = ("name", "value", "basis")  # what the project print has: shown even where every row leaves it blank
ORDER = ("name", "value_two_years_ago", "value_last_year", "sign", "value_type", "value", "unit", "basis",
         "content", "scoring", "remark")
_TITLES = {f.name: f.metadata["title"] for f in dataclasses.fields(Indicator)}


def columns(indicators: Sequence[Indicator]) -> Columns:
    """The printed columns and those any of these rows fills, in ORDER, labelled by the model's titles."""
    filled = {name for ind in indicators for name in ORDER if getattr(ind, name)}
    return tuple((name, _TITLES[name]) for name in ORDER if name in PRINTED or name in filled)
