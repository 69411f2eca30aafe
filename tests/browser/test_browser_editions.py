"""Browser tests (site stage): each edition's indicator table shows its own columns, in its order, under merged
一级/二级 cells, in real Chromium (the session's browser) on a site built with the editions' examples published."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from generator.forms.department.editions import EDITIONS

from .browser_site import Tabs
from .conftest import serve

pytestmark = pytest.mark.browser
EXAMPLES = {"湖北-2022": "guangshui-ldbxj", "湖南-整体": "example-hunan-bureau"}  # content/2022/, drafts
# The cell each example's first annual row shows under its 指标值 heading, and that row's 一级 and its span.
FIRST_ROW = {"湖北-2022": ("50500", "产出指标", 4), "湖南-整体": ("≥12000", "产出指标", 2)}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's site (overriding the session's, which keeps the examples as the drafts they are): the
    bundled project built with the editions' examples published, served on 127.0.0.1."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("browser-editions") / "p")
    for stem in EXAMPLES.values():
        path = project / "content" / "2022" / f"{stem}.yaml"
        path.write_text(path.read_text("utf-8").replace("\nstatus: draft\n", "\nstatus: published\n"), "utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "-q"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    with serve(project / "site") as url:
        yield url


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return dict(box)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_indicator_table_shows_the_editions_columns_under_merged_levels(tabs: Tabs, name: str) -> None:
    edition = next(e for e in EDITIONS if e.name == name)
    page = tabs.open(f"/2022/{EXAMPLES[name]}/")
    table = page.locator("table#matrix-annual-1")
    heads = table.locator("thead th")
    labels = [label for _, label in edition.annual_columns]
    assert [h.inner_text().strip() for h in heads.all()] == ["一级指标", "二级指标", *labels]
    head_boxes = [_box(h) for h in heads.all()]
    assert [b["x"] for b in head_boxes] == sorted(b["x"] for b in head_boxes)  # shown left to right, in order

    value, level1, span = FIRST_ROW[name]
    rows = table.locator("tbody tr")
    merged = rows.nth(0).locator("th[rowspan]").first
    assert merged.inner_text().strip() == level1 and merged.get_attribute("rowspan") == str(span)
    # The merged 一级 cell is as tall as the rows it spans and sits in the 一级 column; the print-only
    # repeated level cells are not shown on screen.
    spanned = sum(_box(rows.nth(i))["height"] for i in range(span))
    assert abs(_box(merged)["height"] - spanned) <= 2
    assert abs(_box(merged)["x"] - head_boxes[0]["x"]) <= 1
    level2 = rows.nth(0).locator("th[rowspan]").nth(1)
    assert abs(_box(level2)["x"] - head_boxes[1]["x"]) <= 1
    assert not rows.nth(0).locator("td.dc-level").first.is_visible()
    # Every column's cell of the first row stands under its own heading (the value under 指标值).
    cells = rows.nth(0).locator("td:not(.dc-level)")
    assert cells.count() == len(labels)
    for i, box in enumerate(_box(c) for c in cells.all()):
        assert abs(box["x"] - head_boxes[2 + i]["x"]) <= 1, labels[i]
    assert cells.nth(labels.index("指标值")).inner_text().strip() == value


def test_hunan_overall_goal_keeps_its_filed_lines(tabs: Tabs) -> None:
    """湖南's 年度总体绩效目标 is one filed text of numbered lines: the page breaks it where the file does."""
    page = tabs.open(f"/2022/{EXAMPLES['湖南-整体']}/")
    goal = page.locator("p.dc-overall-goal")
    assert goal.inner_text().split("\n") == ["1. 示例：全面完成年度重点工作任务，公共服务覆盖率达到 95% 以上。",
                                             "2. 示例：群众满意度不低于 90%。"]
    assert page.locator("table.dc-funding").count() == 0 and page.locator("table.dc-projects").count() == 0
    headings = [h.inner_text().strip().rstrip("¶") for h in page.locator("article h2").all()]
    assert headings[:3] == ["部门(单位)职责", "年度总体绩效目标", "绩效指标"]
