"""The 项目支出绩效自评表: its dataclasses (the field metadata also generates its schema)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ...model import Money, Share, Status, Text, UnitId, Waiver, Year, f
from ..results import Comparison, compare


@dataclass(frozen=True, slots=True)
class FundRow:
    """One row of 项目资金 as filed: the budgets, what was spent, and how it scored."""

    initial: Money | None = f("年初预算数", "年初预算数（旧版湖北表无此列）", None)
    budget: Money | None = f("全年预算数", "全年预算数（旧版湖北表：预算数(A)）", None)
    spent: Money | None = f("全年执行数", "全年执行数（旧版湖北表：执行数(B)）", None)
    points: Money | None = f("分值", "该行的分值，通常只有年度资金总额一行填写（如 10）", None)
    rate: Share | None = f("执行率", "执行率，按原表填写的百分数，如 98.77%；应为全年执行数 ÷ 全年预算数", None)
    score: Money | None = f("得分", "得分，应为 分值 × 执行率，不超过分值", None)


@dataclass(frozen=True, slots=True)
class ResultFunds:
    total: FundRow = f("年度资金总额", "年度资金总额一行", FundRow())
    fiscal: FundRow | None = f("当年财政拨款", "其中：当年财政拨款", None)
    carried: FundRow | None = f("上年结转资金", "其中：上年结转资金", None)
    other: FundRow | None = f("其他资金", "其中：其他资金", None)


# Each 项目资金 row by its field, with the title the rules' messages and the data package's `row` column use.
FUND_ROWS = {f.name: f.metadata["title"] for f in dataclasses.fields(ResultFunds)}


@dataclass(frozen=True, slots=True)
class ResultIndicator:
    level1: Text = f("一级指标", "产出指标、效益指标或满意度指标")
    level2: Text = f("二级指标", "如 数量指标、质量指标、时效指标、成本指标、社会效益指标……")
    name: Text = f("三级指标", "三级指标的名称，按原表填写（与项目申报表的指标名称对应）")
    target: Text | None = f("年度指标值", "年度指标值，按原表填写（旧版湖北表：年初目标值(A)；四川表：指标值）", None)
    actual: Text | None = f("实际完成值", "实际完成值，按原表填写（旧版湖北表：实际完成值(B)；四川表：完成值）", None)
    points: Money | None = f("分值", "该指标的分值（四川表：权重）", None)
    score: Money | None = f("得分", "该指标的得分，不超过其分值", None)
    deviation: Text | None = f("偏差原因分析及改进措施", "未完成时的偏差原因及改进措施（四川表：未完成原因分析）",
                                 None)
    nature: Text | None = f("指标性质", "四川表：指标性质，如 =、≥、≤、定性", None)
    measure: Text | None = f("度量单位", "四川表：度量单位，如 %、人", None)

    @property
    def own_target(self) -> str | None:
        """The row's own target as one text: Sichuan's split (指标性质 | 指标值 | 度量单位) glued back as the
        national print writes it ("≥" "95" "%" → "≥95%"); a 定性 row's text as filed."""
        unit = self.measure or ""
        nature = self.nature if self.nature and self.nature != "定性" else ""
        return f"{nature}{self.target}{unit}" if self.target and (nature or unit) else self.target

    @property
    def own_actual(self) -> str | None:
        """The 实际完成值 with Sichuan's 度量单位 where the figure is filed without it."""
        unit = self.measure or ""
        return f"{self.actual}{unit}" if self.actual and unit and not self.actual.endswith(unit) else self.actual


@dataclass(frozen=True, slots=True)
class ProjectResult:
    year: Year = f("预算年度", "自评的预算年度，与文件所在目录一致")
    unit_id: UnitId = f("单位编号", "实施单位的单位编号，与其部门整体申报表相同")
    project_id: UnitId = f("项目编号", "项目编号，与该项目的项目支出绩效目标申报表相同")
    project_name: Text = f("项目名称", "项目名称，按原表填写")
    department: Text = f("主管部门", "主管部门，按原表填写")
    unit_name: Text = f("实施单位", "实施单位，按原表填写")
    money_unit: Text = f("金额单位", "金额单位，如 万元")
    edition: Literal["全国", "湖北-旧版", "四川"] | None = f(
        "版式", "原表的版式：全国（默认）、湖北-旧版（预算数(A)/执行数(B)）、四川（指标性质、权重、评价结论）", None)
    filing_date: dt.date | None = f("填报日期", "填报日期，YYYY-MM-DD", None)
    project_code: Text | None = f("项目代码", "一体化系统的项目代码", None)
    category: Text | None = f("项目类别", "旧版湖北表勾选的项目类别，按原表填写", None)
    attribute: Text | None = f("项目属性", "旧版湖北表勾选的项目属性（新增/延续），按原表填写", None)
    project_type: Text | None = f("项目类型", "旧版湖北表勾选的项目类型，按原表填写", None)
    funds: ResultFunds = f("项目资金", "年度资金总额及其中当年财政拨款、上年结转资金、其他资金",
                           ResultFunds())
    expected_goal: Text | None = f("预期目标", "年度总体目标的预期目标，按原表填写", None)
    achieved: Text | None = f("实际完成情况", "年度总体目标的实际完成情况，按原表填写", None)
    indicators: tuple[ResultIndicator, ...] = f("绩效指标", "绩效指标各行，每行一个三级指标", ())
    total_score: Money | None = f("总分", "总分，应为各项得分之和", None)
    conclusion: Text | None = f("评价结论", "四川表：评价结论", None)
    issues: Text | None = f("存在问题", "四川表：存在问题", None)
    measures: Text | None = f("改进措施", "四川表：改进措施", None)
    contact: Text | None = f("联系人", "联系人；是否公开按 show_filer 设置", None)
    phone: Text | None = f("联系电话", "联系电话；个人手机号在公开网站上打码显示", None)
    status: Status = f("状态", "draft（草稿，不公开）或 published（公开）", "draft")
    waivers: tuple[Waiver, ...] = f("豁免", "按原表公开而豁免的错误，每条须写明理由", ())

    def against(self, target: Any) -> list[Comparison]:
        """Each indicator beside the declared target of its project's target form (its 年度绩效指标), if any."""
        keys = [(i.level1, i.level2, i.name) for i in self.indicators]
        return compare(self.indicators, keys, target.annual_indicators if target is not None else ())
