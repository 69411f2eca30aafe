"""The 部门整体支出绩效自评表: its dataclasses (the field metadata also generates its schema)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ...model import Money, Share, Status, Text, UnitId, Waiver, Year, f
from ..results import Comparison, compare


@dataclass(frozen=True, slots=True)
class BudgetExecution:
    """预算执行情况 as filed: the budgets, what was spent, its weight and score."""

    initial: Money | None = f("年初预算数", "年初预算数", None)
    budget: Money | None = f("全年（调整）预算数", "全年（调整）预算数", None)
    spent: Money | None = f("全年执行数", "全年执行数", None)
    rate: Share | None = f("执行率", "执行率，按原表填写的百分数；应为全年执行数 ÷ 全年（调整）预算数", None)
    points: Money | None = f("权重", "预算执行的权重（分值），如 10", None)
    score: Money | None = f("得分", "预算执行的得分，应为 权重 × 执行率，不超过权重", None)


@dataclass(frozen=True, slots=True)
class UnitIndicator:
    name: Text = f("指标名称", "指标名称，按原表填写（与部门整体支出绩效目标申报表的指标名称对应）")
    measure: Text | None = f("计量单位", "计量单位，如 人、%", None)
    nature: Literal["定量", "定性"] | None = f("指标性质", "定量或定性", None)
    initial: Text | None = f("年初指标值", "年初指标值，按原表填写", None)
    adjusted: Text | None = f("调整指标值", "调整后的指标值，按原表填写", None)
    actual: Text | None = f("全年完成值", "全年完成值，按原表填写", None)
    coefficient: Share | None = f("得分系数", "得分系数，百分数，如 100%；指标得分 = 指标权重 × 得分系数", None)
    weight: Money | None = f("指标权重", "指标权重（分值）", None)
    score: Money | None = f("指标得分", "指标得分，不超过指标权重", None)
    core: Literal["是", "否"] | None = f("是否核心指标", "是或否", None)

    @property
    def own_actual(self) -> str | None:
        """The 全年完成值 as filed (the declared targets carry their units in their text, or none)."""
        return self.actual


@dataclass(frozen=True, slots=True)
class UnitResult:
    year: Year = f("预算年度", "自评的预算年度，与文件所在目录一致")
    unit_id: UnitId = f("单位编号", "单位编号，与其部门整体支出绩效目标申报表相同")
    unit_name: Text = f("部门（单位）名称", "部门（单位）名称，按原表填写")
    department: Text = f("主管部门", "主管部门，按原表填写")
    money_unit: Text = f("金额单位", "金额单位，如 万元")
    filing_date: dt.date | None = f("填报日期", "填报日期，YYYY-MM-DD", None)
    total_score: Money | None = f("自评总分", "自评总分，应为预算执行得分与各指标得分之和", None)
    contact: Text | None = f("联系人", "联系人；是否公开按 show_filer 设置", None)
    phone: Text | None = f("联系电话", "联系电话；个人手机号在公开网站上打码显示", None)
    budget: BudgetExecution = f("预算执行情况", "预算执行情况：预算数、执行数、执行率、权重与得分", BudgetExecution())
    initial_goal: Text | None = f("年初绩效目标", "年初绩效目标，按原表填写", None)
    adjusted_goal: Text | None = f("全年（调整）绩效目标", "全年（调整）绩效目标，按原表填写", None)
    achieved: Text | None = f("实际完成情况", "绩效目标的实际完成情况，按原表填写", None)
    indicators: tuple[UnitIndicator, ...] = f("绩效指标", "绩效指标各行", ())
    status: Status = f("状态", "draft（草稿，不公开）或 published（公开）", "draft")
    waivers: tuple[Waiver, ...] = f("豁免", "按原表公开而豁免的错误，每条须写明理由", ())

    def against(self, target: Any) -> list[Comparison]:
        """Each indicator beside the declared target of the unit's 部门整体 form (its 年度目标 indicators), by name."""
        targets = [i for goal in target.annual.goals for i in goal.indicators] if target is not None else []
        return compare(self.indicators, [i.name for i in self.indicators], targets)
