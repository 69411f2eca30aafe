"""Yearly archives (issue 5): `disclose archive`, serving snapshots byte-for-byte, `disclose verify`, bundles."""

from __future__ import annotations

import functools
import hashlib
import html
import http.server
import json
import re
import shutil
import tarfile
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from generator import __version__, archive, archiving
from generator.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SEED_TASK = "宣传养老、工伤保险政策"
NEW_TASK = "宣传养老工伤保险最新政策"
NEW_NAME = "改版后的站点名称"
NEW_CSS = "/* 改版后的样式 */ .dc-redesign { color: red; }\n"
NOTE_PAGE = "archive_note/index.html"
BANNER = re.compile(r'<div class="dc-banner dc-banner--archive" role="note"><a href="([^"]*)">归档于 (\d{4}-\d\d-\d\d)')
ZWSP = "\u200b"


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below a folder (empty folders too, as None-like markers) with its bytes."""
    if not folder.exists():
        return {}
    out = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    out.update({p.relative_to(folder).as_posix() + "/": b"" for p in folder.rglob("*") if p.is_dir()})
    return out


def new_project(base: Path) -> Path:
    """A project copied from the repository, with a second year (2022) made from the seed."""
    root = base / "project"
    root.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root)
    for name in ("theme", "site_config", "content"):
        shutil.copytree(ROOT / name, root / name)
    seed = (root / "content/2021/guangshui-ldbxj.yaml").read_text(encoding="utf-8")
    year2022 = (seed.replace("year: 2021", "year: 2022", 1).replace("filing_date: 2021-", "filing_date: 2022-", 1)
                .replace("history_years: [2019, 2020]", "history_years: [2020, 2021]", 1))
    shutil.rmtree(root / "content/2022")  # the bundled editions' examples (drafts): this 2022 is the seed's
    (root / "content/2022").mkdir()
    (root / "content/2022/guangshui-ldbxj.yaml").write_text(year2022, encoding="utf-8")
    return root


def disclose(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])


def redesign(root: Path) -> None:
    """Later changes to theme, settings and content (of the archived year too)."""
    with (root / "theme/assets/stylesheets/disclose.css").open("a", encoding="utf-8") as css:
        css.write(NEW_CSS)
    settings = root / "site_config/site.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^site_name: .*$", f"site_name: {NEW_NAME}", text), encoding="utf-8")
    for year in ("2021", "2022"):
        path = root / f"content/{year}/guangshui-ldbxj.yaml"
        text = path.read_text(encoding="utf-8")
        assert SEED_TASK in text
        path.write_text(text.replace(SEED_TASK, NEW_TASK), encoding="utf-8")


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Archive 2021, then change theme, site name and YAML (2021 and 2022), then build the public site."""
    root = new_project(tmp_path_factory.mktemp("archived"))
    source = root / "content/2021/guangshui-ldbxj.yaml"
    source_sha = hashlib.sha256(source.read_bytes()).hexdigest()
    assert disclose(root, "archive", "2021", "--note", "2021 年度已结束，按公开内容归档", "-q") == 0
    snapshot = tree_bytes(root / "archive/2021/r1")
    redesign(root)
    assert disclose(root, "build", "-q") == 0
    return {"root": root, "snapshot": snapshot, "source_sha": source_sha}


@pytest.fixture
def copy_of(tmp_path: Path) -> Callable[[Path], Path]:
    def copy(root: Path) -> Path:
        dest = tmp_path / "copy"
        shutil.copytree(root, dest, symlinks=True)
        return dest

    return copy


# -- archive + build ---------------------------------------------------------------------------


def test_layout_is_one_revision_folder_with_its_manifest(archived: dict[str, Any]) -> None:
    root = archived["root"]
    assert sorted(p.name for p in (root / "archive").iterdir()) == ["2021"]
    assert sorted(p.name for p in (root / "archive/2021").iterdir()) == ["chain", "r1"]
    files = set(archived["snapshot"])
    assert {"manifest.json", "index.html", "guangshui-ldbxj/index.html", "search/search_index.json"} <= files
    assert "404.html" not in files  # a 404 page needs absolute links: not part of a snapshot


