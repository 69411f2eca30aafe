"""The 项目支出绩效目标申报表: its rules, its links with the unit's form, and every filed value published."""

from __future__ import annotations

import html
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, SEED, copy_project
from test_schema import as_json

from generator import forms
from generator.check import Context, Report, check_files
from generator.forms.project.model import ProjectForm
from generator.load import compose, convert, load
from generator.model import Money
from generator.privacy import mask_text, texts
from generator.schema import json_schema

EXAMPLE = ROOT / "content" / "2021" / "guangshui-ldbxj--gsbx-office.yaml"
MOBILE = "13912345678"
EXTRA = f"""project_code: 51000021R000000019951
leader: 张三
phone: {MOBILE}
overview: 项目概况：保障工伤保险经办<b>正常</b>运转。
basis: 立项依据：《工伤保险条例》。
schedule: 实施进度计划：全年。
"""


def published(text: str = "", **changes: str) -> str:
    """The bundled example, published, with the older template's fields and these changes (old → new)."""
    out = EXAMPLE.read_text("utf-8").replace("status: draft", "status: published")
    if "project_code:" in text:  # the example leaves it blank
        out = "\n".join(line for line in out.split("\n") if not line.startswith("project_code:"))
    out += text
    for old, new in changes.items():
        assert old in out, old
        out = out.replace(old, new)
    return out


def write(folder: Path, text: str, name: str = "guangshui-ldbxj--gsbx-office") -> Path:
    path = folder / "2021" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def check(context: Context, *paths: Path) -> Report:
    return check_files(list(paths), context)


def found(report: Report, path: Path) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.col) for p in report.problems_of(path) if p.code != "VALUE_QUALITATIVE"]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line.startswith(text))


def test_the_example_is_a_draft_project_form_of_the_seed_unit(context: Context) -> None:
    doc, _ = load(EXAMPLE)
    assert doc and isinstance(doc.decl, ProjectForm) and doc.decl.status == "draft"
    assert forms.kind_of(doc.decl).name == "project"
    report = check(context, SEED, EXAMPLE)
    assert found(report, EXAMPLE) == []


def test_the_example_validates_against_its_schema() -> None:
    data = as_json(yaml.safe_load(EXAMPLE.read_text("utf-8")))
    schema = json_schema(forms.KINDS["project"])
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    committed = json.loads((ROOT / "generator" / "schema" / "project.schema.json").read_text("utf-8"))
    assert committed == schema


# -- rules of the kind: failing and passing, exact code@line:col ----------------------------------------------


@pytest.mark.parametrize(("change", "code", "where"), [
    ({"annual_funds:\n  total: 10\n  fiscal: 10": "annual_funds:\n  total: 10\n  fiscal: 9.5"}, "FUND_TOTAL",
     ("annual_funds:", 1, 10)),
    ({"  other: 0\nannual_funds:": "  other: 0.01\nannual_funds:"}, "FUND_TOTAL", ("mid_term_funds:", 1, 10)),
    ({"mid_term_funds:\n  total: 10\n  fiscal: 10": "mid_term_funds:\n  total: 9\n  fiscal: 9"},
     "PROJECT_ANNUAL_OVER_MID", ("annual_funds:", 1, 10)),
    ({"from_year: 2021": "from_year: 2022", "to_year: 2021": "to_year: 2023"}, "PROJECT_PERIOD",
     ("from_year:", 0, 12)),
    ({"to_year: 2021": "to_year: 2020", "from_year: 2021": "from_year: 2019"}, "PROJECT_PERIOD",
     ("from_year:", 0, 12)),
    ({"level1: 产出指标\n    level2: 时效指标": "level1: 产出\n    level2: 时效指标"}, "LEVEL1_UNKNOWN",
     ("annual_indicators:", 1, 13)),
    ({"value: 100%": "value: 120%"}, "RATE_OVER_100", ("    value: 100%", 0, 12)),
])
def test_a_rule_fails(tmp_path: Path, context: Context, change: dict[str, str], code: str,
                      where: tuple[str, int, int]) -> None:
    unit = write(tmp_path, SEED.read_text("utf-8"), "guangshui-ldbxj")
    path = write(tmp_path, published(**change))
    start, below, col = where
    line = line_of(write(tmp_path / "orig", published()), start) + below
    assert found(check(context, unit, path), path) == [(code, line, col)]


