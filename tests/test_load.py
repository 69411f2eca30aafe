"""The strict loader: every defect is refused with its exact file:line:col and problem code."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import MAX_BYTES, load
from generator.model import Money, Text
from generator.problems import Problem, Severity

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "2021" / "minimal-unit.yaml"
MINIMAL_TEXT = MINIMAL.read_text(encoding="utf-8")


def found(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in problems]


def edit(old: str, new: str, text: str = MINIMAL_TEXT) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


# -- the clean baseline -----------------------------------------------------------------------


def test_minimal_fixture_loads_clean() -> None:
    doc, problems = load(MINIMAL)
    assert problems == []
    assert doc is not None
    assert doc.decl.unit_id == "minimal-unit"
    assert doc.decl.year == 2021
    assert len(doc.decl.funding.income) == 2 and len(doc.decl.funding.expenditure) == 2
    assert len(doc.decl.annual.goals) == 1 and len(doc.decl.annual.goals[0].indicators) == 2


def test_unquoted_phone_with_leading_zero_is_text_as_filed() -> None:
    doc, _ = load(MINIMAL)
    assert doc is not None
    phone = doc.decl.phone
    assert isinstance(phone, Text)
    assert phone == "07226296906"  # not octal, no lost zero, not an int


def test_money_is_exact_decimal_and_text_as_filed() -> None:
    doc, _ = load(MINIMAL)
    assert doc is not None and doc.decl.funding is not None
    other = doc.decl.funding.income[1]
    assert other.amount == Money("0", Decimal("0"))
    assert other.share is not None and other.share.text == "0.00%"
    assert str(other.share.percent) == "0.00" and other.share.tolerance == Decimal("0.01")


def test_positions_point_at_the_values() -> None:
    doc, _ = load(MINIMAL)
    assert doc is not None
    pos = doc.source.pos
    assert pos("unit_name") == (4, 12)
    assert pos("funding", "expenditure", 0, "share") == (18, 39)
    assert pos("projects", 0, "total_budget") == (26, 45)
    assert pos("annual", "goals", 0, "indicators", 1, "value") == (34, 64)
    assert pos("long_term", "indicators") == (2, 1)  # absent: its nearest ancestor, here the root


# -- committed defect fixtures: one defect each -------------------------------------------------

LOAD_CASES: dict[str, list[tuple[int, int, str]]] = {
    "tag-binary.yaml": [(4, 12, "YAML_TAG")],
    "alias-anchor.yaml": [(7, 9, "YAML_ALIAS")],
    "alias-bomb.yaml": [(35, 7, "YAML_ALIAS")],
    "merge-key.yaml": [(17, 5, "YAML_MERGE")],
    "duplicate-key-top.yaml": [(35, 1, "DUPLICATE_KEY")],
    "duplicate-key-deep.yaml": [(33, 52, "DUPLICATE_KEY")],
    "unknown-key-near-miss.yaml": [(4, 1, "UNKNOWN_KEY"), (2, 1, "MISSING_KEY")],
    "missing-key.yaml": [(2, 1, "MISSING_KEY")],
    "wrong-type-list-for-text.yaml": [(4, 12, "WRONG_TYPE")],
    "wrong-type-map-for-list.yaml": [(24, 3, "WRONG_TYPE")],
    "money-exponent.yaml": [(26, 45, "AMOUNT_FORMAT")],
    "money-leading-zero.yaml": [(26, 45, "AMOUNT_FORMAT")],
    "money-nan.yaml": [(26, 45, "AMOUNT_NOT_FINITE")],
    "money-inf.yaml": [(26, 45, "AMOUNT_NOT_FINITE")],
    "money-negative.yaml": [(26, 45, "AMOUNT_NEGATIVE")],
    "money-too-large.yaml": [(26, 45, "AMOUNT_TOO_LARGE")],
    "share-no-percent.yaml": [(18, 39, "SHARE_FORMAT")],
    "bad-date.yaml": [(5, 14, "BAD_DATE")],
    "bad-year.yaml": [(2, 7, "BAD_YEAR")],
    "bad-unit-id-dotdot.yaml": [(3, 10, "BAD_ID")],
    "bad-unit-id-slash.yaml": [(3, 10, "BAD_ID")],
    "bad-unit-id-chinese.yaml": [(3, 10, "BAD_ID")],
    "empty-text.yaml": [(4, 12, "EMPTY_TEXT")],
    "bad-enum.yaml": [(10, 9, "BAD_ENUM")],
    "root-list.yaml": [(2, 1, "ROOT_NOT_MAPPING")],
    "tab-indent.yaml": [(13, 1, "YAML_TAB")],
    "syntax-unclosed-bracket.yaml": [(13, 9, "YAML_SYNTAX")],
}
# Defects after which the document still loads (so the preview can show it), but blocked.
LOADS_WITH_ERRORS = {"merge-key.yaml", "duplicate-key-top.yaml", "duplicate-key-deep.yaml"}


def test_every_defect_fixture_has_a_case() -> None:
    files = {p.name for p in (FIXTURES / "load").iterdir()}
    assert files == set(LOAD_CASES)


@pytest.mark.parametrize("name", sorted(LOAD_CASES))
def test_defect_fixture(name: str) -> None:
    doc, problems = load(FIXTURES / "load" / name)
    assert found(problems) == LOAD_CASES[name]
    assert all(p.severity is Severity.ERROR and p.blocks for p in problems)
    assert (doc is not None) == (name in LOADS_WITH_ERRORS)
    assert all(p.file == str(FIXTURES / "load" / name) for p in problems)


def test_near_miss_key_hint_names_the_right_key() -> None:
    _, problems = load(FIXTURES / "load" / "unknown-key-near-miss.yaml")
    unknown = next(p for p in problems if p.code == "UNKNOWN_KEY")
    assert "unit_nmae" in unknown.message and "unit_name" in unknown.message


def test_far_miss_key_has_no_hint(write_decl) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT + "zzz: 1\n"))
    assert found(problems) == [(35, 1, "UNKNOWN_KEY")]
    assert "是否应为" not in problems[0].message


def test_duplicate_key_keeps_the_first_value() -> None:
    doc, _ = load(FIXTURES / "load" / "duplicate-key-deep.yaml")
    assert doc is not None
    assert doc.decl.annual.goals[0].indicators[0].name == "服务人数"


# -- tags, anchors and aliases: refused before anything is constructed --------------------------


def test_python_tag_is_refused_and_nothing_executes(write_decl, tmp_path: Path) -> None:
    canary = tmp_path / "pwned"
    payload = f"!!python/object/apply:os.system [\"touch '{canary}'\"]"
    # The payload is live: an unsafe loader really runs it.
    yaml.unsafe_load(f"x: {payload}\n")
    assert canary.exists()
    canary.unlink()

    path = write_decl(edit("unit_name: 测试单位", f"unit_name: {payload}"))
    doc, problems = load(path)
    assert doc is None
    assert found(problems) == [(4, 12, "YAML_TAG")]
    assert not canary.exists()


@pytest.mark.parametrize("tag", [
    "!!python/name:os.system", "!!python/object/new:subprocess.Popen", "!!python/tuple",
    "!!binary", "!!set", "!!omap", "!local", "!<tag:example.com,2000:x>",
])
def test_every_explicit_tag_is_refused(write_decl, tag: str) -> None:
    path = write_decl(edit("name: 服务人数,", f"name: {tag} 服务人数,"))
    doc, problems = load(path)
    assert doc is None
    assert found(problems) == [(33, 46, "YAML_TAG")]


def test_alias_bomb_is_refused_at_once() -> None:
    start = time.perf_counter()
    doc, problems = load(FIXTURES / "load" / "alias-bomb.yaml")
    assert time.perf_counter() - start < 1.0
    assert doc is None and found(problems) == [(35, 7, "YAML_ALIAS")]


def test_alias_without_anchor_is_refused(write_decl) -> None:
    _, problems = load(write_decl(edit("filer: 李四", "filer: *who")))
    assert found(problems) == [(8, 8, "YAML_ALIAS")]


# -- scalar formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(("filed", "expected"), [
    ("10", None), ("0", None), ("367.58", None), ("'10'", None), ("0.00", None), ("~", None),
    ("9999999999.99", None),
    ("1e5", "AMOUNT_FORMAT"), ("0722", "AMOUNT_FORMAT"), ("+5", "AMOUNT_FORMAT"),
    ("10.", "AMOUNT_FORMAT"), (".5", "AMOUNT_FORMAT"), ("0x10", "AMOUNT_FORMAT"),
    ("1_000", "AMOUNT_FORMAT"), ("'10 万元'", "AMOUNT_FORMAT"), ("''", "AMOUNT_FORMAT"),
    (".nan", "AMOUNT_NOT_FINITE"), (".inf", "AMOUNT_NOT_FINITE"), ("-.inf", "AMOUNT_NOT_FINITE"),
    (".NaN", "AMOUNT_NOT_FINITE"), ("-5", "AMOUNT_NEGATIVE"), ("-0.01", "AMOUNT_NEGATIVE"),
    ("12345678901", "AMOUNT_TOO_LARGE"), ("[10]", "WRONG_TYPE"),
])
def test_money_formats(write_decl, filed: str, expected: str | None) -> None:
    doc, problems = load(write_decl(edit("total_budget: 10,", f"total_budget: {filed},")))
    assert found(problems) == ([(26, 45, expected)] if expected else [])
    if expected is None:
        assert doc is not None
        total = doc.decl.projects[0].total_budget
        if total is not None:
            assert type(total.value) is Decimal and str(total.value) == total.text


@pytest.mark.parametrize(("filed", "expected"), [
    ("90%", None), ("'90%'", None), ("90.00%", None),
    ("90", "SHARE_FORMAT"), ("97.27", "SHARE_FORMAT"), ("90 %", "SHARE_FORMAT"),
    ("-1%", "SHARE_FORMAT"),
    ("90％", "SHARE_FORMAT"), ("0.9", "SHARE_FORMAT"),
])
def test_share_formats(write_decl, filed: str, expected: str | None) -> None:
    _, problems = load(write_decl(edit("share: 90%", f"share: {filed}")))
    assert found(problems) == ([(18, 39, expected)] if expected else [])


@pytest.mark.parametrize(("filed", "expected"), [
    ("2021-01-28", None), ("'2021-01-28'", None), ("2020-02-29", None),
    ("2021-02-30", "BAD_DATE"), ("2021-02-29", "BAD_DATE"), ("2021-13-01", "BAD_DATE"),
    ("2021-1-28", "BAD_DATE"), ("20210128", "BAD_DATE"), ("2021-01-28T10:00:00", "BAD_DATE"),
    ("2021年1月28日", "BAD_DATE"),
])
def test_date_formats(write_decl, filed: str, expected: str | None) -> None:
    _, problems = load(write_decl(edit("filing_date: 2021-01-28", f"filing_date: {filed}")))
    assert found(problems) == ([(5, 14, expected)] if expected else [])


@pytest.mark.parametrize(("filed", "expected"), [
    ("'2021'", None), ("21", "BAD_YEAR"), ("2021.0", "BAD_YEAR"), ("3000", "BAD_YEAR"),
    ("1899", "BAD_YEAR"), ("二〇二一", "BAD_YEAR"), ("20210", "BAD_YEAR"), ("0x7E5", "BAD_YEAR"),
])
def test_year_formats(write_decl, filed: str, expected: str | None) -> None:
    _, problems = load(write_decl(edit("year: 2021", f"year: {filed}")))
    assert found(problems) == ([(2, 7, expected)] if expected else [])


@pytest.mark.parametrize("filed", [
    "../etc", "abc/def", "单位", "Minimal-Unit", "a--b", "-a", "a-", "a_b", "a.b", "'a b'",
    "x" * 65,
])
def test_bad_unit_ids(write_decl, filed: str) -> None:
    _, problems = load(write_decl(edit("unit_id: minimal-unit", f"unit_id: {filed}")))
    assert found(problems) == [(3, 10, "BAD_ID")]


def test_null_where_text_is_required(write_decl) -> None:
    _, problems = load(write_decl(edit("unit_name: 测试单位", "unit_name:")))
    assert found(problems) == [(4, 11, "WRONG_TYPE")]


def test_null_where_a_section_is_required_names_the_section(write_decl) -> None:
    _, problems = load(write_decl(edit("annual:\n", "annual: ~\nannual_:\n")))
    assert found(problems) == [(27, 9, "WRONG_TYPE"), (28, 1, "UNKNOWN_KEY")]
    assert problems[0].message.startswith("年度目标")  # the field's title, not a Python repr


def test_non_text_keys_are_refused(write_decl) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT + "? [a]\n: b\n"))
    assert found(problems) == [(35, 3, "WRONG_TYPE")]


# -- the file itself: generated here, not committed ---------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"   \n\n \t\n", b"# only a comment\n"])
def test_empty_files(write_decl, raw: bytes) -> None:
    _, problems = load(write_decl(raw))
    assert found(problems) == [(1, 1, "FILE_EMPTY")]


@pytest.mark.parametrize("raw", [b"---\n", b"---\n...\n"])
def test_empty_document_is_not_a_declaration(write_decl, raw: bytes) -> None:
    _, problems = load(write_decl(raw))
    assert found(problems) == [(2, 1, "ROOT_NOT_MAPPING")]


def test_gbk_file(write_decl) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT.encode("gbk")))
    assert found(problems) == [(1, 3, "FILE_ENCODING")]  # the first GBK byte: after "# "


def test_gbk_bytes_in_a_utf8_file_point_at_the_character(write_decl) -> None:
    raw = MINIMAL_TEXT.encode().replace("测试单位".encode(), "测试".encode() + "单位".encode("gbk"))
    _, problems = load(write_decl(raw))
    assert found(problems) == [(4, 14, "FILE_ENCODING")]  # columns count characters, not bytes


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file(write_decl, encoding: str) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT.encode(encoding)))
    assert found(problems) == [(1, 1, "FILE_ENCODING")]


def test_utf8_bom(write_decl) -> None:
    _, problems = load(write_decl(b"\xef\xbb\xbf" + MINIMAL_TEXT.encode()))
    assert found(problems) == [(1, 1, "FILE_BOM")]


def test_windows_line_endings_load_clean(write_decl) -> None:
    doc, problems = load(write_decl(MINIMAL_TEXT.replace("\n", "\r\n")))
    assert problems == [] and doc is not None and doc.decl.unit_name == "测试单位"


def test_tabs_are_all_reported(write_decl) -> None:
    text = edit("  income:\n", "\tincome:\n").replace("- 1. 职能一。", "-\t1. 职能一。")
    _, problems = load(write_decl(text))
    assert found(problems) == [(13, 1, "YAML_TAB"), (22, 4, "YAML_TAB")]


@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b", "\x7f", "\u202e", "\u2066"])
def test_control_characters(write_decl, char: str) -> None:
    _, problems = load(write_decl(edit("测试单位", f"测试{char}单位")))
    assert found(problems) == [(4, 14, "FILE_CONTROL_CHAR")]
    assert f"U+{ord(char):04X}" in problems[0].message


def test_many_bad_characters_are_capped(write_decl) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT + "# " + "\x07" * 50 + "\n"))
    assert len(problems) == 20 and {p.code for p in problems} == {"FILE_CONTROL_CHAR"}


@pytest.mark.parametrize("nest", [
    "a: " + "[" * 5000 + "]" * 5000,
    "a: " + "{a: " * 5000 + "}" * 5000,
    "- " * 5000 + "x",
    "- " * 300000 + "x",
    "a: " + "[" * 400000 + "]" * 400000,
    "".join(" " * i + "- \n" for i in range(0, 400, 2)),
], ids=["flow-sequence", "flow-mapping", "block-sequence", "block-huge", "flow-huge", "indented"])
def test_deep_nesting(write_decl, nest: str) -> None:
    """Refused before libyaml's recursive composer could overflow the C stack (a segfault)."""
    doc, problems = load(write_decl(nest + "\n"))
    assert doc is None and [p.code for p in problems] == ["YAML_TOO_DEEP"]


