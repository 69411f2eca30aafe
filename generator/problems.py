"""Problems: typed findings of the load and check stages, with stable codes and zh-CN messages."""

from __future__ import annotations

import enum
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"  # blocks a public build
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for notes: `--severity` shows this rank and up."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True)
class Code:
    """A stable problem code: its severity and zh-CN message template (str.format fields)."""

    name: str
    severity: Severity
    template: str

    def at(self, file: Path | str, line: int, col: int, /, **params: object) -> Problem:
        return Problem(str(file), line, col, self.severity, self.name, self.template.format(**params))


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    waived: str | None = None  # the declaration's written reason, when an error is waived

    @property
    def blocks(self) -> bool:
        return self.severity is Severity.ERROR and self.waived is None

    def waive(self, reason: str) -> Problem:
        return replace(self, waived=reason)

    def format(self) -> str:
        """One line for a terminal: the severity in Chinese, every invisible character made visible.

        Keys, amounts and dates are quoted from the file: a raw ESC sequence or a bidi override in
        them would redraw the reviewer's terminal (e.g. fake a clean summary), so none is printed raw.
        """
        label = self.severity.zh + ("(已豁免)" if self.waived else "")
        text = f"{self.file}:{self.line}:{self.col}: {label}[{self.code}] {self.message}"
        return visible(text + (f"（豁免理由：{self.waived}）" if self.waived else ""))

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "waived": self.waived,
        }


def _shown(char: str) -> str:
    """A control, format (bidi, zero-width), or line/paragraph separator character as its escape."""
    if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"):
        return char
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"U+{ord(char):04X}"


def visible(text: str) -> str:
    """The text with every invisible or terminal-controlling character shown as an escape."""
    return "".join(map(_shown, text))


def tally(problems: Sequence[Problem]) -> str:
    """The problems counted per severity in words, e.g. "1 个错误、8 条提示" (waived errors apart); "" if none."""
    counts = Counter("waived" if p.waived else p.severity.value for p in problems)
    parts = [(counts["error"], "个错误"), (counts["warning"], "个警告"), (counts["info"], "条提示"),
             (counts["waived"], "个已豁免的错误")]
    return "、".join(f"{n} {noun}" for n, noun in parts if n)


