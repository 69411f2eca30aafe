"""Hostile conditions around the build rather than inside a declaration (issue 12, "Smaller"):
formulas in the data packages' CSVs, workers outliving a killed build, a read-only site/, two builds at once,
symlinks, odd depths and upper-case suffixes under content/, and `build --year` forgetting the other years.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL, copy_project

from generator import publish
from generator.check import Context, check_files, declaration_files
from generator.config import Project
from generator.datapackage import package_files, table_rows
from generator.export import declaration_json
from generator.forms.department.tables import TABLES
from generator.load import load
from generator.privacy import mask

FORMULAS = ['=HYPERLINK("http://example.invalid","点此")', "+SUM(1,2)", "-1+2", "@cmd", "\tTAB"]


def _decl_text(year: int = 2021, unit: str = "minimal-unit", functions: list[str] | None = None,
               phone: str = "07226296906") -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("year: 2021", f"year: {year}").replace("unit_id: minimal-unit", f"unit_id: {unit}")
    text = text.replace("history_years: [2019, 2020]", f"history_years: [{year - 2}, {year - 1}]")
    text = text.replace("phone: 07226296906", f"phone: {json.dumps(phone)}")
    if functions is not None:
        items = "".join(f"  - {json.dumps(f, ensure_ascii=False)}\n" for f in functions)
        text = text.replace("  - 1. 职能一。\n", items)
    return text


def _write(root: Path, year: int, unit: str, **kw: object) -> Path:
    path = root / "content" / str(year) / f"{unit}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_decl_text(year, unit, **kw), encoding="utf-8")  # type: ignore[arg-type]
    return path


def _project(tmp: Path) -> Path:
    root = copy_project(tmp / "project", content=False)
    _write(root, 2021, "minimal-unit")
    _write(root, 2022, "minimal-unit")
    return root


def _disclose(root: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(root), *args], capture_output=True,
                          text=True, timeout=600, **kw)  # type: ignore[call-overload, no-any-return]


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "generator", "-C", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- 1. formulas in the data packages' CSVs --------------------------------------------------------


def test_data_package_csvs_defuse_formulas_like_the_excel_csvs(tmp_path: Path) -> None:
    """Every text cell a spreadsheet would run is prefixed with ' in /data/ and /YEAR/data/ alike;
    "+86…" phones too (as in the per-declaration CSVs); amounts stay numbers; the JSON stays exact."""
    path = _write(tmp_path, 2021, "minimal-unit", functions=FORMULAS, phone="+86 0722 6296906")
    doc, problems = load(path)
    assert doc is not None, problems
    decl = mask(doc.decl)
    files = package_files("p", "t", "d", [table_rows([decl], TABLES)], tables=TABLES)
    cells = {name: list(csv.reader(io.StringIO(files[f"{name}.csv"].decode("utf-8"), newline="")))
             for name in (t.name for t in TABLES)}
    texts = [row[-1] for row in cells["items"][1:] if row[2] == "部门职能概述"]
    assert texts == ["'" + f for f in FORMULAS]
    phone = cells["declarations"][0].index("phone")
    assert cells["declarations"][1][phone] == "'+86 0722 6296906"
    for name, rows in cells.items():  # nothing anywhere starts like a formula
        for row in rows:
            assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row), (name, row)
    amount = cells["funding"][0].index("amount")
    assert [r[amount] for r in cells["funding"][1:3]] == ["100", "0"]
    package = json.loads(files["datapackage.json"])
    for resource in package["resources"]:  # the descriptor describes the bytes published
        assert resource["hash"] == "sha256:" + hashlib.sha256(files[resource["path"]]).hexdigest()
    assert "单引号" in package["description"]
    data = json.loads(declaration_json(decl))
    assert data["functions"] == FORMULAS and data["phone"] == "+86 0722 6296906"


# -- 5. what content/ may hold ----------------------------------------------------------------------


def _check(root: Path) -> list[tuple[str, str, int, int]]:
    content = root / "content"
    report = check_files(declaration_files([content]), Context({}, content=content))
    return sorted((p.code, str(Path(p.file).relative_to(content)), p.line, p.col) for p in report.problems
                  if p.code in ("CONTENT_SYMLINK", "CONTENT_DEPTH", "YAML_SUFFIX"))


def test_symlinks_under_content_are_refused_and_never_read(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _write(root, 2021, "good-unit")
    secret = tmp_path / "secret.yaml"
    secret.write_text(_decl_text(2021, "leaked-unit", functions=["root:x:0:0:机密"]), encoding="utf-8")
    (root / "content" / "2021" / "leaked-unit.yaml").symlink_to(secret)
    (root / "content" / "2021" / "passwd.yaml").symlink_to("/etc/passwd")
    elsewhere = tmp_path / "elsewhere" / "2022"
    elsewhere.mkdir(parents=True)
    (elsewhere / "other-unit.yaml").write_text(_decl_text(2022, "other-unit"), encoding="utf-8")
    (root / "content" / "2022").symlink_to(elsewhere)  # a linked year folder is not walked into
    content = root / "content"
    report = check_files(declaration_files([content]), Context({}, content=content))
    assert {(p.code, Path(p.file).name, p.line, p.col) for p in report.problems if p.code == "CONTENT_SYMLINK"} \
        == {("CONTENT_SYMLINK", "leaked-unit.yaml", 1, 1), ("CONTENT_SYMLINK", "passwd.yaml", 1, 1),
            ("CONTENT_SYMLINK", "2022", 1, 1)}
    assert [d.decl.unit_id for d in report.documents] == ["good-unit"]
    shown = "\n".join(p.format() for p in report.problems)
    assert "root:" not in shown and "机密" not in shown
    assert report.blocking


def test_content_itself_may_be_a_link(tmp_path: Path) -> None:
    """A deployment may keep content/ elsewhere: only links inside it are refused."""
    real = tmp_path / "real"
    _write(real, 2021, "good-unit")
    root = tmp_path / "p"
    root.mkdir()
    (root / "content").symlink_to(real / "content")
    assert _check(root) == []
    report = check_files(declaration_files([root / "content"]), Context({}, content=root / "content"))
    assert [d.decl.unit_id for d in report.documents] == ["good-unit"]


def test_only_content_year_file_depth_is_accepted(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _write(root, 2021, "good-unit")
    (root / "content" / "stray-unit.yaml").write_text(_decl_text(2021, "stray-unit"), encoding="utf-8")
    deep = root / "content" / "old" / "2021"
    deep.mkdir(parents=True)
    (deep / "deep-unit.yaml").write_text(_decl_text(2021, "deep-unit"), encoding="utf-8")
    (root / "content" / "README.md").write_text("说明", encoding="utf-8")  # not a declaration: ignored
    assert _check(root) == [("CONTENT_DEPTH", "old/2021/deep-unit.yaml", 1, 1),
                            ("CONTENT_DEPTH", "stray-unit.yaml", 1, 1)]


def test_upper_case_yaml_suffixes_are_problems_not_skipped(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _write(root, 2021, "good-unit")
    for name, suffix in (("upper-unit", ".YAML"), ("short-unit", ".YML"), ("mixed-unit", ".Yaml")):
        (root / "content" / "2021" / f"{name}{suffix}").write_text(_decl_text(2021, name), encoding="utf-8")
    assert _check(root) == [("YAML_SUFFIX", "2021/mixed-unit.Yaml", 1, 1), ("YAML_SUFFIX", "2021/short-unit.YML", 1, 1),
                            ("YAML_SUFFIX", "2021/upper-unit.YAML", 1, 1)]


def test_disclose_check_reports_content_layout_problems(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", content=False)
    _write(root, 2021, "good-unit")
    (root / "content" / "2021" / "passwd.yaml").symlink_to("/etc/passwd")
    done = _disclose(root, "check")
    assert done.returncode == 1
    assert "content/2021/passwd.yaml:1:1: 错误[CONTENT_SYMLINK]" in done.stdout
    assert "root:" not in done.stdout + done.stderr


# -- 3. a read-only site/ ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-year project, built once."""
    root = _project(tmp_path_factory.mktemp("hardening"))
    done = _disclose(root, "build", "-q")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def read_only(built: Path) -> Iterator[Callable[[Path], None]]:
    changed: list[tuple[Path, int]] = []

    def make(folder: Path) -> None:
        changed.append((folder, folder.stat().st_mode))
        folder.chmod(0o555)

    yield make
    for folder, mode in changed:
        folder.chmod(mode)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["site", "site/2021/data"])
