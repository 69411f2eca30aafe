"""Import stage: a workbook of another print of the 部门整体 form (docs/editions.md) is refused, not mis-read.

The importer reads the seed's print (湖北-2021) by its labels; 湖北-2022's 一体化 print shares its title and
most labels but its funding rows, project category and indicator columns are others, and 湖南's 部门整体绩效目标表
has its 一级指标 and 部门(单位)名称 (so it looks like a form) without the rest. A label only those prints have
names the print: the sheet is reported (IMPORT_EDITION, at that cell) and nothing is written from it.
"""

from __future__ import annotations

from .forms.department.editions import HUBEI_2022, HUNAN
from .importer_book import Sheet, normal
from .problems import Problem, code

# (edition, labels only that print has), 湖南's first: it shares 计量单位 and 评(扣)分标准 with 一体化's.
_MARKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (HUNAN.name, (HUNAN.title, "年度总体绩效目标", "部门(单位)职责", "指标值类型", "指标解释")),
    (HUBEI_2022.name, ("人员类项目支出", "运转类项目支出", "特定目标类项目支出", "财政专户管理资金", "资金分类",
                       "资金性质", "支出项目类别", "计算符号", "前年指标值", "上年指标值", "评(扣)分标准")),
)
_BY_LABEL = {normal(label): edition for edition, labels in _MARKS for label in labels}


def edition_problem(sheet: Sheet) -> Problem | None:
    """IMPORT_EDITION at the first cell (reading order) whose label only another print has; None for the seed's."""
    for region, cell in sheet.anchors():
        text = normal(cell.text)
        edition = _BY_LABEL.get(text) or (_BY_LABEL[normal(HUNAN.title)] if text.startswith(normal(HUNAN.title))
                                          else None)
        if edition:
            return code("IMPORT_EDITION").at(sheet.where(region.row, region.col), region.row + 1, region.col + 1,
                                             edition=edition, label=cell.text.strip())
    return None
