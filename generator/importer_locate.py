"""Import stage, label location: one form in one sheet → the declaration's plain data, each value's cell.

Every field is found by its printed label (see importer_form), never by a fixed address: the value
sits in the cell to the right of its label, or below a column header, or inline after "label：".
Problems name the workbook cell; nothing stops at the first one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .formats import Bad, parse_money, parse_share
from .importer_book import Cell, Region, Sheet, cell_ref, general, normal
from .importer_form import Column, Field, FormKind
from .model import Path_
from .problems import Problem, code

_DATE_TEXT = re.compile(r"^(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})\s*日?$")
_YEAR_TEXT = re.compile(r"^(\d{4})\s*年?$")


class Money(str):
    """An amount's filed text: written to YAML as a plain scalar (367.58, not '367.58')."""


@dataclass
class Found:
    """One form's plain data (declaration keys, filed texts), where each value came from, the problems."""

    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[Path_, str] = field(default_factory=dict)  # YAML path → "sheet!C7"
    problems: list[Problem] = field(default_factory=list)


def _compact(text: str) -> str:
    """NFKC without whitespace, colons kept: for matching "年度目标 1：title" and inline "label：value"."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _lines(text: str, placeholder: re.Pattern[str]) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip() and not placeholder.match(normal(line))]


class Locator:
    """Reads one form (rows top..bottom-1 of a sheet) by its labels."""

    def __init__(self, sheet: Sheet, kind: FormKind, top: int, bottom: int):
        self.sheet, self.kind, self.top, self.bottom = sheet, kind, top, bottom
        self.out = Found()
        self.blank = re.compile(kind.blank)
        self.placeholder = re.compile(kind.placeholder)
        self.regions = [(r, c) for r, c in sheet.anchors() if top <= r.row < bottom]
        self.by_label: dict[str, list[Region]] = {}
        for region, cell in self.regions:
            self.by_label.setdefault(normal(cell.text), []).append(region)

    # -- finding -------------------------------------------------------------------------------

    def find(self, *labels: str) -> list[Region]:
        return sorted(r for label in labels for r in self.by_label.get(normal(label), []))

    def first(self, *labels: str) -> Region | None:
        found = self.find(*labels)
        return found[0] if found else None

    def report(self, name: str, row: int, col: int, **params: object) -> None:
        problem = code(name).at(self.sheet.where(row, col), row + 1, col + 1, **params)
        if problem not in self.out.problems:  # a merged area is met once per cell it covers
            self.out.problems.append(problem)

    def missing(self, label: str, title: str) -> None:
        self.report("IMPORT_LABEL_MISSING", self.top, 0, label=label, title=title)

    def text(self, row: int, col: int) -> str:
        return self.sheet.text(row, col)

    def is_blank(self, text: str) -> bool:
        return not text or bool(self.blank.match(normal(text)))

    def note(self, path: Path_, row: int, col: int) -> None:
        region = self.sheet.region(row, col)
        self.out.cells[path] = f"{self.sheet.name}!{cell_ref(region.row, region.col)}"

    def section_starts(self) -> list[int]:
        """Rows where a section of the form begins: a table's rows end before the next one."""
        k = self.kind
        labels = [k.funding, k.projects, k.targets, k.long_block, k.annual_block, k.title,
                  *(label for _, label in k.lists), *k.indicator_columns[0].labels]
        rows = {r.row for r in self.find(*labels)}
        goal = re.compile(k.goal)
        rows |= {r.row for r, c in self.regions if goal.match(_compact(c.text))}
        rows |= {r.row for r, c in self.regions if re.match(k.long_term, normal(c.text))}
        return sorted(rows)

    def block_end(self, label: Region | None, header_row: int) -> int:
        """The last row of the table whose header is at header_row (beside label, when merged over it)."""
        if label and label.last_row > header_row:
            return label.last_row
        later = [r for r in self.section_starts() if r > header_row]
        return (later[0] if later else self.bottom) - 1

    # -- typed values --------------------------------------------------------------------------

    def money(self, row: int, col: int, title: str) -> Money | None:
        text = self.text(row, col)
        if self.is_blank(text):
            return None
        if isinstance(parse_money(text), Bad):
            self.report("IMPORT_NOT_NUMBER", row, col, title=title, actual=text)
            return None
        return Money(text)

    def share(self, row: int, col: int, title: str) -> str | None:
        cell = self.sheet.cell(row, col)
        if cell is None or self.is_blank(cell.text):
            return None
        text = cell.text
        if cell.guessed and cell.number is not None and not cell.percent:
            # .xls keeps no number format here: a share column's 0.9727 is shown by Excel as a percent.
            text = general(cell.number * 100) + "%"
            self.report("IMPORT_FORMAT_GUESSED", row, col, title=title, actual=cell.text, guess=text)
        if isinstance(parse_share(text), Bad):
            self.report("IMPORT_NOT_SHARE", row, col, title=title, actual=text)
            return None
        return text

    def date(self, cell: Cell | None, row: int, col: int, title: str) -> dt.date | None:
        if cell is None:
            return None
        if cell.date:
            return cell.date
        match = _DATE_TEXT.match(cell.text)
        try:
            if match:
                return dt.date(*map(int, match.groups()))
        except ValueError:
            pass  # 2021 年 02 月 30 日: reported below like any text that is not a date
        self.report("IMPORT_NOT_DATE", row, col, title=title, actual=cell.text)
        return None

    def year(self, text: str, row: int, col: int, title: str) -> int | None:
        if self.is_blank(text):
            return None
        match = _YEAR_TEXT.match(text.strip())
        if not match:
            self.report("IMPORT_NOT_NUMBER", row, col, title=title, actual=text)
            return None
        return int(match[1])

    # -- sections ------------------------------------------------------------------------------

    def header(self) -> None:
        """The header fields: "label" with its value in the next cell, or "label：value" in one cell."""
        fields = self.kind.header
        labels = sorted(((normal(lbl), i) for i, f in enumerate(fields) for lbl in f.labels),
                        key=lambda pair: -len(pair[0]))  # 单位领导审签 before 单位
        spaced = ["(" + "".join(re.escape(ch) + r"\s*" for ch in lbl) + ")" for lbl, _ in labels]
        label_re = re.compile("|".join(spaced) + r"|(\s*:\s*)")
        seen: set[str] = set()
        for region, cell in self.regions:
            for index, inline in _segments(unicodedata.normalize("NFKC", cell.text), label_re, labels):
                fld = fields[index]
                if fld.key not in seen:
                    seen.add(fld.key)
                    self.header_value(fld, region, inline)
        for fld in fields:
            if fld.required and fld.key not in seen:
                self.missing(fld.labels[0], fld.title)

    def header_value(self, fld: Field, label: Region, inline: str) -> None:
        if inline:
            row, col = label.row, label.col
            cell: Cell | None = Cell(inline)
        else:
            row, col = label.row, label.last_col + 1
            while col < self.sheet.width and self.sheet.cell(row, col) is None:
                col = self.sheet.region(row, col).last_col + 1  # a bureau's spacer column between label and value
            cell = self.sheet.cell(row, col)
            if cell is None or normal(cell.text) in {normal(lbl) for f in self.kind.header for lbl in f.labels}:
                cell, col = None, label.last_col + 1  # nothing, or the next label, follows: left blank
        self.note((fld.key,), row, col)
        if cell is None or self.is_blank(cell.text):
            if fld.required:
                self.report("IMPORT_VALUE_MISSING", row, col, title=fld.title)
            return
        if fld.kind == "date":
            self.out.data[fld.key] = self.date(cell, row, col, fld.title)
        elif fld.kind == "year":
            self.out.data[fld.key] = self.year(cell.text, row, col, fld.title)
        else:
            self.out.data[fld.key] = cell.text

    def funding(self) -> None:
        k = self.kind
        sides = [(key, self.first(label)) for key, label, _ in k.sides]
        if not any(region for _, region in sides):
            self.missing(k.sides[0][1], k.funding)
            return
        top = min(r.row for _, r in sides if r)
        amount = self._column_above(k.amount, top)
        share = self._column_above(k.share, top)
        history = self.first(k.history)
        years: list[tuple[int, int | None]] = []  # (col, year)
        if history:
            col = history.col
            while col <= history.last_col:
                head = self.sheet.region(history.last_row + 1, col)
                years.append((col, self.year(self.text(head.row, col).removesuffix("年") or "", head.row, col,
                                             "近两年年份")))
                col = head.last_col + 1
        funding: dict[str, Any] = {"history_years": [y for _, y in years]}
        for (key, label, _), (_, side) in zip(k.sides, sides, strict=True):
            if side is None:
                self.missing(label, k.funding)
                funding[key] = []
                continue
            rows, total = self._funding_rows(key, side, amount, share, [c for c, _ in years])
            funding[key] = rows
            funding[f"{key}_total"] = total
        self.out.data["funding"] = funding

    def _column_above(self, labels: tuple[str, ...], row: int) -> int | None:
        above = [r for r in self.find(*labels) if r.row < row]
        if not above:
            self.missing(labels[0], self.kind.funding)
            return None
        return max(above, key=lambda r: r.row).col

    def _funding_rows(self, key: str, side: Region, amount: int | None, share: int | None,
                      history: list[int]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        rows: list[dict[str, Any]] = []
        total: dict[str, Any] | None = None
        for r in range(side.row, side.last_row + 1):
            name = self.text(r, side.last_col + 1)
            if self.is_blank(name):
                continue
            is_total = normal(name) == normal(self.kind.total)
            path: Path_ = ("funding", f"{key}_total") if is_total else ("funding", key, len(rows))
            self.note(path, r, side.last_col + 1)
            line: dict[str, Any] = {} if is_total else {"name": name}
            if amount is not None:
                line["amount"] = self.money(r, amount, f"{name}当年金额")
                self.note((*path, "amount"), r, amount)
            if share is not None:
                line["share"] = self.share(r, share, f"{name}占比")
                self.note((*path, "share"), r, share)
            line["history"] = [self.money(r, c, f"{name}近两年金额") for c in history]
            for i, c in enumerate(history):
                self.note((*path, "history", i), r, c)
            columns = [c for c in [amount, share, *history] if c is not None]
            for c in columns:
                self.cut_check(r, c, side.row, side.last_row, [(c, c) for c in columns], name)
            if is_total:
                total = line
            else:
                rows.append(line)
        return rows, total

    def cut_check(self, row: int, col: int, first: int, last: int, spans: list[tuple[int, int]],
                  what: str) -> bool:
        """A merged area that reaches past its table's rows or across two columns cannot be read: say so."""
        region = self.sheet.region(row, col)
        crossed = [s for s in spans if s[0] <= region.last_col and region.col <= s[1]]
        if region.row < first or region.last_row > last or len(crossed) > 1:
            if row == max(region.row, first):  # once, at the first row of this table that it touches
                self.report("IMPORT_MERGE_CUT", region.row, region.col, range=region.ref, what=what)
            return False
        return True

    def lists(self) -> None:
        for key, label in self.kind.lists:
            region = self.first(label)
            if region is None:
                self.missing(label, label)
                continue
            items: list[str] = []
            done: set[Region] = set()
            for r in range(region.row, region.last_row + 1):
                value = self.sheet.region(r, region.last_col + 1)
                if value in done:
                    continue
                done.add(value)
                for line in _lines(self.text(value.row, value.col), self.placeholder):
                    self.note((key, len(items)), value.row, value.col)
                    items.append(line)
            self.out.data[key] = items

    def table(self, header_row: int, columns: tuple[Column, ...], end: int, what: str,
              path: Path_) -> Iterator[tuple[int, dict[str, Any]]]:
        """The rows of a table under header_row: each a mapping of the columns' keys to their cells' text."""
        heads: dict[str, Region] = {}
        for col in columns:
            hit = [r for r in self.find(*col.labels) if r.row <= header_row <= r.last_row]
            if hit:
                heads[col.key] = hit[0]
            elif col.required:
                self.report("IMPORT_LABEL_MISSING", header_row, 0, label=col.labels[0], title=what)
        if any(c.required and c.key not in heads for c in columns):
            return
        spans = [(h.col, h.last_col) for h in heads.values()]
        first = max(h.last_row for h in heads.values()) + 1
        count = 0
        for r in range(first, end + 1):
            texts = {key: self.text(r, h.col) for key, h in heads.items()}
            own = [texts[c.key] for c in columns if c.key in texts and not c.group]
            if all(self.is_blank(t) for t in own):
                continue
            readable = all([self.cut_check(r, h.col, first, end, spans, what) for h in heads.values()])
            row: dict[str, Any] = {}
            for col in columns:
                head = heads.get(col.key)
                if head is None:
                    row[col.key] = None
                    continue
                text = texts[col.key]
                self.note((*path, count, col.key), r, head.col)
                if self.is_blank(text):
                    row[col.key] = None
                    if col.required:
                        self.report("IMPORT_VALUE_MISSING", r, head.col, title=f"{what}的{col.labels[0]}")
                elif col.kind == "money":
                    row[col.key] = self.money(r, head.col, f"{what}的{col.labels[0]}")
                else:
                    row[col.key] = text
            if readable:
                self.note((*path, count), r, heads[columns[0].key].col)
                yield r, row
                count += 1

    def projects(self) -> None:
        k = self.kind
        section = self.first(k.projects)
        header = self.first(*k.project_columns[0].labels)
        if section is None or header is None:
            self.missing(k.project_columns[0].labels[0] if section else k.projects, k.projects)
            self.out.data["projects"] = []
            return
        end = self.block_end(section, header.row)
        rows = self.table(header.row, k.project_columns, end, "项目", ("projects",))
        self.out.data["projects"] = [self._project_years(row) for _, row in rows]

    def _project_years(self, row: dict[str, Any]) -> dict[str, Any]:
        """A 延续性项目's years out of its type cell, into from_year / to_year (the type text is the rest)."""
        match = re.match(self.kind.project_years, row.get("type") or "")
        if match:
            row.update(type=match["type"], from_year=int(match["start"]), to_year=int(match["end"]))
        return row

    def targets(self) -> None:
        k = self.kind
        long_re = re.compile(k.long_term)
        long = next((r for r, c in self.regions if long_re.match(normal(c.text))), None)
        annual = next((r for r in self.find(k.annual) if long is None or r.row == long.row), None)
        long_term: dict[str, Any] = {"deadline_year": None, "targets": [], "indicators": []}
        annual_part: dict[str, Any] = {"targets": [], "goals": []}
        if long is None:
            self.missing("长期目标（截止 年）", k.targets)
        else:
            match = long_re.match(normal(self.text(long.row, long.col)))
            assert match
            long_term["deadline_year"] = self.year(match["year"], long.row, long.col, "长期目标截止年度")
            long_term["targets"] = self._targets(long, ("long_term", "targets"))
        if annual is None:
            self.missing(k.annual, k.targets)
        else:
            annual_part["targets"] = self._targets(annual, ("annual", "targets"))
        self.out.data["long_term"] = long_term
        self.out.data["annual"] = annual_part

    def _targets(self, label: Region, path: Path_) -> list[str]:
        below = self.sheet.region(label.last_row + 1, label.col)
        items = _lines(self.text(below.row, below.col), self.placeholder)
        for i in range(len(items)):
            self.note((*path, i), below.row, below.col)
        return items

    def matrices(self) -> None:
        k = self.kind
        goal_re = re.compile(k.goal)
        goals = [(r, c) for r, c in self.regions if goal_re.match(_compact(c.text))]
        headers = self.find(*k.indicator_columns[0].labels)
        previous = self.top
        for header in headers:
            label = next((self.sheet.region(header.row, c) for c in range(header.col)
                          if self.text(header.row, c)), None)
            name = normal(self.text(label.row, label.col)) if label else ""
            end = self.block_end(label, header.row)
            if name == normal(k.long_block):
                path: Path_ = ("long_term", "indicators")
                self.out.data["long_term"]["indicators"] = self._indicators(header.row, end, path)
            elif name == normal(k.annual_block):
                mine = [g for g in goals if previous <= g[0].row < header.row]
                self._goal(mine[-1] if mine else None, header, end)
            else:
                self.report("IMPORT_LABEL_MISSING", header.row, 0, label=f"{k.long_block}或{k.annual_block}",
                            title="绩效指标表")
            previous = header.row + 1

    def _goal(self, goal: tuple[Region, Cell] | None, header: Region, end: int) -> None:
        goals = self.out.data["annual"]["goals"]
        path: Path_ = ("annual", "goals", len(goals))
        indicators = self._indicators(header.row, end, (*path, "indicators"))
        if goal is None:
            self.report("IMPORT_LABEL_MISSING", header.row, 0, label="年度目标 N：", title="年度目标")
            return
        region, cell = goal
        parts = re.split(r"[:：]", cell.text, maxsplit=1)
        inline = parts[1].strip() if len(parts) > 1 else ""
        row, col = (region.row, region.col) if inline else (region.row, region.last_col + 1)
        title = inline or self.text(row, col) or None
        if title is None and not indicators:
            return  # the template's spare 年度目标 table, left blank: not a goal
        self.note((*path, "title"), row, col)
        if title is None:
            self.report("IMPORT_VALUE_MISSING", row, col, title="年度目标")
        goals.append({"title": title, "indicators": indicators})

    def _indicators(self, header_row: int, end: int, path: Path_) -> list[dict[str, Any]]:
        return [row for _, row in self.table(header_row, self.kind.indicator_columns, end, "绩效指标", path)]


def _segments(text: str, label_re: re.Pattern[str], labels: list[tuple[str, int]]) -> list[tuple[int, str]]:
    """(field index, inline value) of each "label" or "label：value" a cell begins with, in order.

    A cell may hold several (填报日期：2021 年 01 月 28 日 单位：万元 单位领导审签：熊斌); one that merely
    begins like a label ("单位名称XYZ", no colon) holds none.
    """
    hits = [(m, labels[m.lastindex - 1][1] if m.lastindex and m.lastindex <= len(labels) else -1)
            for m in label_re.finditer(text)]
    if not hits or hits[0][1] < 0 or hits[0][0].start() != 0:
        return []
    marks = [(m, i) for n, (m, i) in enumerate(hits)
             if i >= 0 and (n == 0 or (n + 1 < len(hits) and hits[n + 1][1] < 0 and hits[n + 1][0].start() == m.end()))]
    out = []
    for n, (m, index) in enumerate(marks):
        stop = marks[n + 1][0].start() if n + 1 < len(marks) else len(text)
        inline = re.sub(r"^\s*:", "", text[m.end():stop]).strip()
        if n == 0 and inline and not re.match(r"\s*:", text[m.end():]):
            return []
        out.append((index, inline))
    return out


def second_forms(sheet: Sheet, kind: FormKind) -> list[Region]:
    """Where each form in the sheet begins: its title, or its unit-name label where no title is printed."""
    titles = [r for r, c in sheet.anchors() if normal(c.text).startswith(normal(kind.title))]
    if titles:
        return titles
    names = {normal(label) for label in kind.header[3].labels}
    return [r for r, c in sheet.anchors() if normal(c.text) in names]


def is_form(sheet: Sheet, kind: FormKind) -> bool:
    texts = {normal(c.text) for _, c in sheet.anchors()}
    return any(t.startswith(normal(kind.title)) for t in texts) or (
        bool(texts & {normal(lbl) for lbl in kind.header[3].labels}) and normal(kind.indicator_columns[0].labels[0])
        in texts)


def locate(sheet: Sheet, kind: FormKind) -> Found:
    """The first form in the sheet, every value with its cell; a second form in the sheet is a problem."""
    starts = second_forms(sheet, kind)
    top = 0
    bottom = starts[1].row if len(starts) > 1 else sheet.height
    locator = Locator(sheet, kind, top, bottom)
    for extra in starts[1:]:
        locator.report("IMPORT_SECOND_FORM", extra.row, extra.col, first=sheet.where(starts[0].row, starts[0].col))
    locator.header()
    locator.funding()
    locator.lists()
    locator.projects()
    locator.targets()
    locator.matrices()
    return locator.out
