"""The build cache (issue 18, site_cache): after one file changed, only the MkDocs build holding its page runs
again; every other build's output is taken from build/cache/sites-public (hard links), and site/ is byte for
byte a cold build's. No published file that a later step rewrites, and no archived file, shares an inode with
the cache. Real `mkdocs build`, forked workers."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import copy_project
from test_build_cache import cold
from test_incremental import build, edit_leader

from generator import build as build_module
from generator import site_cache
from generator.cli import main
from generator.synth import synthesize


def manifests(project: Path) -> dict[Path, int]:
    """Each stored MkDocs build (its manifest) and when it was written."""
    folder = project / "build" / "cache" / "sites-public"
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() and "." not in p.name}


def holding(stored: dict[Path, int], page: str) -> Path:
    """The stored build whose output has this page."""
    return next(p for p in stored if any(f[0] == page for f in json.loads(p.read_bytes())["files"]))


@pytest.fixture
def parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "PART_PAGES", 2)  # 5 forms: the year and the portal, each with 2 parts


def test_only_the_build_holding_the_changed_page_runs_again(tmp_path: Path, parts: None) -> None:
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 5, years=1)
    first = build(project)
    stored = manifests(project)
    assert len(stored) == 6  # the portal, the year, two parts of each
    page = {n: f"{path.stem}/index.html" for n, path in enumerate(paths)}
    others = [n for n in page if holding(stored, page[n]) != holding(stored, page[3])]
    assert others  # (the pages are spread over the year's site and its parts)
    edit_leader(paths[3])
    again = build(project)
    now = manifests(project)
    # The edited page's build ran again (and the portal, whose 数据下载 page shows the packages' sizes); the
    # builds of the other pages were taken from the cache, not written again.
    assert len(now) == 6 and holding(now, page[3]) not in stored
    assert {holding(now, page[n]) for n in others} <= set(stored)
    assert all(now[p] == stored[p] for p in set(now) & set(stored))
    # The year's data package (in its docs folder, copied by MkDocs as it is) changed too, and is the new one.
    package = f"{paths[3].parent.name}/data/declarations.csv"
    assert again[package] != first[package] and "（修订）".encode() in again[package]
    assert again == cold(project)


def test_a_published_file_changed_in_place_is_not_reused(tmp_path: Path) -> None:
    """site/ shares its files with the cache; one edited in place (by hand) has a new mtime: its build runs."""
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 3, years=1)
    first = build(project)
    page = next(p for p in (project / "site").glob("20*/u*/index.html"))
    assert page.stat().st_nlink == 2  # the published page and its stored copy: one file
    with page.open("r+b") as handle:
        handle.write(b"<!-- edited -->")
    assert build(project) == first  # the page built anew, not the edited bytes linked back
    assert build(project) == first


def test_rewritten_files_and_archived_files_share_no_inode_with_the_cache(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 3, years=1)
    build(project)
    build(project)  # every site from the cache
    site = project / "site"
    stored = {p.stat().st_ino for p in (project / "build" / "cache" / "sites-public").rglob("*") if p.is_file()}
    for rel in site_cache.REWRITTEN:
        for found in [site / rel, *site.glob(f"20*/{rel}")]:
            assert found.stat().st_ino not in stored, found
            # (the search record is replaced by a new file, never written in place: it may be a link to the
            # search stage's kept copy and to the other year sites' record, search_cache.Files)
            assert found.stat().st_nlink == 1 or rel == "search/search_index.json", found
    assert {p.stat().st_ino for p in site.rglob("*.html")} <= stored
    year = next(p.name for p in site.iterdir() if p.name.startswith("20"))
    assert main(["-C", str(project), "archive", year, "--note", "测试", "-q"]) == 0
    assert main(["-C", str(project), "archive", year, "--note", "更正", "--supersede", "更正", "-q"]) == 0
    archived = [p for p in (project / "archive").rglob("*") if p.is_file()]
    assert archived and all(p.stat().st_nlink == 1 for p in archived)
    assert not {p.stat().st_ino for p in archived} & stored


def test_a_stored_build_is_found_by_its_inputs_only(tmp_path: Path) -> None:
    """The key holds each page's bytes and every file's name, not the other files' bytes nor where they are."""
    docs = tmp_path / "docs"
    (docs / "data").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", "utf-8")
    (docs / "data" / "a.csv").write_text("1\n", "utf-8")
    listing = site_cache.folder_listing(docs)
    (docs / "data" / "a.csv").write_text("2\n", "utf-8")
    assert site_cache.folder_listing(docs) == listing
    moved = tmp_path / "other"
    shutil.copytree(docs, moved)
    assert site_cache.folder_listing(moved) == listing
    (docs / "data" / "b.csv").write_text("1\n", "utf-8")
    assert site_cache.folder_listing(docs) != listing
    (docs / "data" / "b.csv").unlink()
    (docs / "index.md").write_text("# 首页！\n", "utf-8")
    assert site_cache.folder_listing(docs) != listing


def test_without_hard_links_every_file_is_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """site/ on another filesystem than build/ (no hard link between them): the same site, made of copies."""
    def cross_device(source: object, dest: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # every stage here: fresh workers would not see the patch
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 3, years=1)
    build(project)
    edit_leader(paths[0])
    again = build(project)
    assert all(p.stat().st_nlink == 1 for p in (project / "site").rglob("*") if p.is_file())
    assert again == cold(project)
