"""The swap's old tree (issue 18): removed after the site is published, by a process of its own, so that a
build does not wait for thousands of rmdir; where it cannot be moved aside, removed at once as before."""

from __future__ import annotations

import time
from pathlib import Path

from generator import publish


def tree(root: Path, text: str, folders: int = 30) -> None:
    for n in range(folders):
        (root / f"u{n}").mkdir(parents=True)
        (root / f"u{n}" / "index.html").write_text(f"{text} {n}", "utf-8")


def test_the_old_site_goes_to_the_trash_and_is_removed_there(tmp_path: Path) -> None:
    target, staging, trash = tmp_path / "site", tmp_path / ".site.new-1", tmp_path / "build" / "trash"
    tree(target, "old")
    tree(staging, "new")
    publish.swap_in(staging, target, trash)
    assert (target / "u3" / "index.html").read_text("utf-8") == "new 3"  # published at once
    assert not staging.exists() and trash.is_dir()
    deadline = time.monotonic() + 60
    while any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(trash.iterdir())  # the old tree, removed by the detached process
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]


def test_where_the_trash_cannot_be_used_the_old_site_is_removed_at_once(tmp_path: Path) -> None:
    target, staging = tmp_path / "site", tmp_path / ".site.new-1"
    (tmp_path / "build").write_text("a file, not a folder", "utf-8")  # trash cannot be made under it
    tree(target, "old")
    tree(staging, "new")
    publish.swap_in(staging, target, tmp_path / "build" / "trash")
    assert (target / "u3" / "index.html").read_text("utf-8") == "new 3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]