def test_archived_year_is_served_byte_for_byte_after_template_theme_and_yaml_changes(
        archived: dict[str, Any]) -> None:
    root = archived["root"]
    served = tree_bytes(root / "site/2021")
    assert served == archived["snapshot"]  # every file, every byte, no file more or less
    assert served == tree_bytes(root / "archive/2021/r1")
    assert not (root / "build/public/2021").exists()  # not re-rendered at all


def test_the_changes_show_everywhere_else(archived: dict[str, Any]) -> None:
    root = archived["root"]
    page2022 = (root / "site/2022/guangshui-ldbxj/index.html").read_text(encoding="utf-8")
    page2021 = (root / "site/2021/guangshui-ldbxj/index.html").read_text(encoding="utf-8")
    assert NEW_TASK in page2022 and SEED_TASK not in page2022
    assert SEED_TASK in page2021 and NEW_TASK not in page2021
    assert NEW_NAME in page2022 and NEW_NAME in (root / "site/index.html").read_text(encoding="utf-8")
    assert NEW_NAME not in page2021
    assert NEW_CSS in (root / "site/2022/assets/stylesheets/disclose.css").read_text(encoding="utf-8")
    assert NEW_CSS not in (root / "site/2021/assets/stylesheets/disclose.css").read_text(encoding="utf-8")


def test_every_archived_page_carries_the_banner_linking_to_the_archive_note(archived: dict[str, Any]) -> None:
    root = archived["root"]
    manifest = json.loads((root / "archive/2021/r1/manifest.json").read_text(encoding="utf-8"))
    pages = sorted((root / "site/2021").rglob("*.html"))
    assert len(pages) == 3
    note = root / "site/2021" / NOTE_PAGE
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page == note:  # the note page carries the banner too, as text: it would link to itself
            assert f'dc-banner--archive" role="note">归档于 {manifest["archived_on"]}（北京时间）' in text
            continue
        match = BANNER.search(text)
        assert match, page
        assert match[2] == manifest["archived_on"]
        target = (page.parent / match[1]).resolve()
        assert target == note.parent.resolve() and note.is_file()
    assert (root / "site/2021/manifest.json").read_bytes() == (root / "archive/2021/r1/manifest.json").read_bytes()


# -- what an archived year shows (issue 19) -------------------------------------------------------------


def nav_targets(page: Path) -> dict[str, Path]:
    """The years navigation of a built page: "2022 年度" → the folder its link leads to.

    (The page's own year is the 年度 section's index page, not one of its links.)
    """
    found = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*">\s*<span[^>]*>\s*(\d{4}) 年度',
                       page.read_text(encoding="utf-8"))
    return {year: (page.parent / href).resolve() for href, year in found}


def test_the_archived_years_navigation_lists_the_years_published_at_archive_time(archived: dict[str, Any]) -> None:
    root = archived["root"]
    for rel in ("index.html", "guangshui-ldbxj/index.html", NOTE_PAGE):
        targets = nav_targets(root / "site/2021" / rel)
        assert targets == {"2022": (root / "site/2022").resolve()}, rel
    assert (root / "site/2022/index.html").is_file()


def test_a_year_published_after_the_archive_is_not_claimed_by_the_snapshot(
        archived: dict[str, Any], copy_of: Callable[[Path], Path]) -> None:
    root = copy_of(archived["root"])
    seed = (root / "content/2022/guangshui-ldbxj.yaml").read_text(encoding="utf-8")
    (root / "content/2023").mkdir()
    (root / "content/2023/guangshui-ldbxj.yaml").write_text(
        seed.replace("year: 2022", "year: 2023", 1).replace("filing_date: 2022-", "filing_date: 2023-", 1)
        .replace("history_years: [2020, 2021]", "history_years: [2021, 2022]", 1), encoding="utf-8")
    assert disclose(root, "build", "-q") == 0
    assert set(nav_targets(root / "site/2022/index.html")) == {"2023", "2021"}
    assert set(nav_targets(root / "site/2021/index.html")) == {"2022"}  # frozen as archived …
    note = (root / "site/2021" / NOTE_PAGE).read_text(encoding="utf-8")
    assert "归档时已公开的年度" in note and "首页" in note  # … and says so, pointing to the live list