def headline(subject: str, problems: Sequence[Problem]) -> str:
    """A problem box's title that says what is true: errors (which block publishing) or none."""
    if not problems:
        return f"{subject}没有问题"
    if any(p.blocks for p in problems):
        return f"{subject}有 {tally(problems)}（错误须在公开前改正或豁免）"
    errors = "未豁免的错误" if any(p.waived for p in problems) else "错误"
    return f"{subject}没有{errors}，有 {tally(problems)}（不影响公开）"


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, Code] = {
    c.name: c
    for c in [
        # -- the file itself
        Code("FILE_TOO_LARGE", E, "文件过大（{size} 字节，上限 {limit} 字节）"),
        Code("FILE_EMPTY", E, "文件为空"),
        Code("FILE_ENCODING", E, "文件不是 UTF-8 编码（{detail}），请另存为 UTF-8（无 BOM）"),
        Code("FILE_BOM", E, "文件以 BOM 开头，请另存为 UTF-8（无 BOM）"),
        Code("FILE_UNREADABLE", E, "无法读取文件：{detail}"),
        Code("FILE_NAME", E, "文件名应为 content/{year}/{stem}.yaml，实为 {actual}"),
        Code("CONTENT_SYMLINK", E, "content/ 中不能有符号链接（未读取其内容）：请放入文件本身"),
        Code("CONTENT_DEPTH", E,
             "申报表文件应直接放在 content/<年度>/ 下（content/<年度>/<单位编号>.yaml），实为 content/{actual}"),
        Code("YAML_SUFFIX", E, "文件扩展名应为小写：请把 {actual} 改名为 {suggested}"),
        Code("FILE_CONTROL_CHAR", E, "文本中含不可见控制字符 {char}"),
        # -- YAML syntax and safety
        Code("YAML_SYNTAX", E, "YAML 语法错误：{detail}"),
        Code("YAML_TAB", E, "YAML 中不能使用制表符（Tab），请改用空格"),
        Code("YAML_TAG", E, "不允许使用 YAML 标签 {tag}"),
        Code("YAML_ALIAS", E, "不允许使用 YAML 锚点或别名（& / *），请直接写出内容"),
        Code("YAML_MERGE", E, "不允许使用 YAML 合并键（<<），请直接写出内容"),
        Code("YAML_TOO_DEEP", E, "YAML 嵌套层数过深"),
        Code("DUPLICATE_KEY", E, "键 {key} 重复（首次出现在第 {first} 行），同一处只能写一次，请合并或删除其一"),
        # -- shape of the declaration
        Code("ROOT_NOT_MAPPING", E, "文件顶层应为“键: 值”映射（申报表或站点配置），实为{actual}"),
        Code("UNKNOWN_KEY", E, "未知的键 {key}{hint}"),
        Code("FORM_UNKNOWN", E, "未知的表种 form: {actual}（可用：{allowed}）"),
        Code("MISSING_KEY", E, "缺少必填项 {key}（{title}）"),
        Code("WRONG_TYPE", E, "{title}应为{expected}，实为{actual}"),
        Code("EMPTY_TEXT", E, "{title}不能为空"),
        Code("TEXT_TOO_LONG", E, "{title}长达 {length} 个字符（上限 {limit}），疑似误粘贴了其他内容"),
        Code("BAD_ENUM", E, "{title}应为 {allowed} 之一，实为 {actual}"),
        Code("BAD_YEAR", E, "{title}应为四位年份，实为 {actual}"),
        Code("BAD_DATE", E, "{title}不是有效日期（YYYY-MM-DD）：{actual}"),
        Code("BAD_ID", E, "{title}应为小写字母、数字和连字符（如 guangshui-ldbxj、gsbx-office），实为 {actual}"),
        Code("UNIT_ID_PHONE", E, "{title} {actual} 含疑似手机号的数字串（编号用于网址和文件名，无法打码），请换一个"),
        Code("RESERVED_ID", E, "{title} {actual} 是网站保留的名称（{reserved}），请换一个"),
        Code("AMOUNT_FORMAT", E, "金额应按原表写成十进制数（如 367.58），实为 {actual}{hint}"),
        Code("AMOUNT_NEGATIVE", E, "金额不能为负数：{actual}"),
        Code("AMOUNT_NOT_FINITE", E, "金额不是有限数值：{actual}"),
        Code("AMOUNT_TOO_LARGE", E, "金额位数过多，疑似填写错误：{actual}"),
        Code("SHARE_FORMAT", E, "占比应写成百分数（如 97.27%），实为 {actual}"),
        # -- site_config/site.yml values
        Code("CONFIG_SITE_URL", E,
             "site_url 应为以 http:// 或 https:// 开头、以 / 结尾的网址（不含空格、? 和 #），实为 {actual}"),
        Code("CONFIG_SITE_CODE", E, "site_code（政府网站标识码）应为 10 位数字，实为 {actual}"),
        # -- header rules
        Code("LATE_PUBLICATION", W, "公开日期 {published} 距批复日期 {approved} 已 {days} 天，超过预算法规定的 20 天"),
        Code("PUBLISHED_BEFORE_APPROVAL", W, "公开日期 {published} 早于批复日期 {approved}"),
        Code("HISTORY_YEARS", W, "近两年应为 {expected}，实为 {actual}"),
        Code("HISTORY_LENGTH", E, "近两年金额应有 {expected} 列（与 history_years 一致），实为 {actual} 列"),
        Code("PHONE_FORMAT", W, "联系电话格式不常见：{actual}"),
        Code("ID_CARD_NUMBER", W, "{title}中有疑似居民身份证号 {masked}，公开时已打码；申报表不应含身份证号，请删除"),
        Code("PERSONAL_EMAIL", W, "{title}中有个人电子邮箱 {address}，公开时不打码；请核对是否应公开，或改用单位邮箱"),
        # -- funding rules
        Code("INCOME_TOTAL", E, "收入合计（{column}）应为各行之和 {expected}，填报为 {actual}"),
        Code("EXPENDITURE_TOTAL", E, "支出合计（{column}）应为各行之和 {expected}，填报为 {actual}"),
        Code("UNBALANCED", E, "收入合计 {income} 与支出合计 {expenditure} 不相等（{column}）"),
        Code("SHARE_MISMATCH", E, "「{name}」占比填报为 {actual}，按金额计算应为 {expected}"),
        Code("SHARE_SUM", E, "{side}各行占比之和为 {actual}，应为 100%"),
        Code("TOTAL_SHARE", E, "{side}合计的占比填报为 {actual}，应为 100%"),
        # -- projects
        Code("PROJECT_SUM", E, "{row} {expected} 与{projects}本年度预算之和 {actual} 不相等"),
        Code("PROJECT_OVER_TOTAL", E, "项目本年度预算 {budget} 超过项目总预算 {total}"),
        Code("PROJECT_TYPE", E, "{label}应为 {expected} 之一，实为 {actual}"),
        Code("PROJECT_YEARS", E, "延续性项目应填写起止年度且包含 {year} 年，实为 {actual}"),
        # -- the 项目支出绩效目标申报表
        Code("FUND_TOTAL", E,
             "{period}资金总额 {actual} 与财政拨款 {fiscal} 加其他资金 {other} 之和 {expected} 不相等"),
        Code("PROJECT_ANNUAL_OVER_MID", E, "年度资金总额 {annual} 超过中期资金总额 {mid}"),
        Code("PROJECT_PERIOD", E, "项目期（起止年度）应包含 {year} 年，实为 {actual}"),
        Code("PROJECT_NO_UNIT_FORM", W,
             "{unit_id} 没有可读取的 {year} 年部门整体支出绩效目标申报表（不存在或有错未能读取），本项目表无从对应"),
        Code("PROJECT_UNIT_UNPUBLISHED", E,
             "本项目表将公开，而 {unit_id} {year} 年的部门整体支出绩效目标申报表{state}："
             "数据包中项目表指向它的外键无处可指"),
        Code("PROJECT_NOT_LISTED", W, "项目名称 {name} 不在 {other} 的“项目支出情况”之中"),
        Code("PROJECT_FORM_MISSING", INFO,
             "项目支出情况中的项目 {name} 没有 {year} 年的项目支出绩效目标申报表（本单位本年度已有其他项目的申报表）"),
        Code("COST_TOTAL", W, "成本构成各项金额之和 {actual} 与年度资金总额 {annual}（第 {line} 行第 {col} 列）不相等"),
        Code("PROJECT_BUDGET_DIFFERS", E,
             "年度资金总额 {actual} 与部门整体申报表中该项目的本年度预算 {budget}（{other}）不相等"),
        # -- the 绩效自评表 (project and unit self-evaluations)
        Code("RESULT_RATE", E,
             "{row}执行率 {actual} 与 全年执行数 {spent} ÷ 全年预算数 {budget} = {expected} 不符（超出填报精度）"),
        Code("RESULT_ZERO_BUDGET", E, "{row}全年预算数为 0，执行率无从计算（全年执行数 {spent}，执行率 {rate}）"),
        Code("RESULT_NO_BUDGET", W, "{row}未填全年预算数，执行率无从核对（全年执行数 {spent}，执行率 {rate}）"),
        Code("RESULT_FUND_PARTS", E, "年度资金总额的{column} {actual} 与其中各项之和 {expected} 不相等"),
        Code("RESULT_BUDGET_SCORE", E, "{row}得分 {actual} 应为 分值 {points} × 执行率 = {expected}（不超过分值）"),
        Code("RESULT_SCORE_OVER", E, "{title}得分 {actual} 超过其分值 {points}"),
        Code("RESULT_POINTS_SUM", E, "{part}各项分值之和为 {actual}，应为 {expected}"),
        Code("RESULT_TOTAL", E, "总分 {actual} 与各项得分之和 {expected} 不符（超出填报精度）"),
        Code("RESULT_INDICATOR_SCORE", E,
             "指标「{name}」得分 {actual} 应为 指标权重 {weight} × 得分系数 {coefficient} = {expected}"),
        Code("RESULT_NO_REASON", W, "指标「{name}」实际完成值 {actual} 未达到指标值 {target}，未填写偏差原因分析"),
        Code("RESULT_NO_TARGET", INFO, "{year} 年没有与本自评表对应的{kind}，无从对照"),
        Code("RESULT_TARGET_MISSING", E,
             "本自评表将公开，而 {year} 年没有对应的{kind}：公开页面无从对照，数据包中自评表指向申报表的外键无处可指"),
        Code("RESULT_TARGET_DRAFT", E,
             "本自评表将公开，而对应的{kind} {other} 是草稿：公开页面无从对照，数据包的外键也无处可指"),
        Code("TARGET_NO_RESULT", INFO, "{year} 年度已结束（已有 {latest} 年度的自评表），本申报表尚无{kind}"),
        # -- goals and indicators
        Code("LEVEL1_UNKNOWN", E, "一级指标 {actual} 不在财政部规定的 {allowed} 之中"),
        Code("LEVEL2_UNKNOWN", W,
             "二级指标 {actual} 不属于一级指标 {level1}（可在 site_config/indicators.yml 中添加本地变体）"),
        Code("GOAL_NO_INDICATORS", E, "年度目标 {number} 没有任何绩效指标"),
        Code("RATE_OVER_100", W, "指标「{name}」的指标值 {actual} 超过 100%"),
        Code("VALUE_QUALITATIVE", INFO, "指标「{name}」的指标值为定性表述：{actual}"),
        # -- the columns and sections of a form's edition (edition:)
        Code("VALUE_NOT_NUMBER", W, "指标「{name}」的指标值类型为定量，指标值却不是数值：{actual}"),
        Code("UNIT_MISMATCH", W, "指标「{name}」的指标值 {actual} 所带单位与计量单位 {unit} 不符"),
        Code("QUALITATIVE_UNIT", W, "指标「{name}」的指标值类型为定性，却有计量单位 {unit}"),
        Code("SIGN_MISMATCH", W, "指标「{name}」的计算符号 {sign} 与指标值 {value}（指标值类型：{value_type}）不一致"),
        Code("COLUMN_REQUIRED", E, "指标「{name}」的{column}未填写，{edition}要求填写"),
        Code("SECTION_REQUIRED", E, "{what}未填写，{edition}要求填写"),
        Code("NOT_IN_EDITION", E, "{what}不在{edition}的表式中，页面不显示；请核对表式（edition:）或删去"),
        Code("FUNDING_ROW_UNKNOWN", W, "{side}中的“{actual}”不是{edition}的资金项目（{allowed}）"),
        # -- disclose import (position: 工作簿:工作表!单元格)
        Code("IMPORT_UNREADABLE", E, "无法读取工作簿：{detail}"),
        Code("IMPORT_EDITION", E, "这是 {edition} 表式的申报表（见“{label}”）：disclose import 只读 湖北-2021 表式，"
             "本表未导入；请按 docs/editions.md 录入 YAML（edition: {edition}）"),
        Code("IMPORT_NO_FORM", E, "工作簿中没有可识别的{title}（未找到表题或“部门（单位）名称”“一级指标”等标签）"),
        Code("IMPORT_LABEL_MISSING", E, "未找到标签“{label}”（{title}），该部分未导入"),
        Code("IMPORT_VALUE_MISSING", E, "{title}未填写"),
        Code("IMPORT_NOT_NUMBER", E, "{title}应为不带单位的数值（如 367.58），单元格显示为“{actual}”"),
        Code("IMPORT_NOT_SHARE", E, "{title}应为百分数（如 97.27%），单元格显示为“{actual}”"),
        Code("IMPORT_NOT_DATE", E, "{title}不是有效日期：“{actual}”"),
        Code("IMPORT_FORMAT_GUESSED", W,
             "{title}：读不出该 .xls 文件的单元格格式，数值 {actual} 按百分数读作 {guess}，请核对"),
        Code("IMPORT_MERGE_CUT", E, "合并单元格 {range} 跨越了{what}表格的边界或两列，无法确定归属，请拆分"),
        Code("IMPORT_SECOND_FORM", E, "同一工作表中有第二张申报表（第一张始于 {first}），请每张表放在单独的工作表中"),
        Code("IMPORT_NO_ID", E, "无法确定单位编号（{actual} 不是小写字母、数字和连字符组成的编号）：请填写“单位编号”，"
                                "或把工作簿命名为编号，或用 --id 指定"),
        Code("IMPORT_NO_YEAR", E, "无法确定预算年度：请填写“预算年度”或近两年收支金额的年份，或用 --year 指定"),
        Code("IMPORT_TARGET_EXISTS", E, "{target} 已存在且不是由本工作簿导入的，未覆盖（确需覆盖请加 --force）"),
        Code("IMPORT_DUPLICATE_TARGET", E, "与 {other} 导入到同一文件 {target}：单位编号或年度重复"),
        # -- corpus and waivers
        Code("DUPLICATE_DECLARATION", E, "{unit_id} 的 {year} 年{form}重复，另见 {other}"),
        Code("WAIVER_UNKNOWN", E, "豁免的问题代码 {actual} 不存在或不是错误"),
        Code("WAIVER_UNUSED", W, "豁免的问题代码 {actual} 在本表中未出现"),
        Code("WAIVER_NOT_WAIVABLE", W,
             "问题代码 {actual} 不能豁免（文件、格式、跨表或与版式不符的错误须改正），本条豁免无效"),
        # -- the published output itself (the build's last check before publishing)
        Code("PUBLIC_LEAK", E, "公开文件中有未打码的{kind}：{snippet}"),
    ]
}


