"""Browser tests (render and site stages), what only a browser shows: the chart's text boxes, the phone's scroll hint,
line breaks in narrow cells and file names."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from generator.chart import bar_chart
from generator.forms.department.model import Declaration
from generator.load import load

from .browser_site import ROOT, SEED_URL, Tabs

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 375, 1280
SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"
CSS = ROOT / "theme" / "assets" / "stylesheets" / "disclose.css"


# -- the chart -----------------------------------------------------------------------------------------------


def _amounts(values: list[str | None]) -> str:
    return "[" + ", ".join(v if v is not None else "~" for v in values) + "]"


def declaration(tmp_path: Path, years: list[str | None], income: list[str | None],
                expenditure: list[str | None]) -> Declaration:
    """The seed with its funding replaced: one row per side; the last amount is the current year's."""
    def side(name: str, values: list[str | None]) -> str:
        amount, history = values[-1] or "~", _amounts(values[:-1])
        return (f"  {name}:\n    - name: 行\n      amount: {amount}\n      history: {history}\n"
                f"  {name}_total:\n    amount: {amount}\n    history: {history}\n")
    funding = f"funding:\n  history_years: {_amounts(years)}\n" + side("income", income) + side("expenditure",
                                                                                                   expenditure)
    text = re.sub(r"(?ms)^funding:\n.*?(?=^functions:)", lambda _: funding + "\n", SEED.read_text("utf-8"))
    path = tmp_path / "2021" / "guangshui-ldbxj.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    doc, problems = load(path)
    assert doc is not None, problems
    return doc.decl


# Every text of the chart: its box in page pixels, its words and their role, told by the words themselves.
_TEXTS = """() => [...document.querySelectorAll('svg.dc-chart-svg text')].map(t => {
  const b = t.getBoundingClientRect();
  const s = t.textContent;
  const role = /^(收入|支出)$/.test(s) ? 'legend' : /年$/.test(s) ? 'year' : 'value';
  return {text: s, role, x0: b.left, x1: b.right, y0: b.top, y1: b.bottom};
})"""


def chart_texts(chromium: Any, decl: Declaration, width: int = DESKTOP) -> tuple[str, list[dict[str, Any]]]:
    """The chart as the site shows it (its figure, the site's stylesheet), laid out by Chromium: caption, texts."""
    page = chromium.new_page(viewport={"width": width, "height": 600})
    try:
        page.set_content(f"<style>{CSS.read_text('utf-8')}</style><article class='md-typeset'>"
                         f"{bar_chart(decl, 'chart-x')}</article>")
        caption = page.locator("figure.dc-chart figcaption")
        return (caption.inner_text() if caption.count() else ""), page.evaluate(_TEXTS)
    finally:
        page.close()


def overlapping(texts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]:
                pairs.append((f"{a['role']}:{a['text']}", f"{b['role']}:{b['text']}"))
    return pairs


CHARTS = {
    "tallest-last": (["2019", "2020"], ["300.5", "320.25", "482.93"], ["290.1", "320.25", "482.93"]),
    "equal-wide-labels": (["2019", "2020"], ["12345678.1234", "12345678.1234", "12345678.1234"],
                          ["12345678.1234", "12345678.1234", "12345678.1234"]),
    "seed-like": (["2019", "2020"], ["482.93", "422.26", "367.58"], ["482.93", "422.26", "367.58"]),
}


@pytest.mark.parametrize("case", CHARTS)
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_two_chart_texts_overlap(chromium: Any, tmp_path: Path, case: str, width: int) -> None:
    years, income, expenditure = CHARTS[case]
    _, texts = chart_texts(chromium, declaration(tmp_path, list(years), list(income), list(expenditure)), width)
    values = [t for t in texts if t["role"] == "value"]
    legend = [t for t in texts if t["role"] == "legend"]
    assert len(values) == 6 and len(legend) == 2, texts  # the check below looks at every one of them
    assert overlapping(texts) == []


def test_blank_history_years_are_not_drawn_and_the_title_says_which_years(chromium: Any, tmp_path: Path) -> None:
    decl = declaration(tmp_path, [None, None], [None, None, "367.58"], [None, None, "357.58"])
    figure, texts = chart_texts(chromium, decl)
    assert [t["text"] for t in texts if t["role"] == "year"] == ["2021年"]
    assert [t["text"] for t in texts if t["role"] == "value"] == ["367.58", "357.58"]
    assert "前第" not in figure and "—" not in "".join(t["text"] for t in texts)
    assert "近三年" not in figure and figure.startswith("2021年收入与支出合计"), figure
    svg = str(bar_chart(decl, "c"))
    assert "近三年" not in svg and "2021年收入与支出合计" in svg


def test_one_blank_history_year_leaves_two_years(chromium: Any, tmp_path: Path) -> None:
    decl = declaration(tmp_path, [None, "2020"], [None, "400", "367.58"], [None, "390", "357.58"])
    figure, texts = chart_texts(chromium, decl)
    assert [t["text"] for t in texts if t["role"] == "year"] == ["2020年", "2021年"]
    assert figure.startswith("近两年收入与支出合计"), figure


def test_seed_chart_keeps_its_three_years(chromium: Any, tmp_path: Path) -> None:
    years, income, expenditure = CHARTS["seed-like"]
    figure, texts = chart_texts(chromium, declaration(tmp_path, list(years), list(income), list(expenditure)))
    assert [t["text"] for t in texts if t["role"] == "year"] == ["2019年", "2020年", "2021年"]
    assert figure.startswith("近三年收入与支出合计"), figure


# -- lines of text, as laid out --------------------------------------------------------------------------------

