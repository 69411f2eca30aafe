"""Publish stage, open data: the tables of the data packages, their zh-CN schemas and their rows."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .forms.department.model import (
    Annual,
    AnnualGoal,
    Declaration,
    Funding,
    FundingRow,
    FundingTotal,
    LongTerm,
    Project,
)
from .model import Indicator, Money, Share, Text, UnitId, Waiver, Year

Cell = str | int | bool | dt.date | Money | Share | list[Any] | None
Row = dict[str, Cell]

AMOUNT_PATTERN = r"^(0|[1-9]\d*)(\.\d+)?$"
SHARE_PATTERN = r"^(0|[1-9]\d*)(\.\d+)?%$"


YES, NO = "是", "否"  # a boolean cell in every CSV and workbook


@dataclass(frozen=True)
class Column:
    """One field of a table: Table Schema type and constraints, zh-CN title and description."""

    name: str
    title: str
    description: str
    type: str  # Table Schema: string | integer | number | boolean | date | array
    constraints: dict[str, Any] = field(default_factory=dict)

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "title": self.title, "type": self.type,
                               "description": self.description}
        if self.type == "date":
            out["format"] = "default"  # ISO 8601, YYYY-MM-DD
        if self.type == "boolean":  # the CSVs say 是/否, as the XLSX and the pages do (cell_text)
            out["trueValues"], out["falseValues"] = [YES], [NO]
        if self.constraints:
            out["constraints"] = dict(self.constraints)
        return out


def _model_type(tp: Any) -> tuple[Any, bool]:
    """The model's scalar type of a field and whether it may be blank (None)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None)), True
    return tp, False


_TYPES: dict[Any, tuple[str, dict[str, Any]]] = {
    Money: ("number", {"minimum": 0}),  # the cell is the filed text; see README "数据下载"
    Share: ("string", {"pattern": SHARE_PATTERN}),
    Year: ("integer", {"minimum": 1900, "maximum": 2999}),
    dt.date: ("date", {}),
    UnitId: ("string", {"pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"}),
    Text: ("string", {}),
}


def of(cls: Any, attr: str, *, name: str = "", note: str = "", required: bool | None = None,
       item: bool = False) -> Column:
    """A column holding a model field (or, with item, one item of a list field): its title, description
    and type come from the model itself."""
    fld = {f.name: f for f in dataclasses.fields(cls)}[attr]
    tp, blank = _model_type(typing.get_type_hints(cls)[attr])
    if item:
        tp, blank = _model_type(typing.get_args(tp)[0])
    constraints: dict[str, Any]
    if typing.get_origin(tp) is tuple:
        kind, constraints = "array", {}
    elif typing.get_origin(tp) is typing.Literal:
        kind, constraints = "string", {"enum": list(typing.get_args(tp))}
    else:
        kind, constraints = _TYPES[tp][0], dict(_TYPES[tp][1])
    needed = not blank and fld.default is dataclasses.MISSING if required is None else required
    if needed:
        constraints = {"required": True, **constraints}
    description = fld.metadata["description"] + (f"。{note}" if note else "")
    return Column(name or attr, fld.metadata["title"], description, kind, constraints)


def own(name: str, title: str, description: str, kind: str, **constraints: Any) -> Column:
    """A column the form has no field for: a row's place, or which part of the form it is."""
    return Column(name, title, description, kind, {"required": True, **constraints})


YEAR = of(Declaration, "year")
UNIT = of(Declaration, "unit_id")
KEY = (YEAR, UNIT)
SIDES = {"income": "收入构成", "expenditure": "支出构成"}
SIDE = own("side", "收支", "该行属于“收入构成”还是“支出构成”", "string", enum=list(SIDES.values()))
LINE = own("line", "行号", "该行在原表本部分中的次序，从 1 起", "integer", minimum=1)
GOAL = own("goal", "目标序号", "0 为长期目标；1、2……为“年度目标 1”“年度目标 2”……", "integer", minimum=0)


def _section(cls: Any, attr: str) -> str:
    return str({f.name: f for f in dataclasses.fields(cls)}[attr].metadata["title"])