def test_file_over_one_mebibyte(write_decl) -> None:
    text = MINIMAL_TEXT + "#" * (MAX_BYTES - len(MINIMAL_TEXT.encode()) + 1)
    path = write_decl(text)
    assert path.stat().st_size == MAX_BYTES + 1
    _, problems = load(path)
    assert found(problems) == [(1, 1, "FILE_TOO_LARGE")]


def test_unreadable_path(tmp_path: Path) -> None:
    _, problems = load(tmp_path)  # a directory
    assert found(problems) == [(1, 1, "FILE_UNREADABLE")]
    _, problems = load(tmp_path / "missing.yaml")
    assert found(problems) == [(1, 1, "FILE_UNREADABLE")]


def test_more_than_one_document(write_decl) -> None:
    _, problems = load(write_decl(MINIMAL_TEXT + "---\nyear: 2022\n"))
    assert found(problems) == [(35, 1, "YAML_SYNTAX")]


# -- robustness: whatever the bytes, problems and never a traceback -----------------------------

_PIECES = ["[", "]", "{", "}", ": ", "- ", "\n", "  ", "~", "%", "&a ", "*a", "!!", "<<: ",
           "'", '"',
           "#", ",", "? ", "|", ">", "0", ".", "测", "\t", "\x00", "\ufeff", "\r"]


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(MINIMAL_TEXT)), st.sampled_from(_PIECES)), max_size=4),
       st.lists(st.tuples(st.integers(0, len(MINIMAL_TEXT)), st.integers(1, 12)), max_size=2))
def test_mutations_never_raise(write_decl, inserts, cuts) -> None:
    text = MINIMAL_TEXT
    for at, length in cuts:
        text = text[:at] + text[at + length:]
    for at, piece in inserts:
        text = text[:at] + piece + text[at:]
    doc, problems = load(write_decl(text.encode("utf-8", "surrogatepass")))
    assert doc is not None or problems
    for p in problems:
        assert p.line >= 1 and p.col >= 1


@pytest.mark.parametrize("tag", ["!!str", "!!float"])
def test_explicit_standard_tags_change_nothing(write_decl, tag: str) -> None:
    """A standard tag written out is harmless: the value is still read as the text filed."""
    path = write_decl(edit("name: 服务人数,", f"name: {tag} 服务人数,"))
    doc, problems = load(path)
    assert doc is not None and not problems


def test_explicit_null_tag_on_a_value_is_refused(write_decl) -> None:
    """`!!null 5` would silently drop the 5: refused instead."""
    path = write_decl(edit("name: 服务人数,", "name: !!null 服务人数,"))
    doc, problems = load(path)
    assert doc is None and [p.code for p in problems] == ["YAML_TAG"]
