"""Shared test helpers: the project's paths, writing YAML text to a file, checking files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser.browser_site import CHROMIUM, CHROMIUM_ARGS, unavailable

from generator.check import Context, Report, check_files
from generator.config import load_levels

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINIMAL = FIXTURES / "valid" / "2021" / "minimal-unit.yaml"
SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"


@pytest.fixture(scope="session")
def context() -> Context:
    """The check context with the project's own site_config/indicators.yml."""
    return Context(load_levels(ROOT / "site_config" / "indicators.yml"))


@pytest.fixture
def write_decl(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text to a fresh `<dir>/<year>/<name>.yaml` under tmp_path and return its path."""
    count = 0

    def write(text: str | bytes, year: str = "2021", name: str = "minimal-unit",
              suffix: str = ".yaml") -> Path:
        nonlocal count
        count += 1
        path = tmp_path / f"case{count}" / year / f"{name}{suffix}"
        path.parent.mkdir(parents=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path

    return write


@pytest.fixture
def run_check(context: Context) -> Callable[..., Report]:
    """Load and check files exactly as `disclose check` does."""

    def run(*paths: Path) -> Report:
        return check_files(list(paths), context)

    return run


def copy_project(dest: Path, content: bool = True) -> Path:
    """A throwaway disclose project: the repo's mkdocs.yml, theme/, site_config/ (and content/)."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ["theme", "site_config"] + (["content"] if content else []):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite the golden files from the output")


# One Playwright per session for every test module that drives Chromium (two sync Playwrights cannot
# run at once), failing instead of skipping under CI=true when the browser is missing.
@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright, one per session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set DISCLOSE_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
        raise
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