SECTIONS: dict[str, str] = {  # the filed lists of text, named by their titles on the form
    "functions": _section(Declaration, "functions"),
    "tasks": _section(Declaration, "tasks"),
    "long_term.targets": _section(LongTerm, "targets"),
    "annual.targets": _section(Annual, "targets"),
}
GOAL_KINDS = (_section(Declaration, "long_term"), "年度目标")


@dataclass(frozen=True)
class Table:
    """One table of the data package (and its CSV file)."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]
    rows: Callable[[Any], Iterable[Row]]  # a form's rows (of the kind the table belongs to)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [c.descriptor() for c in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
            "foreignKeys": [
                {"fields": list(mine), "reference": {"resource": resource, "fields": list(theirs)}}
                for mine, resource, theirs in self.foreign_keys
            ],
        }

    def cells(self, decl: Any) -> Iterator[list[Cell]]:
        """The declaration's rows in column order (a row must fill every column, no more)."""
        for row in self.rows(decl):
            if row.keys() != set(self.names):
                raise ValueError(f"{self.name}: row keys {sorted(row)} != columns {self.names}")
            yield [row[name] for name in self.names]


def _key(decl: Declaration) -> Row:
    return {"year": decl.year, "unit_id": decl.unit_id}


# -- rows -----------------------------------------------------------------------------------------


def declaration_rows(decl: Declaration) -> Iterator[Row]:
    yield {
        **_key(decl),
        **{name: getattr(decl, name) for name in (
            "unit_name", "filing_date", "money_unit", "leader", "filer", "phone", "status",
            "approval_date", "publication_date")},
        "history_years": list(decl.funding.history_years) if decl.funding else None,
    }


def funding_lines(decl: Declaration) -> Iterator[tuple[str, int, bool, FundingRow | FundingTotal]]:
    """(side, line, is_total, row) for every filed row of both sides, each side's total last."""
    if not decl.funding:
        return
    for side in SIDES:
        rows: tuple[FundingRow, ...] = getattr(decl.funding, side)
        for line, row in enumerate(rows, 1):
            yield SIDES[side], line, False, row
        total: FundingTotal | None = getattr(decl.funding, f"{side}_total")
        if total is not None:
            yield SIDES[side], len(rows) + 1, True, total


TOTAL_NAME = "合计"


def funding_rows(decl: Declaration) -> Iterator[Row]:
    for side, line, is_total, row in funding_lines(decl):
        name = TOTAL_NAME if isinstance(row, FundingTotal) else row.name
        yield {**_key(decl), "side": side, "line": line, "is_total": is_total, "name": name,
               "amount": row.amount, "share": row.share}


def history_rows(decl: Declaration) -> Iterator[Row]:
    years = decl.funding.history_years if decl.funding else ()
    for side, line, _, row in funding_lines(decl):
        for column, amount in enumerate(row.history, 1):
            year = years[column - 1] if column <= len(years) else None
            yield {**_key(decl), "side": side, "line": line, "column": column, "history_year": year,
                   "amount": amount}


def project_rows(decl: Declaration) -> Iterator[Row]:
    for line, p in enumerate(decl.projects, 1):
        yield {**_key(decl), "line": line, **{f.name: getattr(p, f.name) for f in dataclasses.fields(Project)}}


def item_rows(decl: Declaration) -> Iterator[Row]:
    lists = {"functions": decl.functions, "tasks": decl.tasks,
             "long_term.targets": decl.long_term.targets, "annual.targets": decl.annual.targets}
    for key, section in SECTIONS.items():
        for line, text in enumerate(lists[key], 1):
            yield {**_key(decl), "section": section, "line": line, "text": text}


def goal_rows(decl: Declaration) -> Iterator[Row]:
    yield {**_key(decl), "goal": 0, "kind": GOAL_KINDS[0], "title": None,
           "deadline_year": decl.long_term.deadline_year}
    for number, goal in enumerate(decl.annual.goals, 1):
        yield {**_key(decl), "goal": number, "kind": GOAL_KINDS[1], "title": goal.title, "deadline_year": None}


