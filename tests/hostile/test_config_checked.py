"""site_config/ is content too: checked by the strict loader, problems with file:line:col, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import typing
from pathlib import Path

import pytest
from conftest import copy_project

from generator.config import FILER_FIELDS, Project, ShowFiler, public_filer_fields
from generator.export import withhold
from generator.load import load
from generator.render import PageOptions

SEED = Path(__file__).resolve().parents[2] / "content" / "2021" / "guangshui-ldbxj.yaml"


Found = list[tuple[str, int, int, str]]


def problems_of(tmp_path: Path, site: str | None = None, indicators: str | None = None) -> Found:
    project = copy_project(tmp_path / "p", content=False)
    if site is not None:
        (project / "site_config" / "site.yml").write_text(site, encoding="utf-8")
    if indicators is not None:
        (project / "site_config" / "indicators.yml").write_text(indicators, encoding="utf-8")
    found = Project(project).config.problems
    return [(Path(p.file).name, p.line, p.col, p.code) for p in found]


def disclose(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(project), *args],
                          capture_output=True, text=True, timeout=300)


def test_the_shipped_config_is_clean(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == []


SITE_CASES = {
    "typo in show_filer": ("show_filer: None\n", [("site.yml", 1, 13, "BAD_ENUM")]),
    "null show_filer": ("show_filer: ~\n", [("site.yml", 1, 13, "WRONG_TYPE")]),
    "unknown key": ("site_nam: x\n", [("site.yml", 1, 1, "UNKNOWN_KEY")]),
    "site_url not http(s)": ("site_url: javascript:alert(1)/\n", [("site.yml", 1, 11, "CONFIG_SITE_URL")]),
    "site_url without trailing /": ("site_url: https://x.example/jxmb\n", [("site.yml", 1, 11, "CONFIG_SITE_URL")]),
    "site_url without host": ("site_url: https:///\n", [("site.yml", 1, 11, "CONFIG_SITE_URL")]),
    "site_code of 9 digits": ('site_code: "421381000"\n', [("site.yml", 1, 12, "CONFIG_SITE_CODE")]),
    "site_code with letters": ("site_code: 42138100OO\n", [("site.yml", 1, 12, "CONFIG_SITE_CODE")]),
    "a list for a text": ("publisher: [a, b]\n", [("site.yml", 1, 12, "WRONG_TYPE")]),
    "a list for the file": ("- a\n", [("site.yml", 1, 1, "ROOT_NOT_MAPPING")]),
    "syntax error": ("site_name: [x\n", [("site.yml", 2, 1, "YAML_SYNTAX")]),
    "duplicate key": ("publisher: a\npublisher: b\n", [("site.yml", 2, 1, "DUPLICATE_KEY")]),
    "a control character": ('contact: "a\\x07"\n', [("site.yml", 1, 10, "FILE_CONTROL_CHAR")]),
}


@pytest.mark.parametrize("name", list(SITE_CASES))
def test_site_yml_problems(tmp_path: Path, name: str) -> None:
    text, expected = SITE_CASES[name]
    assert problems_of(tmp_path, site=text) == expected


INDICATOR_CASES = {
    "level without a mapping": ("产出指标: null\n", [("indicators.yml", 1, 7, "WRONG_TYPE")]),
    "form not a list": ("产出指标:\n  form: 数量指标\n", [("indicators.yml", 2, 9, "WRONG_TYPE")]),
    "unknown key in a level": ("产出指标:\n  from: [数量指标]\n",
                               [("indicators.yml", 2, 3, "MISSING_KEY"), ("indicators.yml", 2, 3, "UNKNOWN_KEY")]),
    "a list for the file": ("- 产出指标\n", [("indicators.yml", 1, 1, "ROOT_NOT_MAPPING")]),
    "duplicate level": ("产出指标: {form: [a]}\n产出指标: {form: [b]}\n", [("indicators.yml", 2, 1, "DUPLICATE_KEY")]),
    "a number for a level name": ("1: {form: [a]}\n", []),  # "1" is a name like any other text
    "syntax error": ("产出指标: {form: [a\n", [("indicators.yml", 2, 1, "YAML_SYNTAX")]),
}


@pytest.mark.parametrize("name", list(INDICATOR_CASES))
def test_indicators_yml_problems(tmp_path: Path, name: str) -> None:
    text, expected = INDICATOR_CASES[name]
    assert problems_of(tmp_path, indicators=text) == expected


def test_every_problem_of_both_files_at_once(tmp_path: Path) -> None:
    site = "site_url: ftp://x/\nsite_code: 1\nshow_filer: all\nfoo: 1\n"
    found = problems_of(tmp_path, site=site, indicators="产出指标: 3\n")
    assert [(name, c) for name, _, _, c in found] == [
        ("site.yml", "CONFIG_SITE_URL"), ("site.yml", "CONFIG_SITE_CODE"), ("site.yml", "BAD_ENUM"),
        ("site.yml", "UNKNOWN_KEY"), ("indicators.yml", "WRONG_TYPE")]


def test_the_levels_are_read_from_a_valid_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    (project / "site_config" / "indicators.yml").write_text("产出指标:\n  form: [甲]\n  variants: [乙]\n", "utf-8")
    levels = Project(project).levels
    assert list(levels) == ["产出指标"] and levels["产出指标"].admits("乙") and levels["产出指标"].form == ("甲",)


def test_a_missing_file_means_the_defaults(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    (project / "site_config" / "site.yml").unlink()
    (project / "site_config" / "indicators.yml").unlink()
    loaded = Project(project)
    assert loaded.config.problems == [] and loaded.settings == {"show_filer": "name_and_phone"}
    assert list(loaded.levels) == ["产出指标", "效益指标", "满意度指标"]


BAD_SITE = "site_name: 站\nshow_filer: None\nsite_url: https://x.example/a\n"


def test_check_reports_config_problems_with_places(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "site_config" / "site.yml").write_text(BAD_SITE, encoding="utf-8")
    (project / "site_config" / "indicators.yml").write_text("产出指标: [\n", encoding="utf-8")
    run = disclose(project, "check")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert "site_config/site.yml:2:13: 错误[BAD_ENUM]" in run.stdout
    assert "site_config/site.yml:3:11: 错误[CONFIG_SITE_URL]" in run.stdout
    assert "site_config/indicators.yml:2:1: 错误[YAML_SYNTAX]" in run.stdout
    as_json = json.loads(disclose(project, "check", "--format", "json").stdout)
    assert {p["code"] for p in as_json} >= {"BAD_ENUM", "CONFIG_SITE_URL", "YAML_SYNTAX"}


def test_build_refuses_a_bad_config_and_leaves_site_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("as published", encoding="utf-8")
    (project / "site_config" / "site.yml").write_text(BAD_SITE, encoding="utf-8")
    run = disclose(project, "build", "-q")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "site_config/site.yml:2:13: 错误[BAD_ENUM]" in run.stderr
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "as published"


def test_serve_reports_a_bad_config_without_a_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "site_config" / "indicators.yml").write_text("- 产出指标\n", encoding="utf-8")
    run = disclose(project, "serve", "--port", "0", "-q")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "site_config/indicators.yml:1:1: 错误[ROOT_NOT_MAPPING]" in run.stderr


# -- show_filer: one function decides, pages and downloads use it --------------------------------

@pytest.mark.parametrize(("show", "shown"), [("name_and_phone", {"filer", "phone"}), ("name", {"filer"}),
                                             ("none", set())])
def test_pages_and_downloads_show_the_same_of_the_filer(show: str, shown: set[str]) -> None:
    doc, _ = load(SEED)
    assert doc is not None
    assert public_filer_fields(show) == shown == set(PageOptions(show_filer=show).public_filer)
    kept = withhold(doc.decl, show)
    assert {name for name in ("filer", "phone") if getattr(kept, name) is not None} == shown


def test_an_unknown_show_filer_value_publishes_nothing_of_the_filer() -> None:
    # The loader refuses it first; should one reach here anyway, nothing of the filer is public.
    assert public_filer_fields("None") == frozenset()
    assert set(FILER_FIELDS) == set(typing.get_args(ShowFiler)) == {"name_and_phone", "name", "none"}


def _public_files(site: Path) -> dict[str, bytes]:
    """Every file of the built site, zipped workbooks unpacked (their XML carries the cells' text)."""
    import zipfile

    out = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                out.update({f"{path}!{name}": book.read(name) for name in book.namelist()})
        elif path.is_file():
            out[str(path)] = path.read_bytes()
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("show", "absent"), [("name", ["1599785", "6299", "联系电话</dt>"]),
                                              ("none", ["姚尧", "1599785", "6299", "填报人</dt>"])])
