"""Browser tests: a self-evaluation beside its declared targets (the side-by-side view), reached from its target
form, readable in words (not colour alone), on a phone and by axe. A site of its own (the shared one has no
results), served here and driven by the session's one Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_results_site import PROJECT, PROJECT_RESULT, UNIT_RESULT, build, copy_project, published

from .browser_site import AXE, Tabs
from .conftest import serve

pytestmark = pytest.mark.browser
RESULT_URL = "/2021/guangshui-ldbxj--gsbx-office_result/"
UNIT_RESULT_URL = "/2021/guangshui-ldbxj_result/"
PROJECT_URL = "/2021/guangshui-ldbxj--gsbx-office/"


@pytest.fixture(scope="module")
def results_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("results-browser") / "p")
    for path in (PROJECT, PROJECT_RESULT, UNIT_RESULT):
        (project / "content" / "2021" / path.name).write_text(published(path), "utf-8")
    build(project)
    return project / "site"


@pytest.fixture(scope="module")
def base_url(results_site: Path) -> Iterator[str]:
    """This module's own site, served: the shared `tabs` fixture opens its pages."""
    with serve(results_site) as url:
        yield url


def _rows(page: object) -> list[list[str]]:
    rows = page.locator("table#versus tbody tr")  # type: ignore[attr-defined]
    return [[c.strip() for c in row.locator("td").all_inner_texts()] for row in rows.all()]


def test_the_target_page_leads_to_its_result_beside_the_targets(tabs: Tabs, artifacts: Path) -> None:
    page = tabs.open(PROJECT_URL)
    page.locator("p.dc-result-link").get_by_role("link", name="项目支出绩效自评表").click()
    page.wait_for_url(lambda url: urlsplit(url).path == RESULT_URL)
    versus = page.locator("table#versus")
    versus.scroll_into_view_if_needed()
    assert versus.is_visible()
    assert _rows(page) == [["产出指标", "时效指标", "示例：待遇按时发放率", "100%", "100%", "50", "达成"],
                           ["满意度指标", "服务对象满意度指标", "示例：参保单位满意度", "≥90%", "88%", "36", "未达成"]]
    heads = [h.strip() for h in versus.locator("thead th").all_inner_texts()]
    assert heads[-4:] == ["申报表指标值", "实际完成值", "得分", "对照"]
    page.screenshot(path=f"{artifacts}/project-result.png", full_page=True)
    versus.get_by_role("link").click()  # the caption names the target form it compares with
    page.wait_for_url(lambda url: urlsplit(url).path == PROJECT_URL)


def test_the_verdict_is_in_words_whatever_the_colours(tabs: Tabs) -> None:
    """With colours gone (forced grey), every verdict still reads 达成 / 未达成 / 无法比较 (and why)."""
    page = tabs.open(UNIT_RESULT_URL)
    page.add_style_tag(content="* { color: #000 !important; background: #fff !important; }")
    verdicts = [row[-1] for row in _rows(page)]
    assert verdicts == ["达成", "未达成", "达成", "无法比较（定性表述）"]


@pytest.mark.parametrize("path", [RESULT_URL, UNIT_RESULT_URL])
def test_the_result_page_fits_a_phone(tabs: Tabs, path: str) -> None:
    page = tabs.open(path, width=375, height=740)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0  # wide tables scroll inside their region, the page does not
    region = page.locator("div.dc-table-wrap[aria-label='目标与完成情况对照']")
    assert region.get_attribute("tabindex") == "0"


@pytest.mark.parametrize("path", [RESULT_URL, UNIT_RESULT_URL])
def test_axe_finds_no_serious_violation_on_a_result_page(tabs: Tabs, path: str) -> None:
    page = tabs.open(path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => { const r = await axe.run(document); "
                           "return {passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, "
                           "impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))}; }")
    assert result["passes"] > 10
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
