"""Import stage: workbooks (.xlsx, .xls) laid out like the printed form → one YAML file per form.

importer_book reads a sheet as shown, importer_locate finds the fields by their labels, this module
names the file, writes the YAML exactly as `disclose check` reads it and keeps each value's workbook
cell in a side file (`<unit_id>.yaml.source.json`) so that later problems can name the cell.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .formats import Bad, parse_id
from .forms.department.model import Declaration
from .importer_book import BookError, Sheet, read_book
from .importer_download import is_download, locate_download
from .importer_edition import edition_problem
from .importer_form import KINDS, FormKind
from .importer_locate import Found, Money, is_form, locate
from .importer_source import SIDE_SUFFIX, cell_of, side_path
from .load import _Converter, compose
from .model import Path_
from .problems import Problem, Severity, code, visible

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_KEYS = ("year", "unit_id", "unit_name", "filing_date", "money_unit", "leader", "filer", "phone", "status",
         "approval_date", "publication_date", "funding", "functions", "tasks", "projects", "long_term", "annual",
         "waivers")


@dataclass
class Options:
    out: Path  # content/
    partial: bool = False
    status: str = "draft"
    unit_id: str | None = None  # --id: only for a single form
    year: int | None = None
    force: bool = False


@dataclass
class Result:
    """One form (or one unreadable workbook): what was written and every problem."""

    book: Path
    form: str
    problems: list[Problem] = field(default_factory=list)
    written: Path | None = None

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def outcome(self) -> str:
        if self.written is None:
            return "未写入"
        return "部分写入" if self.errors else "已写入"


def workbooks(paths: Iterable[Path]) -> list[Path]:
    """The workbooks named, folders searched; Excel's lock files (~$单位.xlsx) left out."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        found += [p for p in candidates if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith("~$")
                  and (p.is_file() or not path.is_dir())]
    return found


# -- YAML --------------------------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter where there is one: 10× faster than PyYAML's, the same text."""


def _money_scalar(dumper: yaml.SafeDumper, value: Money) -> yaml.ScalarNode:
    # Tagged as what the text resolves to (int or float: the loader took it for an amount), so that it
    # is written plain: 367.58, 10 — not '367.58', not !!float 10.
    tag = "tag:yaml.org,2002:" + ("float" if "." in value else "int")
    return dumper.represent_scalar(tag, str(value))


