"""Browser tests' shared pieces (site stage): paths, the hostile payload, watched tabs, typing into the search box."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = HERE / "vendor" / "axe.min.js"
HOSTILE = HERE / "fixtures" / "2021" / "xss-everywhere.yaml"
PROJECT = HERE / "fixtures" / "2021" / "guangshui-ldbxj--gsbx-office.yaml"
PROJECT_URL = "/2021/guangshui-ldbxj--gsbx-office/"
CHROMIUM = Path(os.environ.get("DISCLOSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

SEED_URL = "/2021/guangshui-ldbxj/"
SEED_NAME = "广水市劳动保险事业管理局"
HOSTILE_URL = "/2021/xss-everywhere/"
# The payload every text field of the hostile declaration carries after its label (see the fixture's header).
PAYLOAD = ("<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) "
           "[x](javascript:alert(4)) ![i](data:text/html,<script>alert(5)</script>) "
           "\"><svg onload=alert(6)> ' onfocus='alert(7)' </title><script>alert(8)</script> "
           "{{ 7*7 }} {% raw %} | a | b | `tick` <5% >92% &amp;")

# Records alert/confirm/prompt calls in sessionStorage (it survives navigation in the tab), then lets the dialog open
# so page.on("dialog") sees it too.
_ALERT_SPY = """
(() => {
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) {
      try {
        const seen = JSON.parse(sessionStorage.getItem("dc-alerts") || "[]");
        seen.push(name + "(" + String(args[0]) + ")");
        sessionStorage.setItem("dc-alerts", JSON.stringify(seen));
      } catch (e) { /* storage unavailable: the dialog event still reports it */ }
      return original.apply(this, args);
    };
  }
})();
"""


def unavailable(reason: str) -> None:
    """Skip, or fail under CI=true: a CI run must not pass by skipping the browser tests."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} not found (apt package poppler-utils)")
        raise AssertionError("unreachable")
    return path


@dataclass
class Tabs:
    """Opens pages at a width and watches every one of them: dialogs, alert calls, page errors, requests."""

    browser: Any
    base_url: str
    contexts: list[Any] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def new(self, width: int = 1280, height: int = 900) -> Any:
        context = self.browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        context.add_init_script(_ALERT_SPY)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda request: self.requests.append(request.url))
        self.pages.append(page)
        return page

    def open(self, path: str, width: int = 1280, height: int = 900) -> Any:
        page = self.new(width, height)
        page.goto(self.base_url + path, wait_until="load")
        return page

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def alert_calls(self) -> list[str]:
        calls: list[str] = []
        for page in self.pages:
            if not page.is_closed():
                calls += page.evaluate("() => JSON.parse(sessionStorage.getItem('dc-alerts') || '[]')")
        return calls

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base_url + "/")]


def search(page: Any, query: str) -> list[str]:
    """Type `query` into the site's search box as a reader does; return the result links' hrefs once they show."""
    box = page.locator("input.md-search__input")
    box.click()
    # Chinese arrives through an input method, whose commit ends with a key release: a real End key press too.
    box.press_sequentially(query, delay=10)
    box.press("End")
    # Results show as each character arrives: wait for those of the whole query (search.js marks them).
    page.wait_for_function("q => document.querySelector('[data-dc-search]').getAttribute('data-dc-shown') === q",
                           arg=query)
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    hrefs: list[str] = page.locator("a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    return hrefs


def open_with_search_index(tabs: Tabs, path: str, page: Any = None) -> Any:
    """Go to `path` (in `page`, or a new one) and wait for its search script: the index itself is loaded in
    pieces as the reader types (generator/search.py), nothing of it before."""
    page = page or tabs.new()
    page.goto(tabs.base_url + path, wait_until="load")
    page.wait_for_function("() => typeof window.dcSearch === 'object'")
    return page
