"""The self-evaluations' arithmetic attacked with the cells a clerk really types: -0, a zero budget (执行率's
divisor), 1e3, 95% beside 95.00%, 1,234.50, full-width digits, a score above its points, a rate exactly half a
unit off. Each is a problem at its cell's file:line:col (or, where the form allows it, nothing), never a
traceback; `disclose check` says it as a clerk reads it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT

from generator.problems import Problem

PROJECT = (ROOT / "content" / "2021" / "guangshui-ldbxj--gsbx-office_result.yaml").read_text("utf-8")
UNIT = (ROOT / "content" / "2021" / "guangshui-ldbxj_result.yaml").read_text("utf-8")
ROW = "  total: {initial: 10, budget: 10, spent: 9.5, points: 10, rate: 95.00%, score: 9.5}"
PARTS = "  fiscal: {initial: 10, budget: 10, spent: 9.5}\n  carried: {initial: 0, budget: 0, spent: 0}\n" \
        "  other: {initial: 0, budget: 0, spent: 0}\n"
assert ROW in PROJECT and PARTS in PROJECT


def _row(**cells: str) -> str:
    """The 年度资金总额 row with these cells changed (the 其中 rows left out: they would add their own sums)."""
    row = ROW
    for name, value in cells.items():
        row = re.sub(rf"\b{name}: [^,}}]*", f"{name}: {value}", row)
    return PROJECT.replace(ROW, row).replace(PARTS, "")


def _at(text: str, line_start: str, key: str) -> tuple[int, int]:
    """(line, col) of the value of `key` on the line that starts so."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(line_start):
            return number, line.index(f" {key}: ") + len(key) + 4
    raise AssertionError(line_start)


def _found(run_check: Callable[..., object], path: Path) -> list[tuple[str, int, int]]:
    problems: list[Problem] = run_check(path).problems  # type: ignore[attr-defined]
    return sorted((p.code, p.line, p.col) for p in problems if p.severity.value != "info")


