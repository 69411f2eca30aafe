"""The build's reuse machinery (issue 18) under attack: a build killed at the worst moment, then rebuilt.

`build --year` copies the other years from site/ when the publication policy (show_filer, the mask's code)
recorded for site/ is the current one. A build killed after its swap but before it records its policy leaves
site/ published under the new policy while the record names the old one: a later `build --year` under the old
policy would keep years that show what the old policy hides (a filer's phone). Real `mkdocs build`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project
from test_build_cache import cold
from test_incremental import tree

from generator import published_downloads
from generator.cli import main
from generator.synth import synthesize


def set_show_filer(project: Path, value: str) -> None:
    config = project / "site_config" / "site.yml"
    config.write_text(re.sub(r"(?m)^show_filer: .*$", f"show_filer: {value}", config.read_text("utf-8")), "utf-8")


def phones(project: Path) -> list[str]:
    return [re.search(r"(?m)^phone: (.*)$", p.read_text("utf-8")).group(1)  # type: ignore[union-attr]
            for p in sorted((project / "content").rglob("*.yaml"))]


def test_a_build_killed_after_its_swap_leaves_no_year_kept_under_the_wrong_policy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 2, years=2)
    set_show_filer(project, "none")
    assert main(["-C", str(project), "build", "-q"]) == 0
    set_show_filer(project, "name_and_phone")

    def killed(*_: object) -> None:  # the process dies right after the swap (SIGKILL, power cut)
        raise KeyboardInterrupt

    monkeypatch.setattr(published_downloads, "publish", killed)
    with pytest.raises(KeyboardInterrupt):
        main(["-C", str(project), "build", "-q"])
    monkeypatch.undo()
    shown = tree(project / "site")
    assert any(phone.encode() in data for data in shown.values() for phone in phones(project))  # the new policy
    set_show_filer(project, "none")
    newest = max(int(p.name) for p in (project / "content").iterdir())
    assert main(["-C", str(project), "build", "-q", "--year", str(newest)]) == 0
    site = tree(project / "site")
    assert not [name for name, data in site.items() for phone in phones(project) if phone.encode() in data]
    assert site == cold(project)


def test_build_year_keeps_no_year_published_under_other_filer_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What show_filer lets out is decided by config.FILER_FIELDS and each kind's filer_fields, not by
    privacy.py alone: a generator whose `name` also let the phone out, then fixed, must not keep that year."""
    from generator import config

    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 2, years=2)
    set_show_filer(project, "name")
    monkeypatch.setitem(config.FILER_FIELDS, "name", frozenset({"filer", "phone"}))  # the old, faulty code
    assert main(["-C", str(project), "build", "-q"]) == 0
    assert any(phone.encode() in data for data in tree(project / "site").values() for phone in phones(project))
    monkeypatch.undo()  # the fixed code: a new code version, so no cache entry applies (build/cache emptied)
    shutil.rmtree(project / "build" / "cache")
    newest = max(int(p.name) for p in (project / "content").iterdir())
    assert main(["-C", str(project), "build", "-q", "--year", str(newest)]) == 0
    site = tree(project / "site")
    assert not [name for name, data in site.items() for phone in phones(project) if phone.encode() in data]
    assert site == cold(project)
