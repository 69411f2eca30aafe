"""Editions attacked: `edition:` on a kind that has none, a name no kind knows, a 湖南 file with a funding table,
a 湖北-2022 file with the 2021 seed's rows, and a self-evaluation with cells its print has no place for. Each is
a problem at its file:line:col, never a traceback; none is published silently (the page would not show a cell
the downloads publish)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from generator.problems import Problem

CONTENT = ROOT / "content"
PROJECT = (CONTENT / "2021" / "guangshui-ldbxj--gsbx-office.yaml").read_text("utf-8")
RESULT = (CONTENT / "2021" / "guangshui-ldbxj--gsbx-office_result.yaml").read_text("utf-8")
UNIT_RESULT = (CONTENT / "2021" / "guangshui-ldbxj_result.yaml").read_text("utf-8")
HUNAN = (CONTENT / "2022" / "example-hunan-bureau.yaml").read_text("utf-8")
HUBEI_2022 = (CONTENT / "2022" / "guangshui-ldbxj.yaml").read_text("utf-8")


def _found(run_check: Callable[..., object], path: Path, severities: tuple[str, ...] = ("error", "warning")
           ) -> list[tuple[str, int, int]]:
    problems: list[Problem] = run_check(path).problems  # type: ignore[attr-defined]
    return sorted((p.code, p.line, p.col) for p in problems if p.severity.value in severities)


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _block(text: str, key: str) -> str:
    """A top-level key's block, up to the next top-level key."""
    return re.search(rf"^{key}:\n(?:[ #].*\n|\n)*", text, re.M)[0]  # type: ignore[index]


@pytest.mark.parametrize(("text", "name"), [(PROJECT, "guangshui-ldbxj--gsbx-office"),
                                            (UNIT_RESULT, "guangshui-ldbxj_result")])
def test_an_edition_on_a_kind_without_editions_is_an_unknown_key(text: str, name: str,
                                                                 write_decl: Callable[..., Path],
                                                                 run_check: Callable[..., object]) -> None:
    changed = text.replace("money_unit: 万元\n", "money_unit: 万元\nedition: 湖北-2022\n")
    path = write_decl(changed, name=name)
    assert ("UNKNOWN_KEY", _line(changed, "edition:"), 1) in _found(run_check, path, ("error",))


@pytest.mark.parametrize(("text", "name", "edition"), [
    (SEED.read_text("utf-8"), "guangshui-ldbxj", "湖北-2024"), (RESULT, "guangshui-ldbxj--gsbx-office_result", "湖南"),
    # a look-alike: the full-width hyphen of an IME; and a quoted trailing space (a plain one YAML strips)
    (re.sub("^edition: .*$", "edition: 湖北－2022", HUBEI_2022, flags=re.M), "guangshui-ldbxj", None),
    (re.sub("^edition: .*$", 'edition: "湖北-2022 "', HUBEI_2022, flags=re.M), "guangshui-ldbxj", None)],
    ids=["湖北-2024", "湖南 on a result", "full-width hyphen", "trailing space"])
def test_a_bad_edition_name_is_a_bad_enum(text: str, name: str, edition: str | None, write_decl: Callable[..., Path],
                                          run_check: Callable[..., object]) -> None:
    changed = text if edition is None else text.replace("money_unit: 万元\n", f"money_unit: 万元\nedition: {edition}\n")
    year = "2022" if "year: 2022" in changed else "2021"
    path = write_decl(changed, name=name, year=year)
    assert _found(run_check, path, ("error",)) == [("BAD_ENUM", _line(changed, "edition:"), 10)]


def test_a_hunan_file_with_a_funding_table_is_refused(write_decl: Callable[..., Path],
                                                      run_check: Callable[..., object]) -> None:
    funding = _block(SEED.read_text("utf-8"), "funding")
    text = HUNAN.replace("status: draft\n", "status: draft\n" + funding)
    path = write_decl(text, name="example-hunan-bureau", year="2022")
    assert ("NOT_IN_EDITION", _line(text, "funding:") + 1, 3) in _found(run_check, path, ("error",))


