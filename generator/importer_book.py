"""Import stage, workbook reading: a sheet as shown on screen — every cell's text, merged areas filled.

python-calamine reads .xlsx and .xls fast and keeps merged ranges, but hands numbers over as floats
and drops the number formats: 97.27% arrives as 0.9727. For .xlsx the formats are read from the
styles XML, so a cell's text is the text Excel shows. .xls formats are read with xlrd when it
is installed; without it, a share column's fractions are guessed (see `Cell.guessed`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import python_calamine

from .errors import DiscloseError

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_BUILTIN_FORMATS = {  # ECMA-376 18.8.30: the ids Excel writes without a <numFmt> element
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy-mm-dd h:mm",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's fictitious 1900-02-29 included)


class BookError(DiscloseError):
    """The file is not a workbook calamine can read."""


@dataclass(frozen=True, order=True)
class Region:
    """A merged area (or a single cell): the anchor is (row, col); all 0-based, inclusive."""

    row: int
    col: int
    last_row: int
    last_col: int

    @property
    def ref(self) -> str:
        first = cell_ref(self.row, self.col)
        return first if (self.row, self.col) == (self.last_row, self.last_col) else \
            f"{first}:{cell_ref(self.last_row, self.last_col)}"


@dataclass(frozen=True)
class Cell:
    """What one cell shows. `number` is set for a numeric cell; `guessed` when its format was unknown (.xls)."""

    text: str
    number: Decimal | None = None
    date: dt.date | None = None
    percent: bool = False
    guessed: bool = False


@dataclass
class Sheet:
    book: str  # the workbook's file name, as problems name it
    name: str
    cells: dict[tuple[int, int], Cell]  # anchors of non-empty cells only
    merged: dict[tuple[int, int], Region]  # every cell of a merged area → its region
    height: int
    width: int

    def region(self, row: int, col: int) -> Region:
        return self.merged.get((row, col)) or Region(row, col, row, col)

    def cell(self, row: int, col: int) -> Cell | None:
        """The cell shown at (row, col): a merged area shows its anchor's value everywhere."""
        region = self.region(row, col)
        return self.cells.get((region.row, region.col))

    def text(self, row: int, col: int) -> str:
        cell = self.cell(row, col)
        return cell.text if cell else ""

    def where(self, row: int, col: int) -> str:
        return f"{self.book}:{self.name}!{cell_ref(row, col)}"

    def anchors(self) -> Iterator[tuple[Region, Cell]]:
        """Every non-empty region, in reading order."""
        for (row, col), cell in sorted(self.cells.items()):
            yield self.region(row, col), cell


def cell_ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _parse_ref(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.match(ref)
    if not match:
        return None
    col = 0
    for ch in match[1]:
        col = col * 26 + ord(ch) - 64
    return int(match[2]) - 1, col - 1


@functools.lru_cache(maxsize=1 << 16)  # labels and blank-row checks ask for the same texts again and again
def normal(text: str) -> str:
    """A label's comparable form: full-width brackets, colons and spaces folded, whitespace dropped."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded).rstrip(":")


# -- number formats (xlsx) ---------------------------------------------------------------------


def _xml(book: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(book.read(name))
    except (KeyError, ElementTree.ParseError):
        return None


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part inside the package."""
    workbook, rels = _xml(book, "xl/workbook.xml"), _xml(book, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(_REL), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = path
    return parts


def _style_formats(book: zipfile.ZipFile) -> list[str]:
    """Format code of each cell style index (cellXfs order)."""
    styles = _xml(book, "xl/styles.xml")
    if styles is None:
        return []
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "General")
              for f in styles.iterfind("m:numFmts/m:numFmt", _NS)}
    return [custom.get(i, _BUILTIN_FORMATS.get(i, "General"))
            for i in (int(xf.get("numFmtId", "0")) for xf in styles.iterfind("m:cellXfs/m:xf", _NS))]