def test_the_rules_pass_on_the_example_published_with_every_field(tmp_path: Path, context: Context) -> None:
    unit = write(tmp_path, SEED.read_text("utf-8"), "guangshui-ldbxj")
    path = write(tmp_path, published(EXTRA))
    assert found(check(context, unit, path), path) == []


def test_a_file_name_other_than_unit_and_project_is_refused(tmp_path: Path, context: Context) -> None:
    path = write(tmp_path, published(), "guangshui-ldbxj-gsbx-office")
    assert ("FILE_NAME", line_of(path, "project_id:"), 13) in found(check(context, path), path)


# -- across forms -----------------------------------------------------------------------------------------------


def test_a_project_without_its_unit_form_is_a_warning_at_its_unit_id(tmp_path: Path, context: Context) -> None:
    path = write(tmp_path, published().replace("status: published", "status: draft"))
    assert found(check(context, path), path) == [("PROJECT_NO_UNIT_FORM", line_of(path, "unit_id:"), 10)]
    path = write(tmp_path / "published", published())  # project_forms' key to declarations: nowhere to point
    assert found(check(context, path), path) == [("PROJECT_UNIT_UNPUBLISHED", line_of(path, "unit_id:"), 10)]


def test_a_project_not_in_the_unit_form_is_a_warning_at_its_name(tmp_path: Path, context: Context) -> None:
    unit = write(tmp_path, SEED.read_text("utf-8"), "guangshui-ldbxj")
    path = write(tmp_path, published(**{"project_name: 工伤保险专项办公经费": "project_name: 另一个项目"}))
    report = check(context, unit, path)
    assert found(report, path) == [("PROJECT_NOT_LISTED", line_of(path, "project_name:"), 15)]
    # the unit's row, which no project form now names, is noted too (each side of the mismatch as what it is)
    assert found(report, unit) == [("PROJECT_FORM_MISSING", line_of(unit, "  - name: 工伤保险专项办公经费"), 11)]


def test_a_budget_that_disagrees_with_the_unit_row_names_both_places(tmp_path: Path, context: Context) -> None:
    unit = write(tmp_path, SEED.read_text("utf-8").replace("    budget: 10\n", "    budget: 8\n"), "guangshui-ldbxj")
    path = write(tmp_path, published())
    report = check(context, unit, path)
    problems = [p for p in report.problems_of(path) if p.code == "PROJECT_BUDGET_DIFFERS"]
    assert [(p.line, p.col) for p in problems] == [(line_of(path, "annual_funds:") + 1, 10)]
    assert f"{unit}:{line_of(unit, '    budget: 8')}:13" in problems[0].message
    assert problems[0].blocks


# -- a built corpus with a published project form ---------------------------------------------------------------


def _disclose(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(project), *args],
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("projects") / "p")
    (project / "content" / "2021" / EXAMPLE.name).write_text(published(EXTRA), "utf-8")
    result = _disclose(project, "build", "-q")
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def _filed(text: str) -> list[str]:
    """Every filed text and amount of the published form, as the public site shows it (masked)."""
    decl = _loaded(text)
    return [mask_text(value) for _, _, value in texts(decl)] + [m.text for m in _money(decl)]