CASES = [  # (the cells changed, the problems: code and the cell it is at)
    ({"budget": "-0"}, [("AMOUNT_FORMAT", "budget")]),
    ({"rate": "-0%"}, [("SHARE_FORMAT", "rate")]),
    ({"budget": "1e3"}, [("AMOUNT_FORMAT", "budget")]),
    ({"spent": "9.5e0"}, [("AMOUNT_FORMAT", "spent")]),
    ({"budget": '"1,234.50"'}, [("AMOUNT_FORMAT", "budget")]),
    ({"budget": "１０"}, [("AMOUNT_FORMAT", "budget")]),
    ({"rate": "９５%"}, [("SHARE_FORMAT", "rate")]),
    ({"rate": "95％"}, [("SHARE_FORMAT", "rate")]),
    ({"rate": "95"}, [("SHARE_FORMAT", "rate")]),
    ({"rate": "95%"}, []),  # 95% and 95.00% are one rate, at two precisions
    ({"rate": "95.5%"}, [("RESULT_RATE", "rate")]),  # 0.5 off at a precision of 0.1
    ({"rate": "96.00%"}, [("RESULT_RATE", "rate")]),
    ({"score": "10.5"}, [("RESULT_SCORE_OVER", "score"), ("RESULT_TOTAL", None)]),
    ({"score": "8.9"}, [("RESULT_BUDGET_SCORE", "score"), ("RESULT_TOTAL", None)]),
    # rounding, not a ceiling: 9.4 of 10 is 94%; 10 points × 94% is 9.4, which no rounding makes 10; 1 of 3 is
    # 33.33…%, never 34% (the tolerance was one unit, so both passed)
    ({"spent": "9.4", "rate": "94%", "score": "9"}, [("RESULT_TOTAL", None)]),
    ({"spent": "9.4", "rate": "94%", "score": "10"}, [("RESULT_BUDGET_SCORE", "score"), ("RESULT_TOTAL", None)]),
    ({"budget": "3", "spent": "1", "rate": "34%", "score": "3.33"}, [("RESULT_RATE", "rate"), ("RESULT_TOTAL", None)]),
    ({"budget": "3", "spent": "1", "rate": "33.33%", "score": "3.33"}, [("RESULT_TOTAL", None)]),
    ({"rate": "95.01%"}, [("RESULT_RATE", "rate")]),
    # exactly half a unit: 1 ÷ 8 = 12.5%, filed 12% or 13% is rounding (one unit of the filed place); 11% is not
    ({"budget": "8", "spent": "1", "rate": "13%", "score": "1.25"}, [("RESULT_TOTAL", None)]),
    ({"budget": "8", "spent": "1", "rate": "12%", "score": "1.25"}, [("RESULT_TOTAL", None)]),
    ({"budget": "8", "spent": "1", "rate": "11%", "score": "1.25"}, [("RESULT_RATE", "rate"), ("RESULT_TOTAL", None)]),
    # a zero divisor: the rate cannot be computed, the filed one (or the spending) is said, not passed over
    ({"initial": "0", "budget": "0"}, [("RESULT_ZERO_BUDGET", "budget")]),
    ({"initial": "0", "budget": "0", "spent": "0"}, [("RESULT_ZERO_BUDGET", "budget")]),  # rate 95.00% of 0
    ({"initial": "0", "budget": "0", "spent": "0", "rate": "0%", "score": "0"}, [("RESULT_TOTAL", None)]),
    ({"budget": "0.00", "spent": "0.01", "rate": "~", "score": "~"}, [("RESULT_ZERO_BUDGET", "budget"),
                                                                     ("RESULT_TOTAL", None)]),
    # a blank budget: said where the 执行数 (else the rate) is, as blank as the form was filed
    ({"budget": "~"}, [("RESULT_NO_BUDGET", "spent")]),
    ({"budget": "~", "spent": "~"}, [("RESULT_NO_BUDGET", "rate")]),
    ({"budget": "~", "spent": "~", "rate": "~", "score": "~"}, [("RESULT_TOTAL", None)]),
]


@pytest.mark.parametrize(("cells", "expected"), CASES, ids=[" ".join(f"{k}={v}" for k, v in c.items())
                                                           for c, _ in CASES])
def test_project_result_cells(cells: dict[str, str], expected: list[tuple[str, str | None]],
                              write_decl: Callable[..., Path], run_check: Callable[..., object]) -> None:
    text = _row(**cells)
    total = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("total_score:"))
    places = [(code, *(_at(text, "  total:", key) if key else (total, 14))) for code, key in expected]
    assert _found(run_check, write_decl(text, name="guangshui-ldbxj--gsbx-office_result")) == sorted(places)


def test_unit_result_zero_budget(write_decl: Callable[..., Path], run_check: Callable[..., object]) -> None:
    text = UNIT.replace("budget: {initial: 367.58, budget: 367.58,", "budget: {initial: 0, budget: 0,")
    path = write_decl(text, name="guangshui-ldbxj_result")
    assert _found(run_check, path) == [("RESULT_ZERO_BUDGET", *_at(text, "budget:", "budget"))]


def test_the_clerk_reads_each_problem_at_its_cell_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "2021" / "guangshui-ldbxj--gsbx-office_result.yaml"
    path.parent.mkdir()
    path.write_text(_row(budget="0", rate="-0%", score="1e1"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "generator", "check", str(path)], capture_output=True, text=True,
                         encoding="utf-8", cwd=ROOT, timeout=120, check=False)
    assert out.returncode == 1 and "Traceback" not in out.stdout + out.stderr
    lines = [line for line in out.stdout.splitlines() if "错误[" in line]
    assert [re.sub(r"^.*?:(\d+:\d+): 错误\[(\w+)\].*$", r"\2@\1", line) for line in lines] == [
        "SHARE_FORMAT@14:65", "AMOUNT_FORMAT@14:77"], out.stdout
    assert "实为 1e1" in out.stdout and "实为 -0%" in out.stdout
