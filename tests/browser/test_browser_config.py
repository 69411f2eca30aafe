"""Browser test (theme): the texts configured in site_config/site.yml are shown as text, never run."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from .browser_site import ROOT, SEED_URL, Tabs, open_with_search_index, search
from .conftest import _QuietHandler, _Server

pytestmark = pytest.mark.browser

NAME = "<img src=x onerror=alert(1)>名称"
PUBLISHER = "[x](javascript:alert(2)){: onclick=alert(3) }<img src=x onerror=alert(4)>机构"
FOOTER = "<script>alert(5)</script>页脚"
SITE_YML = f"""site_name: '{NAME}'
publisher: '{PUBLISHER}'
site_url: https://czj.example.gov.cn/jxmb/
contact: '{FOOTER}'
icp_record: '<svg onload=alert(6)>'
police_record: '"><img src=x onerror=alert(7)>'
show_filer: name
"""


@pytest.fixture(scope="module")
def hostile_config_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed built with the hostile site.yml above, served on 127.0.0.1."""
    project = tmp_path_factory.mktemp("hostile-config")
    for name in ("theme", "site_config", "content"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(project / name)], check=True)
    subprocess.run(["cp", str(ROOT / "mkdocs.yml"), str(project)], check=True)
    (project / "site_config" / "site.yml").write_text(SITE_YML, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "-q"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


_INJECTED = """() => [
  ...document.querySelectorAll('img[src="x"], svg[onload], script:not([src])'),
  ...document.querySelectorAll('a[href^="javascript:" i], [onclick]'),
].filter(e => e.tagName !== 'SCRIPT' || /alert/.test(e.textContent)).map(e => e.outerHTML)"""


@pytest.mark.parametrize("path", ["/", SEED_URL, "/2021/", "/data/"])
def test_configured_texts_are_shown_as_text(chromium: Any, hostile_config_url: str, path: str) -> None:
    tabs = Tabs(chromium, hostile_config_url)
    try:
        page = tabs.open(path)
        page.wait_for_timeout(300)  # let an injected handler (onerror fires after the image fails) run
        assert page.evaluate(_INJECTED) == []
        assert tabs.dialogs == [] and tabs.alert_calls() == [] and tabs.errors == []
        assert NAME in page.title()
        assert NAME in page.locator(".md-header__topic").first.inner_text()
        footer = page.locator(".dc-footer").inner_text()
        for text in (PUBLISHER, FOOTER, "<svg onload=alert(6)>", '"><img src=x onerror=alert(7)>'):
            assert text in footer
        if path == "/":
            assert NAME in page.locator("h1").inner_text()
            assert PUBLISHER in page.locator("article").inner_text()
    finally:
        for context in tabs.contexts:
            context.close()


def test_configured_texts_found_by_search_stay_text(chromium: Any, hostile_config_url: str) -> None:
    tabs = Tabs(chromium, hostile_config_url)
    try:
        page = open_with_search_index(tabs, "/")
        assert search(page, "机构")
        page.wait_for_timeout(300)
        assert page.evaluate(_INJECTED) == []
        shown = page.locator(".md-search-result").inner_text().replace("\u200b", "")  # the index's word breaks
        assert PUBLISHER in shown and NAME in shown
        assert tabs.dialogs == [] and tabs.alert_calls() == [] and tabs.errors == []
    finally:
        for context in tabs.contexts:
            context.close()
