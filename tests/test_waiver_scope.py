"""Which errors a form's `waivers:` may waive: one list (problems.WAIVABLE), the docs saying the same of each code,
and a waiver of any other error told so at its place (not "unused" while the error stands beside it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.problems import CODES, WAIVABLE, Severity
from tests.test_rules import MINIMAL_TEXT, apply, found, waivers

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\| `(?P<code>[A-Z0-9_]+)` \| error \| [^|]+ \| (?P<fix>[^|]+) \|$")
NOT_CHECKS = {"WAIVER_UNKNOWN"}  # (import errors are never in a form: `disclose import` reports them)


def _fixes() -> dict[str, str]:
    lines = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8").splitlines()
    return {m["code"]: m["fix"] for m in map(ROW.match, lines) if m}


def test_waivable_codes_are_errors() -> None:
    assert all(CODES[c].severity is Severity.ERROR for c in WAIVABLE)


@pytest.mark.parametrize("name", sorted(c for c, v in CODES.items() if v.severity is Severity.ERROR
                                        and not c.startswith("IMPORT_") and c not in NOT_CHECKS))
def test_docs_say_of_each_error_whether_it_can_be_waived(name: str) -> None:
    fix = _fixes()[name]
    said = "可豁免" in fix.replace("不可豁免", "")
    assert said == (name in WAIVABLE) and (said or "不可豁免" in fix), fix


def test_a_waiver_of_an_unwaivable_error_says_so(write_decl, run_check) -> None:
    duplicate = ("name: 服务人数,", "name: 服务人数, name: 人数,")
    report = run_check(write_decl(apply(MINIMAL_TEXT, (duplicate, waivers("DUPLICATE_KEY")))))
    assert found(report.problems) == [(33, 52, "DUPLICATE_KEY"), (36, 12, "WAIVER_NOT_WAIVABLE")]
    assert [p.code for p in report.blocking] == ["DUPLICATE_KEY"]
    assert "DUPLICATE_KEY 不能豁免" in report.problems[1].message


def test_a_waiver_of_a_cross_form_error_says_so_and_the_error_blocks(write_decl, run_check) -> None:
    report = run_check(write_decl(apply(MINIMAL_TEXT, (waivers("DUPLICATE_DECLARATION"),))))
    assert found(report.problems) == [(36, 12, "WAIVER_NOT_WAIVABLE")]
    assert report.problems[0].severity is Severity.WARNING
