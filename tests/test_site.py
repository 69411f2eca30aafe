"""The public site: a real `disclose build` of the bundled content, read back as a reader's browser would."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED, copy_project

from generator.load import load
from generator.model import Money, Share

pytestmark = pytest.mark.slow
MOBILE = re.compile(rb"(?<!\d)1[3-9]\d{9}(?!\d)")


class Text(HTMLParser):
    """The visible text of a page (script and style contents left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = Text()
    parser.feed(page)
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("site") / "project")
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "-q"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return project / "site"


def filed_values(value: Any) -> list[str]:
    """Every filed text, amount and share in a model value, as the clerk wrote it."""
    if isinstance(value, (Money, Share)):
        return [value.text]
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [v for item in value for v in filed_values(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [v for f in dataclasses.fields(value) for v in filed_values(getattr(value, f.name))]
    return []


def test_the_seed_page_shows_every_filed_value(built: Path) -> None:
    doc, _ = load(SEED)
    assert doc is not None
    text = visible_text((built / "2021" / "guangshui-ldbxj" / "index.html").read_text("utf-8"))
    decl = doc.decl
    missing = [v for v in filed_values(dataclasses.replace(decl, phone=None, status="draft"))
               if v not in text and v not in ("draft",)]
    assert not missing, f"filed values missing from the page: {missing}"
    assert "2021 年 1 月 28 日" in text  # as the form prints it, not zero-padded
    assert "159****6299" in text and "15997856299" not in text
    assert "丰富政策宣手段" in text, "typos are published as filed"


def test_no_full_mobile_number_anywhere_under_site(built: Path) -> None:
    leaks = [str(p) for p in built.rglob("*") if p.is_file() and MOBILE.search(p.read_bytes())]
    assert not leaks


def test_the_matrix_is_laid_out_like_the_form(built: Path) -> None:
    page = (built / "2021" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    goal1 = page[page.index('id="matrix-annual-1"'):page.index('id="matrix-annual-2"')]
    # 产出指标 spans 5 数量 + 4 质量 + 2 时效 + 1 empty 成本 = 12 rows
    assert '<th scope="rowgroup" rowspan="12">产出指标</th>' in goal1
    assert '<th scope="rowgroup" rowspan="5">数量指标</th>' in goal1
    assert '<th scope="rowgroup" rowspan="1">成本指标</th>\n<td class="dc-empty" colspan="3">（未填报）</td>' in goal1
    for level2 in ["经济效益", "社会效益", "生态效益", "可持续发展", "服务对象满意度指标"]:
        assert f">{level2}</th>" in goal1
    assert goal1.count("<tr>") == 1 + 12 + 4 + 1  # header, 产出, 效益 (3 empty + 1), 满意度


def test_funding_table_and_chart(built: Path) -> None:
    page = (built / "2021" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    assert '<svg class="dc-chart-svg"' in page and "<title id=" in page
    funding = page[page.index('class="dc-funding"'):]
    funding = funding[:funding.index("</table>")]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", funding)
    assert cells == ["367.58", "100%", "482.93", "422.26", "0", "0.00%", "0", "0", "367.58", "100%", "482.93",
                     "422.26", "357.58", "97.27%", "482.93", "412.26", "10", "2.73%", "0", "10", "367.58", "100%",
                     "482.93", "422.26"]


def test_site_structure_and_nav(built: Path) -> None:
    home = visible_text((built / "index.html").read_text("utf-8"))
    assert "2021 年度" in home and "367.58" in home
    year = (built / "2021" / "index.html").read_text("utf-8")
    assert 'href="guangshui-ldbxj/"' in year and 'class="dc-year-table"' in year
    nav = year[year.index('<nav class="md-nav md-nav--primary'):]
    nav = nav[:nav.index("</nav>")]
    assert "guangshui-ldbxj" not in nav, "declaration pages stay out of the sidebar nav"
    assert (built / "units" / "guangshui-ldbxj" / "index.html").exists()
    unit = (built / "units" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    assert 'href="../../2021/guangshui-ldbxj/"' in unit


def test_nothing_is_loaded_from_outside_the_site(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text("utf-8")
        loaded = re.findall(r'<(?:script|img|iframe|source)[^>]*\ssrc="([^"]+)"', text)
        loaded += re.findall(r'<link[^>]*rel="(?:stylesheet|preload|icon|modulepreload)"[^>]*href="([^"]+)"', text)
        external = [u for u in loaded if re.match(r"(https?:)?//", u)]
        assert not external, f"{page}: {external}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_search_finds_the_seed_by_words_readers_type(built: Path) -> None:
    """The index readers fetch in pieces (generator/search.py) finds the seed by what readers type."""
    from generator import search

    for word in ["参保", "养老保险", "广水市", "投诉率", "社保"]:
        hits = search.query(search.Index(built / "search"), word)
        assert any(h.url == "2021/guangshui-ldbxj/" for h in hits), word
    year_index = json.loads((built / "2021" / "search" / "search_index.json").read_text("utf-8"))
    assert any(d["location"] == "../2021/guangshui-ldbxj/" for d in year_index["docs"])
    assert "../search/" in (built / "2021" / "search" / "manifest.js").read_text("utf-8")  # the portal's index


def test_decimal_totals_on_home_are_exact(built: Path) -> None:
    home = visible_text((built / "index.html").read_text("utf-8"))
    assert str(Decimal("367.58")) in home and "367.58000" not in home


def test_generated_markdown_is_kept_for_inspection(built: Path) -> None:
    markdown = built.parent / "build" / "public" / "2021" / "docs" / "guangshui-ldbxj.md"
    assert markdown.exists() and "# 广水市劳动保险事业管理局" in markdown.read_text("utf-8")


def test_golden_markdown(built: Path, request: pytest.FixtureRequest) -> None:
    """The renderer's output for the seed, compared with a checked-in golden file (never Material's HTML)."""
    golden = ROOT / "tests" / "golden" / "guangshui-ldbxj.md"
    actual = (built.parent / "build" / "public" / "2021" / "docs" / "guangshui-ldbxj.md").read_text("utf-8")
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), "run pytest --update-goldens once to create the golden file"
    assert actual == golden.read_text("utf-8"), "rendered Markdown changed: review, then pytest --update-goldens"
