"""Every relative link of the preview site leads to a file of it (the year sites' nav points into the portal)."""

from __future__ import annotations

import html.parser
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import copy_project

from generator import cli

pytestmark = pytest.mark.slow


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def broken_links(site: Path, root: str) -> list[str]:
    """Relative links, and absolute ones under the site's own path `root` (the 404 pages use those)."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        here = page.parent.relative_to(site).as_posix()
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # external, or an anchor within the page
            path, base = unquote(parts.path), here
            if path.startswith("/"):  # (from the site's root: for this link only, not the page's next ones)
                assert path.startswith(root), f"{page}: {href} leaves the site"
                path, base = path[len(root):] or ".", ""
            target = site / posixpath.normpath(posixpath.join(base, path))
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)} → {href}")
    return broken


def test_every_link_of_the_preview_resolves(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert cli.main(["-C", str(project), "build", "--preview", "-q"]) == 0
    site = project / "preview-site"
    assert (site / "problems" / "index.html").is_file()
    root = urlsplit(yaml.safe_load((project / "site_config" / "site.yml").read_text("utf-8"))["site_url"]).path
    assert broken_links(site, root) == []
