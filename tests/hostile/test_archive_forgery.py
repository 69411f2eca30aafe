"""Forged, tampered and rolled-back archives (issue 12): each attack is refused, site/ and archive/ untouched.

One project is archived twice (2021 r1, then r2 superseding it) and built; every test attacks a copy of it
the way someone with write access to archive/ would, then runs `disclose build` and `disclose verify`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_archive import disclose, new_project, tree_bytes

pytestmark = pytest.mark.slow

PAGE = "guangshui-ldbxj/index.html"
FORGED = "伪造的页面内容"


@pytest.fixture(scope="module")
def chained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2021 archived as r1, superseded by r2, and the public site built from it."""
    root = new_project(tmp_path_factory.mktemp("chained"))
    assert disclose(root, "archive", "2021", "--note", "首次归档", "-q") == 0
    assert disclose(root, "archive", "2021", "--note", "更正后归档", "--supersede", "更正表述", "-q") == 0
    assert disclose(root, "build", "-q") == 0
    return root


@pytest.fixture
def attacked(chained: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(chained, root, symlinks=True)
    return root


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_of(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / "manifest.json").write_text(text, encoding="utf-8")


def forge_revision(root: Path, number: int, supersedes: dict[str, Any] | None) -> Path:
    """A copy of r2 as r<number>: one page edited, its hash updated, the manifest renumbered."""
    forged = root / f"archive/2021/r{number}"
    shutil.copytree(root / "archive/2021/r2", forged)
    page = forged / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", f"<p>{FORGED}</p></article>"),
                    encoding="utf-8")
    manifest = manifest_of(forged)
    manifest["files"][PAGE] = sha256(page)
    manifest.update(revision=number, supersedes=supersedes)
    write_manifest(forged, manifest)
    return forged


