"""The XLSX writer (generator/xlsx.py): a valid workbook that openpyxl reads back, exact numbers, exact texts."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
from conftest import SEED

from generator import export, xlsx
from generator.load import load

TEXTS = ["  leading and trailing  ", "两行\n文字", "a & b < c > d \"q\" 'a'", "_x0041_ stays literal",
         "=HYPERLINK(\"http://example.invalid\")", "bell\x07and tab\t", "中文" * 40]


def book(*sheets: xlsx.Sheet) -> bytes:
    return xlsx.workbook(sheets, title="标题 & <test>", creator="disclose", created=dt.datetime(2021, 1, 28))


def sample() -> xlsx.Sheet:
    sheet = xlsx.Sheet("表 & 一")
    sheet.add(["名称", "金额", "占比", "日期", "个数"], bold=True)
    sheet.add(["财政拨款", xlsx.Number("968.1918", "0.0000"), xlsx.Number("0.1000", "0.00%", "10.00%"),
               xlsx.date(dt.date(2021, 1, 28)), xlsx.Number("17")])
    sheet.add([None, xlsx.Number("900.10", "0.00")])
    sheet.skip(2)
    for text in TEXTS:
        sheet.add([text])
    return sheet


def test_numbers_are_numbers_with_the_filed_text_as_value_and_format() -> None:
    data = book(sample())
    ws = openpyxl.load_workbook(io.BytesIO(data))["表 & 一"]
    assert [c.data_type for c in ws[2]] == ["s", "n", "n", "d", "n"]
    assert [c.number_format for c in ws[2]][1:] == ["0.0000", "0.00%", "yyyy-mm-dd", "General"]
    assert ws["B2"].value == 968.1918 and ws["D2"].value == dt.datetime(2021, 1, 28) and ws["E2"].value == 17
    assert ws["A3"].value is None and ws["B3"].value == 900.1 and ws["B3"].number_format == "0.00"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    # the XML holds the filed decimals, never a float's %.16g (968.1917999999999), and no formula
    assert "<v>968.1918</v>" in sheet and "<v>0.1000</v>" in sheet and "<v>900.10</v>" in sheet
    assert "<f>" not in sheet and "9999" not in sheet


ESCAPED = {3, 5}  # TEXTS written with ECMA-376 _xHHHH_ escapes, which Excel decodes and openpyxl does not


def test_texts_read_back_exactly() -> None:
    data = book(sample())
    ws = openpyxl.load_workbook(io.BytesIO(data))["表 & 一"]
    read = [ws.cell(row, 1).value for row in range(6, 6 + len(TEXTS))]
    assert [r for i, r in enumerate(read) if i not in ESCAPED] == [t for i, t in enumerate(TEXTS) if i not in ESCAPED]
    assert all(ws.cell(row, 1).data_type == "s" for row in range(6, 6 + len(TEXTS)))  # "=…" stays text
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = [t.text for t in root.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t")]
    decoded = [re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), c or "") for c in cells]
    assert decoded[-len(TEXTS):] == TEXTS  # as Excel reads them: the escapes give the text back exactly


def test_headers_bold_first_row_frozen_wide_columns_wrap() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(book(sample())))
    ws = wb["表 & 一"]
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == xlsx.MAX_WIDTH + 2 + 0.7109375  # 80 wide characters: capped, and wraps
    assert ws["A12"].alignment.wrap_text and not ws["B2"].alignment.wrap_text
    assert ws.column_dimensions["E"].width == 6 + 2 + 0.7109375  # the header "个数" is 4 wide: at least 6, plus 2
    assert wb.properties.title == "标题 & <test>" and wb.properties.creator == "disclose"


def test_every_member_is_well_formed_xml_and_the_bytes_are_reproducible() -> None:
    data = book(sample(), xlsx.Sheet("空"))
    assert data == book(sample(), xlsx.Sheet("空"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        for info in z.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            ET.fromstring(z.read(info))
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["表 & 一", "空"]


def test_column_names() -> None:
    assert [xlsx.column(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_the_seed_workbook_reads_back_as_filed(tmp_path: Path) -> None:
    doc, problems = load(SEED)
    assert doc is not None and not problems
    path = tmp_path / "seed.xlsx"
    path.write_bytes(export.workbook_bytes(doc.decl))
    wb = openpyxl.load_workbook(path)
    funding = wb["资金情况"]
    assert funding["E2"].value == 367.58 and funding["E2"].number_format == "0.00"
    assert funding["F2"].value == 1 and funding["F2"].number_format == "0%"
    assert wb["基本信息"]["B5"].value == dt.datetime(2021, 1, 28)  # 填报日期, a date cell
    texts = [c.value for row in wb["指标"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert "养老保险在职参保人数" in texts
