"""Browser tests (site stage): a 项目支出绩效目标申报表's page, reached from its unit's page and leading back."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .browser_site import PROJECT_URL, SEED_NAME, SEED_URL, Tabs

pytestmark = pytest.mark.browser
PROJECT_NAME = "工伤保险专项办公经费"


def test_the_unit_page_links_its_project_form_and_back(tabs: Tabs, artifacts: object) -> None:
    page = tabs.open(SEED_URL)
    page.locator("table.dc-projects").get_by_role("link", name=PROJECT_NAME).click()
    page.wait_for_url(lambda url: urlsplit(url).path == PROJECT_URL)
    assert page.locator("article h1").inner_text().strip().rstrip("¶") == PROJECT_NAME
    crumbs = page.locator("nav.dc-crumbs")
    assert crumbs.inner_text().split() == ["首页", "›", "2021", "年度", "›", SEED_NAME, "›", PROJECT_NAME]
    page.screenshot(path=f"{artifacts}/project-page.png", full_page=True)
    crumbs.get_by_role("link", name=SEED_NAME).click()
    page.wait_for_url(lambda url: urlsplit(url).path == SEED_URL)


def test_the_project_page_lays_out_the_form(tabs: Tabs) -> None:
    page = tabs.open(PROJECT_URL)
    funds = page.locator("table.dc-funding tbody tr")
    assert funds.count() == 2
    assert funds.nth(0).locator("th").inner_text().strip() == "中期资金总额"
    matrices = page.locator("table.dc-matrix")
    assert matrices.count() == 2
    assert [m.get_attribute("id") for m in matrices.all()] == ["matrix-mid-term", "matrix-annual"]
    assert page.locator("table.dc-matrix#matrix-annual").get_by_text("示例：参保单位满意度").is_visible()


def test_the_project_page_fits_a_phone(tabs: Tabs) -> None:
    page = tabs.open(PROJECT_URL, width=375, height=740)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
