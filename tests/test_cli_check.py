"""`disclose check` as a user runs it: exit status, line format, JSON; the problem-code table."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.problems import CODES

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_TEXT = (ROOT / "tests/fixtures/valid/2021/minimal-unit.yaml").read_text(encoding="utf-8")
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>错误|警告|提示)(?:\(已豁免\))?"
    r"\[(?P<code>[A-Z0-9_]+)\] (?P<message>.+)$"
)
SEVERITY = {"错误": "error", "警告": "warning", "提示": "info"}  # printed in Chinese, JSON keeps the values
SUMMARY = re.compile(
    r"^检查了 (\d+) 个文件：错误 (\d+) 个，警告 (\d+) 个，提示 (\d+) 个，已豁免 (\d+) 个$")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of a minimal project: site_config/ and one clean declaration."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "site_config", root / "site_config")
    declaration = root / "content" / "2021" / "minimal-unit.yaml"
    declaration.parent.mkdir(parents=True)
    declaration.write_text(MINIMAL_TEXT, encoding="utf-8")
    return root


def disclose(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=60, check=False)


def problem_lines(stdout: str) -> list[re.Match[str]]:
    lines = stdout.splitlines()
    assert SUMMARY.match(lines[-1]), lines[-1]
    matches = [LINE.match(line) for line in lines[:-1]]
    assert all(matches), [line for line, m in zip(lines, matches, strict=False) if not m]
    return [m for m in matches if m]


def break_project(root: Path) -> None:
    """Three broken files: a loader error, two rule errors and a warning, and a duplicate."""
    content = root / "content" / "2021"
    (content / "tabbed.yaml").write_text(MINIMAL_TEXT.replace("  income:", "\tincome:"),
                                         encoding="utf-8")
    rules = MINIMAL_TEXT.replace("unit_id: minimal-unit", "unit_id: rules-unit")
    rules = rules.replace("type: 常年性项目", "type: 常性性项目").replace("≥95%", "120%")
    rules = rules.replace("share: 90%", "share: 80%")
    (content / "rules-unit.yaml").write_text(rules, encoding="utf-8")
    (content / "minimal-unit.yml").write_text(MINIMAL_TEXT, encoding="utf-8")


# What `disclose check` reports for break_project(), sorted by file, line, column and code.
BROKEN = [
    ("content/2021/minimal-unit.yml", 3, 10, "error", "DUPLICATE_DECLARATION"),
    ("content/2021/rules-unit.yaml", 18, 5, "error", "SHARE_SUM"),
    ("content/2021/rules-unit.yaml", 18, 39, "error", "SHARE_MISMATCH"),
    ("content/2021/rules-unit.yaml", 26, 24, "error", "PROJECT_TYPE"),
    ("content/2021/rules-unit.yaml", 34, 64, "warning", "RATE_OVER_100"),
    ("content/2021/tabbed.yaml", 13, 1, "error", "YAML_TAB"),
]


# -- exit status ------------------------------------------------------------------------------


def test_clean_content_exits_0(project: Path) -> None:
    result = disclose("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert problem_lines(result.stdout) == []
    assert SUMMARY.match(result.stdout.splitlines()[-1]).groups() == ("1", "0", "0", "0", "0")


def test_errors_exit_1_with_every_problem_of_every_file(project: Path) -> None:
    break_project(project)
    result = disclose("check", cwd=project)
    assert result.returncode == 1
    found = [(m["file"], int(m["line"]), int(m["col"]), SEVERITY[m["severity"]], m["code"])
             for m in problem_lines(result.stdout)]
    assert found == BROKEN
    assert SUMMARY.match(result.stdout.splitlines()[-1]).groups() == ("4", "5", "1", "0", "0")


def test_missing_path_exits_2(project: Path) -> None:
    result = disclose("check", "content/2099", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "content/2099" in result.stderr


def test_only_the_given_paths_are_checked(project: Path) -> None:
    break_project(project)
    result = disclose("check", "content/2021/minimal-unit.yaml", cwd=project)
    assert result.returncode == 0
    assert SUMMARY.match(result.stdout.splitlines()[-1]).group(1) == "1"


def test_dash_c_selects_the_project(project: Path, tmp_path: Path) -> None:
    break_project(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = disclose("-C", str(project), "check", cwd=elsewhere)
    assert result.returncode == 1
    files = {Path(m["file"]) for m in problem_lines(result.stdout)}
    assert files == {project / "content" / "2021" / n
                     for n in ("minimal-unit.yml", "rules-unit.yaml", "tabbed.yaml")}


# -- JSON -------------------------------------------------------------------------------------


def test_json_format(project: Path) -> None:
    break_project(project)
    result = disclose("check", "--format", "json", cwd=project)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [(p["file"], p["line"], p["col"], p["severity"], p["code"]) for p in problems] == BROKEN
    for p in problems:
        assert set(p) == {"file", "line", "col", "severity", "code", "message", "waived"}
        assert isinstance(p["line"], int) and isinstance(p["col"], int)
        assert p["message"] and p["waived"] is None


def test_json_of_clean_content_is_an_empty_list(project: Path) -> None:
    result = disclose("check", "--format", "json", cwd=project)
    assert result.returncode == 0 and json.loads(result.stdout) == []


# -- waivers on the command line (in-process: the same main() the command runs) ------------------


def test_waived_error_is_shown_but_exits_0(project: Path, capsys: pytest.CaptureFixture) -> None:
    declaration = project / "content" / "2021" / "minimal-unit.yaml"
    declaration.write_text(
        MINIMAL_TEXT.replace("total_budget: 10, budget: 10,", "total_budget: 10, budget: 9,")
        + "waivers:\n  - {code: PROJECT_SUM, reason: 原表如此填报}\n", encoding="utf-8")
    assert main(["-C", str(project), "check"]) == 0
    out = capsys.readouterr().out
    [match] = problem_lines(out)
    assert (match["line"], match["code"]) == ("19", "PROJECT_SUM")
    assert "错误(已豁免)[PROJECT_SUM]" in out and "原表如此填报" in out
    assert SUMMARY.match(out.splitlines()[-1]).groups() == ("1", "0", "0", "0", "1")

    assert main(["-C", str(project), "check", "--format", "json"]) == 0
    [problem] = json.loads(capsys.readouterr().out)
    assert problem["waived"] == "原表如此填报" and problem["severity"] == "error"


def test_the_seed_project_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(ROOT), "check", str(ROOT / "content" / "2021")]) == 0
    assert "错误[" not in capsys.readouterr().out


# -- docs/problem-codes.md lists exactly the codes -------------------------------------------------

DOC = ROOT / "docs" / "problem-codes.md"
ROW = re.compile(
    r"^\| `(?P<code>[A-Z0-9_]+)` \| (?P<level>[a-z]+) \| (?P<meaning>[^|]+) \| (?P<fix>[^|]+) \|$")


def documented() -> dict[str, str]:
    rows = [ROW.match(line) for line in DOC.read_text(encoding="utf-8").splitlines()]
    codes = [m["code"] for m in rows if m]
    assert len(codes) == len(set(codes)), "a code is listed twice in docs/problem-codes.md"
    return {m["code"]: m["level"] for m in rows if m}


def test_problem_code_table_lists_every_code() -> None:
    table = documented()
    missing = sorted(set(CODES) - set(table))
    unknown = sorted(set(table) - set(CODES))
    assert missing == [], f"codes missing from docs/problem-codes.md: {missing}"
    assert unknown == [], f"docs/problem-codes.md lists codes not in problems.CODES: {unknown}"


def test_problem_code_table_levels_match() -> None:
    table = documented()
    wrong = {c: (table[c], CODES[c].severity.value) for c in CODES
             if c in table and table[c] != CODES[c].severity.value}
    assert wrong == {}, "级别 in docs/problem-codes.md differs from the code's severity"
