"""Unchanged downloads are hard-linked from the published site (issue 18, published_downloads): a rebuild after
one file changed writes that declaration's files only, publishes what a cold build publishes, and never links
a published file that was changed by hand."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project
from test_build_cache import cold
from test_incremental import build, edit_leader

from generator.synth import synthesize


def downloads(project: Path) -> dict[str, int]:
    """Each published download (a declaration's own files under <year>/data/) and its inode."""
    return {str(p.relative_to(project / "site")): p.stat().st_ino
            for p in (project / "site").glob("20*/data/u0*") if p.is_file()}


def test_a_rebuild_links_the_unchanged_forms_downloads_and_writes_the_changed_ones(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 3, years=1)
    build(project)
    first = downloads(project)
    edit_leader(paths[1])
    again = build(project)
    now = downloads(project)
    assert set(now) == set(first) and len(first) >= 3 * 4
    changed = {name for name in now if now[name] != first[name]}
    assert changed and all(paths[1].stem in name for name in changed)  # the edited form's files only
    assert len(changed) == sum(paths[1].stem in name for name in now)
    assert again == cold(project)


def test_a_published_download_changed_by_hand_is_made_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 2, years=1)
    first = build(project)
    target = next((project / "site").glob("20*/data/u0*.json"))
    with target.open("r+b") as handle:  # in place: same inode, new mtime
        handle.write(b"[")
    assert build(project) == first
