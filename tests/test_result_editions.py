"""The 项目支出绩效自评表's editions on the page: the national print (default), the older Hubei print and the
Sichuan split print their own columns and sections from one file format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_project_form import write
from test_project_result import SICHUAN, result

from generator.check import Context
from generator.load import load
from generator.render import PageOptions, Renderer

HUBEI = {"money_unit: 万元": "money_unit: 万元\nedition: 湖北-旧版\ncategory: 专项业务类\nattribute: 延续"}


def page(context: Context, tmp_path: Path, text: str) -> str:
    doc, problems = load(write(tmp_path, text, "guangshui-ldbxj--gsbx-office_result"))
    assert doc and not problems
    return Renderer(context.levels, PageOptions(), {}).declaration(doc)


def heads(markdown: str, table: str) -> list[str]:
    found = markdown[markdown.index(f'<table class="{table}'):]
    return re.findall(r'<th scope="col">(.*?)</th>', found[:found.index("</thead>")])


def test_the_national_print(context: Context, tmp_path: Path) -> None:
    text = page(context, tmp_path, result())
    assert heads(text, "dc-funding") == ["项目资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert heads(text, "dc-projects dc-result-indicators") == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    assert "## 评价结论" not in text and "项目类别" not in text and "版式" not in text


def test_the_older_hubei_print(context: Context, tmp_path: Path) -> None:
    text = page(context, tmp_path, result(**HUBEI))
    assert heads(text, "dc-funding") == ["项目资金", "预算数(A)", "执行数(B)", "分值", "执行率(B/A)",
                                         "得分(分值×执行率)"]
    assert heads(text, "dc-projects dc-result-indicators")[3:5] == ["年初目标值(A)", "实际完成值(B)"]
    ticks = re.findall(r"<dt>(项目类别|项目属性|项目类型)</dt><dd>(.*?)</dd>", text)
    assert ticks == [("项目类别", "☑ 专项业务类"), ("项目属性", "☑ 延续"), ("项目类型", "（未勾选）")]
    assert "（湖北-旧版版式）" in text


def test_the_sichuan_split(context: Context, tmp_path: Path) -> None:
    closing = {"total_score: 95.5": "total_score: 95.5\nconclusion: 示例：良好"}
    text = page(context, tmp_path, result(**SICHUAN, **closing))
    assert heads(text, "dc-projects dc-result-indicators")[3:] == [
        "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"]
    assert re.findall(r"^## (评价结论|存在问题|改进措施)$", text, re.M) == ["评价结论", "存在问题", "改进措施"]
    assert "<p>示例：良好</p>" in text and "<p>（未填报）</p>" in text


@pytest.mark.parametrize("edition", ["湖北-旧版", "四川"])
def test_an_edition_keeps_the_values_as_filed(context: Context, tmp_path: Path, edition: str) -> None:
    changes = HUBEI if edition == "湖北-旧版" else SICHUAN
    text = page(context, tmp_path, result(**changes))
    assert '<td class="dc-num">95.00%</td>' in text and '<td class="dc-num">9.5</td>' in text
