"""Rebuilds (issue 18): what depends only on its inputs is cached by content hash under build/cache (each
declaration's downloads, the leak scan's verdicts), and a rebuild after one file changed publishes exactly
what a cold build of the same content publishes."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project

from generator import build as build_module
from generator import export, leaks
from generator.cli import main
from generator.load import load
from generator.synth import synthesize


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(project: Path) -> dict[str, bytes]:
    assert main(["-C", str(project), "build", "-q"]) == 0
    return tree(project / "site")


def edit_leader(path: Path) -> None:
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^leader: (.*)$", r"leader: \1（修订）", text, count=1), "utf-8")


def test_a_rebuild_after_one_change_is_the_cold_build_of_the_same_content(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 6, years=2)
    first = build(project)
    cache = project / "build" / "cache" / "downloads"
    zips = {p: p.stat().st_mtime_ns for p in cache.rglob("*.zip")}
    assert len(zips) == 6 and (project / "build" / "cache" / "leaks-clean.txt").is_file()
    changed = paths[2]
    edit_leader(changed)
    again = build(project)
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*.zip")}
    assert len(after) == 6 and len(set(after) - set(zips)) == 1  # one declaration's files made, the stale dropped
    assert all(after[p] == zips[p] for p in set(zips) & set(after))  # the others reused, not rewritten
    unit, year = changed.stem, changed.parent.name
    differ = {name for name in first if first[name] != again.get(name)}
    assert f"{year}/{unit}/index.html" in differ and f"{year}/data/{unit}.xlsx" in differ
    assert f"{year}/data/{unit}.yaml" in differ and f"{year}/data/{unit}.json" in differ
    assert not any(n.startswith(f"{year}/data/") and n.endswith(".xlsx") and unit not in n for n in differ)
    shutil.rmtree(project / "build")
    shutil.rmtree(project / "site")
    assert build(project) == again  # cold, from nothing: byte for byte the rebuilt site


@pytest.fixture
def job(tmp_path: Path) -> export.Job:
    doc, _ = load(Path(__file__).resolve().parent.parent / "content" / "2021" / "guangshui-ldbxj.yaml")
    assert doc is not None
    return (doc, export.withhold(doc.decl, "name_and_phone"), True, tmp_path / "cache", "")


def test_downloads_come_from_the_cache_only_for_the_same_inputs_and_code(job: export.Job,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    made, path = export._download(job)
    assert path is not None and path.is_file() and f"{job[1].unit_id}.yaml" in made
    with monkeypatch.context() as patch:
        patch.setattr(export, "declaration_files", lambda *a, **k: pytest.fail("not cached"))
        assert export._download(job) == (made, path)
    doc, decl, masked, cache, _ = job
    others = [
        (dataclasses.replace(doc, source=dataclasses.replace(doc.source, sha256="0" * 64)), decl, masked, cache, ""),
        (doc, dataclasses.replace(decl, leader="新领导"), masked, cache, ""),  # other data
        (doc, decl, False, cache, ""),  # unmasked (the preview)
    ]
    for other in others:
        assert export._download(other)[1] != path
    monkeypatch.setattr(export, "_files_version", lambda: b"other code")
    assert export._download(job)[1] != path  # the generator changed: made anew


def test_downloads_named_by_the_check_key_are_the_files_named_by_their_data(job: export.Job) -> None:
    """A job named by its form's check key (no JSON made to find it) gets the same bytes, and show_filer and
    the masking each give it another name."""
    doc, decl, masked, cache, _ = job
    keys = {doc.source.path: "a-check-key"}
    options = [build_module.PageOptions(show_filer=shown, preview=preview)
               for shown in ("name_and_phone", "name") for preview in (False, True)]
    names = [export.published_name(keys, doc, o, "files") for o in options]
    assert all(names) and len(set(names)) == len(names)
    assert export.published_name({}, doc, options[0], "files") == ""  # no key: named by the data
    keyed = (doc, decl, masked, cache, names[0])
    made, path = export._download(keyed)
    assert path is not None and path.name == f"{names[0]}.zip" and path.is_file()
    assert made == export._download(job)[0]
    assert export.files_path(keyed) == path  # (found again without the form's JSON)


def test_a_config_and_theme_change_reaches_every_page_and_download_through_the_caches(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 4, years=1)
    first = build(project)
    settings = project / "site_config" / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace("show_filer: name_and_phone", "show_filer: name"),
                        encoding="utf-8")
    with (project / "theme" / "main.html").open("a", encoding="utf-8") as theme:
        theme.write('\n{% block announce %}<p class="dc-test-note">主题已改</p>{% endblock %}\n')
    again = build(project)
    unit, year = paths[0].stem, paths[0].parent.name
    for name in (f"{year}/data/{unit}.json", f"{year}/data/{unit}.yaml", f"{year}/data/{unit}.xlsx"):
        assert again[name] != first[name], name  # the phone withheld: no cached download reused
    pages = [n for n in again if n.endswith(".html") and n != "404.html"]
    assert all(b"dc-test-note" in again[n] for n in pages if b"<html" in again[n])
    shutil.rmtree(project / "build")
    shutil.rmtree(project / "site")
    assert build(project) == again


def test_the_work_folder_is_kept_rewritten_only_where_it_changed_and_pruned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rebuild writes one page's Markdown, not all of them; a withdrawn form's page leaves the work folder;
    and the site is still the cold build's (two years, whose pages share names, in MkDocs parts)."""
    monkeypatch.setattr(build_module, "PART_PAGES", 2)  # several MkDocs parts a year
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 10, years=2)
    build(project)
    work = project / "build" / "public"

    def markdown() -> dict[Path, tuple[int, int]]:
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in work.rglob("*.md")}

    assert any(".part" in p.name for p in work.iterdir())
    before = markdown()
    edit_leader(paths[3])
    build(project)
    after = markdown()
    assert after.keys() == before.keys()
    changed = [p.relative_to(work).as_posix() for p in after if after[p] != before[p]]
    year, page = paths[3].parent.name, f"{paths[3].stem}.md"
    assert len(changed) == 1 and changed[0].startswith(year) and changed[0].endswith(f"/docs/{page}")
    paths[6].unlink()  # withdrawn: its page goes (and the later pages of its year move between parts)
    again = build(project)
    left = {(p.parent.parent.name.split(".")[0], p.name) for p in work.glob("*/docs/*.md") if p.name != "index.md"}
    assert left == {(p.parent.name, f"{p.stem}.md") for p in paths if p.exists()}
    shutil.rmtree(project / "build")
    shutil.rmtree(project / "site")
    assert build(project) == again