def _null_scalar(dumper: yaml.SafeDumper, value: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "~")


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Short rows of scalars on one line, as the hand-written files have them: history: [482.93, 422.26].
    flat = bool(value) and all(isinstance(v, Money) or v is None or type(v) is int for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(Money, _money_scalar)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(type(None), _null_scalar)


def yaml_text(data: dict[str, Any], problems: Sequence[Problem] = ()) -> str:
    """The declaration as YAML; problems (of a --partial import) as comments at the top."""
    head = "".join(f"# {format_problem(p)}\n" for p in problems)
    if problems:
        head = "# disclose import --partial：以下问题未解决，相应内容未导入：\n" + head
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return head + body


def format_problem(problem: Problem) -> str:
    """`单位.xlsx:部门整体!C7: 错误[IMPORT_NOT_NUMBER] …` — the workbook cell instead of line:col; a cell's
    invisible characters made visible as in Problem.format (a workbook can carry escape sequences too)."""
    return visible(f"{problem.file}: {problem.severity.zh}[{problem.code}] {problem.message}")


def _load_problems(text: str, target: Path, book: str, cells: dict[Path_, str],
                   known: Sequence[Problem]) -> list[Problem]:
    """What the loader says about the YAML written, each at its workbook cell (unless said there already)."""
    node, problems = compose(target, text)
    positions: dict[Path_, tuple[int, int]] = {}
    if node is not None:
        converter = _Converter(target)
        converter.convert(node, Declaration, (), "申报表")
        problems, positions = converter.problems, converter.positions
    said = {p.file for p in known}
    out = []
    for p in problems:
        where = cell_of(positions, cells, (p.line, p.col))
        file = f"{book}:{where}" if where else book
        if file not in said:
            out.append(Problem(file, p.line, p.col, p.severity, p.code, p.message))
    return out


# -- naming the file ---------------------------------------------------------------------------


def _resolve_id(found: Found, book: Path, sheet: Sheet, count: int, opts: Options) -> str | None:
    """The unit id: --id, else the form's 单位编号 cell, else the workbook's file name if it is an id.

    A cell beats the file name: a bureau's folder holds files named after the units in Chinese; the
    template prints the cell. --id is for the one workbook imported by hand.
    """
    candidate = opts.unit_id or found.data.get("unit_id") or (book.stem.lower() if count == 1 else None)
    if candidate and not isinstance(parse_id(candidate), Bad):
        return str(candidate)
    where = found.cells.get(("unit_id",), f"{sheet.name}!A1")
    found.problems.append(code("IMPORT_NO_ID").at(f"{book.name}:{where}", 1, 1, actual=candidate or book.stem))
    return None


def _resolve_year(found: Found, book: Path, sheet: Sheet, opts: Options) -> int | None:
    """The budget year: --year, else 预算年度, else the year after the last 近两年 column (2019, 2020 → 2021)."""
    if opts.year or found.data.get("year"):
        return int(opts.year or found.data["year"])
    history = (found.data.get("funding") or {}).get("history_years") or []
    if history and history[-1]:
        return int(history[-1]) + 1
    where = found.cells.get(("year",), f"{sheet.name}!A1")  # the 预算年度 cell, where the form has one
    found.problems.append(code("IMPORT_NO_YEAR").at(f"{book.name}:{where}", 1, 1))
    return None


def _declaration(found: Found, unit_id: str | None, year: int | None, status: str) -> dict[str, Any]:
    data = dict(found.data, unit_id=unit_id, year=year, status=status)
    return {key: data[key] for key in _KEYS if key in data}


# -- one workbook ------------------------------------------------------------------------------


def _forms(sheets: Sequence[Sheet], kinds: Sequence[FormKind]) -> list[tuple[Sheet, FormKind]]:
    return [(s, k) for s in sheets for k in kinds if is_form(s, k)]


def import_book(book: Path, opts: Options, taken: dict[Path, Path]) -> list[Result]:
    """Every form in one workbook; written only when it has no errors (or with --partial)."""
    try:
        sheets = read_book(book)
    except BookError as err:
        return [Result(book, "—", [code("IMPORT_UNREADABLE").at(book.name, 1, 1, detail=str(err))])]
    refused = {} if is_download(sheets) else {s.name: p for s in sheets if (p := edition_problem(s))}
    if is_download(sheets):  # disclose's own XLSX download: one declaration over several sheets
        forms = [(sheets[0], "disclose 下载", locate_download(sheets))]
    else:
        forms = [(s, f"{k.names[0]}（{s.name}）", locate(s, k)) for s, k in _forms(sheets, KINDS)
                 if s.name not in refused]
    if not forms and not refused:
        where = f"{book.name}:{sheets[0].name}!A1" if sheets else book.name
        return [Result(book, "—", [code("IMPORT_NO_FORM").at(where, 1, 1, title=KINDS[0].title)])]
    # Another print's form is refused whole, never mis-read as the seed's (importer_edition.py).
    return [Result(book, f"{KINDS[0].names[0]}（{name}）", [problem]) for name, problem in refused.items()] + (
        _import_forms(book, forms, opts, taken))


def _import_forms(book: Path, forms: Sequence[tuple[Sheet, str, Found]], opts: Options,
                  taken: dict[Path, Path]) -> list[Result]:
    results = []
    for sheet, form, found in forms:
        unit_id = _resolve_id(found, book, sheet, len(forms) if opts.unit_id is None else 1, opts)
        year = _resolve_year(found, book, sheet, opts)
        result = Result(book, form)
        results.append(result)
        errors = any(p.severity is Severity.ERROR for p in found.problems)
        data = _declaration(found, unit_id, year, "draft" if errors else opts.status)
        target = opts.out / str(year) / f"{unit_id}.yaml" if unit_id and year else None
        if target is not None:
            found.problems += _target_problems(target, book, sheet, taken, opts)
            text = yaml_text(data)
            found.problems += _load_problems(text, target, book.name, found.cells, found.problems)
        result.problems = found.problems
        if target is not None and (not result.errors or opts.partial):
            text = yaml_text(data, found.problems) if result.errors else text
            _write(target, text, book, sheet, found.cells)
            taken[target] = book
            result.written = target
    return results


def _target_problems(target: Path, book: Path, sheet: Sheet, taken: dict[Path, Path], opts: Options) -> list[Problem]:
    where = f"{book.name}:{sheet.name}!A1"
    if target in taken:
        return [code("IMPORT_DUPLICATE_TARGET").at(where, 1, 1, target=target, other=taken[target])]
    # The same workbook by name: a folder imported again from another working directory is still itself.
    if target.exists() and not opts.force and Path(_imported_from(target) or "").name != book.name:
        return [code("IMPORT_TARGET_EXISTS").at(where, 1, 1, target=target)]
    return []


def _imported_from(target: Path) -> str | None:
    try:
        record = json.loads(side_path(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(record.get("workbook")) if isinstance(record, dict) else None


def _write(target: Path, text: str, book: Path, sheet: Sheet, cells: dict[Path_, str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    record = {
        "workbook": str(book),
        "sheet": sheet.name,
        "imported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "yaml_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "cells": {"/".join(map(str, path)): where for path, where in cells.items()},
    }
    side_path(target).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def import_all(books: Sequence[Path], opts: Options,
               progress: Callable[[int, int, Path], None] | None = None) -> list[Result]:
    """Every workbook in turn (all problems of each, none stops the run)."""
    taken: dict[Path, Path] = {}
    results: list[Result] = []
    for i, book in enumerate(books, 1):
        if progress:
            progress(i, len(books), book)
        results += import_book(book, opts, taken)
    return results


def summary(results: Sequence[Result]) -> str:
    """The summary table: file, form, result, problems (counts), and a total line."""
    rows = [("文件", "表", "结果", "问题")]
    for r in results:
        errors = r.errors
        others = len(r.problems) - errors
        where = str(r.written) if r.written else ""
        rows.append((str(r.book), r.form, f"{r.outcome} {where}".strip(), f"错误 {errors}，其他 {others}"))
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    written = sum(1 for r in results if r.written)
    lines.append(f"共 {len(results)} 张表：写入 {written} 张，未写入 {len(results) - written} 张")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


__all__ = ["SIDE_SUFFIX", "Options", "Result", "format_problem", "import_all", "summary", "workbooks"]
