"""Browser tests (site stage): the site and an archive bundle opened from disk (file://), as the README says.

From disk a link to a folder ("2021/") shows the folder's listing, a Web Worker cannot start and the search
index cannot be fetched: each page must link to index.html files, search must run (iframe worker, inlined
index) and find declarations, and nothing may be requested from outside the opened folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .browser_site import SEED_NAME, SEED_URL, Tabs, search

pytestmark = pytest.mark.browser


@pytest.fixture
def disk_tabs(chromium: Any, site_dir: Path) -> Iterator[Tabs]:
    """Tabs watched as the `tabs` fixture's, but on file:///…/site: no request may leave that folder."""
    watched = Tabs(chromium, site_dir.as_uri())
    try:
        yield watched
        assert watched.errors == [], f"uncaught script errors: {watched.errors}"
        assert watched.foreign_requests() == [], f"requests left the folder: {watched.foreign_requests()}"
    finally:
        for context in watched.contexts:
            context.close()


def _open(tabs: Tabs, path: Path) -> Any:
    page = tabs.new()
    page.goto(path.as_uri(), wait_until="load")
    return page


def _is_page(page: Any) -> bool:
    """A built page, not the browser's listing of a folder."""
    return page.locator("input.md-search__input").count() == 1 and not urlsplit(page.url).path.endswith("/")


def _title(page: Any) -> str:
    return str(page.locator("article h1").inner_text()).strip().rstrip("¶")


def _search_and_open(page: Any, query: str, path_end: str) -> None:
    """Search as a reader does, click the declaration's own result and land on its page."""
    hrefs = search(page, query)
    target = next((i for i, h in enumerate(hrefs) if urlsplit(h).path.endswith(path_end) and "#" not in h), None)
    assert target is not None, f"{query!r}: no result for the declaration in {hrefs}"
    page.locator("a.md-search-result__link").nth(target).click()
    page.wait_for_load_state("load")
    assert _is_page(page), page.url
    assert _title(page) == SEED_NAME


def test_site_from_disk_navigates_and_searches(disk_tabs: Tabs, site_dir: Path, artifacts: Path) -> None:
    page = _open(disk_tabs, site_dir / "index.html")
    assert _is_page(page)
    page.locator("table.dc-year-table a", has_text="2021 年度").click()
    page.wait_for_load_state("load")
    assert _is_page(page), f"the year link opened {page.url}"
    page.locator("table.dc-year-table a", has_text=SEED_NAME).click()
    page.wait_for_load_state("load")
    assert _is_page(page) and _title(page) == SEED_NAME, page.url
    page.screenshot(path=str(artifacts / "offline-declaration.png"))
    # The tabs (MkDocs' own links) lead to pages too.
    page.locator(".md-tabs a", has_text="各单位").click()
    page.wait_for_load_state("load")
    assert _is_page(page), f"the 各单位 tab opened {page.url}"
    for start in (site_dir / "index.html", site_dir / "2021" / "index.html"):
        page = _open(disk_tabs, start)
        _search_and_open(page, "参保", SEED_URL + "index.html")
    page.screenshot(path=str(artifacts / "offline-search-result.png"))


@pytest.fixture(scope="session")
def bundle_dir(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`disclose archive 2021` + `disclose bundle 2021` on a copy of the browser project, extracted."""
    project = tmp_path_factory.mktemp("offline-archive")
    for name in ("mkdocs.yml", "theme", "site_config", "content"):
        source = site_dir.parent / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
    for args in (["archive", "2021", "--note", "离线测试"], ["bundle", "2021", "-o", str(project / "b.tar.gz")]):
        run = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), *args],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
    out = tmp_path_factory.mktemp("offline-bundle")
    with tarfile.open(project / "b.tar.gz") as tar:
        tar.extractall(out, filter="data")
    (index,) = out.glob("*/index.html")
    return index.parent


def test_archive_bundle_from_disk_navigates_and_searches(chromium: Any, bundle_dir: Path) -> None:
    watched = Tabs(chromium, bundle_dir.as_uri())
    try:
        page = _open(watched, bundle_dir / "index.html")
        assert _is_page(page)
        page.locator("table.dc-year-table a", has_text=SEED_NAME).click()
        page.wait_for_load_state("load")
        assert _is_page(page) and _title(page) == SEED_NAME, page.url
        page = _open(watched, bundle_dir / "index.html")
        _search_and_open(page, "参保", "/guangshui-ldbxj/index.html")
        assert watched.errors == [], f"uncaught script errors: {watched.errors}"
        assert watched.foreign_requests() == [], f"requests left the bundle: {watched.foreign_requests()}"
    finally:
        for context in watched.contexts:
            context.close()
