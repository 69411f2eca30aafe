"""Browser tests (site stage), the printed A4 declaration read back page by page: no page holding only the footer,
no table starting with one or two rows at a page's foot, a continued matrix naming its 一级/二级 on the new page,
the download links left out."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from .browser_site import SEED_URL, Tabs
from .test_browser_print import print_pdf, tokens

pytestmark = pytest.mark.browser

Poppler = Callable[..., str]

# Level names and first cell (the indicator's name) of every body row of every article table, in the order _MARK
# numbers them: a merged th[rowspan] names the rows it spans (the screen's markup, whatever print shows).
_LEVELS = """() => [...document.querySelectorAll('article table')].map(t => {
  let l1 = '', l2 = '';
  return [...t.tBodies].flatMap(b => [...b.rows]).map(tr => {
    const merged = [...tr.querySelectorAll(':scope > th[scope=rowgroup]')].map(th => th.textContent.trim());
    if (merged.length === 2) [l1, l2] = merged;
    else if (merged.length === 1) l2 = merged[0];
    const first = tr.querySelector(':scope > td:not(.dc-level)');
    return [l1, l2, first ? first.textContent.trim() : ''];
  });
})"""

_BOX = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(poppler: Poppler, pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page: every word as (xMin, yMin, xMax, text)."""
    pages = poppler("pdftotext", "-bbox", str(pdf), "-").split("<page ")[1:]
    return [[(float(x0), float(y0), float(x1), w) for x0, y0, x1, _, w in _BOX.findall(p)] for p in pages]


