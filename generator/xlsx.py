"""A small XLSX (Office Open XML spreadsheet) writer: typed cells in, workbook bytes out.

Why not XlsxWriter: a declaration's workbook is ~400 cells in a fixed layout, and XlsxWriter spent ~9 ms on
each (30 % of a cold N=1000 build, benchmarks/PROFILE.md): a general object model per cell, 16 zip members
assembled anew, and then a second zip pass to put each amount's filed text back where it stored a float
(%.16g turns 968.1918 into 968.1917999999999). Here the sheet XML is written straight from the cells, a
number's `<v>` is the text it is given (the filed decimals, never a float), text is an inline string (each
sheet self-contained; no shared-string table to build), and the members that depend only on the sheet names
are made once. The bytes depend on nothing but the arguments: fixed zip dates, members in a fixed order.

Form-agnostic: the caller decides what a cell is (number with its format, date, text) and how wide columns are.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

MAX_WIDTH = 60  # characters: a wider column wraps its text instead (top-aligned)
_PADDING = 0.7109375  # Excel stores a width with its cell padding (5 px of a 7 px digit, in 1/256ths)


@dataclass(frozen=True)
class Number:
    """A number cell: `value` is written as is into the XML (a plain decimal: the filed text, exact), shown in
    Excel with `format` ("" = General); `shown` is what Excel displays, for the column width."""

    value: str
    format: str = ""
    shown: str = ""


def date(day: dt.date) -> Number:
    """A date cell: Excel's day serial (1900 system) shown as yyyy-mm-dd."""
    return Number(str((day - dt.date(1899, 12, 30)).days), "yyyy-mm-dd", day.isoformat())


XCell = str | Number | None


@dataclass
class Sheet:
    """One worksheet: rows of cells (None: empty), the bold (header) rows, the first row frozen."""

    name: str
    rows: list[list[XCell]] = field(default_factory=list)
    bold: set[int] = field(default_factory=set)  # 0-based row numbers

    def add(self, cells: Sequence[XCell], *, bold: bool = False) -> None:
        if bold:
            self.bold.add(len(self.rows))
        self.rows.append(list(cells))

    def skip(self, count: int = 1) -> None:
        self.rows.extend([] for _ in range(count))


@functools.cache
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count two."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


def _shown(cell: XCell) -> str:
    return cell if isinstance(cell, str) else (cell.shown or cell.value) if cell else ""


def widths(sheet: Sheet) -> list[int]:
    """Each column's width in characters: its widest cell (headers as wide characters), 6 to 60, plus 2."""
    out: list[int] = []
    for number, cells in enumerate(sheet.rows):
        for col, cell in enumerate(cells):
            text = _shown(cell)
            width = len(text) * 2 if number in sheet.bold else display_width(text)
            if col >= len(out):
                out.extend([0] * (col + 1 - len(out)))
            out[col] = max(out[col], width)
    return out


