"""Open data: a real `disclose build`, its data packages validated and read back value by value."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import frictionless
import jsonschema
import openpyxl
import pytest
import yaml
from conftest import MINIMAL, SEED, copy_project

from generator import export, forms
from generator.config import Project
from generator.datapackage import defuse
from generator.forms.department.model import Declaration
from generator.forms.department.tables import TABLES
from generator.load import load
from generator.model import Money, Share
from generator.privacy import mask
from generator.render import PageOptions
from generator.schema import json_schema

pytestmark = pytest.mark.slow

# A second 2021 declaration: amounts with 4 and trailing-zero decimals, blank history cells, a long-term
# goal, a waiver, a text Excel would run as a formula, and mobile numbers in a text and in a comment.
PRECISE = """\
# 联系人备用手机 13800138000（注释中的号码也须打码）
year: 2021
unit_id: precise-unit
unit_name: 精度测试单位
filing_date: 2021-02-03
money_unit: 万元
leader: 王五
filer: 赵六
phone: 0722-6296906
status: published
approval_date: 2021-03-01
publication_date: 2021-03-15
funding:
  history_years: [2019, 2020]
  income:
    - {name: 财政拨款, amount: 968.1918, share: 99.99%, history: [900.10, ~]}
    - {name: 其他资金, amount: 0.1000, share: 0.01%, history: [0, ~]}
  income_total: {amount: 968.2918, share: 100%, history: [900.10, ~]}
  expenditure:
    - {name: 基本支出, amount: 958.2918, share: 98.96%, history: [900.10, ~]}
    - {name: 项目支出, amount: 10.0, share: 1.03%, history: [0, ~]}
  expenditure_total: {amount: 968.2918, share: 100%, history: [900.10, ~]}
functions:
  - "=HYPERLINK(\\"http://example.invalid\\",\\"点此\\")"
  - 2. 联系人手机 13912345678，请勿外传。
tasks:
  - 1. 任务一。
projects:
  - {name: 延续项目, type: 延续性项目, total_budget: 30.50, budget: 10.0, purpose: 多年经费,
     from_year: 2020, to_year: 2022}
long_term:
  deadline_year: 2023
  targets:
    - 目标 1：长期目标一。
  indicators:
    - {level1: 产出指标, level2: 数量指标, name: 长期指标, value: "≥95%", basis: 规划}
annual:
  targets:
    - 目标 1：完成任务。
  goals:
    - title: 完成任务。
      indicators:
        - {level1: 产出指标, level2: 数量指标, name: 服务人数, value: "500"}
waivers:
  - {code: SHARE_MISMATCH, reason: 原表如此填报。}