def test_a_read_only_site_is_refused_and_left_as_it_was(built: Path, read_only: Callable[[Path], None],
                                                        where: str) -> None:
    read_only(built / where)
    before = _tree_hash(built / "site")
    for args in (("build", "-q"), ("build", "-q", "--year", "2022")):
        done = _disclose(built, *args)
        assert done.returncode == 1, done.stderr
        assert "只读" in done.stderr and "Traceback" not in done.stderr
        assert str(built / where) in done.stderr
    assert _tree_hash(built / "site") == before


def test_a_failing_swap_leaves_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a refusal the up-front check cannot foresee (a read-only mount, say) ends in a message."""
    target, staging = tmp_path / "site", tmp_path / "new"
    target.mkdir()
    (target / "index.html").write_text("旧")
    staging.mkdir()
    (staging / "index.html").write_text("新")

    def refuse(*args: object) -> bool:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(publish, "_exchange", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(publish.PublishRefused, match="无法替换"):
        publish.swap_in(staging, target)
    assert (target / "index.html").read_text() == "旧"


# -- 6. build --year keeps every year on the 数据下载 page ------------------------------------------


@pytest.mark.slow
def test_build_one_year_keeps_every_year_on_the_data_page(built: Path) -> None:
    done = _disclose(built, "build", "-q", "--year", "2022")
    assert done.returncode == 0, done.stderr
    page = (built / "site" / "data" / "index.html").read_text("utf-8")
    for year in (2021, 2022):
        assert f"{year} 年度数据包" in page
        assert f'href="../{year}/data/datapackage.json"' in page
        assert f'href="../{year}/data/minimal-unit.xlsx"' in page
    years = {row["year"] for row in csv.DictReader(io.StringIO(
        (built / "site" / "data" / "declarations.csv").read_text("utf-8")))}
    assert years == {"2021", "2022"}
    size = (built / "site" / "2021" / "data" / "datapackage.json").stat().st_size
    assert re.search(rf"datapackage\.json</a>（{size} 字节|datapackage\.json</a>（{size / 1024:.1f} KB", page)


# -- 4. two builds at once ---------------------------------------------------------------------------


def _synth_project(tmp: Path, count: int) -> Path:
    root = copy_project(tmp / "project", content=False)
    done = _disclose(root, "synth", str(count), "--years", "2")
    assert done.returncode == 0, done.stderr
    return root


def _wait_for(proc: subprocess.Popen[str], line: str) -> None:
    assert proc.stderr is not None
    for text in proc.stderr:
        if line in text:
            return
    pytest.fail(f"the build ended before {line!r}: {proc.wait()}")


@pytest.mark.slow
def test_a_second_concurrent_build_is_refused_and_the_first_completes(tmp_path: Path) -> None:
    root = _synth_project(tmp_path, 30)
    first = _start(root, "build")
    try:
        _wait_for(first, "生成页面")
        for args in (("build", "-q"), ("build", "-q", "--year", "2024"), ("archive", "2024", "--note", "n", "-q")):
            second = _disclose(root, *args)
            assert second.returncode == 1, (args, second.stderr)
            assert "正在运行" in second.stderr and f"进程 {first.pid}：disclose build" in second.stderr, second.stderr
            assert first.poll() is None, "the first build was over before the second was refused"
        preview = _disclose(root, "build", "--preview", "-q")  # another output: it may run meanwhile
        assert preview.returncode == 0, preview.stderr
        assert first.wait(timeout=600) == 0
    finally:
        first.kill()
    assert not (root / "archive").exists()
    pages = list((root / "site").glob("*/*/index.html"))
    assert len([p for p in pages if p.parent.parent.name.isdigit()]) == 30
    again = _disclose(root, "build", "-q")  # the lock is released with the first build
    assert again.returncode == 0, again.stderr


# -- 2. workers die with the build ------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir() or (os.cpu_count() or 1) < 2, reason="needs Linux and 2 cores")
@pytest.mark.parametrize("stage", ["生成页面", "MkDocs 构建"])
def test_killing_the_build_kills_its_workers(tmp_path: Path, stage: str) -> None:
    root = _synth_project(tmp_path, 200)
    build = _start(root, "build")
    workers: set[int] = set()
    try:
        _wait_for(build, stage)
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline:
            workers = _children(build.pid)
            time.sleep(0.02)
        assert workers, "no worker was forked"
        time.sleep(0.3)
        workers |= _children(build.pid)
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        build.kill()
    assert Project(root).site.exists() is False
