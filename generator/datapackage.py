"""Publish stage, open data: the machinery of the data packages (columns from the model's fields, tables, CSV,
the descriptor); each form kind declares its own tables with it (generator/forms/<kind>/)."""

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

from .formats import FORMATS
from .model import Money, Share, Text, UnitId

Cell = str | int | bool | dt.date | Money | Share | list[Any] | None
Row = dict[str, Cell]

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


_TYPES: dict[Any, tuple[str, dict[str, Any]]] = {tp: fmt.field for tp, fmt in FORMATS.items()}


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


LINE = own("line", "行号", "该行在原表本部分中的次序，从 1 起", "integer", minimum=1)


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
        names = self.names
        columns = set(names)
        for row in self.rows(decl):
            if row.keys() != columns:
                raise ValueError(f"{self.name}: row keys {sorted(row)} != columns {names}")
            yield [row[name] for name in names]


def cells(record: Any, names: Iterable[str] | None = None) -> Row:
    """A record's values by field name, every field or the named ones: a row's cells (a form's key, its
    header fields, one of its table rows)."""
    wanted = [f.name for f in dataclasses.fields(record)] if names is None else names
    return {name: getattr(record, name) for name in wanted}


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
_FORMULA_FIRST = frozenset(_FORMULA_START)  # (each one character: a text's first one tells)
DEFUSED_NOTE = "以 = + - @ 或制表符开头的文字前加了单引号 '，以免电子表格软件当作公式执行"


def defuse(text: str) -> str:
    """A cell's text made inert for spreadsheets: what Excel or LibreOffice would run as a formula
    (= + - @, a tab or CR first) gets a leading ' (OWASP's CSV injection advice). Amounts never need it
    (the loader refuses negative ones); a "+86…" phone or a "-…" text gets it, as any text would."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(value: Cell) -> str:
    """defuse(cell_text(value)), a text's without the calls: most cells of a package are texts (issue 18: the
    data packages' rows are made for every form on every build)."""
    text = value if type(value) in _TEXTS else cell_text(value)
    assert isinstance(text, str)
    return "'" + text if text[:1] in _FORMULA_FIRST else text


_TEXTS = frozenset({str, Text, UnitId})  # cell_text gives their very characters (str(value))


def csv_bytes(header: Sequence[str] | None, rows: Iterable[Sequence[Cell]], *, for_excel: bool = False) -> bytes:
    """RFC 4180 CSV in UTF-8, formula-like text defused (whoever opens it, Excel may). For Excel: a BOM
    (else Excel reads GBK)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return (b"\xef\xbb\xbf" if for_excel else b"") + out.getvalue().encode("utf-8")


def table_rows(decls: Iterable[Any], tables: Sequence[Table]) -> dict[str, bytes]:
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
               homepage: str = "", tables: Sequence[Table] = ()) -> dict[str, Any]:
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
                  homepage: str = "", tables: Sequence[Table] = ()) -> dict[str, bytes]:
    """datapackage.json and one CSV per table (plain UTF-8, no BOM) made of these parts' rows, in order
    (a part may lack a table: a year without forms of its kind)."""
    files = {f"{t.name}.csv": csv_bytes(t.names, ()) + b"".join(part.get(t.name, b"") for part in parts)
             for t in tables}
    package = descriptor(name, title, description, files, homepage, tables)
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
