"""Integrity: a build that fails at any stage changes nothing; the same content builds the same bytes; the
public output holds no full mobile number and no draft.

One tmp project for the module: the seed, a 2020 year frozen under archive/, a published declaration full of
mobile numbers and a draft. Each failure test snapshots site/ and archive/ (every file's bytes), fails a build
its own way, and requires the snapshot unchanged; each leaves the project as it found it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from conftest import MINIMAL, SEED, copy_project

from generator import render
from generator.build import Stages, build_public
from generator.config import Project

pytestmark = pytest.mark.slow

# Mobile numbers as filed: plain, grouped, with a country code, in full-width digits.
MOBILES = ["13912345678", "138 2345 6789", "186-3456-7890", "+8617745678901", "8615056789012",
           "１５９６７８９０１２３"]
# A full mobile number in any public byte: 11 digits 1[3-9]…, optionally grouped 3-4-4, not inside a longer number
# (a glued 86 country code excepted); full-width digits are folded to ASCII first.
FULL_MOBILE = re.compile(rb"(?:(?<![0-9])|(?<=86))1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4}(?![0-9])")
DRAFT_NAME = "绝密草稿单位甲乙丙"
DRAFT_ID = "secret-draft-unit"
DRAFT_TEXT = "草稿职能丁戊己庚"
WIDE = str.maketrans("０１２３４５６７８９－", "0123456789-")


def disclose(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(project), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=600, check=False, env=env)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return {**env, **extra}


def _mobile_declaration() -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in [
        ("unit_id: minimal-unit", "unit_id: mobile-unit"),
        ("unit_name: 测试单位", "unit_name: 手机号测试单位"),
        ("leader: 张三", f"leader: 张三（{MOBILES[1]}）"),
        ("filer: 李四", f"filer: 李四 {MOBILES[2]}"),
        ("phone: 07226296906", f"phone: '{MOBILES[0]}'"),
        ("  - 1. 职能一。", f"  - 1. 职能一，联系 {MOBILES[3]}。"),
        ("  - 1. 任务一。", f"  - 1. 任务一，热线{MOBILES[4]}。"),
        ("purpose: 业务经费", f"purpose: 业务经费 {MOBILES[5]}"),
        ("basis: 年度计划}\n        - {level1: 满意度指标",
         f"basis: 回访 {MOBILES[0]}}}\n        - {{level1: 满意度指标"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _draft() -> str:
    return (MINIMAL.read_text(encoding="utf-8").replace("unit_id: minimal-unit", f"unit_id: {DRAFT_ID}")
            .replace("unit_name: 测试单位", f"unit_name: {DRAFT_NAME}").replace("status: published", "status: draft")
            .replace("1. 职能一。", f"1. {DRAFT_TEXT}。"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("integrity") / "project")
    earlier = SEED.read_text(encoding="utf-8").replace("year: 2021", "year: 2020").replace(
        "history_years: [2019, 2020]", "history_years: [2018, 2019]").replace("2021-01-28", "2020-01-20")
    (root / "content" / "2020").mkdir()
    (root / "content" / "2020" / SEED.name).write_text(earlier, encoding="utf-8")
    (root / "content" / "2021" / "mobile-unit.yaml").write_text(_mobile_declaration(), encoding="utf-8")
    (root / "content" / "2021" / f"{DRAFT_ID}.yaml").write_text(_draft(), encoding="utf-8")
    archived = disclose(root, "archive", "2020", "--note", "年度结束归档", "-q", env=clean_env())
    assert archived.returncode == 0, archived.stderr
    built = disclose(root, "build", "-q", env=clean_env())
    assert built.returncode == 0, built.stderr
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under site/ and archive/ (hidden ones too), with each file's SHA-256."""
    found: dict[str, str] = {}
    for top in ("site", "archive"):
        for path in sorted((root / top).rglob("*")):
            rel = str(path.relative_to(root))
            found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    assert any(k.startswith("site/") for k in found) and any(k.startswith("archive/2020/") for k in found)
    return found


def stale(root: Path) -> list[Path]:
    return sorted(root.glob(".site.*")) + sorted(root.glob(".archive.*"))


# -- a failed build changes nothing ---------------------------------------------------------------


def test_check_error_changes_nothing(project: Path) -> None:
    before = snapshot(project)
    broken = project / "content" / "2021" / "broken.yaml"
    broken.write_text(MINIMAL.read_text(encoding="utf-8").replace("  income:", "\tincome:"), encoding="utf-8")
    try:
        result = disclose(project, "build", "-q", env=clean_env())
    finally:
        broken.unlink()
    assert result.returncode == 1 and "YAML_TAB" in result.stderr and "现有网站保持不变" in result.stderr
    assert snapshot(project) == before and stale(project) == []


