"""`disclose template`: a workbook laid out like the printed form, blank or filled from a declaration.

Blank, it is what a clerk fills (merged label cells, "……" rows, lists for the closed vocabularies,
number formats); filled, it is how the tests build a print-layout workbook from a declaration to
import back. Labels come from importer_form, so the importer reads what this writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from .forms.department.model import PROJECT_TYPES, Declaration, FundingRow, FundingTotal, Project
from .importer_form import DEPT, FormKind
from .model import Indicator, Level, Money, Share

WIDTHS = (14, 12, 14, 26, 18, 14, 14)  # A–G
LAST = len(WIDTHS) - 1
_PLAIN_NUMBER = re.compile(r"^(0|[1-9]\d{0,14})(\.\d+)?$")
_DATE_FORMAT = 'yyyy"年"mm"月"dd"日"'


class _Writer:
    def __init__(self, path: Path, typed: bool):
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
        self.ws = self.book.add_worksheet("部门整体")
        self.typed = typed  # numbers as Excel numbers with a format, as a clerk's typing leaves them
        base = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": "宋体", "font_size": 10}
        self.fmt = {
            "label": self.book.add_format({**base, "bold": True, "align": "center"}),
            "text": self.book.add_format({**base, "num_format": "@"}),
            "title": self.book.add_format({"bold": True, "font_size": 16, "align": "center"}),
            "plain": self.book.add_format({"font_size": 10}),
            "date": self.book.add_format({**base, "num_format": _DATE_FORMAT}),
        }
        self.base = base
        self.row = 0
        for col, width in enumerate(WIDTHS):
            self.ws.set_column(col, col, width)

    def number_format(self, code: str) -> Any:
        key = f"n:{code}"
        if key not in self.fmt:
            self.fmt[key] = self.book.add_format({**self.base, "num_format": code})
        return self.fmt[key]

    def put(self, r: int, c: int, value: Any, fmt: Any, r2: int | None = None, c2: int | None = None) -> None:
        r2, c2 = r if r2 is None else r2, c if c2 is None else c2
        if (r2, c2) != (r, c):
            self.ws.merge_range(r, c, r2, c2, "", fmt)
        if isinstance(value, dt.date):
            self.ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt)
        elif isinstance(value, (int, float)):
            self.ws.write_number(r, c, value, fmt)
        elif value in (None, ""):
            self.ws.write_blank(r, c, None, fmt)
        else:
            self.ws.write_string(r, c, str(value), fmt)

    def label(self, r: int, c: int, text: str, r2: int | None = None, c2: int | None = None) -> None:
        self.put(r, c, text, self.fmt["label"], r2, c2)

    def text(self, r: int, c: int, value: str | None, r2: int | None = None, c2: int | None = None) -> None:
        self.put(r, c, value, self.fmt["text"], r2, c2)

    def amount(self, r: int, c: int, value: Money | None, c2: int | None = None) -> None:
        if value is None or not self.typed:
            self.put(r, c, None if value is None else value.text, self.number_format("0.00"), None, c2)
            return
        places = len(value.text.partition(".")[2])
        self.put(r, c, float(value.value), self.number_format("0." + "0" * places if places else "0"), None, c2)

    def share(self, r: int, c: int, value: Share | None) -> None:
        if value is None or not self.typed:
            self.put(r, c, None if value is None else value.text, self.number_format("0.00%"))
            return
        places = len(value.text[:-1].partition(".")[2])
        code = ("0." + "0" * places if places else "0") + "%"
        self.put(r, c, float(value.percent / 100), self.number_format(code))

    def indicator_value(self, r: int, c: int, text: str | None, c2: int | None = None) -> None:
        """A value as a clerk's Excel holds it: 50000 a number, 100% a percent, the rest text."""
        if self.typed and text and _PLAIN_NUMBER.match(text):
            self.put(r, c, float(Decimal(text)), self.number_format("0" if "." not in text else "General"), None, c2)
        elif self.typed and text and text.endswith("%") and _PLAIN_NUMBER.match(text[:-1]):
            places = len(text[:-1].partition(".")[2])
            code = ("0." + "0" * places if places else "0") + "%"
            self.put(r, c, float(Decimal(text[:-1]) / 100), self.number_format(code), None, c2)
        else:
            self.text(r, c, text, None, c2)


def _lines(items: Sequence[str]) -> str:
    return "\n".join(items)