def number_formats(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → (row, col) → format code, for cells whose format is not General."""
    try:
        book = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return {}
    with book:
        formats = _style_formats(book)
        out: dict[str, dict[tuple[int, int], str]] = {}
        for name, part in _sheet_parts(book).items():
            root = _xml(book, part)
            cells: dict[tuple[int, int], str] = {}
            for c in root.iterfind("m:sheetData/m:row/m:c", _NS) if root is not None else ():
                style, ref = int(c.get("s", "0")), _parse_ref(c.get("r", ""))
                if ref and 0 < style < len(formats) and formats[style] != "General":
                    cells[ref] = formats[style]
            out[name] = cells
        return out


def xls_formats(path: Path) -> dict[str, dict[tuple[int, int], str]] | None:
    """The same for .xls (BIFF), through xlrd's formatting records; None if they cannot be read."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # xlrd missing, or a file it cannot parse: fall back to guessing (IMPORT_FORMAT_GUESSED)
        return None
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        for sheet in (book.sheet_by_index(i) for i in range(book.nsheets)):
            cells: dict[tuple[int, int], str] = {}
            for r in range(sheet.nrows):
                for c in range(sheet.row_len(r)):
                    if sheet.cell_type(r, c) in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                        fmt = book.format_map.get(book.xf_list[sheet.cell_xf_index(r, c)].format_key)
                        if fmt is not None and fmt.format_str != "General":
                            cells[(r, c)] = fmt.format_str
            out[sheet.name] = cells
    except Exception:
        return None
    finally:
        book.release_resources()
    return out


# -- a cell's shown text -----------------------------------------------------------------------


def _number_part(fmt: str) -> str:
    """The first section of a format code, without quoted literals, escapes, colours and fill."""
    section = re.split(r";(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", fmt)[0]
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", section)


def _is_date_format(part: str) -> bool:
    return bool(re.search(r"[ymdhs]", part, re.IGNORECASE)) and "General" not in part


def _decimals(part: str) -> int:
    match = re.search(r"\.([0#?]+)", part)
    return len(match[1]) if match else 0


def general(value: Decimal) -> str:
    """A number as Excel's General format shows a typed number: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _fixed(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def shown_number(value: Decimal, fmt: str | None) -> Cell:
    """The text a numeric cell shows under its format code.

    Grouping separators and literal text in the format ("0.00万元") are dropped: they are presentation,
    and the amount's unit is the form's money unit.
    """
    part = _number_part(fmt or "General")
    if fmt is None or "General" in part or "@" in part or "E" in part.upper():
        return Cell(general(value), number=value)
    if _is_date_format(part):
        date = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return Cell(date.isoformat(), number=value, date=date)
    if "%" in part:
        percent = value * 100
        return Cell(_fixed(percent, _decimals(part)) + "%", number=percent, percent=True)
    return Cell(_fixed(value, _decimals(part)), number=value)


def shown(value: object, fmt: str | None) -> Cell | None:
    """A calamine value as the cell shows it; None for an empty cell."""
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE")
    if isinstance(value, (int, float)):
        # repr() is the shortest text that reads back as the same float: the number as it was typed.
        return shown_number(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), fmt)
    if isinstance(value, dt.datetime):
        day = value.date()
        return Cell(day.isoformat() if value.time() == dt.time() else value.isoformat(sep=" "), date=day)
    if isinstance(value, dt.date):
        return Cell(value.isoformat(), date=value)
    text = str(value).replace("\r\n", "\n").strip()
    return Cell(text) if text else None


def read_book(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook, as shown."""
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own types and OSError/ValueError variants
        raise BookError(str(err) or type(err).__name__) from err
    formats = number_formats(path) if path.suffix.lower() in (".xlsx", ".xlsm") else xls_formats(path)
    sheets = []
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as err:
            raise BookError(f"{name}: {err}") from err
        fmts = formats.get(name, {}) if formats is not None else {}
        cells = {}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = shown(value, fmts.get((r, c)))
                if cell is not None:
                    if formats is None and cell.number is not None:
                        cell = Cell(cell.text, cell.number, cell.date, cell.percent, guessed=True)
                    cells[(r, c)] = cell
        merged: dict[tuple[int, int], Region] = {}
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ():
            region = Region(r0, c0, r1, c1)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    merged[(r, c)] = region
        width = max((len(r) for r in rows), default=0)
        sheets.append(Sheet(path.name, name, cells, merged, len(rows), width))
    book.close()
    return sheets