def test_a_hubei_2022_file_with_the_seeds_rows_is_warned_row_by_row(write_decl: Callable[..., Path],
                                                                    run_check: Callable[..., object]) -> None:
    seed = _block(SEED.read_text("utf-8"), "funding").replace("[2019, 2020]", "[2021, 2020]")
    text = HUBEI_2022.replace(_block(HUBEI_2022, "funding"), seed)
    path = write_decl(text, name="guangshui-ldbxj", year="2022")
    rows = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line in ("    - name: 其他资金",
                                                                                 "    - name: 基本支出",
                                                                                 "    - name: 项目支出")]
    assert [c for c in _found(run_check, path) if c[0] == "FUNDING_ROW_UNKNOWN"] == [
        ("FUNDING_ROW_UNKNOWN", i, 13) for i, _ in rows]


# -- the project self-evaluation's prints --------------------------------------------------------------------------


def _result(edition: str, **changes: str) -> str:
    out = RESULT.replace("money_unit: 万元\n", f"money_unit: 万元\nedition: {edition}\n")
    for old, new in changes.items():
        assert old in out, old
        out = out.replace(old, new)
    return out


UNPRINTED = {"total_score: 95.5\n": "total_score: 95.5\nconclusion: 示例：良好。\nissues: 示例：无。\n",
             "filing_date: 2022-03-15\n": "filing_date: 2022-03-15\ncategory: 示例：专项\n",
             "    target: 100%\n": "    target: 100%\n    nature: ≥\n    measure: \"%\"\n"}


@pytest.mark.parametrize("edition", ["全国", "湖北-旧版"])
def test_cells_a_print_has_no_place_for_are_refused(edition: str, write_decl: Callable[..., Path],
                                                    run_check: Callable[..., object]) -> None:
    """(They passed: the page left them out while the JSON and CSV downloads published them.)"""
    text = _result(edition, **UNPRINTED)
    path = write_decl(text, name="guangshui-ldbxj--gsbx-office_result")
    expected = [("NOT_IN_EDITION", _line(text, key), col) for key, col in (
        ("conclusion:", 13), ("issues:", 9), ("    nature:", 13), ("    measure:", 14))]
    if edition == "全国":
        expected.append(("NOT_IN_EDITION", _line(text, "category:"), 11))  # only the older Hubei print ticks it
    else:  # the older Hubei print has no 年初预算数 column: each row's is said
        expected += [("NOT_IN_EDITION", _line(text, f"  {row}:"), col)
                     for row, col in (("total", 20), ("fiscal", 21), ("carried", 22), ("other", 20))]
    assert _found(run_check, path, ("error",)) == sorted(expected)


def test_each_print_passes_with_its_own_cells(write_decl: Callable[..., Path], run_check: Callable[..., object]
                                              ) -> None:
    old_hubei = _result("湖北-旧版", **{"filing_date: 2022-03-15\n": "filing_date: 2022-03-15\ncategory: 示例：专项\n"})
    old_hubei = re.sub(r"initial: \d+, ", "", old_hubei)
    sichuan = _result("四川", **{"total_score: 95.5\n": "total_score: 95.5\nconclusion: 示例：良好。\n",
                                 "    target: 100%\n": "    target: \"100\"\n    nature: \"=\"\n    measure: \"%\"\n",
                                 "points: 50\n    score: 50": "points: 50\n    score: 50",
                                 "points: 40\n    score: 36": "points: 40\n    score: 36"})
    assert _found(run_check, write_decl(old_hubei, name="guangshui-ldbxj--gsbx-office_result"), ("error",)) == []
    assert [c for c in _found(run_check, write_decl(sichuan, name="guangshui-ldbxj--gsbx-office_result"),
                              ("error",)) if c[0] == "NOT_IN_EDITION"] == []
