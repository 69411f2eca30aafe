"""The 项目支出绩效目标申报表's later parts: a unit's row without a project form, 可行性/必要性, the cost breakdown
(page, downloads, data package, search) and its rule; the project id's own title in its load errors."""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pytest
from conftest import SEED, copy_project
from test_project_form import EXAMPLE, PAGE, _disclose, check, found, line_of, published, write

from generator.check import Context

# The bundled example's cost breakdown adds up to its 年度资金总额 (4 + 3.5 + 2.5 = 10).
TEXTS = "feasibility: 可行性：经办系统已上线运行。\nnecessity: 必要性：保障待遇按时发放。\n"
ROW = """  - name: 另一个项目
    type: 一次性项目
    total_budget: 0
    budget: 0
"""


def _unit(folder: Path, extra_row: bool = False) -> Path:
    """The seed unit's form, with a second 项目支出情况 row (budget 0, so its sums still hold) if asked."""
    text = SEED.read_text("utf-8")
    if extra_row:
        anchor = "  - name: 工伤保险专项办公经费\n"
        assert anchor in text
        start = text.index(anchor)
        end = text.index("\n", text.index("purpose:", start)) + 1
        text = text[:end] + ROW + text[end:]
    return write(folder, text, "guangshui-ldbxj")


# -- PROJECT_FORM_MISSING ---------------------------------------------------------------------------------------


def test_a_row_without_its_project_form_is_noted_at_the_row(tmp_path: Path, context: Context) -> None:
    unit = _unit(tmp_path, extra_row=True)
    path = write(tmp_path, published())
    report = check(context, unit, path)
    assert found(report, unit) == [("PROJECT_FORM_MISSING", line_of(unit, "  - name: 另一个项目"), 11)]
    problem = next(p for p in report.problems_of(unit) if p.code == "PROJECT_FORM_MISSING")
    assert problem.severity.zh == "提示" and "另一个项目" in problem.message and not problem.blocks
    assert found(report, path) == []


def test_a_row_with_its_project_form_is_not_noted(tmp_path: Path, context: Context) -> None:
    unit = _unit(tmp_path)
    path = write(tmp_path, published())
    assert found(check(context, unit, path), unit) == []


def test_a_unit_without_any_project_form_has_its_rows_left_alone(tmp_path: Path, context: Context) -> None:
    """No project form for the unit's year at all is the ordinary case: no note per row."""
    unit = _unit(tmp_path, extra_row=True)
    assert found(check(context, unit), unit) == []


def test_a_project_form_of_another_year_does_not_count(tmp_path: Path, context: Context) -> None:
    unit = _unit(tmp_path, extra_row=True)
    other = tmp_path / "2022" / "guangshui-ldbxj--gsbx-office.yaml"
    other.parent.mkdir()
    other.write_text(published(**{"year: 2021": "year: 2022"}), "utf-8")  # from_year and to_year too
    assert found(check(context, unit, other), unit) == []


# -- the cost breakdown's rule ------------------------------------------------------------------------------------


def test_costs_that_do_not_add_up_to_the_annual_total_are_a_warning_naming_both(tmp_path: Path,
                                                                                context: Context) -> None:
    unit = _unit(tmp_path)
    path = write(tmp_path, published(**{"    amount: 4\n": "    amount: 4.5\n"}))
    report = check(context, unit, path)
    assert found(report, path) == [("COST_TOTAL", line_of(path, "costs:") + 1, 3)]  # the list, at its first row
    problem = next(p for p in report.problems_of(path) if p.code == "COST_TOTAL")
    total = line_of(path, "annual_funds:") + 1
    assert problem.severity.zh == "警告" and "10.5" in problem.message and f"第 {total} 行第 10 列" in problem.message


def test_costs_without_amounts_are_not_summed(tmp_path: Path, context: Context) -> None:
    unit = _unit(tmp_path)
    text = published()
    text = "\n".join(line for line in text.split("\n") if not line.startswith("    amount:"))
    path = write(tmp_path, text)
    assert found(check(context, unit, path), path) == []


def test_the_example_costs_add_up(tmp_path: Path, context: Context) -> None:
    assert found(check(context, _unit(tmp_path), write(tmp_path, published())), tmp_path / "2021" / EXAMPLE.name) == []


def test_a_cost_amount_is_money(tmp_path: Path, context: Context) -> None:
    path = write(tmp_path, published(**{"    amount: 3.5\n": "    amount: 3,5\n"}))
    assert ("AMOUNT_FORMAT", line_of(path, "    amount: 3,5"), 13) in found(check(context, _unit(tmp_path), path), path)


