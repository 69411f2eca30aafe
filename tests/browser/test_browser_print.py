"""Browser tests (site stage): a declaration printed to an A4 PDF by Chromium, read back with poppler."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .browser_site import SEED_NAME, SEED_URL, Tabs

pytestmark = pytest.mark.browser

# Figures as filed in content/2021/guangshui-ldbxj.yaml; the phone number as masked for publication.
SEED_FIGURES = ["367.58", "357.58", "97.27%", "2.73%", "0.00%", "482.93", "422.26", "412.26",
                "50000", "30500", "32700", "1500", "工伤保险专项办公经费", "熊斌", "159****6299", SEED_NAME]

# Two invisible tokens in one cell of every body row, pinned to the row's top and bottom edges (absolutely
# positioned, so no text reflows), and one pinned to the top of each table header. In the PDF a row whose
# top and bottom tokens land on different pages was split across them; a repeated header repeats its token.
_MARK = """() => {
  const tag = (cell, text, edge) => {
    cell.style.position = 'relative';
    const s = document.createElement('span');
    s.textContent = text;
    s.style.cssText = `position:absolute;left:1px;${edge}:0;font:2px/1 monospace;color:#fff;white-space:nowrap`;
    cell.appendChild(s);
  };
  const tables = [...document.querySelectorAll('article table')];
  tables.forEach((t, ti) => {
    tag(t.tHead.rows[t.tHead.rows.length - 1].cells[0], `QX${ti}H`, 'top');
    [...t.tBodies].flatMap(b => [...b.rows]).forEach((tr, ri) => {
      const cell = [...tr.cells].find(c => c.rowSpan === 1);
      tag(cell, `QX${ti}R${ri}A`, 'top');
      tag(cell, `QX${ti}R${ri}Z`, 'bottom');
    });
  });
  return tables.length;
}"""

_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')
_TOKEN = re.compile(r"QX(\d+)(?:R(\d+)([AZ])|H)")


@dataclass(frozen=True)
class Token:
    page: int
    y: float
    table: int
    row: int | None  # None: the header's token
    edge: str


def print_pdf(page: Any, path: Path, css: str = "", marked: bool = False) -> Path:
    if marked:
        assert page.evaluate(_MARK) >= 4
    if css:
        page.add_style_tag(content=css)
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", print_background=True)
    return path


def tokens(poppler: Callable[..., str], pdf: Path) -> list[Token]:
    found: list[Token] = []
    for number, text in enumerate(poppler("pdftotext", "-bbox", str(pdf), "-").split("<page ")[1:], 1):
        for y, word in _WORD.findall(text):
            for m in _TOKEN.finditer(word):
                row = int(m[2]) if m[2] is not None else None
                found.append(Token(number, float(y), int(m[1]), row, m[3] or "H"))
    return found


def split_rows(found: list[Token]) -> list[str]:
    pages: dict[tuple[int, int, str], int] = {(t.table, t.row, t.edge): t.page for t in found if t.row is not None}
    return [f"table {table} row {row}: pages {first}–{pages.get((table, row, 'Z'))}"
            for (table, row, edge), first in sorted(pages.items())
            if edge == "A" and pages.get((table, row, "Z")) != first]


@pytest.fixture(scope="module")
def printed(chromium: Any, base_url: str, artifacts: Path, poppler: Callable[..., str]) -> dict[str, Any]:
    """The seed declaration printed as a reader prints it, and once more with the row tokens."""
    tabs = Tabs(chromium, base_url)
    try:
        plain = print_pdf(tabs.open(SEED_URL), artifacts / "print-declaration.pdf")
        poppler("pdftoppm", "-r", "60", "-png", str(plain), str(artifacts / "print-declaration-page"))
        marked = print_pdf(tabs.open(SEED_URL), artifacts / "print-declaration-marked.pdf", marked=True)
        assert tabs.dialogs == [] and tabs.errors == [] and tabs.foreign_requests() == []
    finally:
        for context in tabs.contexts:
            context.close()
    pages = poppler("pdftotext", "-layout", str(plain), "-").split("\f")
    return {"plain": plain, "pages": [p for p in pages if p.strip()], "tokens": tokens(poppler, marked)}


def test_pdf_is_a4_and_holds_the_seed_figures(printed: dict[str, Any], poppler: Callable[..., str]) -> None:
    info = poppler("pdfinfo", str(printed["plain"]))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+|Page size:\s+595\.\d+ x 842\.\d+", info), info
    assert len(printed["pages"]) >= 2  # otherwise the header and row checks below prove nothing
    text = re.sub(r"\s+", "", "".join(printed["pages"]))
    missing = [f for f in SEED_FIGURES if f not in text]
    assert missing == [], f"not in the printed PDF: {missing}"
    for chrome in ("搜索", "Permanent link"):  # site furniture is not printed
        assert chrome not in text


def test_table_headers_repeat_on_every_page_a_table_spans(printed: dict[str, Any]) -> None:
    found: list[Token] = printed["tokens"]
    spanning = 0
    for table in sorted({t.table for t in found}):
        row_pages = sorted({t.page for t in found if t.table == table and t.row is not None})
        if len(row_pages) > 1:
            spanning += 1
        for page in row_pages:
            headers = [t.y for t in found if t.table == table and t.row is None and t.page == page]
            first_row = min(t.y for t in found if t.table == table and t.row is not None and t.page == page)
            assert headers, f"table {table}: rows on page {page} without its header"
            assert min(headers) < first_row, f"table {table}: header below its rows on page {page}"
    assert spanning, "no table spans pages: the check above proved nothing"
    # The same, read as text: every page carrying indicator-matrix rows shows the matrix header.
    for number, page_text in enumerate(printed["pages"], 1):
        if re.search(r"年度计划|按文件要求", page_text):  # values of the 绩效标准 column
            assert page_text.count("指标名称") >= 1, f"page {number} has matrix rows but no header"


def test_no_row_is_split_across_pages(printed: dict[str, Any]) -> None:
    found: list[Token] = printed["tokens"]
    rows = {(t.table, t.row) for t in found if t.row is not None}
    assert len(rows) >= 40  # funding, projects and three matrices: every row carries its tokens
    assert split_rows(found) == []


def test_split_row_check_can_fail(chromium: Any, base_url: str, tmp_path: Path, poppler: Callable[..., str]) -> None:
    """A row taller than a page must split: the token check sees it."""
    tabs = Tabs(chromium, base_url)
    try:
        page = tabs.open(SEED_URL)
        pdf = print_pdf(page, tmp_path / "tall-row.pdf", marked=True,
                        css="#matrix-annual-1 tbody tr:nth-child(3) > td { height: 320mm; }")
    finally:
        for context in tabs.contexts:
            context.close()
    assert split_rows(tokens(poppler, pdf)) != []