"""
MOBILES = [b"15997856299", b"13800138000", b"13912345678", b"13700137000"]
DRAFT_NAME = "草稿单位甲乙丙"


def _minimal(**changes: str) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("export") / "project")
    (root / "content" / "2021" / "precise-unit.yaml").write_text(PRECISE, encoding="utf-8")
    (root / "content" / "2021" / "draft-unit.yaml").write_text(_minimal(**{
        "unit_id: minimal-unit": "unit_id: draft-unit", "status: published": "status: draft",
        "unit_name: 测试单位": f"unit_name: {DRAFT_NAME}", "phone: 07226296906": "phone: 13700137000"}),
        encoding="utf-8")
    (root / "content" / "2022").mkdir(exist_ok=True)  # beside the editions' examples (drafts)
    (root / "content" / "2022" / "later-unit.yaml").write_text(_minimal(**{
        "year: 2021": "year: 2022", "unit_id: minimal-unit": "unit_id: later-unit",
        "history_years: [2019, 2020]": "history_years: [2020, 2021]"}), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "-q"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return project / "site"


@pytest.fixture(scope="module")
def sources(project: Path) -> list[Declaration]:
    """The published declarations as the pages show them: loaded from the project, masked."""
    decls = []
    for path in sorted((project / "content").glob("*/*.yaml")):
        doc, _ = load(path)
        assert doc is not None
        if doc.decl.status == "published":
            decls.append(mask(doc.decl))
    assert len(decls) == 3
    return decls


def read_package(path: Path) -> dict[str, list[dict[str, Any]]]:
    package = frictionless.Package(str(path))
    return {r.name: [dict(row) for row in r.read_rows()] for r in package.resources}


def files(site: Path) -> Iterator[Path]:
    return (p for p in sorted(site.rglob("*")) if p.is_file())


# -- the data packages ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["data", "2021/data", "2022/data"])
def test_package_is_valid(site: Path, where: str) -> None:
    report = frictionless.validate(str(site / where / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])


def test_package_schema_describes_every_field_in_chinese(site: Path) -> None:
    package = json.loads((site / "data" / "datapackage.json").read_text("utf-8"))
    every_kind = [t.name for kind in forms.KINDS.values() for t in kind.tables]  # the unit's form's first
    assert [r["name"] for r in package["resources"]] == every_kind
    assert every_kind[:len(TABLES)] == [t.name for t in TABLES]
    for resource in package["resources"]:
        schema = resource["schema"]
        assert schema["primaryKey"]
        if resource["name"] != "declarations":
            assert schema["foreignKeys"], resource["name"]
        for fld in schema["fields"]:
            assert re.search(r"[\u4e00-\u9fff]", fld["title"] + fld["description"]), fld
    funding = next(r for r in package["resources"] if r["name"] == "funding")["schema"]
    assert funding["foreignKeys"] == [{"fields": ["year", "unit_id"],
                                       "reference": {"resource": "declarations", "fields": ["year", "unit_id"]}}]


def test_year_package_holds_its_year_only(site: Path) -> None:
    years = {row["year"] for row in read_package(site / "2022" / "data" / "datapackage.json")["declarations"]}
    assert years == {2022}


def money(value: Decimal | None) -> str | None:
    """A number cell read back by frictionless (a Decimal) as text: must be the filed text exactly."""
    return None if value is None else format(value, "f")


def filed(value: Money | Share | None) -> str | None:
    return None if value is None else value.text


def test_every_filed_value_is_in_the_tables(site: Path, sources: list[Declaration]) -> None:
    tables = read_package(site / "data" / "datapackage.json")

    def rows(table: str, decl: Declaration, **where: Any) -> list[dict[str, Any]]:
        return [r for r in tables[table] if r["year"] == decl.year and r["unit_id"] == decl.unit_id
                and all(r[k] == v for k, v in where.items())]

    assert len(tables["declarations"]) == len(sources)
    for decl in sources:
        (head,) = rows("declarations", decl)
        for name in ("unit_name", "filing_date", "money_unit", "leader", "filer", "phone", "status",
                     "approval_date", "publication_date"):
            assert head[name] == getattr(decl, name), name
        assert decl.funding
        assert head["history_years"] == list(decl.funding.history_years)
        for side, lines, total in (("收入构成", decl.funding.income, decl.funding.income_total),
                                   ("支出构成", decl.funding.expenditure, decl.funding.expenditure_total)):
            got = rows("funding", decl, side=side)
            assert total is not None
            assert [r["name"] for r in got] == [r.name for r in lines] + ["合计"]
            assert [r["is_total"] for r in got] == [False] * len(lines) + [True]
            assert [money(r["amount"]) for r in got] == [filed(r.amount) for r in (*lines, total)]
            assert [r["share"] for r in got] == [filed(r.share) for r in (*lines, total)]
            for line, row in enumerate((*lines, total), 1):
                history = sorted(rows("funding_history", decl, side=side, line=line), key=lambda r: r["column"])
                assert [money(r["amount"]) for r in history] == [filed(m) for m in row.history]
                assert [r["history_year"] for r in history] == list(decl.funding.history_years)
        projects = rows("projects", decl)
        assert [{k: money(v) if isinstance(v, Decimal) else v for k, v in r.items()
                 if k not in ("year", "unit_id", "line")} for r in projects] == [
            {f.name: filed(v) if isinstance(v := getattr(p, f.name), Money) else v
             for f in dataclasses.fields(p)} for p in decl.projects]
        for section, texts in (("部门职能概述", decl.functions), ("年度工作任务", decl.tasks),
                               ("长期目标", decl.long_term.targets), ("年度目标（总目标）", decl.annual.targets)):
            assert [r["text"] for r in rows("items", decl, section=section)] == list(map(defuse, texts)), section
        goals = rows("goals", decl)
        assert [(g["goal"], g["title"]) for g in goals] == [(0, None)] + [
            (i, g.title) for i, g in enumerate(decl.annual.goals, 1)]
        assert goals[0]["deadline_year"] == decl.long_term.deadline_year
        for number, indicators in [(0, decl.long_term.indicators)] + [
                (i, g.indicators) for i, g in enumerate(decl.annual.goals, 1)]:
            got = rows("indicators", decl, goal=number)
            assert [(r["level1"], r["level2"], r["name"], r["value"], r["basis"]) for r in got] == [
                (i.level1, i.level2, i.name, i.value, i.basis) for i in indicators]
        assert [(r["code"], r["reason"]) for r in rows("waivers", decl)] == [(w.code, w.reason) for w in decl.waivers]


def test_amounts_are_the_filed_text_in_the_csv(site: Path) -> None:
    funding = (site / "2021" / "data" / "funding.csv").read_text("utf-8")
    assert ",968.1918,99.99%" in funding and ",0.1000,0.01%" in funding and ",10.0,1.03%" in funding
    assert ",367.58,100%" in funding and ",357.58,97.27%" in funding
    history = (site / "2021" / "data" / "funding_history.csv").read_bytes().decode("utf-8")
    assert ",2019,900.10\r\n" in history and ",2020,\r\n" in history  # a blank filed cell stays blank


# -- per declaration --------------------------------------------------------------------------------


def test_yaml_is_the_source_with_the_mobile_masked(site: Path) -> None:
    published = (site / "2021" / "data" / "guangshui-ldbxj.yaml").read_text("utf-8").splitlines()
    source = SEED.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(source, published, strict=True) if a != b]
    # Comments are internal remarks: cut, every line kept where it was.
    assert [(a, b) for a, b in changed if "#" not in a] == [("phone: 15997856299", "phone: 159****6299")]
    assert [b for a, b in changed if "#" in a] == [a.split("#")[0].rstrip() for a, _ in changed if "#" in a]
    assert len(changed) == 5 and "#" not in "".join(published)
    precise = (site / "2021" / "data" / "precise-unit.yaml").read_text("utf-8")
    assert precise == "\n" + PRECISE.split("\n", 1)[1].replace("13912345678", "139****5678")


def test_json_is_the_whole_declaration_with_amounts_as_text(site: Path, sources: list[Declaration]) -> None:
    data = json.loads((site / "2021" / "data" / "precise-unit.json").read_text("utf-8"))
    jsonschema.validate(data, json_schema())
    decl = next(d for d in sources if d.unit_id == "precise-unit")
    assert data["funding"]["income"][0] == {"name": "财政拨款", "amount": "968.1918", "share": "99.99%",
                                            "history": ["900.10", None]}
    assert data["projects"][0]["total_budget"] == "30.50" and data["filing_date"] == "2021-02-03"
    assert data["functions"][1] == "2. 联系人手机 139****5678，请勿外传。"
    assert set(data) == {f.name for f in dataclasses.fields(Declaration)}
    assert data["long_term"]["indicators"][0]["value"] == decl.long_term.indicators[0].value


def test_excel_csvs_have_a_bom_and_defuse_formulas(site: Path) -> None:
    data = site / "2021" / "data"
    funding = (data / "precise-unit-funding.csv").read_bytes()
    assert funding.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(funding.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["近两年收支金额（2019年）", "近两年收支金额（2020年）"]
    assert rows[1] == ["收入构成", "1", "否", "财政拨款", "968.1918", "99.99%", "900.10", ""]
    for table in TABLES:  # the packages' CSVs: plain UTF-8, formulas defused as well (issue 12)
        assert not (data / f"{table.name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert '"\'=HYPERLINK(""http://example.invalid"",""点此"")"' in (data / "items.csv").read_text("utf-8")
    indicators = (data / "guangshui-ldbxj-indicators.csv").read_bytes().decode("utf-8-sig")
    assert "养老保险在职参保人数,50000,年度计划" in indicators


def shown(cell: Any) -> str:
    """What Excel shows for a cell written by the exporter (number formats 0, 0.00…, 0%, 0.00%)."""
    fmt, value = cell.number_format, cell.value
    if cell.data_type != "n" or fmt == "General":
        return str(value)
    places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return f"{Decimal(str(value)) * 100:.{places}f}%"
    return f"{Decimal(str(value)):.{places}f}"


def test_xlsx_shows_the_seed_figures_as_filed(site: Path) -> None:
    book = openpyxl.load_workbook(site / "2021" / "data" / "guangshui-ldbxj.xlsx")
    assert book.sheetnames == ["基本信息", "资金情况", "职能", "任务", "项目", "目标", "指标"]
    funding = [[shown(c) for c in row] for row in book["资金情况"].iter_rows(min_row=2)]
    assert funding[0][3:] == ["财政拨款", "367.58", "100%", "482.93", "422.26"]
    assert funding[3][3:] == ["基本支出", "357.58", "97.27%", "482.93", "412.26"]
    assert funding[4][3:] == ["项目支出", "10", "2.73%", "0", "10"]
    assert book["资金情况"]["E2"].data_type == "n"  # a number Excel can add up
    info = {row[0].value: row[1].value for row in book["基本信息"].iter_rows(min_row=2)}
    assert info["联系电话"] == "159****6299" and info["部门（单位）名称"] == "广水市劳动保险事业管理局"
    indicators = [[c.value for c in row] for row in book["指标"].iter_rows(min_row=2)]
    assert indicators[0][2:7] == ["产出指标", "数量指标", "养老保险在职参保人数", "50000", "年度计划"]
    assert indicators[0][7:] == [None] * 8  # the columns of other editions (计算符号 …): blank in the seed's print
    assert len(indicators) == 17


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def test_xlsx_values_are_the_filed_text_and_never_formulas(site: Path) -> None:
    xml = sheet_xml(site / "2021" / "data" / "precise-unit.xlsx")
    funding = xml["xl/worksheets/sheet2.xml"]
    assert "<v>968.1918</v>" in funding and "<v>0.1000</v>" in funding and "<v>900.10</v>" in funding
    assert "968.1917999" not in funding
    assert not any("<f>" in text for text in xml.values())
    book = openpyxl.load_workbook(site / "2021" / "data" / "precise-unit.xlsx")
    assert book["职能"]["B2"].value.startswith("=HYPERLINK") and book["职能"]["B2"].data_type == "s"
    assert [shown(c) for c in book["资金情况"][2]][4:7] == ["968.1918", "99.99%", "900.10"]
    assert "<v>367.58</v>" in sheet_xml(site / "2021" / "data" / "guangshui-ldbxj.xlsx")["xl/worksheets/sheet2.xml"]


def test_xlsx_is_reproducible(site: Path, sources: list[Declaration], monkeypatch: pytest.MonkeyPatch) -> None:
    """The same declaration gives the same bytes at any later time (no save time, no zip dates)."""
    monkeypatch.setattr("time.time", lambda: 2_000_000_000.0)  # what zipfile would stamp
    monkeypatch.setattr("time.localtime", lambda *_: dt.datetime(2030, 1, 1).timetuple())
    seed = next(d for d in sources if d.unit_id == "guangshui-ldbxj")
    assert export.workbook_bytes(seed) == (site / "2021" / "data" / "guangshui-ldbxj.xlsx").read_bytes()


def test_workbooks_come_from_the_cache_when_unchanged(sources: list[Declaration], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    made = export.workbooks(sources, cache=tmp_path)
    assert len(list(tmp_path.rglob("*.xlsx"))) == 3
    monkeypatch.setattr(export, "workbook_bytes", lambda decl: pytest.fail("not cached"))
    assert export.workbooks(sources, cache=tmp_path) == made
    changed = dataclasses.replace(sources[0], leader="新领导")
    monkeypatch.undo()
    book, path = export.workbook(changed, export.declaration_json(changed), tmp_path)
    assert book != made[0] and path is not None
    export.drop_stale([path])
    assert list((tmp_path / "2021").glob("*.xlsx")) == [path]  # the year's unused workbooks are dropped


# -- nothing private, nothing float, nothing draft ---------------------------------------------------


def payloads(site: Path) -> Iterator[tuple[Path, bytes]]:
    """Every published file's bytes, and every part of every XLSX (zip) file."""
    for path in files(site):
        data = path.read_bytes()
        yield path, data
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    yield path / name, z.read(name)


