"""湖南-整体 has no funding or project table and no 填报日期 or 金额单位 (FORMS.md §1): it neither requires those
header fields nor offers empty tables to download, and the other prints still require the header fields exactly
where and as the loader always reported them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from test_edition_pages import project  # noqa: F401  (the module's build: the examples published)

from generator.check import Report
from generator.forms import KINDS
from generator.forms.department.downloads import csvs
from generator.load import load

HUNAN = ROOT / "content" / "2022" / "example-hunan-bureau.yaml"
HUBEI_2022 = ROOT / "content" / "2022" / "guangshui-ldbxj.yaml"


def _codes(report: Report) -> list[str]:
    return [f"{p.code}@{p.line}:{p.col}" for p in report.problems if p.severity.zh == "错误"]


def test_hunan_needs_no_filing_date_or_money_unit(run_check: Callable[..., Report]) -> None:
    keys = [line.split(":")[0] for line in HUNAN.read_text("utf-8").splitlines()]
    assert "filing_date" not in keys and "money_unit" not in keys  # the bundled example files neither
    assert _codes(run_check(HUNAN)) == []


@pytest.mark.parametrize("key", ["filing_date", "money_unit"])
def test_hubei_2022_still_requires_the_header_it_prints(
        key: str, write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> None:
    lines = [line for line in HUBEI_2022.read_text("utf-8").splitlines(keepends=True)
             if not line.startswith(f"{key}:")]
    report = run_check(write_decl("".join(lines), year="2022", name="guangshui-ldbxj"))
    root = next(i for i, line in enumerate(lines, 1) if line[:1].isalpha())  # the first key: the root mapping
    assert _codes(report) == [f"MISSING_KEY@{root}:1"]
    title = {"filing_date": "填报日期", "money_unit": "金额单位"}[key]
    assert report.problems[0].message == f"缺少必填项 {key}（{title}）"
    assert report.documents == []  # incomplete, as before: never rendered


def test_hunan_offers_no_funding_or_project_csv() -> None:
    doc, _ = load(HUNAN)
    assert doc is not None
    kind = KINDS["department"]
    assert [d.suffix for d in kind.offered(doc.decl)] == [".xlsx", "-indicators.csv", ".json", ".yaml"]
    assert list(csvs(doc.decl)) == ["-indicators.csv"]
    seed, _ = load(ROOT / "content" / "2021" / "guangshui-ldbxj.yaml")
    assert seed is not None and kind.offered(seed.decl) == kind.downloads


@pytest.mark.slow
def test_hunan_site_neither_writes_nor_links_the_tables_it_lacks(project: Path) -> None:  # noqa: F811
    data = project / "site" / "2022" / "data"
    assert not (data / "example-hunan-bureau-funding.csv").exists()
    assert not (data / "example-hunan-bureau-projects.csv").exists()
    assert (data / "example-hunan-bureau-indicators.csv").is_file()
    assert (data / "guangshui-ldbxj-funding.csv").is_file()  # 湖北-2022 keeps its tables
    page = (project / "build" / "public" / "2022" / "docs" / "example-hunan-bureau.md").read_text("utf-8")
    assert "-indicators.csv" in page and "-funding.csv" not in page and "-projects.csv" not in page
    listing = (project / "site" / "data" / "index.html").read_text("utf-8")
    assert "example-hunan-bureau-indicators.csv" in listing
    assert "example-hunan-bureau-funding.csv" not in listing and "example-hunan-bureau-projects.csv" not in listing
    assert "guangshui-ldbxj-projects.csv" in listing
    for name in ("funding.csv", "projects.csv"):  # the data package keeps its per-year tables, without rows
        assert (data / name).is_file()
        assert "example-hunan-bureau" not in (data / name).read_text("utf-8-sig")


def test_the_schema_requires_the_header_as_the_loader_does() -> None:
    import jsonschema

    from generator.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    base = {"year": 2022, "unit_id": "u", "unit_name": "某单位"}
    header = {"filing_date": "2022-01-26", "money_unit": "万元"}
    assert not list(validator.iter_errors({**base, "edition": "湖南-整体"}))
    for edition in ({}, {"edition": None}, {"edition": "湖北-2021"}, {"edition": "湖北-2022"}):
        assert {e.message for e in validator.iter_errors({**base, **edition})} == {
            "'filing_date' is a required property", "'money_unit' is a required property"}
        assert not list(validator.iter_errors({**base, **edition, **header}))
