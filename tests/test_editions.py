"""The 部门整体 form's editions (湖北-2022 一体化, 湖南-整体): their rules, each failing and passing at code@line:col,
the loader's view of `edition:` and the new indicator columns, and the bundled examples against the JSON Schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rules import APPEND, Edit, apply, found
from test_schema import errors

from generator.forms import DEPARTMENT
from generator.forms.department.editions import EDITIONS, EditionName
from generator.load import load
from generator.problems import Severity

ROOT = Path(__file__).resolve().parent.parent
HUBEI_2022 = ROOT / "content" / "2022" / "guangshui-ldbxj.yaml"
HUNAN = ROOT / "content" / "2022" / "example-hunan-bureau.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "valid" / "2021" / "minimal-unit.yaml"
HUNAN_TEXT = HUNAN.read_text("utf-8")
BASES = {"hubei-2022": HUBEI_2022, "hunan": HUNAN, "minimal": MINIMAL}

Case = tuple[str, str, str, tuple[Edit, ...], list[tuple[int, int, str]]]
# (rule, id, base, edits, expected): test_rules.py counts these toward every rule's failing and passing case.
EDITION_CASES: list[Case] = [
    # -- the new columns against the value (every edition that has them)
    ("indicator_values", "定量 value that is not a number", "hunan",
     (("value_type: 定性\n          value: 建立并运行", "value_type: 定量\n          value: 建立并运行"),),
     [(52, 18, "VALUE_NOT_NUMBER")]),
    ("indicator_values", "定性 value: no note, the row says so", "hunan", (), []),
    ("indicator_values", "rate over 100% with % in the 计量单位 column", "hunan",
     (("value: ≥95\n", "value: ≥105\n"),), [(44, 18, "RATE_OVER_100")]),
    ("indicator_columns", "an amount in 万元 with unit %", "hunan",
     (("value: ≥95\n", "value: ≥95万元\n"),), [(44, 18, "UNIT_MISMATCH")]),
    ("indicator_columns", "百分比 glued to the value is the unit %", "hubei-2022", (), []),
    ("indicator_columns", "定性 value with a numeric unit", "hunan",
     (("remark: 示例：定性指标", "remark: 示例：定性指标\n          unit: 项"),), [(56, 17, "QUALITATIVE_UNIT")]),
    ("indicator_columns", "定性 value with a unit glued to it", "hunan",
     (("value: 建立并运行", "value: 3项"),), [(52, 18, "QUALITATIVE_UNIT")]),
    ("indicator_columns", "计算符号 ≥ against a value written ≤", "hubei-2022",
     (('value: "52000"', "value: ≤52000"),), [(53, 13, "SIGN_MISMATCH")]),
    ("indicator_columns", "计算符号 ≥ before a qualitative text", "hubei-2022",
     (('value: "52000"', "value: 稳步增长"),), [(53, 13, "SIGN_MISMATCH"), (54, 14, "VALUE_QUALITATIVE")]),
    ("indicator_columns", "计算符号 定性 before a value written ≥", "hubei-2022",
     (("value: 按上级文件要求时限内完成", "value: ≥1"),), [(89, 17, "SIGN_MISMATCH")]),
    ("indicator_columns", "full-width ＝ is =", "hubei-2022", (('sign: "="', "sign: ＝"),), []),
    # -- the edition's required columns and the columns it does not print
    ("indicator_columns", "湖北-2022: 指标内容 empty", "hubei-2022",
     (("      content: 示例：截至年末企业职工养老保险在职参保人数\n", ""),), [(49, 7, "COLUMN_REQUIRED")]),
    ("indicator_columns", "湖北-2022: 评(扣)分标准 empty in an annual row", "hubei-2022",
     (("          scoring: 示例：每出现 1 笔差错扣 1 分\n", ""),), [(77, 11, "COLUMN_REQUIRED")]),
    ("indicator_columns", "湖南: 指标值类型 empty", "hunan",
     (("          value_type: 定量\n          value: ≤35\n", "          value: ≤35\n"),),
     [(32, 11, "COLUMN_REQUIRED")]),
    ("indicator_columns", "湖北-2022: 上年指标值 on a long-term row (the 中长期 tab has none)", "hubei-2022",
     (('      value_two_years_ago: "49000"\n      sign: ≥', '      value_two_years_ago: "49000"\n'
       '      value_last_year: "50000"\n      sign: ≥'),), [(53, 24, "NOT_IN_EDITION")]),
    ("indicator_columns", "湖北-2021 (no edition:): a 计量单位 the print lacks", "minimal",
     (('value: "500", basis: 年度计划}', 'value: "500", basis: 年度计划, unit: 人}'),),
     [(33, 85, "NOT_IN_EDITION")]),
    ("indicator_columns", "湖南: every column it prints, filled", "hunan", (), []),
    # -- the edition's sections
    ("edition_sections", "湖北-2022: 长期目标截止年份 blank", "hubei-2022",
     (("deadline_year: 2024", "deadline_year: ~"),), [(45, 18, "SECTION_REQUIRED")]),
    ("edition_sections", "湖北-2022: 长期目标截止年份 filed", "hubei-2022", (), []),
    ("edition_sections", "湖南: 部门(单位)职责 empty", "hunan",
     (("functions:\n  - 1. 示例：贯彻执行国家和省有关方针政策。\n  - 2. 示例：负责本县相关公共服务的组织实施。\n",
       "functions: []\n"),), [(14, 12, "SECTION_REQUIRED")]),
    ("edition_sections", "湖南: no 年度总体绩效目标", "hunan",
     ((HUNAN_TEXT[HUNAN_TEXT.index("annual:"):], "annual:\n  goals: []\n"),), [(19, 10, "SECTION_REQUIRED")]),
    ("edition_sections", "湖南: a funding table the print does not have", "hunan",
     ((APPEND, "funding:\n  history_years: []\n  income: []\n  expenditure: []\n"),),
     [(65, 3, "NOT_IN_EDITION")]),
    ("edition_sections", "湖南: tasks the print does not have", "hunan",
     ((APPEND, "tasks:\n  - 1. 任务。\n"),), [(65, 3, "NOT_IN_EDITION")]),
    ("edition_sections", "湖南: the example", "hunan", (), []),
    # -- the edition's funding rows and history columns
    ("funding_vocabulary", "湖北-2022: 其他资金 is the 2021 print's row", "hubei-2022",
     (("name: 单位资金,", "name: 其他资金,"),), [(21, 14, "FUNDING_ROW_UNKNOWN")]),
    ("funding_vocabulary", "湖北-2022: the 一体化 rows", "hubei-2022", (), []),
    ("funding_vocabulary", "湖北-2022: a row the print has, left blank, is kept blank", "hubei-2022",
     (("{name: 单位资金, amount: 0, share: 0.00%, history: [0, 0]}",
       "{name: 单位资金, amount: ~, share: ~, history: [~, ~]}"),), []),
    ("indicator_columns", "湖北-2022: a filed row's optional cells (前年指标值, 备注) left blank", "hubei-2022",
     (('      value_two_years_ago: "49000"\n      sign: ≥', "      sign: ≥"),), []),
    ("funding_vocabulary", "湖北-2021: any row name (the seed's print has no fixed list)", "minimal",
     (("name: 其他资金", "name: 其它资金"),), []),
    ("history_shape", "湖北-2022: the years in the 2021 print's order", "hubei-2022",
     (("history_years: [2021, 2020]", "history_years: [2020, 2021]"),), [(17, 18, "HISTORY_YEARS")]),
    ("history_shape", "湖北-2022: 上年, 前年", "hubei-2022", (), []),
]


@pytest.mark.parametrize(("base", "edits", "expected"), [c[2:] for c in EDITION_CASES],
                         ids=[f"{c[0]}: {c[1]}" for c in EDITION_CASES])
def test_edition_rule(write_decl, run_check, base: str, edits: tuple[Edit, ...],
                      expected: list[tuple[int, int, str]]) -> None:
    path = BASES[base]
    text = apply(path.read_text("utf-8"), edits)
    report = run_check(write_decl(text, year=path.parent.name, name=path.stem))
    assert found(report.problems) == expected
    assert report.blocking == [p for p in report.problems if p.severity is Severity.ERROR]
    assert len(report.documents) == 1


def test_edition_names_are_the_models_literal() -> None:
    """The model's `edition:` values and the kind's editions are one list, the seed's print first."""
    assert tuple(e.name for e in DEPARTMENT.editions) == EditionName.__args__  # type: ignore[attr-defined]
    assert DEPARTMENT.editions == EDITIONS and DEPARTMENT.editions[0].name == "湖北-2021"