def test_no_full_mobile_no_float_artifact_no_draft(site: Path) -> None:
    checked = 0
    for path, data in payloads(site):
        for number in MOBILES:
            assert number not in data, f"{number!r} in {path}"
        assert b"367.58000000000001" not in data and b"968.1917999" not in data, path
        assert DRAFT_NAME.encode() not in data and b"draft-unit" not in data, path
        checked += 1
    assert checked > 50


def test_withheld_phone_and_escaped_mobile(tmp_path: Path, write_decl: Any) -> None:
    """show_filer hides the phone from the downloads as from the page; a number the text cannot mask
    verbatim (a YAML escape) makes the YAML written out from the masked model instead."""
    doc, _ = load(SEED)
    assert doc is not None
    public = dataclasses.replace(doc, decl=mask(doc.decl))
    hidden = export.withhold(public.decl, "name")
    text = export.source_yaml(public, hidden, masked=True)
    assert "phone: ~" in text and "6299" not in text and "姚尧" in text
    assert text.count("\n") == SEED.read_text("utf-8").count("\n")

    path = write_decl(MINIMAL.read_text("utf-8").replace("phone: 07226296906", 'phone: "1391234\\x35678"'))
    escaped, _ = load(path)
    assert escaped is not None and escaped.decl.phone == "13912345678"
    masked = dataclasses.replace(escaped, decl=mask(escaped.decl))
    text = export.source_yaml(masked, masked.decl, masked=True)
    assert text.startswith(export.GENERATED_NOTE) and "13912345678" not in text
    assert export.reload(path, text) == masked.decl
    assert yaml.safe_load(text)["phone"] == "139****5678"


