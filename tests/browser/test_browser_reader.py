"""Browser tests (site stage), as a reader uses the site: search, the indicator matrix, sorting, a phone's width."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .browser_site import HOSTILE_URL, SEED_NAME, SEED_URL, Tabs, open_with_search_index, search

pytestmark = pytest.mark.browser

PHONE = 375


@pytest.mark.parametrize("start", ["/", "/2021/"], ids=["portal", "year-site"])
def test_search_lists_the_declaration_and_opens_it(tabs: Tabs, start: str) -> None:
    """Typed into the search box of the portal and of the year site (each has its own index and worker)."""
    page = tabs.new()
    for query in ("参保", "养老保险", SEED_NAME):
        open_with_search_index(tabs, start, page)
        hrefs = search(page, query)
        pages = [urlsplit(h) for h in hrefs]
        assert any(u.path == SEED_URL for u in pages), f"{query!r} from {start}: {hrefs}"
        # Open the declaration's own result (not a section of it) by clicking it, as a reader would.
        target = next(i for i, u in enumerate(pages) if u.path == SEED_URL and not u.fragment)
        page.locator("a.md-search-result__link").nth(target).click()
        page.wait_for_url(lambda url: urlsplit(url).path == SEED_URL)
        assert page.locator("article h1").inner_text().strip().rstrip("¶") == SEED_NAME, query


# Geometry of every merged cell: a th with rowspan=n covers exactly the n rows it starts, and the cells of those rows
# begin to its right. Returns one record per merged th.
_MERGED = """table => {
  const rows = [...table.tBodies[0].rows];
  const out = [];
  rows.forEach((tr, i) => {
    for (const th of tr.querySelectorAll(':scope > th[rowspan]')) {
      const n = th.rowSpan, box = th.getBoundingClientRect();
      const first = rows[i].getBoundingClientRect(), last = rows[i + n - 1].getBoundingClientRect();
      const lefts = rows.slice(i, i + n).flatMap(r => [...r.cells].filter(c => c !== th && c.cellIndex >= 0))
        .filter(c => c.getBoundingClientRect().left < box.right - 1 && c.getBoundingClientRect().right > box.left + 1)
        .map(c => c.textContent.trim());
      out.push({text: th.textContent.trim(), n, top: box.top, bottom: box.bottom,
                rowTop: first.top, rowBottom: last.bottom, overlapping: lefts});
    }
  });
  return out;
}"""

_ROW_OF = """(table, text) => {
  const cell = [...table.querySelectorAll('td')].find(td => td.textContent.trim() === text);
  const box = cell.getBoundingClientRect();
  return (box.top + box.bottom) / 2;
}"""


def test_indicator_matrix_merges_level_cells(tabs: Tabs) -> None:
    page = tabs.open(SEED_URL)
    table = page.locator("table#matrix-annual-1")
    merged = table.evaluate(_MERGED)
    level1 = [m for m in merged if m["text"] in ("产出指标", "效益指标", "满意度指标")]
    assert [m["text"] for m in level1] == ["产出指标", "效益指标", "满意度指标"]
    for m in merged:
        assert m["n"] >= 1
        assert abs(m["top"] - m["rowTop"]) <= 1.5 and abs(m["bottom"] - m["rowBottom"]) <= 1.5, m
        assert m["overlapping"] == [], f"cells drawn under the merged {m['text']}: {m['overlapping']}"
    output = level1[0]
    assert output["n"] >= 11  # 11 产出 indicators of goal 1 (+ the empty 成本指标 row)
    inside = ["养老保险在职参保人数", "工伤待遇、基本养老保险待遇发放准确率", "养老、工伤省级统筹按时完成交接任务"]
    outside = ["投诉率 0%；上访事项答复率100%。"]
    for text in inside:
        assert output["top"] < table.evaluate(_ROW_OF, text) < output["bottom"], text
    for text in outside:
        assert not output["top"] < table.evaluate(_ROW_OF, text) < output["bottom"], text
    quantity = next(m for m in merged if m["text"] == "数量指标")
    assert quantity["n"] == 5
    assert quantity["top"] < table.evaluate(_ROW_OF, "养老保险关系异地转移人数") < quantity["bottom"]
    assert not quantity["top"] < table.evaluate(_ROW_OF, "养老保险在职参保缴费核定准确率") < quantity["bottom"]


_ROWS = """table => [...table.tBodies[0].rows].map(tr => ({
  key: tr.querySelector('a').getAttribute('href'),
  cells: [...tr.cells].map(c => c.textContent.trim()),
}))"""


def test_sorting_the_year_page_keeps_rows_whole(tabs: Tabs, artifacts: Path) -> None:
    page = tabs.open("/2021/")
    page.wait_for_selector("table.dc-year-table[data-dc-sortable='1']")
    table = page.locator("table.dc-year-table")
    before = {r["key"]: r["cells"] for r in table.evaluate(_ROWS)}
    assert set(before) == {"guangshui-ldbxj/", "xss-everywhere/"}
    headers = table.locator("thead th")
    orders: dict[str, list[list[str]]] = {}
    for i in range(headers.count()):
        header = headers.nth(i)
        name = header.inner_text().strip()
        for _ in range(2):  # ascending and descending, whichever comes first
            header.click()
            rows = table.evaluate(_ROWS)
            for row in rows:
                assert row["cells"] == before[row["key"]], f"row torn apart sorting by {name}: {row}"
            direction = header.get_attribute("aria-sort")
            assert direction in ("ascending", "descending"), name
            if header.get_attribute("data-sort-method") == "number":
                values = [float(r["cells"][i].replace(",", "")) for r in rows]
                assert values == sorted(values, reverse=direction == "descending"), (name, direction, values)
            orders.setdefault(name, []).append([r["key"] for r in rows])
    # Sorting did happen: the seed files 17 indicators, the hostile one 6.
    assert orders["指标数"][0] == orders["指标数"][1][::-1]
    assert orders["指标数"][0] != orders["指标数"][1]
    page.mouse.move(0, 0)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / "desktop-year-sorted.png", full_page=True)


_TABLES = """() => [...document.querySelectorAll('article table')].map(t => {
  const region = t.closest('[role="region"]');
  if (!region) return {table: t.className, region: null};
  return {table: t.className, region: {tabindex: region.getAttribute('tabindex'),
          label: region.getAttribute('aria-label') || '', overflowX: getComputedStyle(region).overflowX,
          scrollWidth: region.scrollWidth, clientWidth: region.clientWidth,
          right: region.getBoundingClientRect().right}};
})"""

PHONE_PAGES = {"home": "/", "year": "/2021/", "declaration": SEED_URL, "units": "/units/",
               "unit": "/units/guangshui-ldbxj/", "hostile": HOSTILE_URL}


def test_phone_width_nothing_overflows_and_tables_scroll_in_regions(tabs: Tabs, artifacts: Path) -> None:
    page = tabs.new(width=PHONE, height=800)
    for name, path in PHONE_PAGES.items():
        page.goto(tabs.base_url + path, wait_until="load")
        if name in ("year", "declaration", "hostile"):  # before the check below scrolls things
            page.screenshot(path=artifacts / f"phone-{name}.png", full_page=True)
        _check_phone_page(page, name)


def _check_phone_page(page: Any, name: str) -> None:
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert inner == PHONE
    assert width <= inner, f"{name}: page is {width} px wide at {inner} px"
    tables = page.evaluate(_TABLES)
    assert tables, f"{name}: no table"
    for t in tables:
        region = t["region"]
        assert region is not None, f"{name}: table.{t['table']} is not inside a role=region"
        assert region["tabindex"] == "0" and region["label"], f"{name}: {t}"
        assert region["overflowX"] in ("auto", "scroll"), f"{name}: {t}"
        assert region["right"] <= PHONE + 0.5, f"{name}: {t}"
    # Wider tables scroll inside their region, from the keyboard too.
    regions = page.locator("article [role='region']").filter(has=page.locator("table"))
    scrolled = 0
    for i in range(regions.count()):
        region = regions.nth(i)
        if region.evaluate("r => r.scrollWidth > r.clientWidth + 1"):
            region.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
            scrolled += 1
    if name in ("declaration", "year", "hostile"):
        assert scrolled, f"{name}: expected a table wider than {PHONE} px to scroll"


def test_desktop_pages_fit(tabs: Tabs, artifacts: Path) -> None:
    page = tabs.new(width=1280)
    for name in ("home", "year", "declaration", "hostile"):
        page.goto(tabs.base_url + PHONE_PAGES[name], wait_until="load")
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert width <= inner, name
        # On a desktop screen no table needs scrolling sideways.
        wide = page.evaluate("() => [...document.querySelectorAll('article [role=region]')]"
                             ".filter(r => r.scrollWidth > r.clientWidth + 1).map(r => r.getAttribute('aria-label'))")
        assert wide == [], f"{name}: tables wider than the page at 1280 px: {wide}"
        page.screenshot(path=artifacts / f"desktop-{name}.png", full_page=True)
