"""Browser tests (site stage): the project page's 成本构成 table, laid out like the form's other tables."""

from __future__ import annotations

import pytest

from .browser_site import PROJECT_URL, Tabs

pytestmark = pytest.mark.browser


def test_the_cost_breakdown_is_a_table_of_its_rows(tabs: Tabs) -> None:
    page = tabs.open(PROJECT_URL)
    table = page.locator("table.dc-costs")
    assert table.locator("caption").inner_text().strip() == "成本构成（单位：万元）"
    rows = table.locator("tbody tr")
    assert [rows.nth(i).locator("th").inner_text().strip() for i in range(rows.count())] == [
        "示例：办公用品及耗材", "示例：业务资料印制", "示例：设备维护"]
    assert rows.nth(0).locator("td.dc-num").nth(0).inner_text().strip() == "4"
    assert table.evaluate("t => getComputedStyle(t.querySelector('th')).borderTopStyle") == "solid"


def test_on_a_phone_the_cost_table_scrolls_in_its_region(tabs: Tabs) -> None:
    page = tabs.open(PROJECT_URL, width=375, height=740)
    region = page.get_by_role("region", name="成本构成")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # scrolls within, the page does not
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
