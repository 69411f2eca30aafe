"""Browser tests (search stage): the header's search box as a reader uses it, and search.js = search.query.

The precision/recall sweep runs on the Python implementation (tests/test_search_recall.py); here the JavaScript
must give the same pages and sections for a handful of queries on the built site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from generator import search as index

from .browser_site import AXE, SEED_NAME, SEED_URL, Tabs, open_with_search_index, search

pytestmark = pytest.mark.browser

_SHOWN = """() => [...document.querySelectorAll('.md-search-result__item')].map(li =>
  [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href))"""


def _shown(page: Any) -> list[list[tuple[str, str]]]:
    """Per result page, its links as (path, anchor)."""
    return [[(urlsplit(h).path, unquote(urlsplit(h).fragment)) for h in item] for item in page.evaluate(_SHOWN)]


@pytest.mark.parametrize("start", ["/", "/2021/"], ids=["portal", "year-site"])
@pytest.mark.parametrize("query", ["投诉率", "社保"])
def test_values_and_standards_find_the_seed(tabs: Tabs, start: str, query: str) -> None:
    page = open_with_search_index(tabs, start)
    hrefs = search(page, query)
    assert any(urlsplit(h).path == SEED_URL for h in hrefs), hrefs
    if query == "投诉率":  # on the seed's page twice: both sections are linked, each to its heading
        anchors = [a for path, a in _shown(page)[0] if path == SEED_URL and a]
        assert [a[:6] for a in anchors] == ["年度目标-1", "年度目标-2"], anchors
        page.locator("a.md-search-result__link", has_text="年度目标 2").first.click()
        page.wait_for_url(lambda url: urlsplit(url).path == SEED_URL)
        heading = page.locator(f"[id='{anchors[1]}']")
        assert heading.count() == 1 and heading.inner_text().startswith("年度目标 2")


def test_a_units_full_name_ranks_it_first(tabs: Tabs) -> None:
    page = open_with_search_index(tabs, "/")
    search(page, SEED_NAME)
    assert _shown(page)[0][0] == (SEED_URL, "")


def test_a_filter_narrows_the_results(tabs: Tabs) -> None:
    page = open_with_search_index(tabs, "/")
    search(page, "参保")
    before = sum(len(item) for item in _shown(page))
    page.locator("select[data-dc-filter=l]").select_option("产出指标")
    page.wait_for_function(f"() => document.querySelectorAll('a.md-search-result__link').length < {before}")
    anchors = [a for item in _shown(page) for _, a in item if a]
    indicator_sections = ("长期目标绩效指标", "中期绩效指标", "年度绩效指标")  # the unit's and the project form's
    assert anchors and all(a.startswith("年度目标-") or a in indicator_sections for a in anchors), anchors
    assert page.locator(".dc-search-filter", has_text="年度").is_visible() is False  # one year: no choice


def test_snippets_show_the_text_found_and_nothing_missing(tabs: Tabs) -> None:
    page = open_with_search_index(tabs, "/")
    search(page, "参保")
    teasers = page.locator(".md-search-result__teaser:not(.dc-search-about)").all_inner_texts()
    assert teasers and all(t[:1] not in "，。；、：" for t in teasers), teasers
    assert all("参保" in t for t in teasers)
    assert page.locator(".md-search-result mark", has_text="参保").count() >= len(teasers)
    assert page.locator(".md-search-result del, .md-search-result s").count() == 0  # no "缺少: 参保*"
    assert "缺少" not in page.locator(".md-search-result").inner_text()


@pytest.mark.parametrize("query", ["参保", "投诉率", SEED_NAME, "100%", "满意度", "年度计划", "载荷"])
def test_the_browser_gives_what_search_query_gives(tabs: Tabs, site_dir: Path, query: str) -> None:
    page = open_with_search_index(tabs, "/")
    search(page, query)
    # search.js links each page, then up to 3 of its matching sections
    expected = [[("/" + h.url, ""), *[("/" + h.url, a) for a, _, _ in h.sections if a][:3]]
                for h in index.query(index.Index(site_dir / "search"), query, limit=10)]
    assert _shown(page) == expected


def test_keyboard_opens_searches_and_follows_a_result(tabs: Tabs) -> None:
    page = open_with_search_index(tabs, "/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("参保")
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    chosen = urlsplit(page.evaluate("document.activeElement.href")).path  # the seed's page or its project form's
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == chosen)
    page.keyboard.press("s")
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('__search').checked") is False


def test_search_with_results_is_axe_clean(tabs: Tabs) -> None:
    page = open_with_search_index(tabs, "/")
    search(page, "参保")
    page.add_script_tag(path=str(AXE))
    # (axe reads colours as painted: mid-way through the panel's fade-in, under load, the text is still pale)
    result = page.evaluate("async () => { await Promise.all(document.getAnimations().map(a => a.finished)); "
                           "const r = await axe.run(document.querySelector('.md-search')); "
                           "return r.violations.map(v => ({id: v.id, impact: v.impact, "
                           "nodes: v.nodes.map(n => n.target.join(' '))})); }")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
