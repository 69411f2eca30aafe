"""Cross-form joins of the new kinds attacked: what is published must hold together.

A published self-evaluation whose target form is missing, renamed, of another year or a draft, and a published
项目申报表 whose unit's 部门整体 form is missing or a draft, would publish a data package whose foreign keys point
at nothing (and pages that cannot compare): each is an error at its identity, and the build is refused. The
published corpus of every kind validates with `frictionless` (every foreign key held) and every relative link
of its public site resolves.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_project
from results_corpus import Seeder, corpus, write
from test_preview_links import broken_links

from generator.problems import Problem

pytestmark = pytest.mark.slow
TEXTS = corpus(Seeder())


def _codes(run_check: Callable[..., object], *paths: Path) -> list[tuple[str, str, int, int, str]]:
    problems: list[Problem] = run_check(*paths).problems  # type: ignore[attr-defined]
    return sorted((Path(p.file).name, p.code, p.line, p.col, p.severity.zh) for p in problems
                  if p.code in JOINS)


JOINS = {"RESULT_TARGET_MISSING", "RESULT_TARGET_DRAFT", "RESULT_NO_TARGET", "PROJECT_UNIT_UNPUBLISHED",
         "PROJECT_NO_UNIT_FORM", "DUPLICATE_DECLARATION"}


def _files(tmp: Path, texts: dict[str, str], year: str = "2021") -> list[Path]:
    out = []
    for name, text in texts.items():
        path = tmp / (year if "year: 2022" not in text else "2022") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


RESULT = "minimal-unit--p-one_result.yaml"


def test_the_whole_published_corpus_has_no_join_problem(tmp_path: Path, run_check: Callable[..., object]) -> None:
    assert _codes(run_check, *_files(tmp_path, TEXTS)) == []


@pytest.mark.parametrize("how", ["missing", "renamed", "draft"])
def test_a_published_result_whose_target_is_not_published_is_an_error(how: str, tmp_path: Path,
                                                                     run_check: Callable[..., object]) -> None:
    texts = dict(TEXTS)
    if how == "missing":
        del texts["minimal-unit--p-one.yaml"]
    elif how == "renamed":  # the target's project_id changed (and its file with it): the result points nowhere
        texts["minimal-unit--p-renamed.yaml"] = texts.pop("minimal-unit--p-one.yaml").replace(
            "project_id: p-one", "project_id: p-renamed")
    else:
        texts["minimal-unit--p-one.yaml"] = TEXTS["minimal-unit--p-one.yaml"].replace("status: published",
                                                                                      "status: draft")
    code = "RESULT_TARGET_DRAFT" if how == "draft" else "RESULT_TARGET_MISSING"
    line = _line(texts[RESULT], "project_id:")
    assert _codes(run_check, *_files(tmp_path, texts)) == [(RESULT, code, line, 13, "错误")]


def test_a_result_whose_project_is_of_another_year_has_no_target(tmp_path: Path,
                                                                 run_check: Callable[..., object]) -> None:
    """2022's self-evaluation of p-one, the unit's project p-one declared for 2021 only: no join across years."""
    later = TEXTS[RESULT].replace("year: 2021", "year: 2022")
    files = [*_files(tmp_path, TEXTS), *_files(tmp_path, {RESULT: later})]
    assert _codes(run_check, *files) == [(RESULT, "RESULT_TARGET_MISSING", _line(later, "project_id:"), 13, "错误")]


def test_a_published_unit_result_whose_unit_form_is_a_draft_is_an_error(tmp_path: Path,
                                                                        run_check: Callable[..., object]) -> None:
    texts = {name: TEXTS[name] for name in ("minimal-unit_result.yaml", "minimal-unit.yaml")}
    texts["minimal-unit.yaml"] = texts["minimal-unit.yaml"].replace("status: published", "status: draft")
    line = _line(texts["minimal-unit_result.yaml"], "unit_id:")
    assert _codes(run_check, *_files(tmp_path, texts)) == [
        ("minimal-unit_result.yaml", "RESULT_TARGET_DRAFT", line, 10, "错误")]


def test_a_published_project_of_a_draft_unit_form_is_an_error(tmp_path: Path, run_check: Callable[..., object]
                                                              ) -> None:
    """(Nothing was said: project_forms' foreign key to declarations pointed at a row the package does not hold.)"""
    texts = {"minimal-unit--p-two.yaml": TEXTS["minimal-unit--p-two.yaml"],
             "minimal-unit.yaml": TEXTS["minimal-unit.yaml"].replace("status: published", "status: draft")}
    line = _line(texts["minimal-unit--p-two.yaml"], "unit_id:")
    assert _codes(run_check, *_files(tmp_path, texts)) == [
        ("minimal-unit--p-two.yaml", "PROJECT_UNIT_UNPUBLISHED", line, 10, "错误")]


def test_two_results_for_one_target_clash(tmp_path: Path, run_check: Callable[..., object]) -> None:
    files = _files(tmp_path, {**TEXTS, "minimal-unit--p-one_result-copy.yaml": TEXTS[RESULT]})
    found = [c for c in _codes(run_check, *files) if c[1] == "DUPLICATE_DECLARATION"]
    assert len(found) == 1 and found[0][4] == "错误"


# -- the built site ----------------------------------------------------------------------------------------------


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "-q"], capture_output=True,
                          text=True, encoding="utf-8", timeout=600, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("joins") / "project", content=False)
    (root / "content" / "2021").mkdir(parents=True)
    write(root, Seeder())
    done = _build(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_every_published_data_package_validates_with_its_foreign_keys(built: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    for package in (built / "site" / "data" / "datapackage.json",
                    built / "site" / "2021" / "data" / "datapackage.json"):
        report = frictionless.validate(str(package))
        errors = [(task.name, error.message) for task in report.tasks for error in task.errors]
        assert report.valid, errors
        assert {t.name for t in report.tasks} >= {"project_results", "unit_results", "project_forms"}


def test_every_relative_link_of_the_public_site_resolves(built: Path) -> None:
    assert broken_links(built / "site", "/jxmb/") == []


def test_the_build_is_refused_and_the_site_kept_when_a_published_result_loses_its_target(built: Path) -> None:
    before = sorted(p.relative_to(built / "site").as_posix() for p in (built / "site").rglob("*"))
    target = built / "content" / "2021" / "minimal-unit--p-two.yaml"
    text = target.read_text("utf-8")
    target.write_text(text.replace("status: published", "status: draft"), encoding="utf-8")
    try:
        done = _build(built)
    finally:
        target.write_text(text, encoding="utf-8")
    assert done.returncode == 1 and "RESULT_TARGET_DRAFT" in done.stdout + done.stderr
    assert sorted(p.relative_to(built / "site").as_posix() for p in (built / "site").rglob("*")) == before