def _header(w: _Writer, kind: FormKind, decl: Declaration | None) -> None:
    w.ws.write_string(0, 0, "附件 2：", w.fmt["plain"])
    w.label(0, 2, "预算年度")
    w.put(0, 3, decl.year if decl else None, w.number_format("0"))
    w.label(0, 4, "单位编号")
    w.text(0, 5, decl.unit_id if decl else None, None, LAST)
    w.ws.merge_range(1, 0, 1, LAST, kind.title, w.fmt["title"])
    w.ws.set_row(1, 30)
    w.label(2, 0, "填报日期")
    w.put(2, 1, decl.filing_date if decl else None, w.fmt["date"], None, 2)
    w.label(2, 3, "单位")
    w.text(2, 4, decl.money_unit if decl else kind.money_unit)
    w.label(2, 5, "单位领导审签")
    w.text(2, 6, decl.leader if decl else None)
    w.label(3, 0, "部门（单位）名称")
    w.text(3, 1, decl.unit_name if decl else None, None, LAST)
    w.label(4, 0, "填报人")
    w.text(4, 1, decl.filer if decl else None, None, 2)
    w.label(4, 3, "联系电话")
    w.text(4, 4, decl.phone if decl else None, None, LAST)
    w.row = 5


def _funding(w: _Writer, kind: FormKind, decl: Declaration | None) -> None:
    funding = decl.funding if decl else None
    year = decl.year if decl else None
    years = list(funding.history_years) if funding else ([year - 2, year - 1] if year else [None, None])
    top = w.row
    w.label(top, 1, "总体资金情况", top + 1, 2)
    w.label(top, 3, "当年", None, 4)
    w.label(top + 1, 3, kind.amount[0])
    w.label(top + 1, 4, kind.share[0])
    w.label(top, 5, kind.history, None, 4 + len(years))
    for i, y in enumerate(years):
        w.label(top + 1, 5 + i, f"{y}年" if y else "年")
    r = top + 2
    for key, label, names in kind.sides:
        rows: list[FundingRow | FundingTotal] = list(getattr(funding, key)) if funding else [
            FundingRow(name) for name in names]  # type: ignore[arg-type]
        rows.append((getattr(funding, f"{key}_total") if funding else None) or FundingTotal())
        w.label(r, 1, label, r + len(rows) - 1)
        for line in rows:
            w.text(r, 2, line.name if isinstance(line, FundingRow) else kind.total)
            w.amount(r, 3, line.amount)
            w.share(r, 4, line.share)
            for i in range(len(years)):
                w.amount(r, 5 + i, line.history[i] if i < len(line.history) else None)
            r += 1
    w.label(top, 0, kind.funding, r - 1)
    w.row = r


def _lists(w: _Writer, kind: FormKind, decl: Declaration | None) -> None:
    for key, label in kind.lists:
        items = getattr(decl, key) if decl else ()
        w.label(w.row, 0, label)
        w.text(w.row, 1, _lines(items), None, LAST)
        w.ws.set_row(w.row, max(30, 14 * len(items)))
        w.row += 1


def _project_type(project: Project) -> str:
    """The type cell as the form prints a multi-year project: 延续性项目（2020—2022 年）."""
    if project.from_year is None and project.to_year is None:
        return project.type
    return f"{project.type}（{project.from_year or ''}—{project.to_year or ''} 年）"


def _projects(w: _Writer, kind: FormKind, decl: Declaration | None) -> None:
    top = w.row
    cols = kind.project_columns
    for i, col in enumerate(cols):
        w.label(top, 1 + i, col.labels[0], None, LAST if i == len(cols) - 1 else None)
    projects = list(decl.projects) if decl else [None, None, None]
    r = top + 1
    for project in projects:
        w.text(r, 1, project.name if project else None)
        w.text(r, 2, _project_type(project) if project else None)
        w.amount(r, 3, project.total_budget if project else None)
        w.amount(r, 4, project.budget if project else None)
        w.text(r, 5, project.purpose if project else None, None, LAST)
        r += 1
    w.text(r, 1, "……")
    for c in range(2, LAST):
        w.text(r, c, None)
    w.text(r, LAST, None)
    w.ws.data_validation(top + 1, 2, r, 2, {"validate": "list", "source": list(PROJECT_TYPES)})
    w.label(top, 0, kind.projects, r)
    w.row = r + 1


def _targets(w: _Writer, kind: FormKind, decl: Declaration | None) -> None:
    r = w.row
    deadline = decl.long_term.deadline_year if decl else None
    w.label(r, 0, kind.targets, r + 1)
    w.label(r, 1, f"长期目标（截止 {deadline or ''} 年）".replace("  ", " "), None, 3)
    w.label(r, 4, kind.annual, None, LAST)
    long_targets = _lines(decl.long_term.targets) if decl else "目标 1：\n目标 2：\n目标 3：\n……"
    annual = _lines(decl.annual.targets) if decl else "目标 1：\n目标 2：\n目标 3：\n……"
    w.text(r + 1, 1, long_targets or "目标 1：\n目标 2：\n目标 3：\n……", None, 3)
    w.text(r + 1, 4, annual, None, LAST)
    w.ws.set_row(r + 1, 80)
    w.row = r + 2


