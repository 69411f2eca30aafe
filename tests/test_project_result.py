"""The 项目支出绩效自评表: its sums within the filed precision (failing and passing, exact code@line:col), its
editions, its pairing with the project's target form, and the matching of a result's indicators to the targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SEED
from test_project_form import EXAMPLE as PROJECT
from test_project_form import check, found, line_of, write

from generator import forms
from generator.check import Context
from generator.forms.results import MET, MISSED, NOT_COMPARABLE, attainment, match
from generator.load import load
from generator.model import Indicator, Text

RESULT = ROOT / "content" / "2021" / "guangshui-ldbxj--gsbx-office_result.yaml"
NAME = "guangshui-ldbxj--gsbx-office_result"
# 80.00 of 81.00 spent: 98.7654…%, filed as 98.77% (rounded: legitimate), 得分 10 × 98.77% = 9.877 → 9.88.
FUNDS = "  total: {initial: 10, budget: 10, spent: 9.5, points: 10, rate: 95.00%, score: 9.5}"
REASON = "    deviation: 示例：部分参保单位反映线上办理流程不熟悉；下一年度加强操作指引。\n"
ROUNDED = "  total: {initial: 81.00, budget: 81.00, spent: 80.00, points: 10, rate: 98.77%, score: 9.88}"
FISCAL = "  fiscal: {initial: 10, budget: 10, spent: 9.5}"
FISCAL_ROUNDED = "  fiscal: {initial: 81.00, budget: 81.00, spent: 80.00}"  # the parts still add up


def result(**changes: str) -> str:
    """The bundled example, published, with these changes (old → new)."""
    out = RESULT.read_text("utf-8").replace("status: draft", "status: published")
    for old, new in changes.items():
        assert old in out, old
        out = out.replace(old, new)
    return out


def col_of(line: str, key: str) -> int:
    """The column of a flow mapping's value (after `key: `), 1-based."""
    return line.index(f"{key}: ") + len(key) + 3


def corpus(tmp: Path, text: str, *, target: bool = True) -> tuple[list[Path], Path]:
    unit = write(tmp, SEED.read_text("utf-8"), "guangshui-ldbxj")
    files = [unit, write(tmp, PROJECT.read_text("utf-8").replace("status: draft", "status: published"),
                         "guangshui-ldbxj--gsbx-office")] if target else [unit]
    path = write(tmp, text, NAME)
    return [*files, path], path


def problems(context: Context, tmp: Path, text: str, *, target: bool = True) -> tuple[list[tuple[str, int, int]], Path]:
    files, path = corpus(tmp, text, target=target)
    return found(check(context, *files), path), path


def test_the_example_is_a_draft_result_that_checks_clean(context: Context, tmp_path: Path) -> None:
    doc, _ = load(RESULT)
    assert doc and doc.decl.status == "draft" and forms.kind_of(doc.decl).name == "project-result"
    assert found(check(context, SEED, PROJECT, RESULT), RESULT) == []


# -- the arithmetic: failing and passing ---------------------------------------------------------------------


def test_a_legitimately_rounded_rate_and_score_pass(context: Context, tmp_path: Path) -> None:
    """98.77% for 80.00/81.00 (98.7654…%) and 9.88 for 10 × it: within one unit of the last filed place."""
    found_, _ = problems(context, tmp_path, result(**{FUNDS: ROUNDED, FISCAL: FISCAL_ROUNDED,
                                                         "total_score: 95.5": "total_score: 95.88"}))
    assert found_ == []


@pytest.mark.parametrize(("rate", "score", "code", "key"), [
    ("98.70%", "9.87", "RESULT_RATE", "rate"),  # 98.7654…% is not 98.70% within ±0.01%
    ("98.77%", "9.5", "RESULT_BUDGET_SCORE", "score"),  # 10 × 98.77% = 9.877, not 9.5 within ±0.1
    ("98.77%", "10.5", "RESULT_SCORE_OVER", "score"),  # above its 分值 10
])
def test_a_budget_row_that_does_not_add_up(context: Context, tmp_path: Path, rate: str, score: str, code: str,
                                           key: str) -> None:
    line = ROUNDED.replace("98.77%", rate).replace("score: 9.88", f"score: {score}")
    total = {"9.87": "95.87", "9.5": "95.5", "10.5": "96.5"}[score]
    found_, path = problems(context, tmp_path, result(**{FUNDS: line, FISCAL: FISCAL_ROUNDED,
                                                             "total_score: 95.5": f"total_score: {total}"}))
    assert found_ == [(code, line_of(path, "  total:"), col_of(line, key))]