def test_the_archive_note_page_is_readable_and_part_of_the_snapshot(archived: dict[str, Any]) -> None:
    root = archived["root"]
    folder = root / "archive/2021/r1"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert NOTE_PAGE in manifest["files"]
    page = folder / NOTE_PAGE
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    when = datetime.strptime(manifest["archived_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    beijing = (when + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    for expected in ("归档说明", "2021 年度", "第 1 版", "2021 年度已结束，按公开内容归档",
                     f"{beijing}（北京时间，UTC+8）", f"{manifest['archived_at']}（UTC）",
                     archived["source_sha"], "content/2021/guangshui-ldbxj.yaml", "广水市劳动保险事业管理局",
                     "disclose verify --expect", "archive/2021/r1", "清单 SHA-256"):
        assert expected in text, expected
    links = re.findall(r'<a href="([^"]*manifest\.json)"', page.read_text(encoding="utf-8"))
    assert links and all((page.parent / href).resolve() == (folder / "manifest.json").resolve() for href in links)
    assert "<h1" in page.read_text(encoding="utf-8") and 'class="md-content"' in page.read_text(encoding="utf-8")


def test_the_banner_says_the_date_is_beijing_time(archived: dict[str, Any]) -> None:
    page = (archived["root"] / "site/2021/index.html").read_text(encoding="utf-8")
    manifest = json.loads((archived["root"] / "archive/2021/r1/manifest.json").read_text(encoding="utf-8"))
    assert f"归档于 {manifest['archived_on']}（北京时间）" in page


def test_a_banner_date_is_the_day_in_beijing_not_in_utc() -> None:
    late = datetime(2021, 12, 31, 17, 30, tzinfo=UTC)  # already 1 January in Beijing
    assert archive.banner_text(late, 1).startswith("归档于 2022-01-01（北京时间）")


def test_manifest_records_hashes_sources_version_time_and_note(archived: dict[str, Any]) -> None:
    folder = archived["root"] / "archive/2021/r1"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == 2021 and manifest["revision"] == 1 and manifest["supersedes"] is None
    assert manifest["note"] == "2021 年度已结束，按公开内容归档"
    assert manifest["generator"]["disclose"] == __version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["archived_at"])
    assert manifest["sources"] == [{"path": "content/2021/guangshui-ldbxj.yaml", "sha256": archived["source_sha"],
                                    "unit_id": "guangshui-ldbxj", "unit_name": "广水市劳动保险事业管理局"}]
    on_disk = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in folder.rglob("*") if p.is_file() and p != folder / "manifest.json"}
    assert manifest["files"] == on_disk


def test_snapshot_is_self_contained(archived: dict[str, Any]) -> None:
    folder = archived["root"] / "archive/2021/r1"
    assert archive.self_containment_problems(folder) == []
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(?:src|href)="/', text), page
        assert not re.search(r'src="(?:https?:)?//', text), page


def test_self_containment_check_catches_requests_outside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<link rel="canonical" href="https://example.gov.cn/2021/a/">'
        '<link rel="stylesheet" href="../assets/x.css"><a href="https://beian.miit.gov.cn/">备案</a>'
        '<a href="../../units/x/">单位</a><img src="data:image/png;base64,AAAA">'
        '<script src="https://cdn.example.com/x.js"></script><link rel="stylesheet" href="/assets/y.css">'
        '<a href="/2021/">年度</a><img srcset="a.png 1x, //cdn.example.com/b.png 2x">', encoding="utf-8")
    (tmp_path / "s.css").write_text("a{background:url(https://fonts.example.com/f.woff)} b{background:url(ok.png)}",
                                    encoding="utf-8")
    problems = archive.self_containment_problems(tmp_path)
    assert len(problems) == 5, problems
    for bad in ("https://cdn.example.com/x.js", "/assets/y.css", '"/2021/"', "//cdn.example.com/b.png",
                "https://fonts.example.com/f.woff"):
        assert any(bad in p for p in problems), bad


