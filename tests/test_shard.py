"""`disclose build --year`: one year's shard of the public site, and the stage timings the benchmark reads."""

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


@pytest.fixture(scope="module")
def shard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("shard") / "project", content=False)
    for argv in (["synth", "9", "--years", "3", "--seed", "5"],
                 ["build", "-q", "--year", str(YEAR), "--timings-json", str(project / "stages.json")]):
        result = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), *argv],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    return project


def test_the_synthetic_content_spans_three_years(shard: Path) -> None:
    assert sorted(p.name for p in (shard / "content").iterdir()) == [str(y) for y in sorted((*OTHERS, YEAR))]


def test_only_that_year_is_built(shard: Path) -> None:
    site = shard / "site"
    assert (site / str(YEAR) / "index.html").is_file()
    units = sorted(p.stem for p in (shard / "content" / str(YEAR)).glob("*.yaml"))
    assert units
    for unit in units:
        assert (site / str(YEAR) / unit / "index.html").is_file(), unit
    for year in OTHERS:
        assert not (site / str(year)).exists()


def test_the_search_index_holds_only_that_year(shard: Path) -> None:
    index = json.loads((shard / "site" / "search" / "search_index.json").read_text("utf-8"))
    years = {m[1] for d in index["docs"] if (m := re.match(r"(\d{4})/", d["location"]))}
    assert years == {str(YEAR)}
    own = json.loads((shard / "site" / str(YEAR) / "search" / "search_index.json").read_text("utf-8"))
    assert own["docs"] and all(d["location"].startswith("../") for d in own["docs"])


def test_no_page_links_to_a_year_that_was_not_built(shard: Path) -> None:
    pages = list((shard / "site").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text("utf-8")
        for year in OTHERS:
            assert not re.search(rf'href="(?:\.\./)*{year}/', text), (page, year)


def test_timings_json_gives_every_stage_in_seconds(shard: Path) -> None:
    stages = json.loads((shard / "stages.json").read_text("utf-8"))
    assert {"检查", "生成页面", "MkDocs 构建", "发布"} <= set(stages)
    assert all(isinstance(v, float) and v >= 0 for v in stages.values())
    assert stages["MkDocs 构建"] > 0
