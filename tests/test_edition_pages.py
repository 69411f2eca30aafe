"""The editions' pages and downloads: a real `disclose build` with the two bundled examples published.

Each edition's page is compared with its checked-in golden Markdown (the seed's print keeps its own golden,
tests/golden/guangshui-ldbxj.md, in test_site.py); the downloads carry the new indicator columns, blank where a
print lacks them, and the data package names their 部标 equivalents.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

pytestmark = pytest.mark.slow
EXAMPLES = {"湖北-2022": "guangshui-ldbxj", "湖南-整体": "example-hunan-bureau"}  # under content/2022/
GOLDEN = ROOT / "tests" / "golden" / "editions"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project with the editions' examples published (they are drafts: invented values)."""
    root = copy_project(tmp_path_factory.mktemp("editions") / "p")
    for stem in EXAMPLES.values():
        path = root / "content" / "2022" / f"{stem}.yaml"
        path.write_text(path.read_text("utf-8").replace("\nstatus: draft\n", "\nstatus: published\n"), "utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "-q"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


@pytest.mark.parametrize("edition", list(EXAMPLES))
def test_golden_markdown(project: Path, edition: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / f"{EXAMPLES[edition]}-{edition}.md"
    actual = (project / "build" / "public" / "2022" / "docs" / f"{EXAMPLES[edition]}.md").read_text("utf-8")
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text("utf-8"), "rendered Markdown changed: review, then pytest --update-goldens"


def _csv(project: Path, name: str, folder: str = "2022/data") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((project / "site" / folder / name).read_text("utf-8-sig"))))


def test_indicator_csv_has_every_column_blank_where_the_print_lacks_it(project: Path) -> None:
    hubei = _csv(project, "guangshui-ldbxj-indicators.csv")
    hunan = _csv(project, "example-hunan-bureau-indicators.csv")
    assert list(hubei[0]) == list(hunan[0])  # one set of columns for every print
    first = hubei[1]  # the first annual row: 前年 49000, 上年 50000, ≥ 50500 人
    assert (first["前年指标值"], first["上年指标值"], first["计算符号"], first["指标值"], first["计量单位"]) == (
        "49000", "50000", "≥", "50500", "人")
    assert first["指标值类型"] == ""  # the 一体化 print has no 指标值类型
    assert {r["绩效标准"] for r in hunan} == {""} and {r["指标值类型"] for r in hunan} == {"定量", "定性"}
    seed = _csv(project, "guangshui-ldbxj-indicators.csv", "2021/data")
    assert {r["计算符号"] + r["计量单位"] + r["指标内容"] for r in seed} == {""}


def test_funding_csv_heads_are_the_prints(project: Path) -> None:
    head = next(csv.reader(io.StringIO((project / "site" / "2022" / "data" / "guangshui-ldbxj-funding.csv")
                                       .read_text("utf-8-sig"))))
    assert head[-2:] == ["上年金额（2021年）", "前年金额（2020年）"]
    seed = next(csv.reader(io.StringIO((project / "site" / "2021" / "data" / "guangshui-ldbxj-funding.csv")
                                       .read_text("utf-8-sig"))))
    assert seed[-2:] == ["近两年收支金额（2019年）", "近两年收支金额（2020年）"]


def test_data_package_names_the_national_fields(project: Path) -> None:
    package = json.loads((project / "site" / "data" / "datapackage.json").read_text("utf-8"))
    tables = {r["name"]: r["schema"]["fields"] for r in package["resources"]}
    described = {f["name"]: f["description"] for f in tables["indicators"]}
    expected = {"level1": "KPI_LV1", "level2": "KPI_LV2", "name": "KPI_LV3", "value": "KPI_VAL",
                "content": "KPI_CONTENT", "scoring": "KPI_EVALSTD", "remark": "KPI_REMARK", "sign": "COMPUTESIGN",
                "unit": "METERUNIT", "basis": "INDEXSTANDARDS", "value_two_years_ago": "QNINDEXVAL",
                "value_last_year": "SNINDEXVAL"}
    assert all(f"部标 {code}" in described[name] for name, code in expected.items())
    editions = {f["name"]: f for f in tables["declarations"]}["edition"]
    assert editions["constraints"]["enum"] == ["湖北-2021", *EXAMPLES]
    filed = {(r["year"], r["unit_id"]): r["edition"] for r in _csv(project, "declarations.csv", "data")}
    assert filed == {("2021", "guangshui-ldbxj"): "", ("2022", "guangshui-ldbxj"): "湖北-2022",
                     ("2022", "example-hunan-bureau"): "湖南-整体"}


def test_hunan_workbook_has_no_sheet_for_what_the_print_lacks(project: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(project / "site" / "2022" / "data" / "example-hunan-bureau.xlsx")
    assert book.sheetnames == ["基本信息", "职能", "目标", "指标"]
    seed = openpyxl.load_workbook(project / "site" / "2021" / "data" / "guangshui-ldbxj.xlsx")
    assert seed.sheetnames == ["基本信息", "资金情况", "职能", "任务", "项目", "目标", "指标"]


@pytest.mark.parametrize("edition", list(EXAMPLES))
def test_search_sections_point_at_headings_the_page_has(project: Path, edition: str) -> None:
    """The search index's entries for a page of an edition anchor at that edition's own headings."""
    from generator.forms.department.search import search_sections
    from generator.load import load

    doc, _ = load(project / "content" / "2022" / f"{EXAMPLES[edition]}.yaml")
    assert doc is not None
    page = (project / "site" / "2022" / EXAMPLES[edition] / "index.html").read_text("utf-8")
    anchors = [anchor for anchor, _, _ in search_sections(doc.decl) if anchor]
    assert anchors and [a for a in anchors if f'id="{a}"' not in page] == []


def test_year_page_gives_no_filing_date_for_a_print_without_one(project: Path) -> None:
    year = (project / "build" / "public" / "2022" / "docs" / "index.md").read_text("utf-8")
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in year.split("<tr>") if "</a></th>" in row}
    assert rows["示例县某局（虚构）"].endswith("<td>—</td></tr>\n")  # 湖南's print has no 填报日期
    assert "<td>2022 年 1 月 26 日</td></tr>" in rows["广水市劳动保险事业管理局"]
