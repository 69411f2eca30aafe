"""Browser tests (render and site stages), what only a browser shows: the chart's text boxes, the phone's scroll hint,
line breaks in narrow cells and file names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.chart import bar_chart
from generator.load import load
from generator.model import Declaration

from .browser_site import ROOT

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
