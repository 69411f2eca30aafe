"""What a citizen reads on the pages (render stage): totals as filed with their unit, blank cells blank, a
computed value labelled in its cell, the filing date as printed, waivers published, missing project rows named."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL, copy_project

from generator.build import Stages, build_public, waived_problems
from generator.check import Context, Report
from generator.model import Document
from generator.render import Corpus, PageOptions, Renderer

BASE = MINIMAL.read_text(encoding="utf-8")


def _variant(*changes: tuple[str, str]) -> str:
    text = BASE
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text


# 366.80 with its trailing zero; the expenditure 合计 left blank for disclose to sum.
TRAILING_ZERO = _variant(
    ("{name: 财政拨款, amount: 100,", "{name: 财政拨款, amount: 366.80,"),
    ("income_total: {amount: 100,", "income_total: {amount: 366.80,"),
    ("{name: 基本支出, amount: 90,", "{name: 基本支出, amount: 356.80,"),
    ("{name: 项目支出, amount: 10,", "{name: 项目支出, amount: 10.00,"),
    ("expenditure_total: {amount: 100, share: 100%,", "expenditure_total: {"),
    ("filing_date: 2021-01-28", "filing_date: 2021-05-06"),
)


def _doc(write_decl: Callable[..., Path], run_check: Callable[..., Report], text: str) -> tuple[Document, Report]:
    report = run_check(write_decl(text))
    assert report.documents, report.problems
    return report.documents[0], report


def _renderer(context: Context, options: PageOptions | None = None) -> Renderer:
    return Renderer(context.levels, options or PageOptions(), {"site_name": "测试"})


def _unescaped(markdown: str) -> str:
    """Markdown text as read: the filed text in a paragraph has its Markdown syntax backslashed (md_inline)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _cells(page: str, table: str) -> list[str]:
    body = page.split(f'<table class="{table}"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]


@pytest.fixture
def trailing_zero(write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> Document:
    return _doc(write_decl, run_check, TRAILING_ZERO)[0]


def test_home_year_and_unit_totals_keep_the_filed_text_and_unit(context: Context, trailing_zero: Document) -> None:
    corpus = Corpus.of([trailing_zero])
    r = _renderer(context)
    home, year, unit = r.home(corpus), r.year(corpus.year(2021)), r.unit([trailing_zero])
    assert _cells(home, "dc-year-table")[1:] == ["366.80 万元", "366.80 万元"]
    assert "收入合计 366.80 万元，支出合计 366.80 万元" in _unescaped(year)
    # The filed income total as filed; the blank expenditure total computed, and saying so in its cell.
    assert _cells(year, "dc-year-table")[:2] == ["366.80", "366.80（计算）"]
    assert _cells(unit, "dc-year-table")[1:3] == ["366.80", "366.80（计算）"]
    assert "366.8<" not in home + year + unit


def test_year_totals_of_units_in_different_money_units_are_not_added(
        context: Context, write_decl: Callable[..., Path], run_check: Callable[..., Report],
        trailing_zero: Document) -> None:
    text = _variant(("money_unit: 万元", "money_unit: 元"), ("unit_id: minimal-unit", "unit_id: yuan-unit"))
    report = run_check(write_decl(text, name="yuan-unit"))
    corpus = Corpus.of([trailing_zero, *report.documents])
    year = _renderer(context).year(corpus.year(2021))
    assert "收入合计 366.80 万元 + 100 元，" in _unescaped(year)


def test_blank_shares_stay_blank_and_computed_totals_say_so(context: Context, trailing_zero: Document) -> None:
    page = _renderer(context).declaration(trailing_zero)
    cells = _cells(page, "dc-funding")
    # 支出: 基本支出 356.80 90% …, 项目支出 10.00 10% …, 合计: computed amount, share left blank as filed.
    total = cells[-4:]
    assert total[0] == "366.80（计算）"
    assert total[1] == ""
    assert "100%" not in total[1] and "100.00%" not in page


def test_the_filing_date_is_shown_as_printed_on_the_form(context: Context, trailing_zero: Document) -> None:
    r = _renderer(context)
    assert "2021 年 5 月 6 日" in r.declaration(trailing_zero)
    assert "05 月" not in r.declaration(trailing_zero)
    assert "<td>2021 年 5 月 6 日</td>" in r.year(Corpus.of([trailing_zero]).year(2021))


WAIVED = _variant(
    ("{name: 基本支出, amount: 90, share: 90%,", "{name: 基本支出, amount: 90, share: 80%,"),
    ("annual:", "waivers:\n  - {code: SHARE_MISMATCH, reason: 原表如此填报（占比经人工调整）}\n"
                "  - {code: SHARE_SUM, reason: 原表合计如此}\nannual:"),
)


def test_waived_errors_and_their_reasons_are_on_the_public_page(
        context: Context, write_decl: Callable[..., Path], run_check: Callable[..., Report]) -> None:
    doc, report = _doc(write_decl, run_check, WAIVED)
    assert sorted(p.code for p in report.problems if p.waived) == ["SHARE_MISMATCH", "SHARE_SUM"]
    page = _renderer(context, PageOptions(waived=waived_problems(report))).declaration(doc)
    block = page.split('class="admonition note dc-waivers"', 1)[1].split("</div>", 1)[0]
    assert "说明" in block and "SHARE_MISMATCH" in block and "原表如此填报（占比经人工调整）" in block
    assert "「基本支出」占比填报为 80%" in block  # which check: the problem's own message
    assert "SHARE_SUM" in block and "原表合计如此" in block


def test_the_public_build_publishes_waivers(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    (project / "content" / "2021").mkdir(parents=True)
    (project / "content" / "2021" / "minimal-unit.yaml").write_text(WAIVED, encoding="utf-8")
    from generator.config import Project

    build_public(Project(project), Stages(quiet=True))
    page = (project / "site" / "2021" / "minimal-unit" / "index.html").read_text(encoding="utf-8")
    assert "dc-waivers" in page and "原表如此填报（占比经人工调整）" in page


@pytest.mark.parametrize(("spending", "shown"), [("10", "（原表未列明细）"), ("0", "（无项目支出）")])
def test_missing_project_rows_say_what_is_true(
        context: Context, write_decl: Callable[..., Path], run_check: Callable[..., Report],
        spending: str, shown: str) -> None:
    row = "  - {name: 专项经费, type: 常年性项目, total_budget: 10, budget: 10, purpose: 业务经费}\n"
    text = _variant((f"projects:\n{row}", "projects: []\n"))
    if spending == "0":
        text = text.replace("{name: 基本支出, amount: 90, share: 90%", "{name: 基本支出, amount: 100, share: 100%")
        text = text.replace("{name: 项目支出, amount: 10, share: 10%", "{name: 项目支出, amount: 0, share: 0%")
    doc, _ = _doc(write_decl, run_check, text)
    cells = _cells(_renderer(context).declaration(doc), "dc-projects")
    assert cells == [shown]