def goal_indicators(decl: Declaration) -> Iterator[tuple[int, tuple[Indicator, ...]]]:
    yield 0, decl.long_term.indicators
    for number, goal in enumerate(decl.annual.goals, 1):
        yield number, goal.indicators


def indicator_rows(decl: Declaration) -> Iterator[Row]:
    for number, indicators in goal_indicators(decl):
        for line, ind in enumerate(indicators, 1):
            yield {**_key(decl), "goal": number, "line": line,
                   **{f.name: getattr(ind, f.name) for f in dataclasses.fields(Indicator)}}


def waiver_rows(decl: Declaration) -> Iterator[Row]:
    for line, waiver in enumerate(decl.waivers, 1):
        yield {**_key(decl), "line": line, "code": waiver.code, "reason": waiver.reason}


# -- tables ---------------------------------------------------------------------------------------

_DECL = ((("year", "unit_id"), "declarations", ("year", "unit_id")),)
_FUNDING_KEY = ("year", "unit_id", "side", "line")

TABLES: tuple[Table, ...] = (
    Table(
        "declarations", "申报表", "每张公开的申报表一行，即表头信息（单位、日期、审签、填报人）",
        (*KEY, *(of(Declaration, n) for n in ("unit_name", "filing_date", "money_unit", "leader", "filer",
                                              "phone", "status", "approval_date", "publication_date")),
         of(Funding, "history_years", required=False, note="本表中为 JSON 数组")),
        ("year", "unit_id"), (), declaration_rows,
    ),
    Table(
        "funding", "部门总体资金情况", "收入构成、支出构成的各行及合计行（当年金额与占比），按原表填写；原表空白处为空",
        (*KEY, SIDE, LINE,
         own("is_total", "是否合计", f"{YES} 为该部分的合计行（排在最后），{NO} 为构成项", "boolean"),
         of(FundingRow, "name", note=f"合计行为“{TOTAL_NAME}”"),
         of(FundingRow, "amount"),
         of(FundingRow, "share")),
        _FUNDING_KEY, _DECL, funding_rows,
    ),
    Table(
        "funding_history", "近两年收支金额", "funding 各行的“近两年收支金额”，每个金额一行",
        (*KEY, SIDE, LINE,
         own("column", "列序号", "“近两年收支金额”中的第几列，从 1 起", "integer", minimum=1),
         Column("history_year", "年份", "该列的年份，即 declarations.history_years 的对应项", "integer",
                {"minimum": 1900, "maximum": 2999}),
         of(FundingRow, "history", name="amount", item=True, note="本表每行为其中一列")),
        (*_FUNDING_KEY, "column"), ((_FUNDING_KEY, "funding", _FUNDING_KEY),), history_rows,
    ),
    Table(
        "projects", "项目支出情况", "项目支出各行，按原表填写",
        (*KEY, LINE, *(of(Project, f.name) for f in dataclasses.fields(Project))),
        ("year", "unit_id", "line"), _DECL, project_rows,
    ),
    Table(
        "items", "文字条目", "部门职能概述、年度工作任务及整体绩效总目标（长期目标、年度目标）的各条，连同原表编号",
        (*KEY, own("section", "部分", "条目所属部分", "string", enum=list(SECTIONS.values())), LINE,
         own("text", "内容", "该条的文字，按原表填写（错别字照录）", "string")),
        ("year", "unit_id", "section", "line"), _DECL, item_rows,
    ),
    Table(
        "goals", "绩效目标", "每张表的长期目标（goal 为 0）和各“年度目标 N”（goal 为 N），绩效指标见 indicators",
        (*KEY, GOAL, own("kind", "类别", "长期目标或年度目标", "string", enum=list(GOAL_KINDS)),
         of(AnnualGoal, "title", required=False, note="长期目标行为空"),
         of(LongTerm, "deadline_year", note="仅长期目标行")),
        ("year", "unit_id", "goal"), _DECL, goal_rows,
    ),
    Table(
        "indicators", "绩效指标", "长期目标及各年度目标的绩效指标，每个指标一行，按原表填写",
        (*KEY, GOAL, LINE, *(of(Indicator, f.name) for f in dataclasses.fields(Indicator))),
        ("year", "unit_id", "goal", "line"), ((("year", "unit_id", "goal"), "goals", ("year", "unit_id", "goal")),),
        indicator_rows,
    ),
    Table(
        "waivers", "豁免", "按原表公开而豁免的检查问题及其理由",
        (*KEY, LINE, *(of(Waiver, f.name) for f in dataclasses.fields(Waiver))),
        ("year", "unit_id", "line"), _DECL, waiver_rows,
    ),
)
TABLE = {t.name: t for t in TABLES}