def test_a_total_row_that_is_not_the_sum_of_its_parts(context: Context, tmp_path: Path) -> None:
    found_, path = problems(context, tmp_path, result(**{FISCAL: FISCAL.replace("9.5", "9.4")}))
    assert found_ == [("RESULT_FUND_PARTS", line_of(path, "  total:"), col_of(FUNDS, "spent"))]
    partial = result(**{"  other: {initial: 0, budget: 0, spent: 0}": "  other: {initial: 0, budget: 0}",
                        FISCAL: FISCAL.replace("9.5", "9")})
    assert problems(context, tmp_path, partial)[0] == []  # a part left blank: nothing to add up


def test_an_indicator_scored_above_its_points(context: Context, tmp_path: Path) -> None:
    text = result(**{"score: 36": "score: 45", "total_score: 95.5": "total_score: 104.5"})
    found_, path = problems(context, tmp_path, text)
    assert found_ == [("RESULT_SCORE_OVER", line_of(path, "    score: 45"), 12)]


def test_points_that_do_not_add_up_to_100(context: Context, tmp_path: Path) -> None:
    found_, path = problems(context, tmp_path, result(**{"points: 40": "points: 45"}))
    assert found_ == [("RESULT_POINTS_SUM", line_of(path, "indicators:") + 1, 3)]


@pytest.mark.parametrize(("total", "flagged"), [("95.5", False), ("96", False), ("97", True), ("95.7", True)])
def test_the_total_is_the_sum_of_the_scores_within_its_precision(context: Context, tmp_path: Path, total: str,
                                                                 flagged: bool) -> None:
    """Σ 得分 = 95.5: "96" is it rounded to the units (legitimate), "97" and "95.7" are not."""
    found_, path = problems(context, tmp_path, result(**{"total_score: 95.5": f"total_score: {total}"}))
    assert found_ == ([("RESULT_TOTAL", line_of(path, "total_score:"), 14)] if flagged else [])


def test_a_miss_without_a_reason_is_a_warning_at_its_actual(context: Context, tmp_path: Path) -> None:
    text = result(**{REASON: ""})
    found_, path = problems(context, tmp_path, text)
    assert found_ == [("RESULT_NO_REASON", line_of(path, "    actual: 88%"), 13)]
    report = check(context, *corpus(tmp_path, text)[0])
    assert [p.severity.zh for p in report.problems_of(path)] == ["警告"]


def test_a_qualitative_actual_is_never_a_miss(context: Context, tmp_path: Path) -> None:
    text = result(**{REASON: "",
                     "actual: 88%": "actual: 基本满意"})
    assert problems(context, tmp_path, text)[0] == []


# -- editions ---------------------------------------------------------------------------------------------------

SICHUAN = {
    "money_unit: 万元": "money_unit: 万元\nedition: 四川",
    "    target: 100%\n    actual: 100%": "    nature: =\n    target: 100\n    measure: \"%\"\n    actual: 100",
    "    target: ≥90%\n    actual: 88%": "    nature: ≥\n    target: 90\n    measure: \"%\"\n    actual: 88",
}


def test_sichuan_splits_budget_10_and_indicators_90(context: Context, tmp_path: Path) -> None:
    assert problems(context, tmp_path, result(**SICHUAN))[0] == []
    found_, path = problems(context, tmp_path, result(**SICHUAN, **{"points: 40": "points: 45"}))
    assert found_ == [("RESULT_POINTS_SUM", line_of(path, "indicators:") + 1, 3)]  # 50 + 45 is not 90
    budget = FUNDS.replace("points: 10", "points: 20").replace("score: 9.5", "score: 19")
    text = result(**SICHUAN, **{FUNDS: budget, "total_score: 95.5": "total_score: 105"})
    found_, path = problems(context, tmp_path, text)
    assert found_ == [("RESULT_POINTS_SUM", line_of(path, "  total:"), col_of(budget, "points"))]  # 20 is not 10


def test_sichuan_glues_its_split_value_back_to_judge_a_miss(context: Context, tmp_path: Path) -> None:
    text = result(**SICHUAN, **{REASON: ""})
    found_, path = problems(context, tmp_path, text)
    assert found_ == [("RESULT_NO_REASON", line_of(path, "    actual: 88"), 13)]


def test_an_unknown_edition_is_a_bad_enum(context: Context, tmp_path: Path) -> None:
    found_, path = problems(context, tmp_path, result(**{"money_unit: 万元": "money_unit: 万元\nedition: 湖南"}))
    assert found_ == [("BAD_ENUM", line_of(path, "edition:"), 10)]


