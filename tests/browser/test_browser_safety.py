"""Browser tests (site stage): no request leaves 127.0.0.1, axe-core passes, hostile text stays text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .browser_site import AXE, HOSTILE_URL, PAYLOAD, SEED_URL, Tabs, open_with_search_index, search

pytestmark = pytest.mark.browser

TOUR = {"home": "/", "year": "/2021/", "declaration": SEED_URL, "units": "/units/",
        "unit": "/units/guangshui-ldbxj/", "hostile": HOSTILE_URL}


def test_no_request_leaves_127_0_0_1(tabs: Tabs) -> None:
    page = tabs.new()
    for path in TOUR.values():
        open_with_search_index(tabs, path, page)
    for start in ("/", "/2021/"):
        open_with_search_index(tabs, start, page)
        assert search(page, "参保")
        with page.expect_response(lambda r: urlsplit(r.url).path == SEED_URL):  # (the project form is found too)
            page.locator(f"a.md-search-result__link[href*='{SEED_URL}']").first.click()
    paths = {urlsplit(url).path for url in tabs.requests}
    # The recording works: it saw the pages, their scripts, styles and the search index's pieces (a year site's
    # manifest points to the portal's index).
    assert {"/", "/2021/", SEED_URL, "/search/manifest.js", "/2021/search/manifest.js"} <= paths
    assert any(p.startswith("/search/t/") for p in paths) and any(p.startswith("/search/p/") for p in paths)
    assert "/search/search_index.json" not in paths  # the record the index is made from: never downloaded
    assert any(p.endswith(".js") for p in paths) and any(p.endswith(".css") for p in paths)
    assert tabs.foreign_requests() == [], tabs.foreign_requests()
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in tabs.requests)


@pytest.mark.parametrize("name", ["home", "year", "declaration", "units", "unit"])
def test_axe_finds_no_serious_violation(tabs: Tabs, name: str) -> None:
    page = tabs.open(TOUR[name])
    page.add_script_tag(path=str(AXE))  # vendored from the axe-core npm package, never fetched
    result = page.evaluate("async () => { const r = await axe.run(document); "
                           "return {passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, "
                           "impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))}; }")
    assert result["passes"] > 10  # axe did run
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)


# Every text field of the hostile declaration: its label, then the payload.
FIELDS = ["恶意载荷测试局", "恶意领导", "恶意填报人", "恶意职能", "恶意任务", "恶意项目名称", "恶意项目用途",
          "恶意长期目标", "恶意年度目标", "恶意年度目标标题",
          *(f"长期{k}{i}" for k in ("指标名称", "指标值", "绩效标准") for i in (1, 2)),
          *(f"年度{k}{i}" for k in ("指标名称", "指标值", "绩效标准") for i in (1, 2, 3, 4))]

_INJECTED = """() => [
  ...document.querySelectorAll('img[src="x"], img[src^="data:"], svg[onload], iframe, object, embed'),
  ...document.querySelectorAll('a[href^="javascript:" i], a[href^="data:" i]'),
  ...[...document.querySelectorAll('script')].filter(s => /alert/.test(s.textContent)),
  ...[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))),
].map(e => e.outerHTML.slice(0, 120))"""


def _assert_inert(page: Any) -> None:
    assert page.evaluate(_INJECTED) == []
    assert page.evaluate("() => JSON.parse(sessionStorage.getItem('dc-alerts') || '[]')") == []


def test_hostile_declaration_shows_its_payload_as_text(tabs: Tabs, artifacts: Path) -> None:
    page = tabs.open(HOSTILE_URL)
    page.wait_for_load_state("networkidle")
    _assert_inert(page)
    text = re.sub(r"\s+", " ", page.locator("article").inner_text())
    missing = [label for label in FIELDS if f"{label} {PAYLOAD}" not in text]
    assert missing == [], f"payload not shown literally after: {missing}"
    assert PAYLOAD in page.title()
    assert PAYLOAD in page.locator(".md-header__topic[data-md-component='header-topic']").inner_text()
    assert PAYLOAD in page.locator('meta[name="description"]').get_attribute("content")
    page.screenshot(path=artifacts / "desktop-hostile-top.png")
    assert tabs.dialogs == []


def test_hostile_declaration_is_found_and_opened_by_search(tabs: Tabs) -> None:
    page = open_with_search_index(tabs, "/")
    hrefs = search(page, "载荷")
    target = next(i for i, h in enumerate(hrefs) if urlsplit(h).path == HOSTILE_URL and not urlsplit(h).fragment)
    results = page.locator(".md-search-result")
    _assert_inert(page)
    assert "<script>alert(1)</script>" in results.inner_text()  # the result titles show it as text
    page.locator("a.md-search-result__link").nth(target).click()
    page.wait_for_url(lambda url: urlsplit(url).path == HOSTILE_URL)
    page.wait_for_load_state("networkidle")
    _assert_inert(page)
    assert tabs.dialogs == []


def test_hostile_declaration_prints_inert(tabs: Tabs, artifacts: Path, poppler: Callable[..., str]) -> None:
    page = tabs.open(HOSTILE_URL)
    page.emulate_media(media="print")
    pdf = artifacts / "print-hostile.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    poppler("pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf), str(artifacts / "print-hostile-page"))
    _assert_inert(page)
    text = re.sub(r"\s+", "", poppler("pdftotext", str(pdf), "-"))
    for fragment in ("<script>alert(1)</script>", "<imgsrc=xonerror=alert(2)>", "{{7*7}}", "{%raw%}", "&amp;"):
        assert fragment in text
    assert tabs.dialogs == []
