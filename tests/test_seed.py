"""The seed declaration: every cell of the filed form is in the loaded model, verbatim and exact."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.check import Context, check_files, declaration_files
from generator.config import load_levels
from generator.forms.department.model import Declaration
from generator.load import load
from generator.model import Indicator, Money, Share

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"
FORM = Path("/work/shared/seeds/000_2a24e5f2ef43d226.txt")  # the PDF's text, outside the repo


@pytest.fixture(scope="module")
def decl() -> Declaration:
    doc, problems = load(SEED)
    assert problems == []
    assert doc is not None
    return doc.decl


def squash(text: str) -> str:
    """The text without any whitespace: the PDF breaks lines mid-word."""
    return re.sub(r"\s+", "", text)


def assert_money(money: Money | None, filed: str) -> None:
    assert money is not None
    assert money.text == filed
    assert type(money.value) is Decimal
    assert str(money.value) == filed
    assert money.value == Decimal(filed)


def assert_share(share: Share | None, filed: str) -> None:
    assert share is not None
    assert share.text == filed
    assert type(share.percent) is Decimal
    assert str(share.percent) + "%" == filed


# -- header -----------------------------------------------------------------------------------


def test_header(decl: Declaration) -> None:
    assert decl.year == 2021
    assert decl.unit_id == "guangshui-ldbxj"
    assert decl.filing_date == dt.date(2021, 1, 28)
    assert decl.money_unit == "万元"
    assert decl.leader == "熊斌"
    assert decl.unit_name == "广水市劳动保险事业管理局"
    assert decl.filer == "姚尧"
    assert decl.phone == "15997856299" and isinstance(decl.phone, str)
    assert decl.status == "published"


# -- 部门总体资金情况 ---------------------------------------------------------------------------

# (项目, 当年金额, 占比, 2019年, 2020年) exactly as printed on the form.
INCOME = [("财政拨款", "367.58", "100%", "482.93", "422.26"), ("其他资金", "0", "0.00%", "0", "0")]
INCOME_TOTAL = ("合计", "367.58", "100%", "482.93", "422.26")
EXPENDITURE = [
    ("基本支出", "357.58", "97.27%", "482.93", "412.26"),
    ("项目支出", "10", "2.73%", "0", "10"),
]
EXPENDITURE_TOTAL = ("合计", "367.58", "100%", "482.93", "422.26")


def test_funding_cells(decl: Declaration) -> None:
    funding = decl.funding
    assert funding is not None
    assert funding.history_years == (2019, 2020)
    for rows, filed_rows in ((funding.income, INCOME), (funding.expenditure, EXPENDITURE)):
        assert [r.name for r in rows] == [f[0] for f in filed_rows]
        for row, (_, amount, share, y2019, y2020) in zip(rows, filed_rows, strict=True):
            assert_money(row.amount, amount)
            assert_share(row.share, share)
            assert len(row.history) == 2
            assert_money(row.history[0], y2019)
            assert_money(row.history[1], y2020)
    totals = ((funding.income_total, INCOME_TOTAL), (funding.expenditure_total, EXPENDITURE_TOTAL))
    for total, (_, amount, share, y2019, y2020) in totals:
        assert total is not None
        assert_money(total.amount, amount)
        assert_share(total.share, share)
        assert_money(total.history[0], y2019)
        assert_money(total.history[1], y2020)


def test_funding_arithmetic_is_exact(decl: Declaration) -> None:
    funding = decl.funding
    assert funding is not None
    for column in range(3):
        def get(row, column=column):
            return (row.amount if column == 0 else row.history[column - 1]).value
        income = sum((get(r) for r in funding.income), Decimal(0))
        spending = sum((get(r) for r in funding.expenditure), Decimal(0))
        assert income == get(funding.income_total) == spending == get(funding.expenditure_total)
    assert str(sum((r.amount.value for r in funding.expenditure), Decimal(0))) == "367.58"
    basic, project = (r.amount.value for r in funding.expenditure)
    total = funding.expenditure_total.amount.value
    # The exact shares round to 97.28% / 2.72%; the filer adjusted them to 97.27% / 2.73%.
    assert (basic * 100 / total).quantize(Decimal("0.0001")) == Decimal("97.2795")
    assert (project * 100 / total).quantize(Decimal("0.0001")) == Decimal("2.7205")
    assert sum((r.share.percent for r in funding.expenditure), Decimal(0)) == Decimal("100.00")


# -- lists ------------------------------------------------------------------------------------


def test_functions_and_tasks_with_their_markers(decl: Declaration) -> None:
    assert len(decl.functions) == 8
    assert len(decl.tasks) == 9
    for i, item in enumerate(decl.functions):
        assert item.startswith(f"{i + 1}. ")
    for i, item in enumerate(decl.tasks):
        assert item.startswith(f"{i + 1}. ")
    assert decl.functions[0] == (
        "1. 宣传贯彻国家关于社会保险方面的方针、政策，"
        "提出我市企业单位及其职工养老、工伤保险办法和规章制度；")
    assert decl.functions[7] == "8. 完成上级交办的其它工作任务。"
    assert decl.tasks[4] == "5. 深化“互联网+放管服”改革，推进“一网覆盖、一次办好”。"
    assert decl.tasks[8] == "9. 完成上级交办的其它工作任务。"


def test_project_row(decl: Declaration) -> None:
    assert len(decl.projects) == 1  # the form's "……" row is an empty template row
    project = decl.projects[0]
    assert project.name == "工伤保险专项办公经费"
    assert project.type == "常年性项目"
    assert_money(project.total_budget, "10")
    assert_money(project.budget, "10")
    assert project.purpose == "工伤保险业务经办经费"
    assert project.from_year is None and project.to_year is None


def test_goals(decl: Declaration) -> None:
    assert decl.long_term.deadline_year is None  # 截止 年: blank on the form
    assert decl.long_term.targets == () and decl.long_term.indicators == ()
    assert decl.annual.targets == (
        "目标 1：扩大养老保险覆盖面，在职参保人员达 50000人。",
        "目标 2：扩大工伤保险覆盖面，在职参保人数达 32700人。",
        "目标 3：离退休人员待遇落实到位100%。",
        "目标 4：工伤人员待遇落实到位100%。",
    )
    titles = [g.title for g in decl.annual.goals]
    assert titles == ["提高养老、工伤保险覆盖面。", "进一步完善社会保险体系"]


# -- indicators: (一级指标, 二级指标, 指标名称, 指标值, 绩效标准) as filed ---------------

Q, S, T = "数量指标", "质量指标", "时效指标"  # 产出指标's level-2 categories, for brevity
GOAL_1 = [
    ("产出指标", Q, "养老保险在职参保人数", "50000", "年度计划"),
    ("产出指标", Q, "养老保险社会化发放人数", "30500", "年度计划"),
    ("产出指标", Q, "工伤保险在职参保人数", "32700", "年度计划"),
    ("产出指标", Q, "工伤保险待遇发放人数", "300", "年度计划"),
    ("产出指标", Q, "养老保险关系异地转移人数", "1500", "年度计划"),
    ("产出指标", S, "养老保险在职参保缴费核定准确率", "100%", "年度计划"),
    ("产出指标", S, "工伤保险在职参保缴费核定准确率", "100%", "年度计划"),
    ("产出指标", S, "参保单位和人员在职、退休资料管理，纸质、电子档完善度", "100%", "年度计划"),
    ("产出指标", S, "工伤待遇、基本养老保险待遇发放准确率", "100%", "年度计划"),
    ("产出指标", T,
     "离退休人员养老待遇调整及时、准确",
     "调整率 100%，调整待遇额当月发放。",
     "按文件要求"),
    ("产出指标", T,
     "养老、工伤省级统筹按时完成交接任务",
     "按上级文件要求时限内",
     "按文件要求"),
    ("效益指标", "社会效益",
     "养老、工伤保险参保解决了企业和职工及灵活就业人员的后顾之忧，"
     "有利于社会稳定，有利于劳动力的再生产，有利于促进经济健康发展",
     "丰富政策宣手段，扩大养老、工伤覆盖面，保证核定准确、征缴规范、待遇发放及时无误，"
     "明确自身服务型机构的定位，将社会保险的社会效益最大化。",
     "年度计划"),
    ("满意度指标", "服务对象满意度指标",
     "灵活多样详细的政策宣传讲解，提高参保人群的认知度，划分多档灵活人员缴费档次以供选择，"
     "明确自身服务型机构的定位，简化办事程序，提高办事效率，退休人员老有所依，"
     "在职人员无后顾之忧，化解社会矛盾。",
     "投诉率 0%；上访事项答复率100%。",
     "年度计划"),
]
GOAL_2 = [
    ("产出指标", S,
     "基金风险管控全面排查风险隐患，强化岗位设置和人员管理，提高监管软件联网运用水平，"
     "强化监管职责，严肃追责。",
     "基金风险管控达到省级要求",
     "社保基金风险管控工作目标责任"),
    ("产出指标", S,
     "社会保险稽核、内部审计，确保基金安全。",
     "上级下达的年度社会保险稽核工作方案中要求",
     "按文件要求"),
    ("效益指标", "社会效益",
     "深化“互联网+放管服”改革，推进“一网覆盖、一次办好”",
     "公共服务高效化，更大程度便民利企。",
     "政府改革工作方案。"),
    ("满意度指标", "服务对象满意度指标",
     "养老、工伤保险各项制度健全，各项业务经办流程公开，确保基金安全保值、增值，"
     "增加社会公信度，简化办事程序，提高服务质量，方便办事群众。",
     "投诉率 0%；上访事项答复率100%。",
     "年度计划"),
]


def cells(ind: Indicator) -> tuple[str | None, ...]:
    return (ind.level1, ind.level2, ind.name, ind.value, ind.basis)


def test_indicators_verbatim(decl: Declaration) -> None:
    goal_1, goal_2 = decl.annual.goals
    assert [cells(i) for i in goal_1.indicators] == GOAL_1
    assert [cells(i) for i in goal_2.indicators] == GOAL_2


def test_indicator_counts(decl: Declaration) -> None:
    goal_1, goal_2 = decl.annual.goals
    assert len(goal_1.indicators) == 13 and len(goal_2.indicators) == 4
    level2 = [i.level2 for i in goal_1.indicators]
    counts = {name: level2.count(name) for name in dict.fromkeys(level2)}
    assert counts == {Q: 5, S: 4, T: 2, "社会效益": 1, "服务对象满意度指标": 1}


def test_typo_is_kept_as_filed(decl: Declaration) -> None:
    value = decl.annual.goals[0].indicators[11].value
    assert value is not None
    assert value.startswith("丰富政策宣手段，")  # not corrected to 宣传手段
    assert "宣传手段" not in SEED.read_text(encoding="utf-8")


def test_quantities_parse(decl: Declaration) -> None:
    parsed = decl.annual.goals[0].indicators[0].parsed
    assert parsed is not None and parsed.number == Decimal("50000") and parsed.comparator is None
    rate = decl.annual.goals[0].indicators[5].parsed
    assert rate is not None and (rate.number, rate.unit) == (Decimal("100"), "%")


# -- nothing invented: every text cell of the model appears in the form's text --------------------


def model_texts(decl: Declaration) -> list[str]:
    texts = [decl.unit_name, decl.leader, decl.filer, decl.phone, decl.money_unit,
             *decl.functions, *decl.tasks, *decl.annual.targets]
    for p in decl.projects:
        texts += [p.name, p.type, p.purpose]
    for goal in decl.annual.goals:
        texts.append(goal.title)
        for ind in goal.indicators:
            texts += [ind.level1, ind.level2, ind.name, ind.value, ind.basis]
    assert decl.funding is not None
    for row in (*decl.funding.income, *decl.funding.expenditure):
        texts += [row.name, row.amount.text, row.share.text, *(m.text for m in row.history)]
    return [t for t in texts if t]


# Two indicator names straddle a page break in the PDF text: the page's other cells come between.
PAGE_BREAKS = {
    "养老、工伤保险参保解决了企业和职工及灵活就业人员的后顾之忧，有利于社会稳定，有利于劳动力的再生产，"
    "有利于促进经济健康发展": ("有利于促进经济健康发", "展"),
    "深化“互联网+放管服”改革，推进“一网覆盖、一次办好”":
        ("深化“互联网+放管服”改革，推进“一", "网覆盖、一次办好”"),
}


@pytest.mark.skipif(not FORM.exists(), reason="the seed form's text is not available here")
def test_every_model_text_is_on_the_form(decl: Declaration) -> None:
    form = squash(FORM.read_text(encoding="utf-8"))
    for text in model_texts(decl):
        pieces = PAGE_BREAKS.get(text, (text,))
        for piece in pieces:
            assert squash(piece) in form, text
    assert "2021年01月28日" in form and "单位：万元" in form


# -- the check stage ------------------------------------------------------------------------------


def test_disclose_check_on_content_has_no_errors_or_warnings() -> None:
    context = Context(load_levels(ROOT / "site_config" / "indicators.yml"))
    report = check_files(declaration_files([ROOT / "content"]), context)
    assert report.blocking == []
    # The seed: eight qualitative indicator values (info only), each pointing at the value cell.
    assert [(p.line, p.col, p.code) for p in report.problems_of(SEED)] == [
        (93, 71, "VALUE_QUALITATIVE"), (94, 72, "VALUE_QUALITATIVE"),
        (98, 18, "VALUE_QUALITATIVE"), (103, 18, "VALUE_QUALITATIVE"),
        (110, 18, "VALUE_QUALITATIVE"), (115, 18, "VALUE_QUALITATIVE"),
        (120, 18, "VALUE_QUALITATIVE"), (125, 18, "VALUE_QUALITATIVE"),
    ]