# The visible characters of an element, line by line: one Range per character, grouped by the top of its box.
_LINES = """el => {
  const lines = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (/\\s/.test(node.data[i])) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box || box.width === 0) continue;
      const line = lines.find(l => Math.abs(l.top - box.top) < box.height / 2);
      if (line) line.text += node.data[i]; else lines.push({top: box.top, text: node.data[i]});
    }
  }
  return lines.sort((a, b) => a.top - b.top).map(l => l.text);
}"""


def lines_of(locator: Any) -> list[list[str]]:
    return [locator.nth(i).evaluate(_LINES) for i in range(locator.count())]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_level_names_leave_no_character_alone_on_a_line(tabs: Tabs, width: int) -> None:
    """一级/二级 cells such as 可持续发展, 服务对象满意度指标 wrap in balanced lines, never "可持续发/展"."""
    page = tabs.open(SEED_URL, width=width)
    cells = lines_of(page.locator("article table.dc-matrix tbody th[scope='rowgroup']"))
    assert len(cells) >= 30 and any("".join(lines) == "服务对象满意度指标" for lines in cells), cells
    lonely = [lines for lines in cells if len(lines) > 1 and any(len(line) == 1 for line in lines)]
    assert lonely == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_file_names_break_only_after_a_hyphen(tabs: Tabs, width: int) -> None:
    """On the 数据下载 page no file name breaks inside a word ("datapackage.js|on"); datapackage.json is one line."""
    page = tabs.open("/data/", width=width)
    names = page.locator("article table a").filter(has_text=re.compile(r"\.(json|csv|xlsx|yaml)$"))
    lines = lines_of(names)
    assert len(lines) >= 10, lines
    assert [ls for ls in lines if "".join(ls) == "datapackage.json"] == [["datapackage.json"]]
    # Allowed: after a hyphen, and before the extension where the unit id ends (guangshui-ldbxj|.xlsx).
    torn = [ls for ls in lines if any(not (a.endswith("-") or b.startswith(".")) for a, b in pairwise(ls))]
    assert torn == []


# The computed look of a table's header cell and body cell.
_LOOK = """t => {
  const th = t.querySelector('thead th'), td = t.querySelector('tbody td');
  const s = e => getComputedStyle(e);
  return {headBg: s(th).backgroundColor, border: s(td).borderTopStyle + ' ' + s(td).borderTopWidth,
          size: s(td).fontSize};
}"""


def test_data_page_tables_look_like_the_declaration_tables(tabs: Tabs) -> None:
    funding = tabs.open(SEED_URL).locator("table.dc-funding").evaluate(_LOOK)
    page = tabs.open("/data/")
    for selector in ("table.dc-data-files", "table.dc-fields"):
        tables = page.locator(selector)
        assert tables.count() >= 2, selector
        for i in range(tables.count()):
            assert tables.nth(i).evaluate(_LOOK) == funding, selector


# -- the phone's scroll hint -----------------------------------------------------------------------------------

# Every table region: does it overflow, and is a scroll hint for it visible (in the viewport's width, not zero-sized,
# not hidden by CSS)? Its fade: the mask on the region.
_HINTS = """() => [...document.querySelectorAll('article [role=region]')].filter(r => r.querySelector('table'))
  .map(r => {
    const hint = r.previousElementSibling && r.previousElementSibling.matches('.dc-scroll-hint')
      ? r.previousElementSibling : null;
    const box = hint ? hint.getBoundingClientRect() : null;
    return {label: r.getAttribute('aria-label'), overflows: r.scrollWidth > r.clientWidth + 1,
            hint: !!hint && hint.checkVisibility({visibilityProperty: true}) && box.width > 0
                  && box.right <= innerWidth + 0.5 ? hint.textContent.trim() : '',
            fade: getComputedStyle(r).maskImage};
  })"""


@pytest.mark.parametrize("path", [SEED_URL, "/data/"])
def test_wide_tables_say_they_scroll_on_a_phone(tabs: Tabs, artifacts: Path, path: str) -> None:
    page = tabs.open(path, width=PHONE, height=800)
    regions = page.evaluate(_HINTS)
    wide = [r for r in regions if r["overflows"]]
    assert {"部门总体资金情况", "年度目标 1 绩效指标"} <= {r["label"] for r in wide} or path != SEED_URL, regions
    assert wide, regions
    for r in wide:
        assert "左右滑动" in r["hint"], r
        assert r["fade"] not in ("", "none"), r
    for r in regions:
        if not r["overflows"]:
            assert r["hint"] == "" and r["fade"] in ("", "none"), r
    region = page.locator("article [role=region]", has=page.locator("table.dc-funding, table.dc-data-files"))
    region = region.nth(1 if path == "/data/" else 0)  # the funding table; on /data/ the wide per-year files
    region.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / f"phone-scroll-hint-{path.strip('/').replace('/', '-')}.png")
    # Scrolled to its right end, the region's fade moves to the left edge: the mask changes.
    before = region.evaluate("r => getComputedStyle(r).maskImage")
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; r.dispatchEvent(new Event('scroll')); }")
    page.wait_for_function("([r, m]) => getComputedStyle(r).maskImage !== m", arg=[region.element_handle(), before])


@pytest.mark.parametrize("path", [SEED_URL, "/data/"])
def test_no_scroll_hint_on_a_desktop(tabs: Tabs, path: str) -> None:
    page = tabs.open(path, width=DESKTOP)
    regions = page.evaluate(_HINTS)
    assert regions
    assert [r for r in regions if r["hint"] or r["fade"] not in ("", "none")] == []
