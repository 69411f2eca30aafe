"""Import stage, disclose's own XLSX download (export.py): one sheet per section, a table per block.

Its layout is not the printed form's but the data package's tables (datapackage.TABLES) with their
zh-CN column titles, so the columns are found by those titles: the same labels-not-addresses rule.
A published declaration's workbook imported back gives the declaration that was published.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .datapackage import Table
from .forms.department.tables import GOAL, SECTIONS, SIDES, TABLE
from .importer_book import Sheet, normal
from .importer_form import DEPT
from .importer_locate import Found, Locator

SHEETS = ("基本信息", "资金情况", "职能", "任务", "项目", "目标", "指标")
_HISTORY = "近两年收支金额"
_SECTION_KEYS = {title: key for key, title in SECTIONS.items()}
_SIDE_KEYS = {title: key for key, title in SIDES.items()}


def is_download(sheets: Sequence[Sheet]) -> bool:
    return set(SHEETS) <= {s.name for s in sheets}


def _blocks(sheet: Sheet) -> Iterator[tuple[dict[str, int], list[int]]]:
    """Each block of a sheet: its header (normal title → column) and its data rows (up to a blank row)."""
    rows = sorted({r for r, _ in sheet.cells})
    header: dict[str, int] | None = None
    data: list[int] = []
    previous = -2
    for r in rows:
        if r != previous + 1 and header is not None:
            yield header, data
            header, data = None, []
        if header is None:
            header = {normal(sheet.text(r, c)): c for c in range(sheet.width) if sheet.text(r, c)}
        else:
            data.append(r)
        previous = r
    if header is not None:
        yield header, data


class _Reader:
    def __init__(self, sheets: Sequence[Sheet]):
        self.sheets = {s.name: s for s in sheets}
        self.found = Found()

    def locator(self, name: str) -> Locator:
        sheet = self.sheets[name]
        locator = Locator(sheet, DEPT, 0, sheet.height)
        locator.out = self.found  # one declaration, its values from several sheets
        return locator

    def rows(self, name: str, table: Table, block: int = 0) -> Iterator[tuple[Locator, int, dict[str, int]]]:
        """(reader, row, column name → column) for each data row of a block, columns found by title."""
        loc = self.locator(name)
        blocks = list(_blocks(loc.sheet))
        if block >= len(blocks):
            loc.missing(table.columns[-1].title, name)
            return
        header, data = blocks[block]
        columns = {c.name: header[normal(c.title)] for c in table.columns if normal(c.title) in header}
        for title, col in header.items():
            columns.setdefault(title, col)  # 近两年收支金额（2019年）…: by their own titles
        for r in data:
            yield loc, r, columns

    def value(self, loc: Locator, r: int, c: int | None, kind: str, title: str, path: tuple[Any, ...]) -> Any:
        if c is None:
            return None
        text = loc.text(r, c)
        loc.note(path, r, c)
        if kind == "number":
            return loc.money(r, c, title)
        if kind == "share":
            return loc.share(r, c, title)
        if kind == "integer":
            return loc.year(text, r, c, title)
        if kind == "date":
            return loc.date(loc.sheet.cell(r, c), r, c, title) if text else None
        return text or None

    def basic(self) -> None:
        table = TABLE["declarations"]
        titles = {normal(c.title): c for c in table.columns}
        loc = self.locator("基本信息")
        for r in range(1, loc.sheet.height):
            column = titles.get(normal(loc.text(r, 0)))
            if column is None:
                continue
            if column.name == "history_years":
                years = loc.text(r, 1).split("、") if loc.text(r, 1) else []
                funding = self.found.data.setdefault("funding", {})
                funding["history_years"] = [loc.year(y, r, 1, column.title) for y in years]
                continue
            kind = {"integer": "integer", "date": "date"}.get(column.type, "text")
            self.found.data[column.name] = self.value(loc, r, 1, kind, column.title, (column.name,))

    def funding(self) -> None:
        funding = self.found.data.setdefault("funding", {})
        funding.setdefault("history_years", [])
        for key in SIDES:
            funding[key] = []
        for loc, r, cols in self.rows("资金情况", TABLE["funding"]):
            side = _SIDE_KEYS.get(loc.text(r, cols.get("side", 0)), "income")
            total = loc.text(r, cols.get("is_total", 0)) in ("是", "true", "TRUE")
            path: tuple[Any, ...] = ("funding", f"{side}_total") if total else ("funding", side, len(funding[side]))
            name = loc.text(r, cols["name"]) if "name" in cols else ""
            line: dict[str, Any] = {} if total else {"name": name}
            line["amount"] = self.value(loc, r, cols.get("amount"), "number", f"{name}当年金额", (*path, "amount"))
            line["share"] = self.value(loc, r, cols.get("share"), "share", f"{name}占比", (*path, "share"))
            history = [c for t, c in sorted(cols.items(), key=lambda kv: kv[1]) if t.startswith(_HISTORY)]
            line["history"] = [self.value(loc, r, c, "number", f"{name}近两年金额", (*path, "history", i))
                               for i, c in enumerate(history)]
            if total:
                funding[f"{side}_total"] = line
            else:
                funding[side].append(line)

    def items(self, sheet: str, key: str) -> None:
        texts: list[str | None] = []
        for loc, r, cols in self.rows(sheet, TABLE["items"]):
            texts.append(self.value(loc, r, cols.get("text"), "text", sheet, (key, len(texts))))
        self.found.data[key] = texts

    def projects(self) -> None:
        kinds = {"total_budget": "number", "budget": "number", "from_year": "integer", "to_year": "integer"}
        projects: list[dict[str, Any]] = []
        for loc, r, cols in self.rows("项目", TABLE["projects"]):
            path = ("projects", len(projects))
            names = ("name", "type", "total_budget", "budget", "purpose", "from_year", "to_year")
            projects.append({n: self.value(loc, r, cols.get(n), kinds.get(n, "text"), "项目", (*path, n))
                             for n in names})
        self.found.data["projects"] = projects

    def goals(self) -> None:
        long_term: dict[str, Any] = {"deadline_year": None, "targets": [], "indicators": []}
        annual: dict[str, Any] = {"targets": [], "goals": []}
        for loc, r, cols in self.rows("目标", TABLE["goals"]):
            number = loc.text(r, cols[GOAL.name]) if GOAL.name in cols else ""
            if number == "0":
                long_term["deadline_year"] = self.value(loc, r, cols.get("deadline_year"), "integer", "截止年度",
                                                        ("long_term", "deadline_year"))
            else:
                path = ("annual", "goals", len(annual["goals"]))
                title = self.value(loc, r, cols.get("title"), "text", "年度目标", (*path, "title"))
                annual["goals"].append({"title": title, "indicators": []})
        for loc, r, cols in self.rows("目标", TABLE["items"], block=1):
            key = _SECTION_KEYS.get(loc.text(r, cols.get("section", 0)))
            part = long_term if key == "long_term.targets" else annual
            path = ("long_term" if part is long_term else "annual", "targets", len(part["targets"]))
            part["targets"].append(self.value(loc, r, cols.get("text"), "text", "目标", path))
        self.found.data["long_term"], self.found.data["annual"] = long_term, annual
        self.indicators(long_term, annual)

    def indicators(self, long_term: dict[str, Any], annual: dict[str, Any]) -> None:
        for loc, r, cols in self.rows("指标", TABLE["indicators"]):
            text = loc.text(r, cols[GOAL.name]) if GOAL.name in cols else ""
            number = int(text) if text.isascii() and text.isdigit() else None
            goals = annual["goals"]
            path: tuple[str | int, ...]
            if number == 0:
                target, path = long_term["indicators"], ("long_term", "indicators")
            elif number is not None and 0 < number <= len(goals):
                target, path = goals[number - 1]["indicators"], ("annual", "goals", number - 1, "indicators")
            else:
                loc.report("IMPORT_NOT_NUMBER", r, cols.get(GOAL.name, 0), title=GOAL.title,
                           actual=loc.text(r, cols.get(GOAL.name, 0)))
                continue
            where = (*path, len(target))
            target.append({n: self.value(loc, r, cols.get(n), "text", "绩效指标", (*where, n))
                           for n in ("level1", "level2", "name", "value", "basis")})

    def waivers(self) -> None:
        if "豁免" not in self.sheets:
            return
        waivers: list[dict[str, Any]] = []
        for loc, r, cols in self.rows("豁免", TABLE["waivers"]):
            path = ("waivers", len(waivers))
            waivers.append({n: self.value(loc, r, cols.get(n), "text", "豁免", (*path, n)) for n in ("code", "reason")})
        self.found.data["waivers"] = waivers


def locate_download(sheets: Sequence[Sheet]) -> Found:
    """The declaration of a disclose XLSX download, every value with its cell."""
    reader = _Reader(sheets)
    reader.basic()
    reader.funding()
    reader.items("职能", "functions")
    reader.items("任务", "tasks")
    reader.projects()
    reader.goals()
    reader.waivers()
    return reader.found

