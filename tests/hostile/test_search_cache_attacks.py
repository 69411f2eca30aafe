"""The search index's cached runs (search_cache) under attack: a run whose pages keep their titles, years,
kinds and sections but not their URLs (a unit's code corrected: its file and page renamed) must not keep
the old URLs in the page files (a search hit leading to a page that is gone). Real `mkdocs build`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_project
from test_build_cache import cold
from test_incremental import build

from generator import search
from generator.synth import synthesize


def recode(path: Path, code: str) -> Path:
    """The form filed under another unit code: its unit_id and file name changed, nothing else."""
    text = re.sub(r"(?m)^unit_id: .*$", f"unit_id: {code}", path.read_text("utf-8"))
    path.unlink()
    moved = path.with_name(f"{code}.yaml")
    moved.write_text(text, "utf-8")
    return moved


def test_a_run_of_pages_renamed_but_otherwise_unchanged_is_indexed_under_the_new_urls(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RUN_PAGES", 2)  # many runs: the renamed page's run holds no list of files
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 6, years=1)
    build(project)
    last = sorted(paths)[-1]
    recode(last, last.stem + "b")
    again = build(project)
    pages = b"".join(data for name, data in again.items() if name.startswith("search/p/"))
    assert f'"{last.parent.name}/{last.stem}b/"'.encode() in pages
    assert f'"{last.parent.name}/{last.stem}/"'.encode() not in pages
    assert again == cold(project)
