"""The 部门整体支出绩效自评表: its sums within the filed precision (failing and passing, exact code@line:col) and its
pairing with the unit's 部门整体 target form."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SEED
from test_project_form import check, found, line_of, write
from test_project_result import col_of

from generator import forms
from generator.check import Context
from generator.load import load

RESULT = ROOT / "content" / "2021" / "guangshui-ldbxj_result.yaml"
NAME = "guangshui-ldbxj_result"
BUDGET = "budget: {initial: 367.58, budget: 367.58, spent: 360.23, rate: 98.00%, points: 10, score: 9.8}"
SECOND = "coefficient: 90%, weight: 30, score: 27"  # the second indicator's scoring


def result(**changes: str) -> str:
    out = RESULT.read_text("utf-8").replace("status: draft", "status: published")
    for old, new in changes.items():
        assert old in out, old
        out = out.replace(old, new)
    return out


def problems(context: Context, tmp: Path, text: str, *, target: bool = True) -> tuple[list[tuple[str, int, int]], Path]:
    files = [write(tmp, SEED.read_text("utf-8"), "guangshui-ldbxj")] if target else []
    path = write(tmp, text, NAME)
    return found(check(context, *files, path), path), path


def test_the_example_is_a_draft_result_that_checks_clean(context: Context) -> None:
    doc, _ = load(RESULT)
    assert doc and doc.decl.status == "draft" and forms.kind_of(doc.decl).name == "department-result"
    assert found(check(context, SEED, RESULT), RESULT) == []


def test_the_rounded_rate_passes(context: Context, tmp_path: Path) -> None:
    """360.23 / 367.58 = 98.0004…%: 98.00% and 98% are it rounded (legitimate)."""
    assert problems(context, tmp_path, result(**{"rate: 98.00%": "rate: 98%"}))[0] == []


@pytest.mark.parametrize(("change", "code", "key"), [
    ({"rate: 98.00%": "rate: 97.90%"}, "RESULT_RATE", "rate"),  # not within ±0.01%
    ({"score: 9.8}": "score: 9.5}", "total_score: 94.5": "total_score: 94.2"}, "RESULT_BUDGET_SCORE", "score"),
    ({"points: 10, score: 9.8}": "points: 10, score: 11}", "total_score: 94.5": "total_score: 95.7"},
     "RESULT_SCORE_OVER", "score"),
])
def test_the_budget_execution_that_does_not_add_up(context: Context, tmp_path: Path, change: dict[str, str],
                                                   code: str, key: str) -> None:
    text = result(**change)
    found_, path = problems(context, tmp_path, text)
    line = next(x for x in text.splitlines() if x.startswith("budget:"))
    assert found_ == [(code, line_of(path, "budget:"), col_of(line, key))]


@pytest.mark.parametrize(("scoring", "total", "code"), [
    ("coefficient: 90%, weight: 30, score: 27.5", "95", "RESULT_INDICATOR_SCORE"),  # 30 × 90% = 27, not 27.5 ± 0.1
    ("coefficient: 90%, weight: 30, score: 31", "98.5", "RESULT_SCORE_OVER"),  # above its weight
])
def test_an_indicator_score(context: Context, tmp_path: Path, scoring: str, total: str, code: str) -> None:
    text = result(**{SECOND: scoring, "total_score: 94.5": f"total_score: {total}"})
    found_, path = problems(context, tmp_path, text)
    line = next(x for x in text.splitlines() if scoring in x)
    assert found_ == [(code, line_of(path, line), col_of(line, "score"))]


def test_an_indicator_score_rounded_within_its_precision_passes(context: Context, tmp_path: Path) -> None:
    """30 × 91.5% = 27.45, filed as 27.5 (one decimal): legitimate; 自评总分 94.5 + 0.5 = 95."""
    text = result(**{SECOND: "coefficient: 91.5%, weight: 30, score: 27.5", "total_score: 94.5": "total_score: 95"})
    assert problems(context, tmp_path, text)[0] == []


def test_weights_that_do_not_add_up_to_100(context: Context, tmp_path: Path) -> None:
    text = result(**{"coefficient: 100%, weight: 20": "coefficient: 80%, weight: 25"})
    found_, path = problems(context, tmp_path, text)
    assert found_ == [("RESULT_POINTS_SUM", line_of(path, "indicators:") + 1, 3)]


@pytest.mark.parametrize(("total", "flagged"), [("94.5", False), ("95", False), ("94", False), ("96", True),
                                                ("94.7", True)])
def test_the_total_is_the_sum_of_the_scores(context: Context, tmp_path: Path, total: str, flagged: bool) -> None:
    """Σ 得分 = 94.5: "95" and "94" are within one unit of their last place, "96" and "94.7" are not."""
    found_, path = problems(context, tmp_path, result(**{"total_score: 94.5": f"total_score: {total}"}))
    assert found_ == ([("RESULT_TOTAL", line_of(path, "total_score:"), 14)] if flagged else [])


def test_a_nature_other_than_quantitative_or_qualitative_is_a_bad_enum(context: Context, tmp_path: Path) -> None:
    text = result(**{"nature: 定性": "nature: 定向"})
    found_, path = problems(context, tmp_path, text)
    line = next(x for x in text.splitlines() if "定向" in x)
    assert found_ == [("BAD_ENUM", line_of(path, line), col_of(line, "nature"))]


def test_a_result_without_its_unit_form_is_a_note_and_once_published_an_error(context: Context, tmp_path: Path
                                                                              ) -> None:
    path = write(tmp_path, result().replace("status: published", "status: draft"), NAME)
    report = check(context, path)
    assert [(p.code, p.line, p.col, p.severity.zh) for p in report.problems_of(path)] == [
        ("RESULT_NO_TARGET", line_of(path, "unit_id:"), 10, "提示")]
    path = write(tmp_path / "published", result(), NAME)
    assert [(p.code, p.line, p.col, p.severity.zh) for p in check(context, path).problems_of(path)] == [
        ("RESULT_TARGET_MISSING", line_of(path, "unit_id:"), 10, "错误")]


def test_a_unit_form_without_its_result_is_a_note_once_its_year_is_closed(context: Context, tmp_path: Path) -> None:
    unit = write(tmp_path, SEED.read_text("utf-8"), "guangshui-ldbxj")
    later = tmp_path / "2022" / f"{NAME}.yaml"
    later.parent.mkdir()
    later.write_text(result(**{"year: 2021": "year: 2022"}), "utf-8")
    report = check(context, unit, later)
    notes = [(p.code, p.line, p.col, p.severity.zh) for p in report.problems_of(unit) if p.code == "TARGET_NO_RESULT"]
    assert notes == [("TARGET_NO_RESULT", line_of(unit, "unit_id:"), 10, "提示")]
    paired = write(tmp_path, result(), NAME)
    report = check(context, unit, later, paired)
    assert [p for p in report.problems_of(unit) if p.code == "TARGET_NO_RESULT"] == []