def refused(root: Path, capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    """`disclose build` exits 1 naming every expected text, and neither site/ nor archive/ changes."""
    before = {name: tree_bytes(root / name) for name in ("site", "archive")}
    capsys.readouterr()
    assert disclose(root, "build", "-q") == 1
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, err
    assert "现有网站保持不变" in err
    assert {name: tree_bytes(root / name) for name in ("site", "archive")} == before
    assert not [p.name for p in root.iterdir() if p.name.startswith((".site.new-", ".archive.new-"))]
    return err


def verify_fails(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert disclose(root, "verify", *args) == 1
    captured = capsys.readouterr()
    return captured.out + captured.err


# -- the intact chain ------------------------------------------------------------------------------


def test_an_intact_chain_builds_verifies_and_records_each_manifest(chained: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    r1, r2 = chained / "archive/2021/r1", chained / "archive/2021/r2"
    assert manifest_of(r2)["supersedes"]["manifest_sha256"] == sha256(r1 / "manifest.json")
    lines = (chained / "archive/2021/chain").read_text(encoding="utf-8").splitlines()
    assert [line.split()[:2] for line in lines] == [["r1", sha256(r1 / "manifest.json")],
                                                    ["r2", sha256(r2 / "manifest.json")]]
    capsys.readouterr()
    assert disclose(chained, "verify") == 0
    assert tree_bytes(chained / "site/2021") == tree_bytes(r2)


# -- attacks ---------------------------------------------------------------------------------------


def test_a_tampered_page_of_a_superseded_revision_is_not_published(attacked: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    page = attacked / "archive/2021/r1" / PAGE
    page.write_text(page.read_text(encoding="utf-8") + FORGED, encoding="utf-8")
    refused(attacked, capsys, f"已改动 {PAGE}", "r1")


def test_a_copied_revision_with_a_forged_page_and_no_predecessor_is_refused(
        attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forge_revision(attacked, 3, None)
    assert "r3" in verify_fails(attacked, capsys)
    err = refused(attacked, capsys, "r3")
    assert "第 2 版" in err and "chain" in err


def test_a_forged_revision_naming_its_predecessor_but_not_recorded_is_refused(
        attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r2 = attacked / "archive/2021/r2/manifest.json"
    forge_revision(attacked, 3, {"revision": 2, "reason": "伪造", "manifest_sha256": sha256(r2)})
    assert "r3" in verify_fails(attacked, capsys, "archive/2021")
    refused(attacked, capsys, "r3", "未记入")


def test_deleting_the_current_revision_is_noticed_not_rolled_back(attacked: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(attacked / "archive/2021/r2")
    assert "r2" in verify_fails(attacked, capsys)
    refused(attacked, capsys, "缺少第 2 版", "chain")


def test_deleting_the_current_revision_is_noticed_without_a_published_site(
        attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(attacked / "site")
    shutil.rmtree(attacked / "archive/2021/r2")
    refused(attacked, capsys, "缺少第 2 版")


def test_deleting_the_current_revision_and_its_record_is_noticed_against_the_published_site(
        attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(attacked / "archive/2021/r2")
    chain = attacked / "archive/2021/chain"
    chain.write_text(chain.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    refused(attacked, capsys, "site/2021", "第 2 版")


def test_deleting_a_whole_archived_year_is_noticed_against_the_published_site(
        attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(attacked / "archive/2021")
    shutil.rmtree(attacked / "archive")
    refused(attacked, capsys, "site/2021", "第 2 版")


def test_deleting_the_chain_file_is_refused(attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (attacked / "archive/2021/chain").unlink()
    refused(attacked, capsys, "archive/2021/chain", "缺失")


def test_a_rewritten_chain_file_is_refused(attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chain = attacked / "archive/2021/chain"
    first, second = chain.read_text(encoding="utf-8").splitlines(keepends=True)
    chain.write_text(first + "r2 " + "0" * 64 + second[67:] + "不是记录\n", encoding="utf-8")
    err = refused(attacked, capsys, "archive/2021/r2", "archive/2021/chain:3")
    assert "与" in err and "第 2 行" in err


def test_a_symlinked_revision_is_refused(attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r2 = attacked / "archive/2021/r2"
    r2.rename(attacked / "elsewhere")
    r2.symlink_to(attacked / "elsewhere", target_is_directory=True)
    refused(attacked, capsys, "archive/2021/r2", "符号链接")


def test_a_gap_in_the_revisions_is_refused(attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (attacked / "archive/2021/r2").rename(attacked / "archive/2021/r3")
    refused(attacked, capsys, "缺少第 2 版")


@pytest.mark.parametrize("name", ["r02", "r1.bak", "r2-old", "notes.txt", "R3"])
def test_an_oddly_named_entry_is_refused_by_build_and_verify_alike(
        attacked: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    odd = attacked / "archive/2021" / name
    if "." in name:
        odd.write_text("x", encoding="utf-8")
    else:
        shutil.copytree(attacked / "archive/2021/r2", odd)
    assert name in verify_fails(attacked, capsys)
    refused(attacked, capsys, f"archive/2021/{name}")


def test_an_odd_folder_beside_the_years_is_refused(attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(attacked / "archive/2021", attacked / "archive/2021.bak")
    refused(attacked, capsys, "archive/2021.bak")


def test_a_superseding_revision_that_names_a_different_predecessor_is_refused(
        attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r2 = attacked / "archive/2021/r2"
    manifest = manifest_of(r2)
    manifest["supersedes"]["manifest_sha256"] = "0" * 64  # a fork: r2 follows some other r1
    write_manifest(r2, manifest)
    refused(attacked, capsys, "r2", "r1")


def test_archiving_onto_a_broken_chain_is_refused(attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forge_revision(attacked, 3, None)
    before = tree_bytes(attacked / "archive")
    capsys.readouterr()
    assert disclose(attacked, "archive", "2021", "--note", "n", "--supersede", "理由", "-q") == 1
    assert "r3" in capsys.readouterr().err
    assert tree_bytes(attacked / "archive") == before


# -- the hash kept on paper --------------------------------------------------------------------------


def test_verify_expect_checks_the_manifest_against_the_hash_on_paper(chained: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    r1, r2 = chained / "archive/2021/r1", chained / "archive/2021/r2"
    paper = sha256(r2 / "manifest.json")
    assert disclose(chained, "verify", "--expect", paper, str(r2)) == 0
    assert disclose(chained, "verify", "--expect", paper, "archive/2021") == 0  # the year: its current revision
    assert disclose(chained, "verify", "--expect", paper.upper(), str(chained / "site/2021")) == 0
    assert disclose(chained, "verify", "--expect", sha256(r1 / "manifest.json"), str(r1)) == 0
    out = verify_fails(chained, capsys, "--expect", "f" * 64, str(r2))
    assert "f" * 64 in out and paper in out
    out = verify_fails(chained, capsys, "--expect", sha256(r1 / "manifest.json"), "archive/2021")
    assert "第 2 版" in out  # r1's hash on paper does not vouch for the current r2
    capsys.readouterr()
    assert disclose(chained, "verify", "--expect", "abc", str(r2)) == 2


def test_verify_expect_catches_a_manifest_rewritten_to_match_forged_files(
        attacked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r2 = attacked / "archive/2021/r2"
    paper = sha256(r2 / "manifest.json")
    page = r2 / PAGE
    page.write_text(page.read_text(encoding="utf-8") + FORGED, encoding="utf-8")
    manifest = manifest_of(r2)
    manifest["files"][PAGE] = sha256(page)
    write_manifest(r2, manifest)
    capsys.readouterr()
    assert disclose(attacked, "verify", str(r2)) == 0  # self-consistent: only the paper hash can tell
    verify_fails(attacked, capsys, "--expect", paper, str(r2))


# -- archives made before the chain record ---------------------------------------------------------------


def test_an_archive_made_before_the_chain_record_keeps_working_and_migrates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = new_project(tmp_path)
    assert disclose(root, "archive", "2021", "--note", "旧版归档", "-q") == 0
    r1 = root / "archive/2021/r1"
    (root / "archive/2021/chain").unlink()  # as the code before the chain record left it
    write_manifest(r1, {**manifest_of(r1), "format": "disclose-archive/1"})
    capsys.readouterr()
    assert disclose(root, "build", "-q") == 0
    assert "archive/2021/chain" in capsys.readouterr().err  # said, not silent
    assert disclose(root, "verify") == 0
    assert disclose(root, "archive", "2021", "--note", "n", "--supersede", "更正", "-q") == 0
    lines = (root / "archive/2021/chain").read_text(encoding="utf-8").splitlines()
    assert [line.split()[0] for line in lines] == ["r1", "r2"]
    assert lines[0].split()[1] == sha256(r1 / "manifest.json")
    assert disclose(root, "build", "-q") == 0
