"""The swap's old tree (issue 18): set aside under build/ after the site is published, and removed by the next
build beside its own work, so that no build waits for thousands of rmdir; where it cannot be moved aside, it
is removed at once as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_project
from test_incremental import build

from generator import publish
from generator.synth import synthesize


def tree(root: Path, text: str, folders: int = 30) -> None:
    for n in range(folders):
        (root / f"u{n}").mkdir(parents=True)
        (root / f"u{n}" / "index.html").write_text(f"{text} {n}", "utf-8")


def test_the_old_site_is_set_aside_and_removed_while_the_next_build_works(tmp_path: Path) -> None:
    target, staging, aside = tmp_path / "site", tmp_path / ".site.new-1", tmp_path / "build" / "old-sites"
    tree(target, "old")
    tree(staging, "new")
    publish.swap_in(staging, target, aside)
    assert (target / "u3" / "index.html").read_text("utf-8") == "new 3"  # published at once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]
    [kept] = aside.iterdir()
    assert (kept / staging.name / "u3" / "index.html").read_text("utf-8") == "old 3"
    with publish.removing(aside):
        (aside / "old-later").mkdir()  # set aside during the block: the next one's to remove
    assert [p.name for p in aside.iterdir()] == ["old-later"]


def test_where_the_tree_cannot_be_set_aside_it_is_removed_at_once(tmp_path: Path) -> None:
    target, staging = tmp_path / "site", tmp_path / ".site.new-1"
    (tmp_path / "build").write_text("a file, not a folder", "utf-8")  # no folder can be made under it
    tree(target, "old")
    tree(staging, "new")
    publish.swap_in(staging, target, tmp_path / "build" / "old-sites")
    assert (target / "u3" / "index.html").read_text("utf-8") == "new 3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]


def test_a_build_keeps_only_the_last_old_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 2, years=1)
    first = build(project)
    assert not (project / "build" / "old-sites").exists()  # no site before the first build
    for _ in range(2):
        assert build(project) == first
        assert len(list((project / "build" / "old-sites").iterdir())) == 1


def test_without_rm_the_old_sites_are_removed_by_a_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    aside = tmp_path / "old-sites"
    tree(aside / "old-1", "old")
    tree(aside / "old-2", "old")
    monkeypatch.setattr(publish.shutil, "which", lambda name: None)
    with publish.removing(aside) as removal:
        assert removal.process is None and removal.thread is not None
    assert list(aside.iterdir()) == []
    tree(aside / "old-3", "old")
    monkeypatch.undo()
    with publish.removing(aside) as removal:
        assert removal.process is not None
        removal.join()
        assert list(aside.iterdir()) == []