def test_template_error_changes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template that fails to render (here: an undefined variable, under StrictUndefined)."""
    before = snapshot(project)
    real = render.environment

    def broken_environment() -> jinja2.Environment:
        env = real()
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"declaration.md.j2": "# {{ no_such_field }}\n"}),
                                          env.loader or jinja2.DictLoader({})])
        return env

    monkeypatch.setattr(render, "environment", broken_environment)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with pytest.raises(jinja2.UndefinedError, match="no_such_field"):
        build_public(Project(project), Stages(quiet=True))
    assert snapshot(project) == before and stale(project) == []


def test_mkdocs_error_changes_nothing(project: Path) -> None:
    before = snapshot(project)
    config = project / "mkdocs.yml"
    original = config.read_bytes()
    config.write_bytes(original + b"\nplugins:\n  - no-such-plugin\n")  # the last `plugins:` wins
    try:
        result = disclose(project, "build", "-q", env=clean_env())
    finally:
        config.write_bytes(original)
    assert result.returncode == 1 and "MkDocs 构建失败" in result.stderr and "no-such-plugin" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before and stale(project) == []


@pytest.mark.parametrize("stage", ["打码", "MkDocs 构建", "组装", "检索索引", "发布", "清理旧站点"])
def test_killed_build_changes_nothing_and_the_next_build_recovers(project: Path, stage: str) -> None:
    """SIGKILL the whole build (its forked MkDocs workers too) as it enters a stage, then build again."""
    before = snapshot(project)
    process = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project), "build"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=clean_env(),
                               start_new_session=True)
    assert process.stderr is not None
    seen = []
    for line in io.TextIOWrapper(process.stderr, encoding="utf-8"):
        seen.append(line)
        if line.startswith(f"disclose: {stage}"):
            os.killpg(process.pid, signal.SIGKILL)
            break
    assert process.wait(timeout=60) == -signal.SIGKILL, f"the build ended before {stage}: {seen}"
    assert snapshot(project) == before  # old site or (at the swap) the new one: the same bytes
    result = disclose(project, "build", "-q", env=clean_env())
    assert result.returncode == 0, result.stderr
    assert snapshot(project) == before and stale(project) == []


# -- the same content builds the same bytes -------------------------------------------------------


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    """Rebuilt elsewhere, at another path, hash seed and time zone: every byte the same."""
    before = snapshot(project)
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("site", "build"))
    result = disclose(other, "build", "-q", env=clean_env(PYTHONHASHSEED="12345", TZ="America/Los_Angeles"))
    assert result.returncode == 0, result.stderr
    again = snapshot(other)
    assert {"site/sitemap.xml.gz", "site/search/search_index.json", "site/2021/sitemap.xml.gz",
            "site/2021/search/search_index.json"} <= set(again)
    assert any(k.endswith(".xlsx") for k in again), "no workbook to compare"
    assert again == before, sorted(k for k in set(again) | set(before) if again.get(k) != before.get(k))[:20]


# -- what the public sees ---------------------------------------------------------------------------


def public_bytes(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every public byte, compressed files expanded (gzip; zip members, e.g. a workbook's XML)."""
    for top in ("site", "archive"):
        for path in sorted((root / top).rglob("*")):
            if not path.is_file():
                continue
            data, rel = path.read_bytes(), str(path.relative_to(root))
            yield rel, data
            if data[:2] == b"\x1f\x8b":
                yield rel + "!gunzip", gzip.decompress(data)
            elif data[:4] == b"PK\x03\x04":
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    for member in archive.namelist():
                        yield f"{rel}!{member}", archive.read(member)


HASH = re.compile(rb"(?<![0-9a-fA-F])[0-9a-fA-F]{40,}(?![0-9a-fA-F])")  # SHA-1/SHA-256 hex: digits by chance


def _fold(data: bytes) -> bytes:
    with contextlib.suppress(UnicodeDecodeError):
        data = data.decode("utf-8").translate(WIDE).encode("utf-8")
    return HASH.sub(b"#", data)  # a manifest's hash may hold 11 phone-like digits (seen: …18241594325…)


def test_no_full_mobile_number_in_public_output(project: Path) -> None:
    leaks = [f"{rel}: {m[0].decode(errors='replace')}" for rel, data in public_bytes(project)
             for m in FULL_MOBILE.finditer(_fold(data))]
    assert leaks == []
    # The numbers did reach the public pages, masked (so the grep above looked at the right text).
    page = (project / "site" / "2021" / "mobile-unit" / "index.html").read_text(encoding="utf-8")
    masks = ["139****5678", "138 **** 6789", "186-****-7890", "+86177****8901", "86150****9012", "１５９****０１２３"]
    for masked in masks:
        assert masked in page
    # …and the grep finds them where they are unmasked: in the filed content.
    filed = _fold((project / "content" / "2021" / "mobile-unit.yaml").read_bytes())
    assert len(FULL_MOBILE.findall(filed)) == len(MOBILES) + 1


def test_no_draft_in_public_output(project: Path) -> None:
    assert (project / "content" / "2021" / f"{DRAFT_ID}.yaml").exists()
    needles = [DRAFT_NAME.encode(), DRAFT_TEXT.encode(), DRAFT_ID.encode()]
    found = [f"{rel}: {n.decode()}" for rel, data in public_bytes(project) for n in needles if n in data]
    assert found == []
    assert not [p for p in (project / "site").rglob("*") if DRAFT_ID in p.name]
    # The same scan does see a published unit, so it would see the draft.
    assert any("手机号测试单位".encode() in data for _, data in public_bytes(project))