def test_a_build_publishes_no_more_of_the_filer_than_show_filer_allows(tmp_path: Path, show: str,
                                                                       absent: list[str]) -> None:
    project = copy_project(tmp_path / "p")
    settings = project / "site_config" / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace("show_filer: name_and_phone", f"show_filer: {show}"),
                        encoding="utf-8")
    run = disclose(project, "build", "-q")
    assert run.returncode == 0, run.stderr
    files = _public_files(project / "site")
    assert any(name.endswith("guangshui-ldbxj.yaml") for name in files)
    assert any(name.endswith("guangshui-ldbxj.json") for name in files)
    for name, data in files.items():
        text = data.decode("utf-8", errors="replace")
        assert not [a for a in absent if a in text], name
    if show == "name":
        assert "姚尧" in (project / "site/2021/guangshui-ldbxj/index.html").read_text("utf-8")


@pytest.mark.slow
def test_a_config_broken_while_serving_is_listed_and_fixed(tmp_path: Path) -> None:
    from test_serve import fetch, free_port, poll

    project = copy_project(tmp_path / "p")
    settings = project / "site_config" / "site.yml"
    good = settings.read_text(encoding="utf-8")
    port = free_port()
    log = tmp_path / "stderr.txt"
    with log.open("wb") as err:
        server = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project), "serve", "--port", str(port),
                                   "-q"], stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        poll(base + "/problems/", "问题清单", server, timeout=90)
        settings.write_text(good.replace("show_filer: name_and_phone", "show_filer: None"), encoding="utf-8")
        listed = poll(base + "/problems/", "BAD_ENUM", server)
        assert "site_config/site.yml" in listed
        settings.write_text(good, encoding="utf-8")
        deadline = time.monotonic() + 60
        while "BAD_ENUM" in (fetch(base + "/problems/") or "BAD_ENUM"):
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)
    console = log.read_text(encoding="utf-8")
    assert "site.yml:" in console and "错误[BAD_ENUM]" in console and "Traceback" not in console
