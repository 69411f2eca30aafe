"""The render stage in parts (issue 18): a year's forms are rendered in parts side by side (forked workers), and
the parts make exactly the pages, and keep exactly the render cache's entries, that one renderer makes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jinja2
import pytest

from generator import build, render
from generator.check import Context, check_files
from generator.config import load_levels
from generator.render import Corpus, PageOptions, Renderer, YearSummary
from generator.synth import synthesize

ROOT = Path(__file__).resolve().parent.parent


def _year(tmp_path: Path, count: int) -> tuple[YearSummary, Context]:
    paths = synthesize(tmp_path / "content", count, years=1)
    context = Context(load_levels(ROOT / "site_config" / "indicators.yml"), tmp_path / "content")
    report = check_files(paths, context)
    assert not report.blocking
    return Corpus.of(report.documents).years[0], context


def test_parts_cover_every_form_once_and_the_year_pages_with_the_first(tmp_path: Path) -> None:
    summary, context = _year(tmp_path, 7)
    whole = dict(Renderer(context.levels, PageOptions(), {}).year_pages(summary))
    parts = [slice(0, 3), slice(3, 6), slice(6, 9)]
    pieces = [dict(Renderer(context.levels, PageOptions(), {}).year_pages(summary, part)) for part in parts]
    assert "index.md" in pieces[0] and all("index.md" not in p for p in pieces[1:])
    assert sum(len(p) for p in pieces) == len(whole)
    assert {name: text for p in pieces for name, text in p.items()} == whole  # every page, the same Markdown
    forms = render.form_page_names(summary)  # (MkDocs parts are placed by it)
    assert forms and [name for name in whole if name in forms] == forms == [n for n in whole if n != "index.md"]


@pytest.mark.parametrize(("cores", "count", "expected"), [(2, 1000, 4), (2, 7, 1), (1, 400, 2), (8, 120, 3)])
def test_render_parts_are_about_equal_and_not_too_small(tmp_path: Path, cores: int, count: int,
                                                        expected: int) -> None:
    summary = YearSummary(2025, [object()] * count)  # type: ignore[list-item]  # (only counted)
    parts = build.render_parts([summary], cores)
    assert len(parts) == expected
    covered = [i for _, part in parts for i in range(count)[part]]
    assert covered == list(range(count))


def test_a_year_rendered_in_forked_parts_is_the_serial_one_and_its_cache_keeps_the_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary, context = _year(tmp_path, 9)
    monkeypatch.setattr(build, "_MIN_RENDER_PART", 2)  # several parts for a small year
    assert len(build.render_parts([summary], 2)) == 3
    out = {}
    for parallel in (False, True):
        work = tmp_path / f"build-{parallel}" / "public"
        folders, _ = build.render_years(work, context.levels, PageOptions(), {}, [summary], parallel)
        docs = work / str(summary.year) / "docs"
        out[parallel] = {p.name: p.read_bytes() for p in docs.iterdir()}
        assert list(folders) == [str(summary.year)] and sorted(folders[str(summary.year)]) == sorted(out[parallel])
        memo = work.parent / "cache" / "markdown-public" / str(summary.year)
        assert len(list(memo.rglob("*.md"))) == len(render.year_forms(summary))
    assert out[True] == out[False]
    # A form gone from the year: its cached page goes too, the others' stay (every part's entries kept).
    work = tmp_path / "build-True" / "public"
    memo = work.parent / "cache" / "markdown-public" / str(summary.year)
    before = {p.name for p in memo.rglob("*.md")}
    smaller = YearSummary(summary.year, summary.docs[1:])
    build.render_years(work, context.levels, PageOptions(), {}, [smaller], True)
    after = {p.name for p in memo.rglob("*.md")}
    assert len(after) == len(before) - 1 and after < before


@pytest.mark.parametrize("value", ["计划数", "两行\n文字", "<b>&</b>", None, 0, 12.5, ""])
def test_the_field_filter_prints_what_attr_printed(value: object) -> None:
    """The matrix's cells: `|field` (getattr) instead of Jinja's `|attr` (a static lookup first: 15 % of a page)."""
    env = render.environment()
    cell = type("Cell", (), {"value": value})()
    new, old = ("<td>{{ x|" + name + "('value') or '' }}</td>" for name in ("field", "attr"))
    assert env.from_string(new).render(x=cell) == env.from_string(old).render(x=cell)
    with pytest.raises(AttributeError):  # a field the form does not have fails the page, as attr's undefined did
        env.from_string("{{ x|field('other') or '' }}").render(x=cell)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ x|attr('other') or '' }}").render(x=cell)


def test_a_form_added_or_withdrawn_moves_no_other_page_between_mkdocs_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "PART_PAGES", 40)

    def folders(names: list[str]) -> dict[str, str]:  # each declaration page's folder: the year's or a part's
        placed = build.place_parts("2025", names)
        where = {page: part for part, pages in placed.items() for page in pages}
        assert sum(len(pages) for pages in placed.values()) == len(where)  # (each in one folder at most)
        return {name: where.get(name, "2025") for name in names}

    names = [f"u{n:05d}-jyj.md" for n in range(190)]
    before = folders(names)
    sizes = sorted(Counter(before.values()).values())
    assert len(sizes) == 5 and sizes[0] >= 20 and sizes[-1] <= 64  # about PART_PAGES each (by a hash: ±)
    for changed in ([*names, "u09999-new.md"], [n for n in names if n != "u00007-jyj.md"]):
        after = folders(changed)
        assert {p: f for p, f in after.items() if p in before} == {p: f for p, f in before.items() if p in after}
    grown = folders([*names, *(f"u{n:05d}-new.md" for n in range(20))])  # 210 pages: a sixth folder
    moved = [p for p in before if grown[p] != before[p]]
    assert len(set(grown.values())) == 6 and 0 < len(moved) <= len(before) // 4  # only into the new one
    assert {grown[p] for p in moved} == {"2025.part5"}