def test_a_unit_page_from_the_render_cache_follows_its_forms(tmp_path: Path) -> None:
    """The portal's unit pages are cached by their forms' sources: a renamed unit's page is made again."""
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 4, years=1)
    first = build(project)
    text = paths[1].read_text("utf-8")
    paths[1].write_text(re.sub(r"(?m)^unit_name: (.*)$", r"unit_name: \1（更名）", text, count=1), "utf-8")
    again = build(project)
    page = f"units/{paths[1].stem}/index.html"
    assert "（更名）" in again[page].decode() and "（更名）" not in first[page].decode()
    assert [n for n in first if n.startswith("units/") and first[n] != again[n]] == ["units/index.html", page]
    shutil.rmtree(project / "build")
    shutil.rmtree(project / "site")
    assert build(project) == again


def test_a_failed_rebuild_leaves_site_as_it_was_though_its_files_are_linked_from_the_work_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build taken whole from the cache links its data files from the work folder into site/: a later build
    that rewrites them (a form edited) and then fails must not have changed a byte of site/."""
    project = copy_project(tmp_path / "p", content=False)
    paths = synthesize(project / "content", 4, years=1)
    build(project)
    published = build(project)  # (every MkDocs build taken from the cache: data files linked from the work folder)
    year = paths[0].parent.name
    work_csv = project / "build" / "public" / year / "docs" / "data" / "declarations.csv"
    assert (project / "site" / year / "data" / "declarations.csv").samefile(work_csv)
    edit_leader(paths[1])

    def refuse(*args: object, **kwargs: object) -> None:
        raise leaks.LeakFound([])

    monkeypatch.setattr(leaks, "refuse_leaks", refuse)
    assert main(["-C", str(project), "build", "-q"]) != 0
    assert "（修订）".encode() in work_csv.read_bytes()  # (the work folder has the new package)
    assert tree(project / "site") == published


def test_the_page_memo_finds_what_it_kept_only_under_the_same_key_and_context(tmp_path: Path) -> None:
    from generator import render_cache

    memo = render_cache.Memo(tmp_path / "m", b"templates and options")
    key = ("content/2021/a.yaml", "sha", (), (), False, ())
    assert key not in memo
    memo[key] = "# 页面"
    assert key in memo and memo[key] == "# 页面" and len(memo) == 1
    again = render_cache.Memo(tmp_path / "m", b"templates and options")
    assert again[("content/2021/a.yaml", "sha", (), (), False, ())] == "# 页面"  # an equal key, another object
    assert key not in render_cache.Memo(tmp_path / "m", b"other templates")
    assert ("content/2021/a.yaml", "other sha", (), (), False, ()) not in again
    del again[key]
    assert key not in render_cache.Memo(tmp_path / "m", b"templates and options")
