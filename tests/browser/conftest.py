"""Browser-test fixtures: build the site once (seed + a hostile declaration), serve it on 127.0.0.1, drive Chromium.

Debian's Chromium (/usr/bin/chromium, or $DISCLOSE_CHROMIUM) through Playwright, which cannot download browsers here.
Without a browser (or poppler's pdftotext/pdftoppm for the print tests) the tests skip, except with CI=true: then
they fail, so CI can never pass by silently skipping them.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser_site import (
    ARTIFACTS,
    HOSTILE,
    HOSTILE_URL,
    PROJECT,
    ROOT,
    SEED_URL,
    Tabs,
    need_tool,
)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/browser/, emptied once per session (gitignored): screenshots and PDFs to look at."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: a copy of the project plus the hostile declaration, built with `disclose -C DIR build`."""
    project = tmp_path_factory.mktemp("browser-project")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("theme", "site_config", "content"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy2(HOSTILE, project / "content" / "2021" / HOSTILE.name)
    shutil.copy2(PROJECT, project / "content" / "2021" / PROJECT.name)  # the example project form, published
    # `python -m generator` is the `disclose` command, without depending on PATH.
    run = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build"],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        pytest.fail(f"disclose build failed ({run.returncode}):\n{run.stdout}\n{run.stderr}", pytrace=False)
    site = project / "site"
    assert (site / SEED_URL.strip("/") / "index.html").is_file()
    assert (site / HOSTILE_URL.strip("/") / "index.html").is_file()
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser drops connections it no longer needs (BrokenPipe): not a test failure


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """http://127.0.0.1:<free port> serving a folder from a threaded http.server, while the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site/, served (a test module with a site of its own overrides this fixture)."""
    with served(site_dir) as url:
        yield url




@pytest.fixture
def tabs(chromium: Any, base_url: str) -> Iterator[Tabs]:
    """Pages for one test; afterwards no dialog may have opened, no script error been thrown, no request left."""
    watched = Tabs(chromium, base_url)
    try:
        yield watched
        assert watched.dialogs == [], f"a dialog opened: {watched.dialogs}"
        assert watched.alert_calls() == [], f"alert/confirm/prompt ran: {watched.alert_calls()}"
        assert watched.errors == [], f"uncaught script errors: {watched.errors}"
        assert watched.foreign_requests() == [], f"requests left {base_url}: {watched.foreign_requests()}"
    finally:
        for context in watched.contexts:
            context.close()


RunTool = Callable[..., str]


@pytest.fixture(scope="session")
def poppler() -> RunTool:
    """Run a poppler tool (pdftotext, pdftoppm, pdfinfo) and return its stdout."""
    tools = {name: need_tool(name) for name in ("pdftotext", "pdftoppm", "pdfinfo")}

    def run(name: str, *args: str) -> str:
        done = subprocess.run([tools[name], *args], capture_output=True, text=True, check=True, timeout=60)
        return done.stdout

    return run