# -- a result and its target --------------------------------------------------------------------------------------


def test_a_result_without_its_target_form_is_a_note_and_once_published_an_error(context: Context, tmp_path: Path
                                                                                ) -> None:
    files, path = corpus(tmp_path, result().replace("status: published", "status: draft"), target=False)
    report = check(context, *files)
    assert [(p.code, p.line, p.col, p.severity.zh) for p in report.problems_of(path)] == [
        ("RESULT_NO_TARGET", line_of(path, "project_id:"), 13, "提示")]
    files, path = corpus(tmp_path / "published", result(), target=False)  # its data package key: nowhere to point
    report = check(context, *files)
    assert [(p.code, p.line, p.col, p.severity.zh) for p in report.problems_of(path)] == [
        ("RESULT_TARGET_MISSING", line_of(path, "project_id:"), 13, "错误")]


def test_a_target_without_its_result_is_a_note_once_its_year_is_closed(context: Context, tmp_path: Path) -> None:
    """2021's project form has no result, and 2022 has results: 2021 is closed."""
    unit = write(tmp_path, SEED.read_text("utf-8"), "guangshui-ldbxj")
    project = write(tmp_path, PROJECT.read_text("utf-8"), "guangshui-ldbxj--gsbx-office")
    later = tmp_path / "2022" / f"{NAME}.yaml"
    later.parent.mkdir()
    later.write_text(result(**{"year: 2021": "year: 2022"}), "utf-8")
    report = check(context, unit, project, later)
    assert [(p.code, p.line, p.col) for p in report.problems_of(project) if p.code != "VALUE_QUALITATIVE"] == [
        ("TARGET_NO_RESULT", line_of(project, "project_id:"), 13)]
    report = check(context, unit, project)  # no results at all: no year is known to be closed
    assert [p.code for p in report.problems_of(project) if p.code == "TARGET_NO_RESULT"] == []


def _ind(level1: str, level2: str, name: str, value: str = "1") -> Indicator:
    return Indicator(Text(level1), Text(level2), Text(name), Text(value))


def test_matching_exact_levels_first_then_the_name_alone_never_fuzzy() -> None:
    targets = [_ind("产出指标", "数量指标", "参保人数"), _ind("产出指标", "时效指标", "按时发放率"),
               _ind("效益指标", "社会效益", "满意度"), _ind("满意度指标", "服务对象满意度指标", "满意度")]
    results = [("产出指标", "时效指标", "按 时发放率"),  # whitespace normalised: exact
               ("产出指标", "质量指标", "参保人数"),  # 二级 differs: by its name alone (one unmatched target has it)
               ("效益指标", "经济效益", "满意度"),  # two targets named 满意度, neither exact: ambiguous, unmatched
               ("产出指标", "数量指标", "参保人员数")]  # a similar name is no match
    assert match(results, targets) == [1, 0, None, None]
    assert match(["满意度 ", "参保人数"], targets) == [None, 0]  # names only (the unit's result)


@pytest.mark.parametrize(("target", "actual", "verdict"), [
    ("≥90%", "88%", MISSED), ("≥90%", "90%", MET), ("100%", "100%", MET), ("50000", "50210", MET),
    ("≤5%", "6%", MISSED), ("=100", "100", MET), ("≥90%", "≥90%", NOT_COMPARABLE), ("90%", "90人", NOT_COMPARABLE),
    ("按上级文件要求时限内", "已按时完成", NOT_COMPARABLE), ("≥90%", None, NOT_COMPARABLE),
])
def test_attainment_compares_quantities_only(target: str, actual: str | None, verdict: str) -> None:
    assert attainment(target, actual).text == verdict


def test_a_published_result_of_a_draft_target_is_an_error(context: Context, tmp_path: Path) -> None:
    unit = write(tmp_path, SEED.read_text("utf-8"), "guangshui-ldbxj")
    project = write(tmp_path, PROJECT.read_text("utf-8"), "guangshui-ldbxj--gsbx-office")  # a draft
    path = write(tmp_path, result(), NAME)
    report = check(context, unit, project, path)
    assert [(p.code, p.line, p.col, p.severity.zh) for p in report.problems_of(path)] == [
        ("RESULT_TARGET_DRAFT", line_of(path, "project_id:"), 13, "错误")]
    draft = write(tmp_path, RESULT.read_text("utf-8"), NAME)  # both drafts: nothing to say
    assert check(context, unit, project, draft).problems_of(draft) == []
