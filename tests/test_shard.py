"""`disclose build --year`: rebuild one year's site and the portal, keep every other year as published."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

pytestmark = pytest.mark.slow
YEAR, OTHERS = 2024, (2023, 2025)  # `disclose synth 9 --years 3` writes 3 declarations to each of 2023–2025


def run(project: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(project), *argv],
                          capture_output=True, text=True, check=False)


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, marker: str) -> None:
    text = path.read_text("utf-8")
    path.write_text(text.replace("unit_name: ", f"unit_name: {marker}", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def shard(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    project = copy_project(tmp_path_factory.mktemp("shard") / "project", content=False)
    assert run(project, "synth", "9", "--years", "3", "--seed", "5").returncode == 0
    first = run(project, "build", "-q", "--year", str(YEAR))  # nothing published yet: every year is built
    assert first.returncode == 0, first.stderr
    assert all((project / "site" / str(y) / "index.html").is_file() for y in (*OTHERS, YEAR))
    before = {y: files(project / "site" / str(y)) for y in OTHERS}
    edit(sorted((project / "content" / str(YEAR)).glob("*.yaml"))[0], "本年改动")
    edit(sorted((project / "content" / str(OTHERS[0])).glob("*.yaml"))[0], "他年改动")
    second = run(project, "build", "-q", "--year", str(YEAR), "--timings-json", str(project / "stages.json"))
    assert second.returncode == 0, second.stderr
    return {"project": project, "before": before}


def test_the_year_asked_for_is_rebuilt(shard: dict[str, object]) -> None:
    project = shard["project"]
    assert isinstance(project, Path)
    pages = "".join(p.read_text("utf-8") for p in (project / "site" / str(YEAR)).rglob("index.html"))
    assert "本年改动" in pages


def test_the_other_years_are_kept_as_published(shard: dict[str, object]) -> None:
    project, before = shard["project"], shard["before"]
    assert isinstance(project, Path) and isinstance(before, dict)
    for year in OTHERS:
        now = files(project / "site" / str(year))
        # refreshed, in both forms (.js: the same index for a site opened from disk): a year site searches everything
        index = {"search/search_index.json", "search/search_index.js"}
        assert {k: v for k, v in now.items() if k not in index} == {k: v for k, v in before[year].items()
                                                                    if k not in index}
    assert "他年改动" not in "".join(p.read_text("utf-8") for p in (project / "site" / "2023").rglob("*.html"))


def test_the_portal_and_search_still_cover_every_year(shard: dict[str, object]) -> None:
    project = shard["project"]
    assert isinstance(project, Path)
    home = (project / "site" / "index.html").read_text("utf-8")
    assert all(f'href="{y}/"' in home for y in (*OTHERS, YEAR))
    index = json.loads((project / "site" / "search" / "search_index.json").read_text("utf-8"))
    years = {m[1] for d in index["docs"] if (m := re.match(r"(\d{4})/", d["location"]))}
    assert years == {str(y) for y in (*OTHERS, YEAR)}
    locations = [d["location"] for d in index["docs"]]
    assert len(locations) == len(set(locations)), "a kept year's entries are not indexed twice"


def test_an_unknown_year_is_refused_and_changes_nothing(shard: dict[str, object]) -> None:
    project = shard["project"]
    assert isinstance(project, Path)
    site = files(project / "site")
    result = run(project, "build", "-q", "--year", "2030")
    assert result.returncode == 2 and "2030" in result.stderr
    assert files(project / "site") == site


def test_timings_json_gives_every_stage_in_seconds(shard: dict[str, object]) -> None:
    project = shard["project"]
    assert isinstance(project, Path)
    stages = json.loads((project / "stages.json").read_text("utf-8"))
    assert {"检查", "生成页面", "MkDocs 构建", "发布"} <= set(stages)
    assert all(isinstance(v, float) and v >= 0 for v in stages.values())
    assert stages["MkDocs 构建"] > 0


def test_a_changed_show_filer_rebuilds_every_year(tmp_path: Path) -> None:
    """Kept years would still show what the old policy published: a filer's name is no phone number, so the
    leak scan cannot catch it; the build notices the policy changed and rebuilds them all."""
    project = copy_project(tmp_path / "project", content=False)
    assert run(project, "synth", "4", "--years", "2", "--seed", "3").returncode == 0
    assert run(project, "build", "-q").returncode == 0
    filers = [re.search(r"^filer: (.+)$", p.read_text("utf-8"), re.M) for p in (project / "content").rglob("*.yaml")]
    names = [m[1].strip('"') for m in filers if m]
    assert names and any(n in files_text(project / "site") for n in names)
    settings = project / "site_config" / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace("show_filer: name_and_phone", "show_filer: none"), "utf-8")
    years = sorted(p.name for p in (project / "content").iterdir())
    again = run(project, "build", "--year", years[-1])
    assert again.returncode == 0, again.stderr
    assert "重建全部年度" in again.stderr
    published = files_text(project / "site")
    assert not [n for n in names if n in published]


def files_text(folder: Path) -> str:
    return "".join(p.read_text("utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()
                   and p.suffix in (".html", ".json", ".csv", ".yaml", ".js"))
