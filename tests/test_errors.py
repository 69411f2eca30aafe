"""One error base type: every refusal is a DiscloseError, which the CLI alone catches and prints, each with the
exact message and exit code the commands gave before there was one base (pinned here)."""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import re
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

import generator
from generator import cli
from generator.archive import ArchiveRefused
from generator.build import BuildFailed, Busy, project_lock
from generator.config import ConfigInvalid, Project
from generator.errors import DiscloseError
from generator.importer_book import BookError
from generator.leaks import LeakFound
from generator.publish import PublishRefused
from generator.shard import ShardRefused
from generator.site import SiteError

BUSY = "本项目的另一个命令正在运行（进程 {pid}：disclose {command}），请等它结束后再试；未做任何改动"


REFUSALS = [SiteError, BookError, PublishRefused, ConfigInvalid, LeakFound, BuildFailed, Busy, ArchiveRefused,
            ShardRefused]


@pytest.mark.parametrize("error", REFUSALS)
def test_every_refusal_is_a_disclose_error_exiting_1(error: type[Exception]) -> None:
    assert issubclass(error, DiscloseError) and error.exit_code == 1  # type: ignore[attr-defined]


def _subclasses(base: type) -> list[type]:
    return [c for sub in base.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_the_list_above_is_every_refusal_the_generator_defines() -> None:
    """(A new refusal — shard.ShardRefused was one — must be pinned above: found by importing every module.)"""
    for module in pkgutil.walk_packages(generator.__path__, "generator."):
        if module.name != "generator.__main__":  # (it runs the CLI)
            importlib.import_module(module.name)
    assert set(_subclasses(DiscloseError)) == set(REFUSALS)


def test_the_cli_catches_only_the_base_type() -> None:
    tree = ast.parse((ROOT / "generator" / "cli.py").read_text("utf-8"))
    caught = {ast.unparse(h.type) for h in ast.walk(tree) if isinstance(h, ast.ExceptHandler) and h.type}
    assert caught == {"DiscloseError"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = cli.main(["-C", str(project), *args])
    return code, capsys.readouterr().err.strip().split("\n")


def _break(project: Path) -> None:
    (project / "content" / "2021" / "guangshui-ldbxj.yaml").write_text("year: 2021\n\tx: 1\n", "utf-8")


def test_build_refused_by_the_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(project)
    code, err = run(project, capsys, "build", "-q")
    assert code == 1 and err[-1] == "disclose build: 检查发现 1 个错误，未生成网站；现有网站保持不变"
    assert any("YAML_TAB" in line for line in err) and re.match(r"检查了 \d+ 个文件：错误 1 个，", err[-2])


def test_archive_refused_by_the_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(project)
    code, err = run(project, capsys, "archive", "2021", "--note", "x", "-q")
    assert code == 1 and err[-1] == "disclose archive: 检查发现 1 个错误，未归档；archive/ 保持不变"
    assert any("YAML_TAB" in line for line in err)


def test_archive_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(project, capsys, "archive", "2021", "--note", "  ", "-q")
    assert (code, err) == (1, ["disclose archive: --note 须写明归档说明；未归档，archive/ 保持不变"])


@pytest.mark.parametrize(("args", "command", "output"), [
    (("build", "-q"), "build", "public"),
    (("archive", "2021", "--note", "x", "-q"), "archive", "public"),
    (("build", "--preview", "-q"), "build", "preview"),
])
def test_busy(project: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], command: str,
              output: str) -> None:
    with project_lock(Project(project), command, output):
        code, err = run(project, capsys, *args)
    assert (code, err) == (1, [f"disclose {command}: " + BUSY.format(pid=os.getpid(), command=command)])


@pytest.mark.parametrize(("args", "target", "suffix"), [
    (("build", "-q"), "site", "；现有网站保持不变"),
    (("build", "--preview", "-q"), "preview-site", ""),
])
def test_publish_refused(project: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], target: str,
                         suffix: str) -> None:
    (project / target).mkdir()
    (project / target).chmod(0o555)
    try:
        code, err = run(project, capsys, *args)
    finally:
        (project / target).chmod(0o755)
    assert code == 1
    where = project / target
    assert err[-1] == f"disclose build: {where} 是只读的，无法替换 {where}（恢复写权限后再试）{suffix}"