def test_preview_downloads_are_unmasked_and_never_fail(tmp_path: Path) -> None:
    doc, _ = load(SEED)
    assert doc is not None
    sites: dict[str, dict[str, str | bytes]] = {"": {}, "2021": {}}
    twice = [doc, doc]  # the same unit-year twice: the preview keeps going
    export.add_downloads(sites, twice, Project(tmp_path), PageOptions(preview=True))
    assert b"phone: 15997856299" in sites["2021"]["data/guangshui-ldbxj.yaml"]
    with pytest.raises(ValueError, match="重名"):
        export.add_downloads({"": {}, "2021": {}}, twice, Project(tmp_path), PageOptions())


# -- the pages link every file ----------------------------------------------------------------------


def hrefs(page: Path) -> list[str]:
    return re.findall(r'href="([^"#]+)"', page.read_text("utf-8"))


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file an href of a page (served at its folder's URL) points to, inside site/."""
    base = "/" + str(page.parent.relative_to(site)).strip(".") + "/"
    target = urljoin(base.replace("//", "/"), href)
    path = site / target.lstrip("/")
    return path / "index.html" if target.endswith("/") else path


def test_declaration_page_links_its_downloads(site: Path) -> None:
    page = site / "2021" / "guangshui-ldbxj" / "index.html"
    links = [resolve(site, page, h) for h in hrefs(page) if "/data/" in h or h.startswith("../data")]
    downloads = {p for p in links if p.parent == site / "2021" / "data"}
    assert downloads == {site / "2021" / "data" / f"guangshui-ldbxj{d.suffix}" for d in export.DOWNLOADS}
    assert all(p.is_file() for p in links), [p for p in links if not p.is_file()]
    assert site / "data" / "index.html" in links


def test_data_page_links_every_file_and_documents_every_field(site: Path) -> None:
    page = site / "data" / "index.html"
    linked = {resolve(site, page, h) for h in hrefs(page) if not h.startswith(("http", "mailto"))}
    missing = [p for p in linked if not p.exists() and p.suffix in (".csv", ".json", ".xlsx", ".yaml")]
    assert not missing
    published = {p for folder in (site / "data", site / "2021" / "data", site / "2022" / "data")
                 for p in folder.iterdir() if p.name != "index.html"}
    assert published - linked == set()
    text = page.read_text("utf-8")
    for table in TABLES:
        assert f"{table.name}：{table.title}" in text
        for column in table.columns:
            assert f"<code>{column.name}</code>" in text and column.description in text
    assert json.loads((site / "data" / "declaration.schema.json").read_text("utf-8")) == json_schema()


def test_data_page_is_in_the_nav_of_every_site(site: Path) -> None:
    assert 'href="data/"' in (site / "index.html").read_text("utf-8")
    assert 'href="../data/"' in (site / "2021" / "index.html").read_text("utf-8")


def test_spooled_downloads_become_the_years_data_folder_and_a_name_made_twice_is_refused(tmp_path: Path) -> None:
    """place_spooled: the spool's year folder takes data/'s place with MkDocs' files (the packages) moved in; a
    download named like a package, or made by two jobs, is refused (the preview keeps MkDocs' file)."""
    from types import SimpleNamespace

    def setup(spooled: list[list[str]], built: list[str]) -> tuple[Path, Path, list[Any], list[Any]]:
        shutil.rmtree(tmp_path / "t", ignore_errors=True)
        tree, spool = tmp_path / "t" / "tree", tmp_path / "t" / "spool"
        (tree / "2021" / "data").mkdir(parents=True)
        (spool / "2021").mkdir(parents=True)
        for name in built:
            (tree / "2021" / "data" / name).write_text("mkdocs", "utf-8")
        for names in spooled:
            for name in names:
                (spool / "2021" / name).write_text("spooled", "utf-8")
        jobs = [(None, SimpleNamespace(year=2021), True, None, "") for _ in spooled]
        return tree, spool, jobs, [(names, None) for names in spooled]

    tree, spool, jobs, made = setup([["a.json", "a.csv"], ["b.json"]], ["datapackage.json"])
    export.place_spooled({2021: tree / "2021"}, jobs, made, spool, PageOptions())
    data = tree / "2021" / "data"
    assert sorted(os.listdir(data)) == ["a.csv", "a.json", "b.json", "datapackage.json"]
    assert (data / "datapackage.json").read_text("utf-8") == "mkdocs" and not (spool / "2021").exists()
    for spooled, built in ([["datapackage.json"]], ["datapackage.json"]), ([["a.json"], ["a.json"]], []):
        tree, spool, jobs, made = setup(spooled, built)
        with pytest.raises(ValueError, match="重名"):
            export.place_spooled({2021: tree / "2021"}, jobs, made, spool, PageOptions())
    tree, spool, jobs, made = setup([["datapackage.json"]], ["datapackage.json"])
    export.place_spooled({2021: tree / "2021"}, jobs, made, spool, PageOptions(preview=True))
    assert (tree / "2021" / "data" / "datapackage.json").read_text("utf-8") == "mkdocs"
    tree, spool, jobs, made = setup([["a.json"]], [])
    (spool / "2021" / "stray.tmp").write_text("", "utf-8")
    with pytest.raises(ValueError, match="未记录"):
        export.place_spooled({2021: tree / "2021"}, jobs, made, spool, PageOptions())
