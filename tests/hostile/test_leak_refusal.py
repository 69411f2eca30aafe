"""The last line of defence refuses to publish a whole number, names the place and leaves site/ as it was.

The scan (generator/leaks.py) itself: a number in a page, behind HTML character references, JSON escapes,
inside a workbook (zip) or a gzip file is found at file:line:col, and the report shows it masked. Then the
builds: the bundled content builds clean (no false positive on vendor scripts, hashes, the search index,
amounts); a number slipping through — a mobile in site_config's contact, or the mask switched off — fails
the build with exit 1 and site/ byte-identical, and fails an archive with archive/ untouched.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import copy_project
from test_mask_forms import reads

from generator import privacy
from generator.build import Stages, build_public
from generator.config import Project
from generator.leaks import LeakFound, leaks_in

pytestmark = pytest.mark.slow

NUMBER = "13912345678"


def _zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "where"), [
    ("site/a/index.html", "<p>\n  联系 139\u30001234\u30005678</p>".encode(), "site/a/index.html:2:6"),
    ("site/a/index.html", b"<p>&#49;&#51;&#57; 1234 5678</p>", "site/a/index.html:1:4"),
    ("site/search/search_index.json", b'{"t": "\\u0031\\u0033\\u0039\\u30001234\\u30005678"}',
     "site/search/search_index.json:1:8"),
    ("site/2021/data/x.yaml", b'a: "\\U00000031\\u0033\\x39 1234 5678"', "site/2021/data/x.yaml:1:5"),
    ("site/2021/data/x.xlsx", _zip("xl/sharedStrings.xml", "<t>１３９１２３４５６７８</t>".encode()),
     "site/2021/data/x.xlsx!xl/sharedStrings.xml:1:4"),
    # A workbook's own escape for a control character (_x000B_, written by generator/xlsx.py): Excel shows the
    # number whole, with a line break in it.
    ("site/2021/data/y.xlsx", _zip("xl/worksheets/sheet1.xml", b"<t>139_x000B_1234_x000B_5678</t>"),
     "site/2021/data/y.xlsx!xl/worksheets/sheet1.xml:1:4"),
    ("site/sitemap.xml.gz", gzip.compress(b"<loc>https://x/13912345678/</loc>"),
     "site/sitemap.xml.gz!sitemap.xml:1:16"),
])
def test_the_scan_finds_the_number_where_a_reader_reads_it(name: str, data: bytes, where: str) -> None:
    problems = leaks_in(name, data)
    assert [f"{p.file}:{p.line}:{p.col}" for p in problems] == [where]
    assert problems[0].code == "PUBLIC_LEAK" and NUMBER not in reads(problems[0].message)
    assert "****" in problems[0].message


def test_the_scan_leaves_masked_numbers_hashes_and_amounts_alone() -> None:
    text = ("<p>159****6299 138 **** 6789 968.1918 2021-01-28 51000021R000000019951</p>"
            "sha256 e3b0c44298fc1c149afbf4c8913912345678fb92427ae41e4649b934ca495991b7852b855")
    assert leaks_in("site/index.html", text.encode()) == []
    assert leaks_in("site/m.json", json.dumps({"sha256": "a" * 20 + NUMBER + "b" * 33}).encode()) == []


# -- builds ----------------------------------------------------------------------------------------


def disclose(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(root), *args, "-q"], capture_output=True,
                          text=True, encoding="utf-8", timeout=600, check=False)


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content, built: the clean build passes the scan (no false positive)."""
    root = copy_project(tmp_path_factory.mktemp("refusal") / "project")
    built = disclose(root, "build")
    assert built.returncode == 0, built.stderr
    return root


def test_a_mobile_in_site_config_fails_the_build_and_site_stays_byte_identical(project: Path) -> None:
    before = tree(project / "site")
    config = project / "site_config" / "site.yml"
    original = config.read_text("utf-8")
    assert "联系电话：0722-0000000" in original
    config.write_text(original.replace("联系电话：0722-0000000", "联系电话：139\u30001234\u30005678"), "utf-8")
    try:
        refused = disclose(project, "build")
    finally:
        config.write_text(original, "utf-8")
    assert refused.returncode == 1
    assert "错误[PUBLIC_LEAK]" in refused.stderr and "site/index.html:" in refused.stderr
    assert "联系电话：139 **** 5678" in refused.stderr and NUMBER not in reads(refused.stderr)
    assert tree(project / "site") == before
    assert not list(project.glob(".site.*")), "no staging left behind"


def test_a_mobile_in_site_config_fails_the_archive(project: Path) -> None:
    config = project / "site_config" / "site.yml"
    original = config.read_text("utf-8")
    config.write_text(original.replace("联系电话：0722-0000000", f"联系电话：{NUMBER}"), "utf-8")
    try:
        refused = disclose(project, "archive", "2021", "--note", "归档")
    finally:
        config.write_text(original, "utf-8")
    assert refused.returncode == 1 and "错误[PUBLIC_LEAK]" in refused.stderr
    assert "archive/2021/r1/" in refused.stderr and NUMBER not in reads(refused.stderr)
    assert not (project / "archive").exists()


def test_the_mask_switched_off_fails_the_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(project / "site")
    monkeypatch.setattr(privacy, "mask", lambda decl: decl)  # (the check cache's masked copies are made by it)
    # A mask changed for real is changed code, which is in every cache's key: none of them is read then. The
    # patch changes no code, so the caches (the check's masked copies, downloads and rows named by the check
    # key, pages) go instead.
    shutil.rmtree(project / "build" / "cache", ignore_errors=True)
    with pytest.raises(LeakFound) as refused:
        build_public(Project(project), Stages(quiet=True))
    files = {p.file.split("!")[0] for p in refused.value.problems}
    # the page and every download: each a place of its own
    assert {"site/2021/guangshui-ldbxj/index.html", "site/2021/data/guangshui-ldbxj.yaml",
            "site/2021/data/guangshui-ldbxj.json", "site/2021/data/guangshui-ldbxj.xlsx"} <= files
    assert "15997856299" not in reads(str(refused.value))
    assert tree(project / "site") == before