# -- CSV and the package descriptor ---------------------------------------------------------------


def cell_text(value: Cell) -> str:
    """A cell as CSV text: amounts and shares exactly as filed, dates ISO, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, (Money, Share)):
        return value.text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEFUSED_NOTE = "以 = + - @ 或制表符开头的文字前加了单引号 '，以免电子表格软件当作公式执行"


def defuse(text: str) -> str:
    """A cell's text made inert for spreadsheets: what Excel or LibreOffice would run as a formula
    (= + - @, a tab or CR first) gets a leading ' (OWASP's CSV injection advice). Amounts never need it
    (the loader refuses negative ones); a "+86…" phone or a "-…" text gets it, as any text would."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(header: Sequence[str] | None, rows: Iterable[Sequence[Cell]], *, for_excel: bool = False) -> bytes:
    """RFC 4180 CSV in UTF-8, formula-like text defused (whoever opens it, Excel may). For Excel: a BOM
    (else Excel reads GBK)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow([defuse(cell_text(v)) for v in row])
    return (b"\xef\xbb\xbf" if for_excel else b"") + out.getvalue().encode("utf-8")


def table_rows(decls: Iterable[Any], tables: Sequence[Table] = TABLES) -> dict[str, bytes]:
    """Each table's CSV rows (no header) for these forms (all of the kind whose tables these are): a part
    of a package's tables."""
    decls = list(decls)
    return {t.name: csv_bytes(None, (cells for decl in decls for cells in t.cells(decl))) for t in tables}


def titled(table: Table, decl: Any, drop: Sequence[str] = ("year", "unit_id")) -> tuple[list[str], list[list[Cell]]]:
    """A table's rows of one form, without the key columns, headed by the zh-CN titles (a download's block)."""
    keep = [i for i, c in enumerate(table.columns) if c.name not in drop]
    return ([table.columns[i].title for i in keep],
            [[cells[i] for i in keep] for cells in table.cells(decl)])


def descriptor(name: str, title: str, description: str, files: dict[str, bytes],
               homepage: str = "", tables: Sequence[Table] = TABLES) -> dict[str, Any]:
    """The datapackage.json of the tables in `files` (path → CSV bytes), with sizes and hashes."""
    resources = []
    for table in tables:
        data = files[f"{table.name}.csv"]
        resources.append({
            "name": table.name,
            "path": f"{table.name}.csv",
            "profile": "tabular-data-resource",
            "title": table.title,
            "description": table.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "schema": table.schema(),
        })
    package: dict[str, Any] = {"profile": "tabular-data-package", "name": name, "title": title,
                               "description": f"{description}{DEFUSED_NOTE}。"}
    if homepage:
        package["homepage"] = homepage
    return {**package, "resources": resources}


def package_files(name: str, title: str, description: str, parts: Sequence[dict[str, bytes]],
                  homepage: str = "", tables: Sequence[Table] = TABLES) -> dict[str, bytes]:
    """datapackage.json and one CSV per table (plain UTF-8, no BOM) made of these parts' rows, in order
    (a part may lack a table: a year without forms of its kind)."""
    files = {f"{t.name}.csv": csv_bytes(t.names, ()) + b"".join(part.get(t.name, b"") for part in parts)
             for t in tables}
    package = descriptor(name, title, description, files, homepage, tables)
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
