"""Incremental builds (issue 18): after one file changed, a build redoes only that form's work — its check
result and its pages' HTML come anew, every other from the content-hash caches (check_cache, page_cache) —
and publishes byte for byte what a cold build of the same content publishes. Real `mkdocs build`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from test_incremental import build, edit_leader

from generator import check, check_cache
from generator.check import Context, declaration_files
from generator.config import load_levels
from generator.synth import synthesize


def entries(folder: Path) -> dict[Path, int]:
    """Each cache entry and when it was written."""
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def cold(project: Path) -> dict[str, bytes]:
    shutil.rmtree(project / "build")
    shutil.rmtree(project / "site")
    return build(project)


def test_one_changed_file_is_checked_and_its_pages_made_again_and_nothing_else(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 4, years=1)
    first = build(project)
    checks, pages = project / "build" / "cache" / "check", project / "build" / "cache" / "pages-public"
    checked, made = entries(checks), entries(pages)
    assert len(checked) == 4 and len(made) == sum(n.endswith("index.html") for n in first)
    edit_leader(paths[1])
    again = build(project)
    checked_again, made_again = entries(checks), entries(pages)
    assert len(checked_again) == 4 and len(set(checked_again) - set(checked)) == 1  # the edited file only
    assert all(checked_again[p] == checked[p] for p in set(checked) & set(checked_again))
    new = set(made_again) - set(made)
    assert all(made_again[p] == made[p] for p in set(made) & set(made_again))  # reused, not written again
    # What the edit reaches: the form's page and the pages listing it (its year's, the unit's), no other.
    assert 1 <= len(new) <= 3 and len(made_again) == len(made)
    assert any("（修订）".encode() in p.read_bytes() for p in new)
    unit, year = paths[1].stem, paths[1].parent.name
    differ = {name for name in again if again[name] != first.get(name)}
    assert f"{year}/{unit}/index.html" in differ
    others = [n for n in differ if n.startswith(f"{year}/u") and n.endswith("/index.html") and unit not in n]
    assert not others  # the other forms' pages are the same bytes
    assert cold(project) == again  # byte for byte, every file: a cold build of the changed content


def test_a_new_year_reaches_every_page_through_the_nav(tmp_path: Path) -> None:
    """A page's HTML holds the nav (the 年度 tab lists every year): a new year makes every page anew."""
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 3, years=1)
    first = build(project)
    made = entries(project / "build" / "cache" / "pages-public")
    older = next(p for p in synthesize(tmp_path / "more", 2, years=2) if p.parent.name == "2024")
    (project / "content" / "2024").mkdir()
    shutil.copy(older, project / "content" / "2024" / older.name)
    again = build(project)
    assert not set(made) & set(entries(project / "build" / "cache" / "pages-public"))  # no page reused
    assert all(again[n] != first[n] for n in first if n.endswith("/index.html") and n.startswith("2025/"))
    assert cold(project) == again


def test_a_page_cache_entry_is_the_page_and_the_search_entries_it_gave(tmp_path: Path) -> None:
    """A unit page is indexed by Material's search plugin: a rebuild from the cache hands the plugin the same
    entries, so search_index.json is the same bytes (the unit pages come from the cache here)."""
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 3, years=1)
    first = build(project)
    again = build(project)  # nothing changed: every page from the cache
    assert again == first
    assert b'"location":"units/' in again["search/search_index.json"]


def test_a_rebuild_renders_and_indexes_again_only_the_changed_forms_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 4, years=1)
    build(project)
    folder = project / "build" / "cache" / "markdown-public" / "2025"
    terms = project / "build" / "cache" / "search-public"
    made, indexed = entries(folder), entries(terms)
    assert len(made) == 4  # each declaration page's Markdown
    assert len(indexed) == 1  # the index's one run of pages (search_cache: a share per RUN_PAGES pages)
    edit_leader(paths[0])
    again = build(project)
    now, indexed_now = entries(folder), entries(terms)
    assert len(now) == 4 and len(set(now) - set(made)) == 1
    assert all(now[p] == made[p] for p in set(now) & set(made))
    assert len(indexed_now) == len(indexed) and len(set(indexed_now) - set(indexed)) == 1  # the edited page's run
    assert cold(project) == again


def test_the_check_in_workers_reports_what_the_check_in_one_process_reports(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Files checked in forked workers keep their results in the cache, which the parent reads back: the
    report is the one check.check_files gives, problems and documents alike (a broken file included)."""
    content = tmp_path / "content"
    synthesize(content, 6, years=2)
    broken = sorted(content.glob("2025/*.yaml"))[0]
    broken.write_text(broken.read_text("utf-8").replace("year: 2025", "year: [2025"), "utf-8")
    other = sorted(content.glob("2024/*.yaml"))[0]
    other.write_text(other.read_text("utf-8").replace("leader: ", "leader: 13912345678 ", 1), "utf-8")
    ctx = Context(load_levels(ROOT / "site_config" / "indicators.yml"), content)
    files = declaration_files([content])
    expected = check.check_files(files, ctx)
    monkeypatch.setattr(check_cache, "_PARALLEL_FROM", 2)
    for _ in range(2):  # cold (checked in workers), then warm (every result from the cache)
        report = check_cache.check_files(files, ctx, tmp_path / "cache", parallel=True)
        assert report.problems == expected.problems and report.problems
        assert report.documents == expected.documents and len(report.documents) == 5