# -- the project id's load errors name the project id -------------------------------------------------------------


@pytest.mark.parametrize(("value", "code"), [("GSBX", "BAD_ID"), ("data", "RESERVED_ID"),
                                             ("x-13912345678", "UNIT_ID_PHONE")])
def test_a_bad_project_id_is_named_as_the_project_id(tmp_path: Path, context: Context, value: str,
                                                     code: str) -> None:
    path = write(tmp_path, published(**{"project_id: gsbx-office": f"project_id: {value}"}))
    report = check(context, path)
    problem = next(p for p in report.problems_of(path) if p.code == code)
    assert (problem.line, problem.col) == (line_of(path, "project_id:"), 13)
    assert problem.message.startswith("项目编号") and "单位编号" not in problem.message


def test_a_bad_unit_id_still_says_unit_id(tmp_path: Path, context: Context) -> None:
    path = write(tmp_path, published(**{"unit_id: guangshui-ldbxj": "unit_id: Guangshui"}))
    problem = next(p for p in check(context, path).problems_of(path) if p.code == "BAD_ID")
    assert problem.message.startswith("单位编号应为")


# -- published: page, downloads, data package, search -------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("parts") / "p")
    (project / "content" / "2021" / EXAMPLE.name).write_text(published(TEXTS), "utf-8")
    result = _disclose(project, "build", "-q")
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


DATA = "2021/data/guangshui-ldbxj--gsbx-office"
FILED = ["可行性：经办系统已上线运行。", "必要性：保障待遇按时发放。",
         "示例：办公用品及耗材", "示例：约 7000 份 × 5 元", "示例：按维护合同"]


def test_the_page_shows_the_texts_and_the_cost_table(site: Path) -> None:
    page = html.unescape((site / PAGE).read_text("utf-8"))
    for text in (*FILED, "成本构成", "2020 年实际执行数", "3.8", "3.5", "2.5"):
        assert text in page, text
    assert page.index("可行性：") < page.index("必要性：") < page.index("示例：办公用品及耗材")  # the printed order


def test_the_costs_csv_and_workbook_hold_the_breakdown(site: Path) -> None:
    rows = list(csv.reader(io.StringIO((site / f"{DATA}-costs.csv").read_text("utf-8-sig"))))
    assert rows[0][:3] == ["行号", "成本构成", "金额"]
    assert [r[1:4] for r in rows[1:]] == [["示例：办公用品及耗材", "4", "示例：按上年实际用量测算"],
                                         ["示例：业务资料印制", "3.5", "示例：约 7000 份 × 5 元"],
                                         ["示例：设备维护", "2.5", "示例：按维护合同"]]
    assert rows[1][4:] == ["3.8", ""]
    with zipfile.ZipFile(site / f"{DATA}.xlsx") as book:
        xml = html.unescape("".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")))
    assert "成本" in xml and all(text in xml for text in FILED)
    whole = json.loads((site / f"{DATA}.json").read_text("utf-8"))
    assert whole["feasibility"] == FILED[0] and whole["costs"][1]["amount"] == "3.5"


def test_the_data_package_has_the_cost_table_keyed_to_the_project(site: Path) -> None:
    package = json.loads((site / "2021" / "data" / "datapackage.json").read_text("utf-8"))
    costs = next(r for r in package["resources"] if r["name"] == "project_costs")
    assert costs["schema"]["primaryKey"] == ["year", "unit_id", "project_id", "line"]
    assert costs["schema"]["foreignKeys"] == [{"fields": ["year", "unit_id", "project_id"], "reference": {
        "resource": "project_forms", "fields": ["year", "unit_id", "project_id"]}}]
    forms_csv = (site / "2021" / "data" / "project_forms.csv").read_text("utf-8")
    assert FILED[0] in forms_csv and FILED[1] in forms_csv
    report = frictionless.validate(str(site / "2021" / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])
    rows = [dict(r) for r in frictionless.Resource(str(site / "2021" / "data" / "project_costs.csv")).read_rows()]
    assert len(rows) == 3


def test_search_finds_the_texts_and_the_costs(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    ours = [d for d in index["docs"] if d["location"].startswith("2021/guangshui-ldbxj--gsbx-office/")]
    text = html.unescape(" ".join(d["text"] for d in ours))
    assert all(t in text for t in FILED)
    anchors = {d["location"].partition("#")[2] for d in ours}
    assert {"可行性", "必要性", "成本构成"} <= anchors
