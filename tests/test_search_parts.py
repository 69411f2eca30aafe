"""The search index in runs (issue 18): the pages' terms and postings are made in runs of pages side by side
(forked workers), each run's share cached by its pages' content, and joined; the index is byte for byte the
one made of all pages at once, and a page's terms are those the former `_page_terms` made."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import search
from generator.check import Context, check_files
from generator.config import load_levels
from generator.search import FILTER, LEVELS, NAME, PAGE_BITS, Page, index_terms, normal_query
from generator.synth import synthesize

ROOT = Path(__file__).resolve().parent.parent


def reference_page_terms(page: Page) -> dict[str, int]:
    """`search._page_terms` as it was before its sections' terms were merged by set operations."""
    masks: dict[str, int] = {}
    for n, (_, title, text) in enumerate(page.sections):
        bit = 1 << min(n, PAGE_BITS - 1)
        for term in index_terms(title) | index_terms(text):
            masks[term] = masks.get(term, 0) | bit
        cells = set(text.split("\n"))
        for level in LEVELS:
            if level in cells:
                masks[FILTER + "l" + level] = masks.get(FILTER + "l" + level, 0) | bit
    everything = (1 << min(len(page.sections), PAGE_BITS)) - 1
    masks[NAME + normal_query(page.title)] = 1
    if page.year is not None:
        masks[FILTER + "y" + str(page.year)] = everything
    if page.kind:
        masks[FILTER + "k" + page.kind] = everything
    return masks


_CHARS = "预算绩效目标产出指标效益满意度 ，。\n\u0001\u0002aB１%-" + "".join(LEVELS)
_TEXT = st.text(st.sampled_from(_CHARS), max_size=40)
_SECTION = st.tuples(st.text(max_size=3), _TEXT, st.one_of(_TEXT, st.sampled_from(LEVELS)))
_PAGE = st.builds(Page, st.just("u/"), _TEXT, st.one_of(st.none(), st.integers(2000, 2030)),
                  st.sampled_from(["", "部门整体", "项目"]), st.lists(_SECTION, max_size=35))


@settings(max_examples=400, deadline=None)
@given(_PAGE)
def test_page_terms_are_the_former_ones(page: Page) -> None:
    assert search._page_terms(page) == reference_page_terms(page)


def _pages(tmp_path: Path) -> list[Page]:
    paths = synthesize(tmp_path / "content", 12, years=2)
    report = check_files(paths, Context(load_levels(ROOT / "site_config" / "indicators.yml"), tmp_path / "content"))
    home = [{"location": "", "title": "首页", "text": "各年度申报表"},
            {"location": "units/", "title": "单位", "text": ""}]
    return search.pages_of([*home, *search.entries(report.documents)])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("run_pages", [1, 3, 5, 64])
def test_an_index_made_in_runs_is_the_index_made_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         run_pages: int) -> None:
    pages = _pages(tmp_path)
    whole = tmp_path / "whole"
    whole.mkdir()
    search.write_shards(whole, pages)  # one run (64 pages), no cache, no workers
    monkeypatch.setattr(search, "_MIN_PARALLEL", 1)
    monkeypatch.setattr(search, "RUN_PAGES", run_pages)
    parted, cache = tmp_path / "parted", tmp_path / "shares"
    parted.mkdir()
    search.write_shards(parted, pages, cache, parallel=True)
    assert _tree(parted) == _tree(whole)
    runs = -(-len(pages) // run_pages)
    assert len(_tree(cache)) == runs  # every run's share kept
    shares = {p: p.stat().st_mtime_ns for p in cache.rglob("*.marshal")}
    again = tmp_path / "again"
    again.mkdir()
    edited = replace(pages[-1], sections=[*pages[-1].sections, ("x", "新增", "一段新的文字")])
    search.write_shards(again, [*pages[:-1], edited], cache, parallel=True)
    assert _tree(again) == _tree(_written(tmp_path / "fresh", [*pages[:-1], edited]))  # the cached shares joined
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*.marshal")}
    assert len(after) == runs and len(set(after) - set(shares)) == 1  # one run made again: the edited page's
    assert all(after[p] == shares[p] for p in set(after) & set(shares))


def _written(folder: Path, pages: list[Page]) -> Path:
    folder.mkdir()
    search.write_shards(folder, pages)
    return folder


def _kept_build(dest: Path, pages: list[Page], cache: Path, kept: Path) -> dict[str, bytes]:
    """write_shards as the public build runs it: the last build's files kept in `kept`, linked where unchanged."""
    files = search.Files(kept, dest)
    search.write_shards(dest / "search", pages, cache, files=files)
    files.finish()
    return _tree(dest / "search")


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_rebuild_links_the_files_it_kept_where_their_bytes_are_the_same(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RUN_PAGES", 3)
    pages, cache, kept = _pages(tmp_path), tmp_path / "shares", tmp_path / "kept"
    first = _kept_build(tmp_path / "a", pages, cache, kept)
    assert first == _tree(_written(tmp_path / "fresh", pages))
    assert _kept_build(tmp_path / "b", pages, cache, kept) == first
    assert _inodes(tmp_path / "b") == _inodes(tmp_path / "a")  # every file linked, none made or written
    edited = [*pages[:-1], replace(pages[-1], sections=[*pages[-1].sections, ("x", "新增", "一段新的文字")])]
    assert _kept_build(tmp_path / "c", edited, cache, kept) == _tree(_written(tmp_path / "fresh2", edited))
    before, after = _inodes(tmp_path / "b" / "search"), _inodes(tmp_path / "c" / "search")
    assert before["p/0.js"] == after["p/0.js"] and before[f"p/{len(pages) - 1}.js"] != after[f"p/{len(pages) - 1}.js"]
    (tmp_path / "c" / "search" / "p" / "0.js").write_text("changed by hand", "utf-8")  # (the kept copy too: a link)
    assert _kept_build(tmp_path / "d", edited, cache, kept) == _tree(_written(tmp_path / "fresh3", edited))
