"""Open data (export stage): one vocabulary for yes/no. The XLSX and the pages say 是/否, so the CSVs do too; the
Frictionless schema's trueValues/falseValues read 是/否 back as booleans (the model and so its JSON has none)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import frictionless
from conftest import SEED

from generator.datapackage import package_files, table_rows
from generator.export import excel_csv
from generator.forms.department.downloads import funding_block
from generator.forms.department.tables import TABLE, TABLES
from generator.load import load


def _seed():  # type: ignore[no-untyped-def]
    doc, problems = load(SEED)
    assert doc is not None, problems
    return doc.decl


def test_the_declaration_csv_says_shi_and_fou() -> None:
    rows = list(csv.reader(io.StringIO(excel_csv(funding_block(_seed())).decode("utf-8-sig"))))
    (title,) = [c.title for c in TABLE["funding"].columns if c.name == "is_total"]
    column = rows[0].index(title)
    assert {r[column] for r in rows[1:]} == {"是", "否"}
    assert [r[column] for r in rows[1:]].count("是") == 2  # each side's 合计
    assert not any(cell in ("true", "false") for r in rows for cell in r)


def test_the_package_schema_reads_shi_and_fou_as_booleans(tmp_path: Path) -> None:
    booleans = [c for t in TABLES for c in t.columns if c.type == "boolean"]
    assert booleans
    for column in booleans:
        field = column.descriptor()
        assert (field["trueValues"], field["falseValues"]) == (["是"], ["否"]), column.name
        assert "true" not in column.description and "false" not in column.description
    decl = _seed()
    for name, data in package_files("test", "测试", "测试", [table_rows([decl], TABLES)], tables=TABLES).items():
        (tmp_path / name).write_bytes(data)
    assert "否" in (tmp_path / "funding.csv").read_text("utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = frictionless.Package(str(tmp_path / "datapackage.json")).get_resource("funding").read_rows()
    assert [r["is_total"] for r in rows].count(True) == 2 and all(isinstance(r["is_total"], bool) for r in rows)
