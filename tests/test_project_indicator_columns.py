"""The project form's indicator rows may fill the columns 一体化 exports carry (计算符号, 计量单位, 指标值类型,
指标内容, 评(扣)分标准, 备注 …): its page shows them (not only 指标名称 | 指标值 | 绩效标准), its indicator CSV
has them, and the check compares them with the 指标值 as the 部门整体 form's does."""

from __future__ import annotations

import csv
import html
import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from generator.check import Context, check_files
from generator.forms.project.columns import columns
from generator.load import load

EXAMPLE = ROOT / "content" / "2021" / "guangshui-ldbxj--gsbx-office.yaml"
ROW = """    name: 示例：待遇按时发放率
    value: 100%
"""
FILLED = """    name: 示例：待遇按时发放率
    sign: "="
    value: "100"
    unit: "%"
    value_type: 定量
    content: 示例：按时发放的待遇笔数占应发笔数的比例
    scoring: 示例：每低 1 个百分点扣 1 分
    remark: 示例：按月统计
"""


def _filled(**changes: str) -> str:
    text = EXAMPLE.read_text("utf-8").replace("status: draft", "status: published")
    assert ROW in text
    text = text.replace(ROW, FILLED)
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


def _write(folder: Path, text: str) -> Path:
    path = folder / "2021" / EXAMPLE.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_columns_are_the_printed_ones_plus_those_filed(tmp_path: Path) -> None:
    seed, _ = load(EXAMPLE)
    assert seed is not None
    assert columns(seed.decl.annual_indicators) == (("name", "指标名称"), ("value", "指标值"), ("basis", "绩效标准"))
    doc, _ = load(_write(tmp_path, _filled()))
    assert doc is not None
    assert [label for _, label in columns(doc.decl.annual_indicators)] == [
        "指标名称", "计算符号", "指标值类型", "指标值", "计量单位", "绩效标准", "指标内容", "评(扣)分标准", "备注"]
    assert len(columns(doc.decl.mid_term_indicators)) == 3  # each table its own: the mid-term rows fill none


def test_the_columns_are_checked_against_the_value(tmp_path: Path, context: Context) -> None:
    path = _write(tmp_path, _filled(**{'    unit: "%"\n': "    unit: 人次\n", 'value: "100"': "value: 100%"}))
    line = next(i for i, t in enumerate(path.read_text("utf-8").splitlines(), 1) if t == "    value: 100%")
    found = [(p.code, p.line, p.col) for p in check_files([path], context).problems if p.code == "UNIT_MISMATCH"]
    assert found == [("UNIT_MISMATCH", line, 12)]
    assert [p.code for p in check_files([_write(tmp_path / "ok", _filled())], context).problems
            if p.code in ("UNIT_MISMATCH", "SIGN_MISMATCH", "QUALITATIVE_UNIT")] == []


@pytest.mark.slow
def test_page_and_csv_show_every_filled_column(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "content" / "2021" / EXAMPLE.name).write_text(_filled(), "utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "-q"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    page = html.unescape((project / "site" / "2021" / EXAMPLE.stem / "index.html").read_text("utf-8"))
    annual = page.split('id="matrix-annual"')[1].split("</table>")[0]
    for text in ("计算符号", "计量单位", "指标值类型", "指标内容", "评(扣)分标准", "备注",
                 "<td>=</td>", "<td>定量</td>", "<td>%</td>", "示例：按时发放的待遇笔数占应发笔数的比例",
                 "示例：每低 1 个百分点扣 1 分", "示例：按月统计"):
        assert text in annual, text
    assert "计算符号" not in page.split('id="matrix-mid-term"')[1].split("</table>")[0]
    data = project / "site" / "2021" / "data" / f"{EXAMPLE.stem}-indicators.csv"
    rows = list(csv.DictReader(io.StringIO(data.read_text("utf-8-sig"))))
    row = next(r for r in rows if r["指标名称"] == "示例：待遇按时发放率")
    assert (row["计算符号"], row["指标值"], row["计量单位"], row["指标值类型"], row["备注"]) == (
        "'=", "100", "%", "定量", "示例：按月统计")  # a cell opening with = is quoted against spreadsheet formulas