def test_golden_markdown(site: Path, request: pytest.FixtureRequest) -> None:
    """The project page's Markdown (the example published with every field), against its checked-in golden."""
    golden = ROOT / "tests" / "golden" / "guangshui-ldbxj--gsbx-office.md"
    actual = (site.parent / "build" / "public" / "2021" / "docs" / golden.name).read_text("utf-8")
    if request.config.getoption("--update-goldens"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text("utf-8"), "rendered Markdown changed: review, then pytest --update-goldens"


def _loaded(text: str) -> ProjectForm:
    node, _ = compose(Path("x.yaml"), text)
    assert node is not None
    decl, converter = convert(Path("x.yaml"), node)
    assert isinstance(decl, ProjectForm) and not converter.problems
    return decl


def _money(decl: ProjectForm) -> list[Money]:
    return [m for funds in (decl.mid_term_funds, decl.annual_funds)
            for m in (funds.total, funds.fiscal, funds.other) if m is not None]


PAGE = "2021/guangshui-ldbxj--gsbx-office/index.html"
DATA = "2021/data/guangshui-ldbxj--gsbx-office"


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("name", ["page", ".json", ".yaml", "csv", ".xlsx"])
def test_every_filed_value_is_published(site: Path, name: str) -> None:
    filed = _filed(published(EXTRA))
    if name == "page":
        shown = html.unescape((site / PAGE).read_text("utf-8"))
    elif name == "csv":
        shown = "".join((site / f"{DATA}{s}").read_text("utf-8-sig") for s in ("-funds.csv", "-indicators.csv"))
        filed = [t for t in filed if t in _table_values()]
    elif name == ".xlsx":
        shown = html.unescape(_xlsx_text((site / f"{DATA}.xlsx").read_bytes()))
    else:
        shown = (site / f"{DATA}{name}").read_text("utf-8")
        if name == ".json":
            shown = json.dumps(json.loads(shown), ensure_ascii=False)
    missing = [t for t in filed if t not in shown]
    assert missing == []


def _table_values() -> set[str]:
    decl = _loaded(published(EXTRA))
    return {str(i.name) for i in (*decl.mid_term_indicators, *decl.annual_indicators)} | {
        str(i.value) for i in (*decl.mid_term_indicators, *decl.annual_indicators)} | {m.text for m in _money(decl)}


def test_the_mobile_is_masked_everywhere(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    assert [p for p in files if MOBILE.encode() in p.read_bytes()] == []
    assert mask_text(MOBILE) in html.unescape((site / PAGE).read_text("utf-8"))


def test_the_pages_link_each_other(site: Path) -> None:
    unit = (site / "2021" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    project = (site / PAGE).read_text("utf-8")
    year = (site / "2021" / "index.html").read_text("utf-8")
    assert 'href="../guangshui-ldbxj--gsbx-office/"' in unit
    assert 'href="../guangshui-ldbxj/"' in project
    assert 'href="guangshui-ldbxj--gsbx-office/"' in year
    history = (site / "units" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    assert 'href="../../2021/guangshui-ldbxj--gsbx-office/"' in history


def test_search_finds_the_project(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    locations = [d["location"] for d in index["docs"]]
    assert any(loc.startswith("2021/guangshui-ldbxj--gsbx-office/") for loc in locations)


def test_the_data_package_holds_the_project_tables(site: Path) -> None:
    package = json.loads((site / "2021" / "data" / "datapackage.json").read_text("utf-8"))
    names = [r["name"] for r in package["resources"]]
    assert {"project_forms", "project_funds", "project_indicators"} <= set(names)
    forms_csv = (site / "2021" / "data" / "project_forms.csv").read_text("utf-8")
    assert "工伤保险专项办公经费" in forms_csv and MOBILE not in forms_csv
    assert (site / "data" / "project.schema.json").is_file()


def test_show_filer_none_withholds_the_leader_and_phone(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "content" / "2021" / EXAMPLE.name).write_text(published(EXTRA), "utf-8")
    config = project / "site_config" / "site.yml"
    config.write_text(config.read_text("utf-8").replace("show_filer: name_and_phone", "show_filer: none"), "utf-8")
    result = _disclose(project, "build", "-q")
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    for name in (PAGE, f"{DATA}.json", f"{DATA}.yaml", "2021/data/project_forms.csv"):
        text = (site / name).read_text("utf-8")
        assert "张三" not in text and mask_text(MOBILE) not in text, name



def test_the_preview_problem_list_names_a_project_form(tmp_path: Path, context: Context) -> None:
    from generator.render import Corpus, PageOptions, Renderer

    unit = write(tmp_path, SEED.read_text("utf-8"), "guangshui-ldbxj")
    path = write(tmp_path, published(**{"  other: 0\nmid_term_goal:": "  other: 1\nmid_term_goal:"}))
    report = check(context, unit, path)
    options = PageOptions(preview=True, problems={str(path): report.problems_of(path)})
    page = Renderer(context.levels, options, {}).problem_list(Corpus.of(report.documents))
    assert "FUND_TOTAL" in page and 'href="2021/guangshui-ldbxj--gsbx-office/"' in page