def page_texts(poppler: Poppler, pdf: Path) -> list[str]:
    return [re.sub(r"\s+", "", p) for p in poppler("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]]


@pytest.fixture(scope="module")
def printed(chromium: Any, base_url: str, artifacts: Path, poppler: Poppler) -> dict[str, Any]:
    """The seed declaration printed plain (looked at as PNGs) and with row tokens; its rows' level names."""
    tabs = Tabs(chromium, base_url)
    try:
        page = tabs.open(SEED_URL)
        plain = print_pdf(page, artifacts / "print2-declaration.pdf")
        poppler("pdftoppm", "-r", "60", "-png", str(plain), str(artifacts / "print2-declaration-page"))
        page = tabs.open(SEED_URL)
        levels = page.evaluate(_LEVELS)
        footer = page.locator(".md-footer-meta").inner_text()
        marked = print_pdf(page, artifacts / "print2-declaration-marked.pdf", marked=True)
        assert tabs.dialogs == [] and tabs.errors == [] and tabs.foreign_requests() == []
    finally:
        for context in tabs.contexts:
            context.close()
    return {"plain": plain, "pages": page_texts(poppler, plain), "marked": marked,
            "tokens": tokens(poppler, marked), "levels": levels, "footer": re.sub(r"\s+", "", footer)}


def footer_only(pages: list[str], footer: str) -> list[int]:
    """Pages (1-based) whose text starts with the footer: nothing of the declaration printed on them."""
    return [n for n, text in enumerate(pages, 1) if text and text.startswith(footer[:8])]


def test_no_page_holds_only_the_footer(printed: dict[str, Any]) -> None:
    assert printed["footer"].startswith("主办单位"), printed["footer"]
    assert printed["footer"][:8] in printed["pages"][-1]  # the footer is printed, on the last page
    assert footer_only(printed["pages"], printed["footer"]) == []


# Lines appended to the article: exactly 5 mm each, so a number of them ends the content where a test wants.
_FILL = """n => {
  const article = document.querySelector('article');
  for (let i = 1; i <= n; i++) {
    const p = document.createElement('p');
    p.textContent = `填充第${i}行`;
    p.style.cssText = 'margin:0;line-height:5mm;height:5mm;font-size:9pt';
    article.appendChild(p);
  }
}"""
LINE_PT = 5 / 25.4 * 72
PAGE_BOTTOM_PT = (297 - 15) / 25.4 * 72  # A4 less the bottom margin of print.css
WITHOUT_RULE = ".md-footer { break-before: auto !important; page-break-before: auto !important; }"


def test_the_footer_keeps_company_when_the_content_ends_at_a_page_foot(
        chromium: Any, base_url: str, tmp_path: Path, poppler: Poppler, printed: dict[str, Any]) -> None:
    """Filler lines end the content just above a page's foot, where the footer no longer fits: the footer takes the
    last line(s) with it. Without print.css's rule (break-before: avoid) the same cases leave it alone on a page."""
    tabs = Tabs(chromium, base_url)

    def print_filled(n: int, css: str) -> Path:
        page = tabs.open(SEED_URL)
        page.evaluate(_FILL, n)
        return print_pdf(page, tmp_path / f"fill-{n}-{bool(css)}.pdf", css=css)

    alone: dict[str, list[int]] = {}
    try:
        # Where does the 60th line end? More lines after it stay on its page until it is full (earlier pages keep
        # their breaks): so many more that the last one still fits, and the footer cannot.
        first = print_filled(60, WITHOUT_RULE)
        bottom = next(y0 + LINE_PT for ws in words(poppler, first) for _, y0, _, w in ws if w == "填充第60行")
        counts = [60 + int((PAGE_BOTTOM_PT - bottom) // LINE_PT) - k for k in (1, 0)]
        for css in ("", WITHOUT_RULE):
            for n in counts:
                if footer_only(page_texts(poppler, print_filled(n, css)), printed["footer"]):
                    alone.setdefault(css, []).append(n)
    finally:
        for context in tabs.contexts:
            context.close()
    assert alone.get("", []) == [], f"{counts} filler lines: the footer alone on the last page"
    assert alone.get(WITHOUT_RULE), f"{counts} filler lines never strand the footer, even without the rule"


def test_no_table_starts_with_fewer_than_three_rows_at_a_page_foot(printed: dict[str, Any]) -> None:
    found = printed["tokens"]
    checked = 0
    for table in sorted({t.table for t in found}):
        rows = {t.row: t.page for t in found if t.table == table and t.row is not None and t.edge == "A"}
        first = min(rows.values())
        if len(set(rows.values())) > 1:
            checked += 1
            on_first = sorted(r for r, p in rows.items() if p == first)
            assert len(on_first) >= 3, f"table {table} starts with rows {on_first} at the foot of page {first}"
    assert checked, "no table spans pages: the check proved nothing"


def printed_levels(band: list[tuple[float, float, float, str]], name: str) -> tuple[str, str]:
    """The words printed left of a row's indicator name, in two columns split at the widest gap between centres."""
    name_x = min(x0 for x0, _, _, w in band if len(w) > 1 and name.startswith(w))
    left = [(x0, y, x1, w) for x0, y, x1, w in band if x1 <= name_x + 1 and not name.startswith(w)]
    if not left:
        return "", ""
    centres = sorted((x0 + x1) / 2 for x0, _, x1, _ in left)
    split = max(pairwise(centres), key=lambda p: p[1] - p[0], default=(centres[0], centres[0]))
    cut = (split[0] + split[1]) / 2 if split[1] - split[0] > 20 else centres[-1] + 1
    column = [(y, x0, w, (x0 + x1) / 2 < cut) for x0, y, x1, w in left]
    return ("".join(w for _, _, w, first in sorted(column) if first),
            "".join(w for _, _, w, first in sorted(column) if not first))


def test_a_continued_matrix_names_its_levels_on_the_new_page(printed: dict[str, Any], poppler: Poppler) -> None:
    """The first row of a matrix on its continuation page shows its 一级 and 二级 names beside it."""
    found, levels = printed["tokens"], printed["levels"]
    pages = words(poppler, printed["marked"])
    continued = 0
    for table in sorted({t.table for t in found}):
        if not any(row[0] for row in levels[table]):
            continue  # not a matrix
        rows = {t.row: t.page for t in found if t.table == table and t.row is not None and t.edge == "A"}
        for page in sorted(set(rows.values()))[1:]:
            continued += 1
            row = min(r for r, p in rows.items() if p == page)
            top = next(t.y for t in found if (t.table, t.row, t.edge, t.page) == (table, row, "A", page))
            bottom = next(t.y for t in found if (t.table, t.row, t.edge, t.page) == (table, row, "Z", page))
            # The row's words: its tokens' 2 pt glyphs sit a little below the text top of the row's first line.
            band = [w for w in pages[page - 1] if top - 5 <= w[1] < bottom - 2 and not w[3].startswith("QX")]
            assert printed_levels(band, levels[table][row][2]) == tuple(levels[table][row][:2]), \
                f"table {table}, page {page}, row {row}"
    assert continued, "no matrix continues on a second page: the check proved nothing"


def test_the_download_links_are_not_printed(printed: dict[str, Any]) -> None:
    text = "".join(printed["pages"])
    for link in ("Excel工作簿", "资金情况CSV", "YAML原文件", "全部申报表的数据包"):
        assert link not in text
    assert "本页按原表公开" in text  # the source note before them is printed
