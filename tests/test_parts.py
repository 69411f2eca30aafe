"""A big year is built by several MkDocs processes (parts): the site must not show where it was cut."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from generator import build
from generator.config import Project

pytestmark = pytest.mark.slow


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_year_built_in_parts_is_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project", content=False)
    subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "synth", "7", "--years", "1"],
                   check=True, capture_output=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build.build_public(Project(project), build.Stages(quiet=True))
    whole = files(project / "site")
    monkeypatch.setattr(build, "PART_PAGES", 2)  # 7 declarations: the year page's site plus 3 parts
    build.build_public(Project(project), build.Stages(quiet=True))
    parted = files(project / "site")
    work = project / "build" / "public"
    assert [p for p in work.glob("2025.part*/docs/*.md") if p.name != "index.md"]  # the year's pages in parts
    assert [p for p in work.glob("portal.part*/docs/units/*.md") if p.name != "index.md"]  # and the portal's
    assert sorted(parted) == sorted(whole)
    differ = [name for name in whole if parted[name] != whole[name]]
    # (the portal's unit pages are in parts too: 7 units, the portal's site plus 3 parts)
    assert set(differ) <= {"2025/sitemap.xml", "2025/sitemap.xml.gz", "sitemap.xml", "sitemap.xml.gz"}, differ
    sitemap = parted["2025/sitemap.xml"].decode("utf-8")
    units = sorted(p.stem for p in (project / "content" / "2025").glob("*.yaml"))
    assert all(f"/2025/{unit}/</loc>" in sitemap for unit in units)
    assert sitemap.count("<url>") == len(units) + 1  # the year page once
    portal = parted["sitemap.xml"].decode("utf-8")
    assert all(f"/units/{unit}/</loc>" in portal for unit in units)
    assert portal.count("<url>") == whole["sitemap.xml"].decode("utf-8").count("<url>")  # each page once