@pytest.mark.parametrize(("old", "new", "at"), [
    ("\nedition: 湖北-2022", "\nedition: 湖北-2023", (5, 10)),
    ('sign: "="', "sign: 大于", (80, 17)),
])
def test_loader_rejects_unknown_names(write_decl, run_check, old: str, new: str, at: tuple[int, int]) -> None:
    text = apply(HUBEI_2022.read_text("utf-8"), ((old, new),))
    report = run_check(write_decl(text, year="2022", name="guangshui-ldbxj"))
    assert [(p.line, p.col, p.code) for p in report.problems] == [(*at, "BAD_ENUM")]


def test_a_file_without_edition_is_the_seeds_print() -> None:
    seed, hunan = (load(path)[0] for path in (ROOT / "content" / "2021" / "guangshui-ldbxj.yaml", HUNAN))
    assert seed and hunan and seed.decl.edition is None and DEPARTMENT.edition(seed.decl) is EDITIONS[0]
    assert DEPARTMENT.edition(hunan.decl) is EDITIONS[2] and hunan.decl.edition == "湖南-整体"


@pytest.mark.parametrize("path", [HUBEI_2022, HUNAN], ids=["湖北-2022", "湖南-整体"])
def test_examples_validate_against_the_schema(path: Path) -> None:
    assert errors(path.read_text("utf-8")) == set()


@pytest.mark.parametrize("path", [HUBEI_2022, HUNAN], ids=["湖北-2022", "湖南-整体"])
def test_examples_are_marked_as_examples(path: Path) -> None:
    """Invented values are never published: a comment says so and the file is a draft."""
    text = path.read_text("utf-8")
    assert "示例（虚构）" in text.split("\n\n")[0] and "\nstatus: draft\n" in text
