"""The check rules: for each, a failing case with its exact (line, col, code), and passing cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import declaration_files
from generator.forms.department.rules import RULES
from generator.problems import CODES, Problem, Severity

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_TEXT = (ROOT / "tests/fixtures/valid/2021/minimal-unit.yaml").read_text(encoding="utf-8")
SEED_TEXT = (ROOT / "content/2021/guangshui-ldbxj.yaml").read_text(encoding="utf-8")
GOAL_INDICATORS = MINIMAL_TEXT[MINIMAL_TEXT.index("      indicators:"):]  # the file's last lines
APPEND = None  # an edit whose "old" is APPEND adds its text at the end of the file

Edit = tuple[str | None, str]


def found(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in problems]


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    for old, new in edits:
        if old is APPEND:
            text += new
        else:
            assert text.count(old) == 1, f"{old!r} must occur exactly once"
            text = text.replace(old, new)
    return text


# Each case: (rule, id, base, edits, expected problems). Cases with expected == [] are the passing
# ones. Seed-based cases ignore the seed's eight VALUE_QUALITATIVE notes (see test_seed.py).
CASES: list[tuple[str, str, str, tuple[Edit, ...], list[tuple[int, int, str]]]] = [
    # -- header
    ("publication_in_time", "21 days late", "minimal",
     ((APPEND, "approval_date: 2021-02-01\npublication_date: 2021-02-22\n"),),
     [(36, 19, "LATE_PUBLICATION")]),
    ("publication_in_time", "20 days in time", "minimal",
     ((APPEND, "approval_date: 2021-02-01\npublication_date: 2021-02-21\n"),), []),
    ("publication_in_time", "published before approval", "minimal",
     ((APPEND, "approval_date: 2021-02-01\npublication_date: 2021-01-31\n"),),
     [(36, 19, "PUBLISHED_BEFORE_APPROVAL")]),
    ("publication_in_time", "no approval date", "minimal",
     ((APPEND, "publication_date: 2021-12-31\n"),), []),
    ("phone_format", "not a number", "minimal", (("phone: 07226296906", "phone: 电话待定"),),
     [(9, 8, "PHONE_FORMAT")]),
    ("phone_format", "landline with dash", "minimal",
     (("phone: 07226296906", "phone: 0722-6296906"),), []),
    ("phone_format", "mobile with country code", "minimal",
     (("phone: 07226296906", "phone: +86 159 9785 6299"),), []),
    ("phone_format", "ideographic spaces", "minimal",
     (("phone: 07226296906", "phone: 159\u30009785\u30006299"),), [(9, 8, "PHONE_FORMAT")]),
    ("personal_data", "personal e-mail in a text", "minimal",
     (("  - 1. 职能一。", "  - 1. 职能一，邮箱 zs@qq.com"),), [(22, 15, "PERSONAL_EMAIL")]),
    ("personal_data", "ID number in a text", "minimal",
     (("  - 1. 任务一。", "  - 1. 任务一 11010519491231002X"),), [(24, 12, "ID_CARD_NUMBER")]),
    ("personal_data", "the bureau's address", "minimal",
     (("  - 1. 职能一。", "  - 1. 职能一，邮箱 office@czj.gov.cn"),), []),
    # -- funding
    ("history_shape", "row with one history value", "minimal",
     (("history: [0, 5]", "history: [0]"),), [(19, 53, "HISTORY_LENGTH")]),
    ("history_shape", "total with one history value", "minimal",
     (("income_total: {amount: 100, share: 100%, history: [90, 95]}",
       "income_total: {amount: 100, share: 100%, history: [90]}"),), [(16, 53, "HISTORY_LENGTH")]),
    ("history_shape", "history years not the two previous years", "minimal",
     (("history_years: [2019, 2020]", "history_years: [2018, 2020]"),),
     [(12, 18, "HISTORY_YEARS")]),
    ("history_shape", "blank history years as filed", "minimal",
     (("history_years: [2019, 2020]", "history_years: [~, ~]"),), []),
    ("totals_add_up", "income total off by 0.01", "minimal",
     (("income_total: {amount: 100,", "income_total: {amount: 100.01,"),),
     [(16, 26, "INCOME_TOTAL")]),  # not also UNBALANCED: the rows balance (one mistake, one error)
    ("totals_add_up", "income total off by 0.01 in a history column", "minimal",
     (("history: [90, 95]}\n  expenditure:", "history: [90, 95.01]}\n  expenditure:"),),
     [(16, 58, "INCOME_TOTAL")]),
    ("totals_add_up", "expenditure total off by 0.01", "minimal",
     (("expenditure_total: {amount: 100,", "expenditure_total: {amount: 100.01,"),),
     [(20, 31, "EXPENDITURE_TOTAL")]),
    ("totals_add_up", "seed income total off by 0.01", "seed",
     (("  income_total:\n    amount: 367.58", "  income_total:\n    amount: 367.59"),),
     [(25, 13, "INCOME_TOTAL")]),
    ("totals_add_up", "seed 基本支出 off by 0.01", "seed",
     (("amount: 357.58", "amount: 357.59"),),
     [(38, 13, "EXPENDITURE_TOTAL")]),  # its share 97.27% still fits the filed total 367.58
    ("totals_add_up", "seed totals as filed, every column", "seed", (), []),
    ("totals_add_up", "blank total amount is not checked", "minimal",
     (("income_total: {amount: 100,", "income_total: {amount: ~,"),), []),
    ("budget_balances", "seed balanced in every column", "seed", (), []),
    ("budget_balances", "income exceeds expenditure", "minimal",
     (("{name: 财政拨款, amount: 100,", "{name: 财政拨款, amount: 110,"),
      ("income_total: {amount: 100,", "income_total: {amount: 110,")),
     [(20, 31, "UNBALANCED")]),
    ("budget_balances", "unbalanced without total rows", "minimal",
     (("{name: 财政拨款, amount: 100,", "{name: 财政拨款, amount: 110,"),
      ("  income_total: {amount: 100, share: 100%, history: [90, 95]}", "  # 合计未填"),
      ("  expenditure_total: {amount: 100, share: 100%, history: [90, 95]}", "  # 合计未填")),
     [(12, 3, "UNBALANCED")]),
    ("shares_agree", "shares not matching the amounts", "minimal",
     (("share: 90%", "share: 80%"), ("share: 10%", "share: 20%")),
     [(18, 39, "SHARE_MISMATCH"), (19, 39, "SHARE_MISMATCH")]),
    ("shares_agree", "shares within rounding but not summing to 100%", "minimal",
     (("share: 90%", "share: 90.01%"), ("share: 10%", "share: 10.01%")),
     [(18, 5, "SHARE_SUM")]),
    ("shares_agree", "seed 97.27% and 2.73% as filed", "seed", (), []),
    ("shares_agree", "seed exact rounding 97.28% and 2.72%", "seed",
     (("share: 97.27%", "share: 97.28%"), ("share: 2.73%", "share: 2.72%")), []),
    ("shares_agree", "seed 98.27%", "seed", (("share: 97.27%", "share: 98.27%"),),
     [(29, 5, "SHARE_SUM"), (31, 14, "SHARE_MISMATCH")]),
    ("shares_agree", "seed 97.26% and 2.74%: beyond rounding though summing to 100%", "seed",
     (("share: 97.27%", "share: 97.26%"), ("share: 2.73%", "share: 2.74%")),
     [(31, 14, "SHARE_MISMATCH"), (35, 14, "SHARE_MISMATCH")]),
    ("total_shares", "合计 占比 3%", "minimal",
     (("income_total: {amount: 100, share: 100%", "income_total: {amount: 100, share: 3%"),),
     [(16, 38, "TOTAL_SHARE")]),
    ("total_shares", "合计 占比 250%", "minimal",
     (("expenditure_total: {amount: 100, share: 100%", "expenditure_total: {amount: 100, share: 250%"),),
     [(20, 43, "TOTAL_SHARE")]),
    ("total_shares", "seed 合计 100%", "seed", (), []),
    # -- projects
    ("projects_sum", "项目支出 is not the sum of the projects", "minimal",
     (("total_budget: 10, budget: 10,", "total_budget: 10, budget: 9,"),),
     [(19, 28, "PROJECT_SUM")]),
    ("projects_sum", "two projects adding up", "minimal",
     (("total_budget: 10, budget: 10, purpose: 业务经费}",
       "total_budget: 6, budget: 6, purpose: 业务经费}\n"
       "  - {name: 第二个项目, type: 一次性项目, total_budget: 4, budget: 4}"),), []),
    ("projects_sum", "seed 项目支出 11 against one project of 10", "seed",
     (("      amount: 10\n", "      amount: 11\n"),),
     [(34, 15, "PROJECT_SUM"), (35, 14, "SHARE_MISMATCH"), (38, 13, "EXPENDITURE_TOTAL")]),
    ("project_budgets", "budget over total budget", "minimal",
     (("total_budget: 10, budget: 10,", "total_budget: 8, budget: 10,"),),
     [(26, 56, "PROJECT_OVER_TOTAL")]),
    ("project_budgets", "multi-year total above this year's budget", "minimal",
     (("total_budget: 10, budget: 10,", "total_budget: 30, budget: 10,"),), []),
    ("project_types", "the seed note's misprint 常性性项目", "minimal",
     (("type: 常年性项目", "type: 常性性项目"),), [(26, 24, "PROJECT_TYPE")]),
    ("project_types", "the seed note's misprint 延绩性项目", "minimal",
     (("type: 常年性项目", "type: 延绩性项目"),), [(26, 24, "PROJECT_TYPE")]),
    ("project_types", "延续性项目 without years", "minimal",
     (("type: 常年性项目", "type: 延续性项目"),), [(26, 24, "PROJECT_YEARS")]),
    ("project_types", "延续性项目 with only a start year", "minimal",
     (("type: 常年性项目", "type: 延续性项目, from_year: 2020"),), [(26, 24, "PROJECT_YEARS")]),
    ("project_types", "延续性项目 ended before the year", "minimal",
     (("type: 常年性项目", "type: 延续性项目, from_year: 2019, to_year: 2020"),),
     [(26, 24, "PROJECT_YEARS")]),
    ("project_types", "延续性项目 starting after the year", "minimal",
     (("type: 常年性项目", "type: 延续性项目, from_year: 2022, to_year: 2024"),),
     [(26, 24, "PROJECT_YEARS")]),
    ("project_types", "延续性项目 spanning the year", "minimal",
     (("type: 常年性项目", "type: 延续性项目, from_year: 2020, to_year: 2022"),), []),
    ("project_types", "延续性项目 of this year only", "minimal",
     (("type: 常年性项目", "type: 延续性项目, from_year: 2021, to_year: 2021"),), []),
    ("project_types", "一次性项目", "minimal", (("type: 常年性项目", "type: 一次性项目"),), []),
    # -- goals and indicators
    ("indicator_levels", "unknown level 1", "minimal",
     (("{level1: 产出指标, level2: 数量指标", "{level1: 投入指标, level2: 数量指标"),),
     [(33, 20, "LEVEL1_UNKNOWN")]),
    ("indicator_levels", "unknown level 2", "minimal",
     (("level2: 数量指标", "level2: 数量"),), [(33, 34, "LEVEL2_UNKNOWN")]),
    ("indicator_levels", "level 2 of another level 1", "minimal",
     (("level2: 数量指标", "level2: 社会效益"),), [(33, 34, "LEVEL2_UNKNOWN")]),
    ("indicator_levels", "进度指标, a configured variant", "minimal",
     (("level2: 数量指标", "level2: 进度指标"),), []),
    ("indicator_levels", "社会效益指标, the national spelling", "minimal",
     (("{level1: 产出指标, level2: 数量指标", "{level1: 效益指标, level2: 社会效益指标"),), []),
    ("indicator_levels", "服务对象满意度, the note's spelling", "minimal",
     (("level2: 服务对象满意度指标", "level2: 服务对象满意度"),), []),
    ("indicator_levels", "unknown level 1 in the long-term matrix", "minimal",
     ((APPEND, "long_term:\n  indicators:\n"
               "    - {level1: 投入指标, level2: 数量指标, name: 人数, value: '1'}\n"),),
     [(37, 16, "LEVEL1_UNKNOWN")]),
    ("indicator_values", "120%", "minimal", (("value: ≥95%", "value: 120%"),),
     [(34, 64, "RATE_OVER_100")]),
    ("indicator_values", "≥100.5%", "minimal", (("value: ≥95%", "value: ≥100.5%"),),
     [(34, 64, "RATE_OVER_100")]),
    ("indicator_values", "exactly 100%", "minimal", (("value: ≥95%", "value: ≥ 100%"),), []),
    ("indicator_values", "a count above 100 is not a rate", "minimal",
     (("value: ≥95%", "value: 50000人"),), []),
    ("indicator_values", "qualitative value", "minimal",
     (('value: "500"', "value: 按上级文件要求时限内"),), [(33, 59, "VALUE_QUALITATIVE")]),
    ("goals_have_indicators", "goal with an empty indicator list", "minimal",
     ((GOAL_INDICATORS, "      indicators: []\n"),), [(31, 7, "GOAL_NO_INDICATORS")]),
    ("goals_have_indicators", "goal without the indicators key", "minimal",
     ((GOAL_INDICATORS, ""),), [(31, 7, "GOAL_NO_INDICATORS")]),
    ("goals_have_indicators", "no annual goals at all", "minimal",
     ((GOAL_INDICATORS, ""), ("  goals:\n    - title: 完成任务。\n", "")), []),
]


@pytest.mark.parametrize(("rule", "base", "edits", "expected"),
                         [c[:1] + c[2:] for c in CASES], ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_rule(write_decl, run_check, rule: str, base: str, edits: tuple[Edit, ...],
              expected: list[tuple[int, int, str]]) -> None:
    text = apply(MINIMAL_TEXT if base == "minimal" else SEED_TEXT, edits)
    path = write_decl(text, name="minimal-unit" if base == "minimal" else "guangshui-ldbxj")
    report = run_check(path)
    problems = [p for p in report.problems if base == "minimal" or p.code != "VALUE_QUALITATIVE"]
    assert found(problems) == expected
    assert all(p.file == str(path) for p in problems)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert report.blocking == errors
    assert len(report.documents) == 1  # a rule finding never stops the document from loading


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    from test_editions import EDITION_CASES  # the rules of the form's editions, in their own file

    failing = {c[0] for c in CASES + EDITION_CASES if c[4]}
    passing = {c[0] for c in CASES + EDITION_CASES if not c[4]}
    names = {r.__name__ for r in RULES}
    assert failing == names, "every rule in check.RULES needs a failing case here"
    assert passing == names, "every rule in check.RULES needs a passing case here"


def test_minimal_and_seed_are_clean(write_decl, run_check) -> None:
    assert run_check(write_decl(MINIMAL_TEXT)).problems == []
    seed = run_check(write_decl(SEED_TEXT, name="guangshui-ldbxj"))
    assert {p.code for p in seed.problems} == {"VALUE_QUALITATIVE"}
    assert seed.blocking == []


# -- file name and duplicates -------------------------------------------------------------------


def test_file_name_must_be_unit_id(write_decl, run_check) -> None:
    report = run_check(write_decl(MINIMAL_TEXT, name="other-name"))
    assert found(report.problems) == [(3, 10, "FILE_NAME")]
    assert report.blocking == report.problems


def test_file_folder_must_be_year(write_decl, run_check) -> None:
    report = run_check(write_decl(MINIMAL_TEXT, year="2020"))
    assert found(report.problems) == [(3, 10, "FILE_NAME")]


def test_yml_suffix_is_accepted(write_decl, run_check) -> None:
    assert run_check(write_decl(MINIMAL_TEXT, suffix=".yml")).problems == []


def test_two_files_for_one_unit_and_year(tmp_path: Path, run_check) -> None:
    folder = tmp_path / "content" / "2021"
    folder.mkdir(parents=True)
    (folder / "minimal-unit.yaml").write_text(MINIMAL_TEXT, encoding="utf-8")
    (folder / "minimal-unit.yml").write_text(MINIMAL_TEXT, encoding="utf-8")
    report = run_check(*declaration_files([tmp_path / "content"]))
    assert [(Path(p.file).name, p.line, p.col, p.code) for p in report.problems] == [
        ("minimal-unit.yml", 3, 10, "DUPLICATE_DECLARATION"),
    ]
    assert str(folder / "minimal-unit.yaml") in report.problems[0].message


def test_duplicates_across_folders(tmp_path: Path, run_check) -> None:
    paths = []
    for name in ("a", "b"):
        path = tmp_path / name / "2021" / "minimal-unit.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(MINIMAL_TEXT, encoding="utf-8")
        paths.append(path)
    report = run_check(*paths)
    assert [(p.file, p.line, p.code) for p in report.problems] == [
        (str(paths[1]), 3, "DUPLICATE_DECLARATION"),
    ]


def test_same_unit_in_two_years_is_no_duplicate(tmp_path: Path, run_check) -> None:
    paths = []
    for year in ("2021", "2022"):
        path = tmp_path / year / "minimal-unit.yaml"
        path.parent.mkdir()
        text = MINIMAL_TEXT.replace("year: 2021", f"year: {year}")
        path.write_text(text.replace("[2019, 2020]", f"[{int(year) - 2}, {int(year) - 1}]"),
                        encoding="utf-8")
        paths.append(path)
    assert run_check(*paths).problems == []


# -- waivers ----------------------------------------------------------------------------------

PROJECT_SUM_OFF = ("total_budget: 10, budget: 10,", "total_budget: 10, budget: 9,")


def waivers(*codes: str) -> Edit:
    rows = "".join(f"  - {{code: {c}, reason: 原表如此填报}}\n" for c in codes)
    return (APPEND, "waivers:\n" + rows)


def test_waived_error_is_reported_but_does_not_block(write_decl, run_check) -> None:
    report = run_check(write_decl(apply(MINIMAL_TEXT, (PROJECT_SUM_OFF, waivers("PROJECT_SUM")))))
    assert found(report.problems) == [(19, 28, "PROJECT_SUM")]
    problem = report.problems[0]
    assert problem.severity is Severity.ERROR
    assert problem.waived == "原表如此填报"
    assert problem.blocks is False
    assert report.blocking == []
    assert problem.as_json()["waived"] == "原表如此填报"


def test_waiver_covers_only_its_code(write_decl, run_check) -> None:
    text = apply(MINIMAL_TEXT, (PROJECT_SUM_OFF, ("type: 常年性项目", "type: 常性性项目"),
                                waivers("PROJECT_SUM")))
    report = run_check(write_decl(text))
    assert found(report.problems) == [(19, 28, "PROJECT_SUM"), (26, 24, "PROJECT_TYPE")]
    assert [p.code for p in report.blocking] == ["PROJECT_TYPE"]


@pytest.mark.parametrize("code", [
    "NOT_A_CODE", "VALUE_QUALITATIVE", "LATE_PUBLICATION", "project_sum",
])
def test_waiver_naming_no_error_code(write_decl, run_check, code: str) -> None:
    text = apply(MINIMAL_TEXT, (('value: "500"', "value: 按文件要求"), waivers(code)))
    report = run_check(write_decl(text))
    assert found(report.problems) == [(33, 59, "VALUE_QUALITATIVE"), (36, 12, "WAIVER_UNKNOWN")]
    assert report.problems[0].waived is None  # an info is never waived
    assert [p.code for p in report.blocking] == ["WAIVER_UNKNOWN"]


def test_unused_waiver(write_decl, run_check) -> None:
    report = run_check(write_decl(apply(MINIMAL_TEXT, (waivers("PROJECT_SUM"),))))
    assert found(report.problems) == [(36, 12, "WAIVER_UNUSED")]
    assert report.problems[0].severity is Severity.WARNING and report.blocking == []


def test_every_rule_code_is_known() -> None:
    codes = {code for case in CASES for (_, _, code) in case[4]}
    assert codes <= set(CODES)
    assert all(isinstance(CODES[c].severity, Severity) for c in codes)
