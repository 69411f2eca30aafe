"""The 项目支出绩效目标申报表: its dataclasses (the field metadata also generates its schema)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...model import Indicator, Money, Status, Text, UnitId, Waiver, Year, f
from .columns import columns


@dataclass(frozen=True, slots=True)
class Funds:
    """资金总额 and its 其中 parts, each as filed."""

    total: Money | None = f("资金总额", "资金总额，按原表填写", None)
    fiscal: Money | None = f("财政拨款", "其中：财政拨款", None)
    other: Money | None = f("其他资金", "其中：其他资金", None)


@dataclass(frozen=True, slots=True)
class Cost:
    """One row of the cost breakdown (成本构成 | 金额 | 测算依据 | the previous years' 实际执行数), as filed."""

    item: Text = f("成本构成", "成本构成的一项，如 办公费、印刷费，按原表填写")
    amount: Money | None = f("金额", "该项的测算金额（与金额单位一致）", None)
    basis: Text | None = f("测算依据", "该项金额的测算依据，如 单价×数量", None)
    actual_last_year: Money | None = f("上年实际执行数", "上一年度该项的实际执行数（旧版表格）", None)
    actual_year_before: Money | None = f("前年实际执行数", "前一年度该项的实际执行数（旧版表格）", None)


@dataclass(frozen=True, slots=True)
class ProjectForm:
    year: Year = f("预算年度", "申报表所属预算年度，与文件所在目录一致")
    unit_id: UnitId = f("单位编号", "实施单位的单位编号，与其部门整体申报表相同")
    project_id: UnitId = f("项目编号", "项目在本单位内的稳定编号（小写字母、数字、连字符），用于文件名和网址")
    project_name: Text = f("项目名称", "项目名称，按原表填写（与部门整体申报表“项目支出情况”中的名称一致）")
    unit_name: Text = f("实施单位", "实施单位，按原表填写")
    department: Text = f("主管部门及代码", "主管部门及代码，按原表填写，如 广水市人力资源和社会保障局 101001")
    filing_date: dt.date = f("填报日期", "填报日期，YYYY-MM-DD")
    money_unit: Text = f("金额单位", "金额单位，如 万元")
    project_code: Text | None = f("项目代码", "一体化系统的项目代码，原表印在项目名称之前（如 51000021R000000019951）",
                                  None)
    attribute: Text | None = f("项目属性", "新增或延续，或 基础建设、修缮类 等类别，按原表填写", None)
    period: Text | None = f("项目期", "项目期，按原表填写，如 3年", None)
    from_year: Year | None = f("起始年度", "项目期的起始年度", None)
    to_year: Year | None = f("终止年度", "项目期的终止年度", None)
    mid_term_funds: Funds = f("中期资金总额", "中期资金总额及其中财政拨款、其他资金", Funds())
    annual_funds: Funds = f("年度资金总额", "年度资金总额及其中财政拨款、其他资金", Funds())
    mid_term_goal: Text | None = f("中期目标", "中期目标（项目期内），按原表填写", None)
    annual_goal: Text | None = f("年度目标", "年度目标，按原表填写", None)
    mid_term_indicators: tuple[Indicator, ...] = f("中期绩效指标", "中期目标的绩效指标，每行一个三级指标", ())
    annual_indicators: tuple[Indicator, ...] = f("年度绩效指标", "年度目标的绩效指标，每行一个三级指标", ())
    leader: Text | None = f("项目负责人", "项目负责人（旧版表格）；是否公开按 show_filer 设置", None)
    phone: Text | None = f("联系电话", "联系电话（旧版表格）；个人手机号在公开网站上打码显示", None)
    overview: Text | None = f("项目概况", "项目概况（旧版表格）", None)
    basis: Text | None = f("立项依据", "立项依据（旧版表格）", None)
    feasibility: Text | None = f("可行性", "项目的可行性（旧版表格）", None)
    necessity: Text | None = f("必要性", "项目的必要性（旧版表格）", None)
    schedule: Text | None = f("实施进度计划", "实施进度计划（旧版表格）", None)
    costs: tuple[Cost, ...] = f("成本构成", "成本测算：每行一项成本构成，各项金额之和应等于年度资金总额", ())
    status: Status = f("状态", "draft（草稿，不公开）或 published（公开）", "draft")
    waivers: tuple[Waiver, ...] = f("豁免", "按原表公开而豁免的错误，每条须写明理由", ())

    def indicator_columns(self, side: str) -> tuple[tuple[str, str], ...]:
        """The columns the page shows of one indicator table (`mid_term` or `annual`): columns.py."""
        return columns(getattr(self, f"{side}_indicators"))