def _print_order(indicators: Sequence[Indicator], levels: dict[str, Level]) -> list[tuple[str, str, list[Indicator]]]:
    """(一级, 二级, indicators) groups: every printed 二级 row, the indicators under theirs.

    Only when the indicators already follow the printed order; otherwise they stay in their own
    order (runs of the same 一级/二级 merged), so that the workbook reads back to the same list.
    """
    printed = [(l1, l2) for l1, level in levels.items() for l2 in level.form]
    rank = {pair: i for i, pair in enumerate(printed)}
    keys = [rank.get((i.level1, i.level2), -1) for i in indicators]
    if all(k >= 0 for k in keys) and keys == sorted(keys):
        return [(l1, l2, [i for i in indicators if (i.level1, i.level2) == (l1, l2)]) for l1, l2 in printed]
    groups: list[tuple[str, str, list[Indicator]]] = []
    for ind in indicators:
        if groups and groups[-1][:2] == (ind.level1, ind.level2):
            groups[-1][2].append(ind)
        else:
            groups.append((ind.level1, ind.level2, [ind]))
    return groups


def _matrix(w: _Writer, kind: FormKind, label: str, indicators: Sequence[Indicator] | None,
            levels: dict[str, Level]) -> None:
    top = w.row
    heads = kind.indicator_columns
    for i, col in enumerate(heads):
        w.label(top, 1 + i, col.labels[0], None, LAST if i == len(heads) - 1 else None)
    r = top + 1
    runs: list[tuple[str, list[tuple[str, list[Indicator]]]]] = []  # consecutive groups under one 一级
    for l1, l2, items in _print_order(indicators or (), levels):
        if runs and runs[-1][0] == l1:
            runs[-1][1].append((l2, items))
        else:
            runs.append((l1, [(l2, items)]))
    for l1, groups in runs:
        first = r
        for l2, items in groups:
            rows = max(1, len(items))
            w.text(r, 2, l2, r + rows - 1 if rows > 1 else None)
            for k in range(rows):
                item = items[k] if k < len(items) else None
                w.text(r + k, 3, item.name if item else None)
                w.indicator_value(r + k, 4, item.value if item else None)
                w.text(r + k, 5, item.basis if item else None, None, LAST)
            r += rows
        w.text(first, 1, l1, r - 1 if r - 1 > first else None)
        # 二级 lists depend on the 一级 cell (the merged area's anchor): the names defined in 词表.
        w.ws.data_validation(first, 2, r - 1, 2, {"validate": "list", "source": f"=INDIRECT($B${first + 1})",
                                                  "error_type": "warning"})
    w.text(r, 1, "……")
    for c in range(2, LAST + 1):
        w.text(r, c, None)
    w.ws.data_validation(top + 1, 1, r, 1, {"validate": "list", "source": list(levels), "error_type": "warning"})
    w.label(top, 0, label, r)
    w.row = r + 1


def _vocabulary(w: _Writer, levels: dict[str, Level]) -> None:
    """A hidden sheet with each 一级's 二级 list under a workbook name, for the dependent lists."""
    sheet = w.book.add_worksheet("词表")
    for c, (name, level) in enumerate(levels.items()):
        values = [*level.form, *level.variants]
        sheet.write_string(0, c, name)
        for r, value in enumerate(values, 1):
            sheet.write_string(r, c, value)
        col = xlsxwriter.utility.xl_col_to_name(c)
        w.book.define_name(name, f"=词表!${col}$2:${col}${len(values) + 1}")
    sheet.hide()


def write_template(path: Path, levels: dict[str, Level], decl: Declaration | None = None, *,
                   kind: FormKind = DEPT, typed: bool = True, goals: int = 2) -> None:
    """The form as a workbook: blank, or filled from decl (numbers typed as Excel numbers unless typed=False)."""
    w = _Writer(path, typed)
    _header(w, kind, decl)
    _funding(w, kind, decl)
    _lists(w, kind, decl)
    _projects(w, kind, decl)
    _targets(w, kind, decl)
    _matrix(w, kind, kind.long_block, decl.long_term.indicators if decl else None, levels)
    annual = list(decl.annual.goals) if decl else [None] * goals
    for n, goal in enumerate(annual, 1):
        w.label(w.row, 0, f"年度目标 {n}：")
        w.text(w.row, 1, goal.title if goal else None, None, LAST)
        w.row += 1
        _matrix(w, kind, kind.annual_block, goal.indicators if goal else None, levels)
    _vocabulary(w, levels)
    w.ws.activate()
    w.book.close()