def test_search_uses_the_snapshots_own_index(archived: dict[str, Any]) -> None:
    root = archived["root"]
    own = json.loads((root / "archive/2021/r1/search/search_index.json").read_text(encoding="utf-8"))
    assert own["docs"] and all(not e["location"].startswith(("../", "/", "2021/")) for e in own["docs"])
    portal = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    archived_entries = [e for e in portal["docs"] if e["location"].startswith("2021/")]
    assert archived_entries == [{**e, "location": "2021/" + e["location"]} for e in own["docs"]]
    text_of = {y: "".join(e["text"] for e in portal["docs"] if e["location"].startswith(f"{y}/")).replace(ZWSP, "")
               for y in ("2021", "2022")}
    assert NEW_TASK in text_of["2022"] and NEW_TASK not in text_of["2021"]
    year2022 = json.loads((root / "site/2022/search/search_index.json").read_text(encoding="utf-8"))
    assert any(e["location"].startswith("../2021/guangshui-ldbxj/") for e in year2022["docs"])


def test_nav_lists_the_archived_year(archived: dict[str, Any]) -> None:
    root = archived["root"]
    for page in ("site/index.html", "site/2022/index.html"):
        text = (root / page).read_text(encoding="utf-8")
        assert re.search(r'<a href="(?:\.\./)?2021/" class="md-nav__link">\s*<span[^>]*>\s*2021 年度', text), page


