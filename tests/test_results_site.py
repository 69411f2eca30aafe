"""The self-evaluations on a built site: each result beside its declared targets, the targets linking to their
results, the downloads and the data package joined to the targets by keys, personal data masked."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest
from conftest import ROOT, SEED, copy_project
from test_department_result import RESULT as UNIT_RESULT
from test_project_form import EXAMPLE as PROJECT
from test_project_result import RESULT as PROJECT_RESULT

from generator.export import withhold
from generator.forms.results import NOT_COMPARABLE
from generator.load import load
from generator.privacy import mask_text

MOBILE = "13912345678"
PAGES = {"project": "2021/guangshui-ldbxj--gsbx-office_result/index.html",
         "unit": "2021/guangshui-ldbxj_result/index.html"}


def published(path: Path) -> str:
    text = path.read_text("utf-8").replace("status: draft", "status: published")
    return text.replace("phone: 0722-0000000", f"phone: {MOBILE}")


def build(project: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "-q"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("results") / "p")
    for path in (PROJECT, PROJECT_RESULT, UNIT_RESULT):
        (project / "content" / "2021" / path.name).write_text(published(path), "utf-8")
    # (the bundled content has the unit's 2022 form now, a draft: a published result needs its target published)
    target = project / "content" / "2022" / "guangshui-ldbxj.yaml"
    target.write_text(target.read_text("utf-8").replace("status: draft", "status: published"), "utf-8")
    (project / "content" / "2022" / UNIT_RESULT.name).write_text(published(UNIT_RESULT).replace(
        "year: 2021", "year: 2022").replace("spent: 360.23, rate: 98.00%", "spent: 330.82, rate: 90.00%").replace(
        "score: 9.8}", "score: 9}").replace("total_score: 94.5", "total_score: 93.7"), "utf-8")
    build(project)
    return project / "site"


def page_text(site: Path, name: str) -> str:
    return html.unescape((site / PAGES[name]).read_text("utf-8"))


@pytest.mark.parametrize("name", ["guangshui-ldbxj--gsbx-office_result.md", "guangshui-ldbxj_result.md"])
def test_golden_markdown(site: Path, request: pytest.FixtureRequest, name: str) -> None:
    golden = ROOT / "tests" / "golden" / name
    actual = (site.parent / "build" / "public" / "2021" / "docs" / name).read_text("utf-8")
    if request.config.getoption("--update-goldens"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text("utf-8"), "rendered Markdown changed: review, then pytest --update-goldens"


def _versus_rows(page: str) -> list[list[str]]:
    table = page[page.index('id="versus"'):]
    table = table[:table.index("</table>")]
    body = table[table.index("<tbody>"):]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_project_result_shows_each_declared_target_beside_its_result(site: Path) -> None:
    assert _versus_rows(page_text(site, "project")) == [
        ["产出指标", "时效指标", "示例：待遇按时发放率", "100%", "100%", "50", "达成"],
        ["满意度指标", "服务对象满意度指标", "示例：参保单位满意度", "≥90%", "88%", "36", "未达成"],
    ]


def test_the_unit_result_compares_quantities_and_says_when_it_cannot(site: Path) -> None:
    rows = _versus_rows(page_text(site, "unit"))
    assert [r[-1] for r in rows] == ["达成", "未达成", "达成", "无法比较（定性表述）"]
    assert rows[0][:4] == ["养老保险在职参保人数", "50000", "50210", "30"]


def test_the_target_pages_link_to_their_results(site: Path) -> None:
    project = (site / "2021" / "guangshui-ldbxj--gsbx-office" / "index.html").read_text("utf-8")
    unit = (site / "2021" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    assert 'href="../guangshui-ldbxj--gsbx-office_result/"' in project and "自评总分 95.5" in project
    assert 'href="../guangshui-ldbxj_result/"' in unit and "自评总分 94.5" in unit
    history = (site / "units" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    assert 'href="../../2021/guangshui-ldbxj_result/"' in history
    assert 'href="../../2021/guangshui-ldbxj--gsbx-office_result/"' in history


def test_a_renamed_indicator_is_not_comparable_rather_than_guessed() -> None:
    target, _ = load(PROJECT)
    result, _ = load(PROJECT_RESULT)
    assert target and result
    renamed = dataclasses.replace(result.decl.indicators[1], name="示例：参保单位满意程度")
    decl = dataclasses.replace(result.decl, indicators=(result.decl.indicators[0], renamed))
    rows = decl.against(target.decl)
    assert rows[0].target == target.decl.annual_indicators[0]
    assert rows[1].target is None and rows[1].verdict.text == NOT_COMPARABLE
    relevelled = dataclasses.replace(result.decl.indicators[1], level2="满意度")  # levels differ, the name is unique
    decl = dataclasses.replace(result.decl, indicators=(relevelled,))
    assert decl.against(target.decl)[0].target == target.decl.annual_indicators[1]


def test_the_data_package_joins_results_to_targets_and_validates(site: Path) -> None:
    descriptor = site / "2021" / "data" / "datapackage.json"
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["type", "message"])
    package = json.loads(descriptor.read_text("utf-8"))
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["project_results"]["foreignKeys"] == [{
        "fields": ["year", "unit_id", "project_id"],
        "reference": {"resource": "project_forms", "fields": ["year", "unit_id", "project_id"]}}]
    assert schemas["unit_results"]["foreignKeys"][0]["reference"]["resource"] == "declarations"
    funds = (site / "2021" / "data" / "project_result_funds.csv").read_text("utf-8")
    assert "年度资金总额,10,10,9.5,10,95.00%,9.5" in funds
    documented = (site / "data" / "index.html").read_text("utf-8")
    assert all(name in documented for name in schemas if "result" in name)
    published_files = {p.name for p in (site / "data").iterdir()}
    assert {"project-result.schema.json", "department-result.schema.json"} <= published_files
    indicators = (site / "2021" / "data" / "unit_result_indicators.csv").read_text("utf-8")
    assert "养老保险在职参保人数,人,定量,50000,50000,50210,100%,30,30,是" in indicators


@pytest.mark.parametrize("suffix", [".xlsx", "-indicators.csv", ".json", ".yaml"])
def test_each_result_has_its_downloads(site: Path, suffix: str) -> None:
    for stem in ("guangshui-ldbxj--gsbx-office_result", "guangshui-ldbxj_result"):
        assert (site / "2021" / "data" / f"{stem}{suffix}").stat().st_size > 0


def test_the_contact_phone_is_masked_everywhere(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    assert [p for p in files if MOBILE.encode() in p.read_bytes()] == []
    assert mask_text(MOBILE) in page_text(site, "unit")


def test_show_filer_none_withholds_the_contact_and_phone() -> None:
    doc, _ = load(UNIT_RESULT)
    assert doc and doc.decl.contact and doc.decl.phone
    hidden = withhold(doc.decl, "none")
    assert hidden.contact is None and hidden.phone is None
    assert withhold(doc.decl, "name").contact == doc.decl.contact


def test_search_finds_both_results(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert {"2021/guangshui-ldbxj--gsbx-office_result/", "2021/guangshui-ldbxj_result/"} <= locations


def test_a_bundled_target_form_still_renders_as_before_without_a_result(tmp_path: Path) -> None:
    """No result on the site: the target pages are byte for byte what they were (the goldens say so too)."""
    project = copy_project(tmp_path / "p")
    build(project)
    unit = (project / "build" / "public" / "2021" / "docs" / "guangshui-ldbxj.md").read_text("utf-8")
    assert unit == (ROOT / "tests" / "golden" / "guangshui-ldbxj.md").read_text("utf-8")
    assert SEED.is_file()


def test_the_unit_history_charts_budget_against_execution_with_a_table(site: Path) -> None:
    history = html.unescape((site / "units" / "guangshui-ldbxj" / "index.html").read_text("utf-8"))
    chart = history[history.index('<figure class="dc-chart">'):history.index("</figure>")]
    assert "2021年、2022年预算与执行（单位：万元）" in chart and chart.count("<rect") == 4 + 2  # bars + legend
    assert [t in chart for t in ("367.58", "360.23", "330.82")] == [True, True, True]
    table = history[history.index('class="dc-year-table dc-result-history"'):]
    table = table[:table.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", table.split("<tbody>")[1])]
    assert cells == ["2022", "367.58", "330.82", "90.00%", "93.7", "万元", "2021", "367.58", "360.23", "98.00%", "94.5",
                     "万元"]