# The errors a form's `waivers:` may waive: what a form's own figures or wording say (a total, a share, a
# project type), which the form may really have been filed with and must then be published as filed. Not: the
# file and its format, a value that could not be read, and what relates forms to each other or to their print
# (a published result without its target, a cell the print has no column for): publishing those as filed would
# publish a broken page or data package, not the filed form.
WAIVABLE = frozenset({
    "HISTORY_LENGTH", "INCOME_TOTAL", "EXPENDITURE_TOTAL", "UNBALANCED", "SHARE_MISMATCH", "SHARE_SUM",
    "TOTAL_SHARE", "PROJECT_SUM", "PROJECT_OVER_TOTAL", "PROJECT_TYPE", "PROJECT_YEARS", "FUND_TOTAL",
    "PROJECT_ANNUAL_OVER_MID", "PROJECT_PERIOD", "PROJECT_BUDGET_DIFFERS", "RESULT_RATE", "RESULT_ZERO_BUDGET",
    "RESULT_FUND_PARTS", "RESULT_BUDGET_SCORE", "RESULT_SCORE_OVER", "RESULT_POINTS_SUM", "RESULT_TOTAL",
    "RESULT_INDICATOR_SCORE", "LEVEL1_UNKNOWN", "GOAL_NO_INDICATORS", "COLUMN_REQUIRED", "SECTION_REQUIRED",
})


def code(name: str) -> Code:
    return CODES[name]