def test_build_notes_that_an_archived_years_source_changed(archived: dict[str, Any], copy_of: Callable[[Path], Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(archived["root"])
    assert disclose(root, "build", "-q") == 0
    err = capsys.readouterr().err
    assert "2021 年度已归档" in err and "content/2021/guangshui-ldbxj.yaml" in err
    assert "content/2022" not in err


# -- verify ------------------------------------------------------------------------------------


def test_verify_passes_on_an_intact_archive(archived: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    root = archived["root"]
    assert disclose(root, "verify") == 0
    assert re.search(r"archive/2021/r1：\d+ 个文件全部一致", capsys.readouterr().out)
    assert disclose(root, "verify", str(root / "site/2021")) == 0  # the served copy is the snapshot


def test_verify_names_each_changed_missing_and_extra_file(archived: dict[str, Any], copy_of: Callable[[Path], Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(archived["root"])
    folder = root / "archive/2021/r1"
    page = folder / "guangshui-ldbxj/index.html"
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte
    page.write_bytes(bytes(data))
    capsys.readouterr()
    assert disclose(root, "verify", "archive/2021") == 1
    out = capsys.readouterr().out
    assert "已改动 guangshui-ldbxj/index.html" in out
    assert out.count("已改动") == 1 and "缺失" not in out and "多出" not in out

    (folder / "assets/javascripts/disclose.js").unlink()
    (folder / "assets/extra.txt").write_text("x", encoding="utf-8")
    assert disclose(root, "verify", str(folder)) == 1
    out = capsys.readouterr().out
    assert "缺失 assets/javascripts/disclose.js" in out and "多出 assets/extra.txt" in out
    assert "已改动 guangshui-ldbxj/index.html" in out


def test_verify_reports_a_lost_manifest_and_a_bad_path(archived: dict[str, Any], copy_of: Callable[[Path], Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(archived["root"])
    (root / "archive/2021/r1/manifest.json").unlink()
    assert disclose(root, "verify") == 1
    assert "清单有误 manifest.json" in capsys.readouterr().out
    assert disclose(root, "verify", "archive/1999") == 2


def test_a_tampered_snapshot_is_not_published(archived: dict[str, Any], copy_of: Callable[[Path], Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(archived["root"])
    (root / "archive/2021/r1/index.html").write_text("篡改", encoding="utf-8")
    site_before = tree_bytes(root / "site")
    assert disclose(root, "build", "-q") == 1
    assert "已改动 index.html" in capsys.readouterr().err
    assert tree_bytes(root / "site") == site_before


# -- immutability --------------------------------------------------------------------------------


def test_archiving_an_archived_year_is_refused_and_changes_nothing(
        archived: dict[str, Any], copy_of: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_of(archived["root"])
    before = {name: tree_bytes(root / name) for name in ("archive", "site")}
    capsys.readouterr()
    assert disclose(root, "archive", "2021", "--note", "再归档一次", "-q") == 1
    err = capsys.readouterr().err
    assert "2021 年度已归档" in err and "--supersede" in err
    assert {name: tree_bytes(root / name) for name in ("archive", "site")} == before
    assert not list(root.glob(".archive.new-*"))


def test_supersede_without_an_archive_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_project(tmp_path)
    assert disclose(root, "archive", "2022", "--note", "n", "--supersede", "理由", "-q") == 1
    assert "尚未归档" in capsys.readouterr().err
    assert not (root / "archive").exists()


def test_note_is_required(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        disclose(tmp_path, "archive", "2021")
    assert exit_.value.code == 2


def test_a_failed_archive_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_project(tmp_path)
    bad = root / "content/2022/guangshui-ldbxj.yaml"
    good = bad.read_text(encoding="utf-8")
    bad.write_text(good.replace("year: 2022", "year: 二〇二二", 1), encoding="utf-8")
    assert disclose(root, "archive", "2021", "--note", "n", "-q") == 1
    assert "未归档" in capsys.readouterr().err
    assert not (root / "archive").exists() and not (root / "site").exists()
    assert not [p.name for p in root.iterdir() if p.name.startswith(".")]

    bad.write_text(good, encoding="utf-8")
    assert disclose(root, "archive", "2021", "--note", "n", "-q") == 0
    assert disclose(root, "build", "-q") == 0
    before = {name: tree_bytes(root / name) for name in ("archive", "site")}
    bad.write_text(good.replace("year: 2022", "year: 二〇二二", 1), encoding="utf-8")
    assert disclose(root, "archive", "2022", "--note", "n", "-q") == 1  # check error: nothing built
    assert disclose(root, "build", "-q") == 1
    assert {name: tree_bytes(root / name) for name in ("archive", "site")} == before


def test_an_archive_failing_after_the_build_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = new_project(tmp_path)
    monkeypatch.setattr(archiving, "self_containment_problems", lambda folder: ["index.html：<script src=\"/x.js\">"])
    assert disclose(root, "archive", "2021", "--note", "n", "-q") == 1
    assert "快照引用了快照以外的资源" in capsys.readouterr().err
    assert not (root / "archive").exists()
    assert not [p.name for p in root.iterdir() if p.name.startswith(".archive")]


# -- supersede -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def superseded(archived: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("superseded") / "project"
    shutil.copytree(archived["root"], root)
    assert disclose(root, "archive", "2021", "--note", "更正后重新归档", "--supersede", "更正任务表述", "-q") == 0
    assert disclose(root, "build", "-q") == 0
    return root


def test_supersede_adds_r2_and_keeps_r1_unchanged_and_verifiable(
        archived: dict[str, Any], superseded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = superseded
    assert tree_bytes(root / "archive/2021/r1") == archived["snapshot"]
    r2 = json.loads((root / "archive/2021/r2/manifest.json").read_text(encoding="utf-8"))
    r1_manifest = (root / "archive/2021/r1/manifest.json").read_bytes()
    assert r2["revision"] == 2
    assert r2["supersedes"] == {"revision": 1, "reason": "更正任务表述",
                                "manifest_sha256": hashlib.sha256(r1_manifest).hexdigest()}
    assert NEW_TASK in (root / "archive/2021/r2/guangshui-ldbxj/index.html").read_text(encoding="utf-8")
    note = (root / "archive/2021/r2" / NOTE_PAGE).read_text(encoding="utf-8")
    assert "第 2 版" in note and "更正任务表述" in note and hashlib.sha256(r1_manifest).hexdigest() in note
    capsys.readouterr()
    assert disclose(root, "verify") == 0
    out = capsys.readouterr().out
    assert re.search(r"r1：\d+ 个文件全部一致", out) and re.search(r"r2：\d+ 个文件全部一致", out)


def test_current_revision_is_served_and_the_old_one_carries_the_notice(superseded: Path) -> None:
    root = superseded
    assert tree_bytes(root / "site/2021") == tree_bytes(root / "archive/2021/r2")
    old, served = root / "archive/2021/r1", root / "site/2021-r1"
    assert set(tree_bytes(served)) == set(tree_bytes(old))
    notice = re.compile(r'<div class="dc-banner dc-banner--superseded" role="note"><a href="([^"]*)">'
                        r'本归档（第 1 版）已被第 2 版取代（[\d-]+），更正理由：更正任务表述。'
                        r'点击查看现行版本。</a></div>\n')
    pages = sorted(p.relative_to(served).as_posix() for p in served.rglob("*.html"))
    assert pages == [NOTE_PAGE, "guangshui-ldbxj/index.html", "index.html"]
    for rel in tree_bytes(old):
        if rel.endswith("/"):
            continue
        original, copy = (old / rel).read_bytes(), (served / rel).read_bytes()
        if rel in pages:
            text = copy.decode("utf-8")
            match = notice.search(text)
            assert match, rel
            assert text.index(match[0]) < text.index('class="dc-banner dc-banner--archive"')
            assert (served / rel).parent.joinpath(match[1]).resolve() == (root / "site/2021").resolve()
            assert notice.sub("", text).encode("utf-8") == original  # the notice is the only difference
        else:
            assert copy == original, rel
    assert "dc-banner--superseded" not in (root / "site/2021/index.html").read_text(encoding="utf-8")


# -- bundle --------------------------------------------------------------------------------------


def test_bundle_is_deterministic_and_verifies_once_extracted(archived: dict[str, Any], tmp_path: Path) -> None:
    root = archived["root"]
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    assert disclose(root, "bundle", "2021", "-o", str(first)) == 0
    (root / "archive/2021/r1/index.html").touch()  # a later mtime must not change the bundle
    assert disclose(root, "bundle", "2021", "--revision", "1", "-o", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    with tarfile.open(first) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert "archive-2021-r1/manifest.json" in names
        assert {m.mtime for m in members} == {members[0].mtime} and {m.uid for m in members} == {0}
        assert all(PurePosixPath(n).parts[0] == "archive-2021-r1" for n in names)
        tar.extractall(tmp_path / "out", filter="data")
    assert tree_bytes(tmp_path / "out/archive-2021-r1") == archived["snapshot"]
    assert disclose(root, "verify", str(tmp_path / "out/archive-2021-r1")) == 0
    assert disclose(root, "bundle", "1999") == 1


# -- in a browser: any base path, no request outside the snapshot ---------------------------------



class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[Callable[[Path], str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_snapshot_works_from_another_base_path_without_requests_outside(
        archived: dict[str, Any], tmp_path: Path, serve: Callable[[Path], str], chromium: Any) -> None:
    prefix = "/somewhere/else/entirely/2021-copy/"
    shutil.copytree(archived["root"] / "archive/2021/r1", tmp_path / prefix.strip("/"))
    base = serve(tmp_path) + prefix
    page = chromium.new_page()
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in ("", "guangshui-ldbxj/"):
        page.goto(base + path, wait_until="networkidle")
        banner = page.locator(".dc-banner--archive a")
        assert banner.is_visible() and banner.inner_text().startswith("归档于 ")
        assert page.locator("link[rel=stylesheet][href*='main.']").count() == 1
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    page.locator(".dc-banner--archive a").click()
    page.wait_for_load_state("networkidle")
    assert page.url == base + "archive_note/"
    assert page.locator("h1").inner_text().removesuffix("¶") == "归档说明"
    page.locator("a[href$='manifest.json']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == base + "manifest.json"
    assert json.loads(page.locator("body").inner_text())["year"] == 2021
    page.goto(base, wait_until="load")  # the snapshot searches its own index, loaded in pieces as one types
    page.locator("input.md-search__input").press_sequentially("参保")
    page.locator("a.md-search-result__link").first.wait_for()
    assert failed == []
    assert requests and all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
    assert base + "search/manifest.js" in requests and any(u.startswith(base + "search/p/") for u in requests)


@pytest.mark.browser
def test_superseded_revision_shows_the_notice(superseded: Path, serve: Callable[[Path], str], chromium: Any) -> None:
    base = serve(superseded / "site")
    page = chromium.new_page()
    page.goto(base + "/2021-r1/guangshui-ldbxj/", wait_until="networkidle")
    notice = page.locator(".dc-banner--superseded a")
    assert notice.is_visible() and "已被第 2 版取代" in notice.inner_text()
    notice.click()
    page.wait_for_load_state("networkidle")
    assert page.url == base + "/2021/"
    assert page.locator(".dc-banner--archive a").inner_text().startswith("归档于 ")
    assert page.locator(".dc-banner--superseded").count() == 0
