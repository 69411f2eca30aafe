"""What the clerk reads: severities in Chinese, a --severity filter, escaped control characters, true titles."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import Context, Report, check_files
from generator.cli import main
from generator.config import Project
from generator.load import load
from generator.problems import Problem, Severity, code, headline, visible
from generator.render import Corpus, PageOptions, Renderer

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_TEXT = (ROOT / "tests/fixtures/valid/2021/minimal-unit.yaml").read_text(encoding="utf-8")
SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"
SUMMARY = "检查了 1 个文件：错误 0 个，警告 0 个，提示 8 个，已豁免 0 个"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(["-C", str(ROOT), "check", *args])
    return status, capsys.readouterr().out.splitlines()


# -- severities and the filter ------------------------------------------------------------------


def test_clean_seed_prints_only_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run(capsys, str(SEED))
    assert status == 0
    assert lines == [SUMMARY + "；其中 8 个未列出（--severity info 列出全部）"]


def test_severity_info_lists_the_notes_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run(capsys, str(SEED), "--severity", "info")
    assert status == 0 and lines[-1] == SUMMARY and len(lines) == 9
    assert all(": 提示[VALUE_QUALITATIVE] " in line for line in lines[:-1])
    assert not any("info[" in line for line in lines)


def project_with(tmp_path: Path, text: str, name: str = "minimal-unit") -> Path:
    root = tmp_path / "project"
    (root / "content" / "2021").mkdir(parents=True)
    (root / "site_config").symlink_to(ROOT / "site_config")
    (root / "content" / "2021" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


WARNING_AND_ERROR = MINIMAL_TEXT.replace("phone: 07226296906", "phone: 电话待定").replace(
    "type: 常年性项目", "type: 常性性项目")


@pytest.mark.parametrize(("args", "shown"), [
    ((), ["警告[PHONE_FORMAT]", "错误[PROJECT_TYPE]"]),
    (("--severity", "warning"), ["警告[PHONE_FORMAT]", "错误[PROJECT_TYPE]"]),
    (("--severity", "error"), ["错误[PROJECT_TYPE]"]),
])
def test_severity_is_the_least_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     args: tuple[str, ...], shown: list[str]) -> None:
    root = project_with(tmp_path, WARNING_AND_ERROR)
    assert main(["-C", str(root), "check", *args]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[1].split(" ")[0] for line in lines[:-1]] == shown
    assert lines[-1].startswith("检查了 1 个文件：错误 1 个，警告 1 个，提示 0 个，已豁免 0 个")


def test_json_keeps_english_values_and_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(ROOT), "check", str(SEED), "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)
    assert len(problems) == 8 and {p["severity"] for p in problems} == {"info"}
    assert main(["-C", str(ROOT), "check", str(SEED), "--format", "json", "--severity", "warning"]) == 0
    assert json.loads(capsys.readouterr().out) == []


# -- control characters quoted from the file -----------------------------------------------------


# A key, a date and an amount written with double-quoted escapes: they pass the raw-file scan.
def test_no_raw_control_character_reaches_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = MINIMAL_TEXT.replace("filing_date: 2021-01-28", 'filing_date: "2021-01-28\\e[8m"')
    text = text.replace("total_budget: 10,", 'total_budget: "10\\u202e01",')
    text += '"\\e[2K\\e[1A检查了 1 个文件：错误 0 个": 1\n'
    root = project_with(tmp_path, text)
    assert main(["-C", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert [line.split("[", 1)[1].split("]")[0] for line in out.splitlines()[:-1]] == \
        ["BAD_DATE", "AMOUNT_FORMAT", "UNKNOWN_KEY"]
    assert "\x1b" not in out and "\u202e" not in out
    assert "2021-01-28\\x1b[8m" in out and "10U+202E01" in out and "\\x1b[2K\\x1b[1A" in out


@pytest.mark.parametrize(("char", "shown"), [
    ("\x1b", "\\x1b"), ("\x07", "\\x07"), ("\x9b", "\\x9b"), ("\n", "\\x0a"), ("\r", "\\x0d"),
    ("\u202e", "U+202E"), ("\u2066", "U+2066"), ("\u200b", "U+200B"), ("\u2028", "U+2028"), ("\ufeff", "U+FEFF"),
])
def test_visible_escapes_every_invisible_character(char: str, shown: str) -> None:
    assert visible(f"a{char}b") == f"a{shown}b"
    assert visible("汉字 ≥95% （全角）") == "汉字 ≥95% （全角）"


def test_problem_format_is_escaped(tmp_path: Path) -> None:
    problem = code("BAD_DATE").at(tmp_path / "x\x1b.yaml", 1, 1, title="填报日期", actual="\x1b[32m全部通过")
    assert problem.format() == (f"{tmp_path}/x\\x1b.yaml:1:1: 错误[BAD_DATE] "
                                "填报日期不是有效日期（YYYY-MM-DD）：\\x1b[32m全部通过")
    assert problem.as_json()["message"].endswith("\x1b[32m全部通过")  # JSON escapes by itself


# -- -0 and the reserved id "data" --------------------------------------------------------------


@pytest.mark.parametrize("filed", ["-0", "-0.00", "-0.0"])
def test_signed_zero_is_a_format_error_not_negative(write_decl: Callable[..., Path], filed: str) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT.replace("total_budget: 10,", f"total_budget: {filed},")))
    assert [(p.line, p.col, p.code) for p in problems] == [(26, 45, "AMOUNT_FORMAT")]
    assert problems[0].message.endswith(f"实为 {filed}（零不带负号，请写作 {filed[1:]}）")


def test_negative_amount_is_still_negative(write_decl: Callable[..., Path]) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT.replace("total_budget: 10,", "total_budget: -0.01,")))
    assert [p.code for p in problems] == ["AMOUNT_NEGATIVE"]


def test_data_is_a_reserved_id(write_decl: Callable[..., Path]) -> None:
    path = write_decl(MINIMAL_TEXT.replace("unit_id: minimal-unit", "unit_id: data"), name="data")
    _, problems = load(path)
    assert [(p.line, p.col, p.code) for p in problems] == [(3, 10, "RESERVED_ID")]
    assert "data" in problems[0].message.split("（")[1]


# -- the preview's problem boxes ---------------------------------------------------------------


def problem(severity: Severity, waived: str | None = None) -> Problem:
    return Problem("f.yaml", 1, 1, severity, "X", "m", waived)


@pytest.mark.parametrize(("problems", "title"), [
    ([], "本表没有问题"),
    ([problem(Severity.INFO)] * 8, "本表没有错误，有 8 条提示（不影响公开）"),
    ([problem(Severity.WARNING), problem(Severity.INFO)], "本表没有错误，有 1 个警告、1 条提示（不影响公开）"),
    ([problem(Severity.ERROR), problem(Severity.ERROR, "原表如此")],
     "本表有 1 个错误、1 个已豁免的错误（错误须在公开前改正或豁免）"),
    ([problem(Severity.ERROR, "原表如此")], "本表没有未豁免的错误，有 1 个已豁免的错误（不影响公开）"),
])
def test_headline_says_what_is_true(problems: list[Problem], title: str) -> None:
    assert headline("本表", problems) == title


@pytest.fixture(scope="module")
def seed_report() -> Report:
    project = Project(ROOT)
    return check_files([SEED], Context(project.levels))


def renderer(report: Report) -> Renderer:
    by_file = {str(SEED): report.problems}
    return Renderer(Project(ROOT).levels, PageOptions(preview=True, problems=by_file), Project(ROOT).settings)


def test_preview_page_of_the_seed_does_not_ask_to_fix_errors(seed_report: Report) -> None:
    page = renderer(seed_report).declaration(seed_report.documents[0])
    assert "本表没有错误，有 8 条提示（不影响公开）" in page
    assert "公开前请处理错误" not in page and "提示[VALUE_QUALITATIVE]" in page and "info[" not in page


def test_empty_problem_list_page_confirms_there_are_none(seed_report: Report) -> None:
    page = renderer(seed_report).problem_list(Corpus.of(seed_report.documents))
    assert "没有问题" in page and "全部申报表都没有错误或警告" in page


def test_a_refused_build_lists_errors_not_the_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    (project / "content" / "2021").mkdir(parents=True)
    (project / "content" / "2021" / SEED.name).write_text(
        SEED.read_text(encoding="utf-8").replace("filing_date: 2021-01-28", "filing_date: 2021-02-30"), "utf-8")
    assert main(["-C", str(project), "build", "-q"]) == 1
    err = capsys.readouterr().err
    assert "错误[BAD_DATE]" in err and "提示[" not in err and "其中 8 个未列出" in err
    assert not (project / "site").exists()
