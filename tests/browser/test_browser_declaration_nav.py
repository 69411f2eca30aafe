"""Browser tests (site stage): where a declaration page sits. Its year's tab is highlighted, the left sidebar lists
the years with its own marked, a breadcrumb and a back link lead to its year's list, and every heading's ¶ says in
Chinese what it is."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .browser_site import SEED_NAME, SEED_URL, Tabs

pytestmark = pytest.mark.browser


def test_a_declaration_page_shows_where_it_is(tabs: Tabs, artifacts: object) -> None:
    page = tabs.open(SEED_URL)
    active = page.locator(".md-tabs__item--active")
    assert active.count() == 1 and active.inner_text().strip() == "年度"
    sidebar = page.locator(".md-sidebar--primary")
    assert sidebar.is_visible()
    # The entry of the year's list is marked active: the section the page belongs to.
    marked = sidebar.locator("li.md-nav__item--active a.md-nav__link").evaluate_all(
        "els => els.filter(e => e.offsetParent && new URL(e.href).pathname === '/2021/')"
        ".map(e => e.textContent.trim())")
    assert marked, "the sidebar marks no entry of the year's list"
    crumbs = page.locator("nav.dc-crumbs")
    assert crumbs.inner_text().split() == ["首页", "›", "2021", "年度", "›", SEED_NAME]
    page.screenshot(path=f"{artifacts}/declaration-nav.png")
    page.get_by_role("link", name="返回 2021 年度列表").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/2021/")
    assert page.locator("article h1").inner_text().strip().rstrip("¶") == "2021 年度部门整体支出绩效目标"


def test_heading_permalinks_say_so_in_chinese(tabs: Tabs) -> None:
    page = tabs.open(SEED_URL)
    titles = set(page.locator("a.headerlink").evaluate_all("els => els.map(e => e.title)"))
    assert titles == {"本节链接"}


def test_a_unit_page_highlights_the_units_tab(tabs: Tabs) -> None:
    page = tabs.open("/units/guangshui-ldbxj/")
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "各单位"