def column(index: int) -> str:
    """A, B, … Z, AA, … for a 0-based column index."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _escape_char(match: re.Match[str]) -> str:
    # A literal "_xHHHH_" is itself escaped ("_x005F_"), so that readers do not decode it (ECMA-376 22.9.2.19).
    return f"_x{ord(match[0]):04X}_"


def text_xml(text: str) -> str:
    """Text as element content: XML-escaped; characters XML 1.0 cannot hold as _xHHHH_."""
    return escape(_CONTROL.sub(_escape_char, text))


def attribute_xml(text: str) -> str:
    """Text as a quoted attribute value."""
    return quoteattr(_CONTROL.sub(_escape_char, text))


# -- styles: (number format, bold, wrap) → cellXfs index, in order of first use --------------------


_BUILTIN_FORMATS = {"": 0, "0": 1, "0.00": 2, "0%": 9, "0.00%": 10}

Style = tuple[str, bool, bool]  # number format, bold, wrap


class _Styles:
    def __init__(self) -> None:
        self.index: dict[Style, int] = {("", False, False): 0}

    def of(self, style: Style) -> int:
        return self.index.setdefault(style, len(self.index))

    def xml(self) -> str:
        custom: dict[str, int] = {}
        for fmt, _, _ in self.index:
            if fmt not in _BUILTIN_FORMATS and fmt not in custom:
                custom[fmt] = 164 + len(custom)
        xfs = []
        for fmt, bold, wrap in self.index:
            number = _BUILTIN_FORMATS.get(fmt, custom.get(fmt, 0))
            attributes = (f' numFmtId="{number}" fontId="{int(bold)}" fillId="0" borderId="0" xfId="0"'
                          + (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if bold else ""))
            if wrap:
                xfs.append(f'<xf{attributes} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>')
            else:
                xfs.append(f"<xf{attributes}/>")
        formats = "".join(f'<numFmt numFmtId="{n}" formatCode={quoteattr(f)}/>' for f, n in custom.items())
        return (_XML + f'<styleSheet xmlns="{_MAIN}">'
                + (f'<numFmts count="{len(custom)}">{formats}</numFmts>' if custom else "")
                + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
                  '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                  '<fill><patternFill patternType="gray125"/></fill></fills>'
                  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                  "</styleSheet>")


# -- the parts ----------------------------------------------------------------------------------------


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument."


def _cell_xml(ref: str, cell: XCell, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(cell, Number):
        return f'<c r="{ref}"{s}><v>{cell.value}</v></c>'
    assert cell is not None
    space = ' xml:space="preserve"' if cell != cell.strip() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text_xml(cell)}</t></is></c>'


def sheet_xml(sheet: Sheet, styles: _Styles, *, selected: bool) -> str:
    """The worksheet part: frozen header row, column widths (wide ones wrap), the cells."""
    cols, wrap = [], set()
    for col, width in enumerate(widths(sheet)):
        if width > MAX_WIDTH:
            wrap.add(col)
        wraps = f' style="{styles.of(("", False, True))}"' if col in wrap else ""
        cols.append(f'<col min="{col + 1}" max="{col + 1}" width="{min(max(width, 6), MAX_WIDTH) + 2 + _PADDING}"'
                    f'{wraps} customWidth="1"/>')
    rows = []
    for number, cells in enumerate(sheet.rows):
        bold = number in sheet.bold
        out = []
        for col, cell in enumerate(cells):
            if cell is None:
                continue
            fmt = cell.format if isinstance(cell, Number) else ""
            # a cell of its own format does not wrap; a plain one takes its column's style (as Excel does)
            style = styles.of((fmt, bold, col in wrap and not fmt and not bold))
            out.append(_cell_xml(f"{column(col)}{number + 1}", cell, style))
        if out:
            rows.append(f'<row r="{number + 1}">{"".join(out)}</row>')
    last = max((len(cells) for cells in sheet.rows), default=0)
    dimension = f"A1:{column(max(last - 1, 0))}{max(len(sheet.rows), 1)}"
    tab = ' tabSelected="1"' if selected else ""
    return (_XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{dimension}"/>'
            f'<sheetViews><sheetView{tab} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>' + (f'<cols>{"".join(cols)}</cols>' if cols else "")
            + f'<sheetData>{"".join(rows)}</sheetData>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


@functools.cache
def _fixed_parts(names: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    """The members that depend only on the sheet names (content types, relationships, workbook, app)."""
    count = len(names)
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                     f'ContentType="{_CT}spreadsheetml.worksheet+xml"/>' for i in range(1, count + 1))
    types = (_XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/docProps/app.xml" ContentType="{_CT}extended-properties+xml"/>'
             '<Override PartName="/docProps/core.xml" '
             'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
             f'<Override PartName="/xl/styles.xml" ContentType="{_CT}spreadsheetml.styles+xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}spreadsheetml.sheet.main+xml"/>'
             f"{sheets}</Types>")
    root_rels = (_XML + f'<Relationships xmlns="{_PKG_REL}">'
                 f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                 f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
                 f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
                 "</Relationships>")
    book_rels = (_XML + f'<Relationships xmlns="{_PKG_REL}">'
                 + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                           for i in range(1, count + 1))
                 + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
    book = (_XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews><sheets>'
            + "".join(f'<sheet name={attribute_xml(name)} sheetId="{i}" r:id="rId{i}"/>'
                      for i, name in enumerate(names, 1))
            + "</sheets></workbook>")
    titles = "".join(f"<vt:lpstr>{text_xml(name)}</vt:lpstr>" for name in names)
    app = (_XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           '<Application>disclose</Application><HeadingPairs><vt:vector size="2" baseType="variant">'
           f"<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{count}</vt:i4></vt:variant>"
           f'</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{count}" baseType="lpstr">{titles}'
           "</vt:vector></TitlesOfParts></Properties>")
    return (("[Content_Types].xml", types.encode()), ("_rels/.rels", root_rels.encode()),
            ("xl/_rels/workbook.xml.rels", book_rels.encode()), ("xl/workbook.xml", book.encode()),
            ("docProps/app.xml", app.encode()))


def _core(title: str, creator: str, created: dt.datetime) -> bytes:
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (_XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{text_xml(title)}</dc:title><dc:creator>{text_xml(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>').encode()


_DATE = (1980, 1, 1, 0, 0, 0)  # every member's zip date: the bytes never depend on when they were made


def workbook(sheets: Sequence[Sheet], *, title: str, creator: str, created: dt.datetime) -> bytes:
    """The workbook's bytes: the same sheets and properties give the same bytes."""
    styles = _Styles()
    parts = [(f"xl/worksheets/sheet{i}.xml", sheet_xml(sheet, styles, selected=i == 1).encode())
             for i, sheet in enumerate(sheets, 1)]
    parts += [("xl/styles.xml", styles.xml().encode()), ("docProps/core.xml", _core(title, creator, created))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in (*_fixed_parts(tuple(s.name for s in sheets)), *parts):
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return out.getvalue()
