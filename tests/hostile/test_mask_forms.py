"""Masking that sees what a reader sees: every way of writing a mobile number is masked, nothing else is.

The sweep writes one number in every digit form × separator × grouping × prefix and holds mask_text to an
independent reader (`reads`: NFKC, every decimal digit, separators and invisible characters dropped), which
must find no whole number left and only the four middle digits changed. The other side: amounts, years,
dates, codes and hashes come out exactly as filed. Then the clerk's side: ID numbers, e-mail addresses,
odd `phone:` separators and phone-like unit ids, each a problem at its file:line:col; and the YAML download:
comments cut, numbers masked even across a wrapped line, what it loads as equal to the page.
"""

from __future__ import annotations

import dataclasses
import itertools
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL

from generator import export
from generator.load import load
from generator.privacy import find, mask, mask_text
from generator.problems import Problem

NUMBER = "13912345678"
# Digit forms: ASCII, full-width, mathematical bold and double-struck, Arabic-Indic, Devanagari, superscript-free.
FORMS = {
    "ascii": "0123456789",
    "fullwidth": "０１２３４５６７８９",
    "math-bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "math-double": "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "devanagari": "०१२३४५६७८९",
}
SEPARATORS = {
    "space": " ", "double space": "  ", "ideographic space": "\u3000", "no-break space": "\u00a0",
    "hyphen": "-", "unicode hyphen": "\u2010", "en dash": "\u2013", "minus": "\u2212", "fullwidth hyphen": "－",
    "dot": ".", "fullwidth dot": "．", "slash": "/", "line break": "\n    ", "tab": "\t",
    "zero-width space": "\u200b", "soft hyphen": "\u00ad", "word joiner": "\u2060", "bom": "\ufeff",
    "zwj": "\u200d",
}
GROUPINGS = {"3-4-4": (3, 4, 4), "4-3-4": (4, 3, 4), "3-8": (3, 8), "7-4": (7, 4), "each": (1,) * 11}
PREFIXES = ["", "+86 ", "+86", "86", "0086-", "(+86)", "（＋８６）", "＋８６ "]


def written(number: str, form: str, sep: str, grouping: tuple[int, ...]) -> str:
    digits = number.translate(str.maketrans("0123456789", FORMS[form]))
    parts, at = [], 0
    for size in grouping:
        parts.append(digits[at:at + size])
        at += size
    return sep.join(parts)


def reads(text: str) -> str:
    """What a reader reads, independently of generator.privacy: NFKC, every decimal digit as ASCII, every
    space, dash, dot, slash, bracket, plus and invisible character gone; anything else a boundary `|`
    (`*` kept, so a masked number reads 139****5678)."""
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        if ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        elif ch == "*":
            out.append("*")
        elif ch.isspace() or unicodedata.category(ch) in ("Cf", "Mn", "Pd", "Ps", "Pe") or ch in ".·/+−":
            continue
        else:
            out.append("|")
    return "".join(out)


def sweep() -> list[tuple[str, str, str, str, str]]:
    cases = []
    for (form, (sep_name, sep), (grouping_name, grouping)) in itertools.product(
            FORMS, SEPARATORS.items(), GROUPINGS.items()):
        if sep in ".．" and len(grouping) == 2:
            continue  # 1391234.5678 is an amount (see test_amounts_codes_and_dates_are_kept_exactly)
        if "\n" in sep and grouping == (1,) * 11:
            continue  # a digit per line is a column of digits, not a number
        cases.append((form, sep_name, grouping_name, "", written(NUMBER, form, sep, grouping)))
    for prefix in PREFIXES:
        cases.append(("ascii", "space", "3-4-4", prefix, prefix + written(NUMBER, "ascii", " ", (3, 4, 4))))
        cases.append(("fullwidth", "none", "11", prefix, prefix + written(NUMBER, "fullwidth", "", (11,))))
    return cases


@pytest.mark.parametrize(("form", "sep", "grouping", "prefix", "number"), sweep())
def test_every_written_form_is_masked_and_nothing_else_changes(form: str, sep: str, grouping: str, prefix: str,
                                                               number: str) -> None:
    for text in (number, f"联系人手机{number}，请勿外传", f"电话：{number}"):
        masked = mask_text(text)
        assert NUMBER not in reads(masked), (text, masked)
        assert "139****5678" in reads(masked), masked
        changed = [(a, b) for a, b in zip(text, masked, strict=True) if a != b]
        assert len(changed) == 4 and all(b == "*" for _, b in changed)


def test_the_mask_keeps_separators_as_filed() -> None:
    assert mask_text("159\u30009785\u30006299") == "159\u3000****\u30006299"
    assert mask_text("＋８６ １５９９７８５６２９９") == "＋８６ １５９****６２９９"
    assert mask_text("1391 234 5678") == "139* *** 5678"
    assert mask_text("1 3 9 1 2 3 4 5 6 7 8") == "1 3 9 * * * * 5 6 7 8"
    assert mask_text("联系 139 1234\n    5678") == "联系 139 ****\n    5678"
    assert mask_text("Tel13912345678") == "Tel139****5678"
    assert mask_text("zhangsanlianxidianhua13912345678") == "zhangsanlianxidianhua139****5678"  # not a hash


KEPT = [
    "968.1918", "1391234.5678", "0.13912345678", "13912345678.5", "13.5 1234.5678", "100 200 300 400",
    "2021-01-28", "2021年1月28日", "20210128", "2019 2020 2021", "统一社会信用代码 91420981MA4F5X9Y2C",
    "项目编码 51000021R000000019951", "913912345678", "139123456789", "1391234567", "0722-6296906",
    "(0722)6296906", "12345678901", "10086", "95588", "1 2 3 4 5 6 7 8 9 10 11",
    "sha256 e3b0c44298fc1c149afbf4c8913912345678fb92427ae41e4649b934ca495991b7852b855",
    "M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10 1.4 0 2.5 2.5 2.8 2.5 1.3 9.5 3.5",
    "420981199001011234",  # the shape of an ID number, but its check digit is wrong
    "420981199013011235",  # month 13
]


@pytest.mark.parametrize("text", KEPT)
def test_amounts_codes_and_dates_are_kept_exactly(text: str) -> None:
    assert mask_text(text) == text
    assert find(text) == []


def _id_number(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


ID = _id_number("42098119900101123")


WIDE_ID = ID.translate(str.maketrans("0123456789", FORMS["fullwidth"]))


@pytest.mark.parametrize("written_as", [ID, f"身份证号{ID}。", WIDE_ID, f"{ID[:6]} {ID[6:14]} {ID[14:]}",
                                        "11010519491231002X"])
def test_id_numbers_are_masked_to_region_and_last_four(written_as: str) -> None:
    masked = mask_text(written_as)
    assert "********" in masked and reads(masked).count("*") == 8
    assert not any(f.kind == "id" for f in find(masked))


# -- the clerk's side: problems at file:line:col -------------------------------------------------


def _problems(run_check: Callable[..., object], path: Path, name: str) -> list[Problem]:
    report = run_check(path)
    return [p for p in report.problems if p.code == name]  # type: ignore[attr-defined]


def test_id_number_and_personal_email_are_warned(write_decl: Callable[..., Path],
                                                 run_check: Callable[..., object]) -> None:
    functions = f"  - 1. 职能一，负责人身份证 {ID}。\n  - 2. 邮箱 zhang.san@qq.com、office@czj.gov.cn"
    text = MINIMAL.read_text("utf-8").replace("  - 1. 职能一。", functions).replace(
        "filer: 李四", "filer: 李四 lisi@czj.gov.cn")
    path = write_decl(text)
    ids = _problems(run_check, path, "ID_CARD_NUMBER")
    assert [(p.line, p.col) for p in ids] == [(22, 19)]
    assert ID not in ids[0].message and ID[:6] + "********" + ID[14:] in ids[0].message
    mails = _problems(run_check, path, "PERSONAL_EMAIL")
    # a personal domain anywhere; any address in a person's field (filer); a government address elsewhere: fine
    assert sorted((p.line, p.col, p.message.split("邮箱 ")[1].split("，")[0]) for p in mails) == [
        (8, 11, "lisi@czj.gov.cn"), (23, 11, "zhang.san@qq.com")]
    assert all(p.severity.value == "warning" for p in ids + mails)


@pytest.mark.parametrize("phone", ["159\u30009785\u30006299", "159\u00a09785\u00a06299", "１５９９７８５６２９９",
                                   "159  9785  6299", "159.9785.6299", "159–9785–6299", "159\u200b97856299"])
def test_odd_phone_separators_are_warned(phone: str, write_decl: Callable[..., Path],
                                         run_check: Callable[..., object]) -> None:
    path = write_decl(MINIMAL.read_text("utf-8").replace("phone: 07226296906", f'phone: "{phone}"'))
    assert [(p.line, p.col) for p in _problems(run_check, path, "PHONE_FORMAT")] == [(9, 8)]


@pytest.mark.parametrize("phone", ["07226296906", "0722-6296906", "159 9785 6299", "(0722) 6296906", "+86 15997856299"])
def test_plain_phones_are_not_warned(phone: str, write_decl: Callable[..., Path],
                                     run_check: Callable[..., object]) -> None:
    path = write_decl(MINIMAL.read_text("utf-8").replace("phone: 07226296906", f'phone: "{phone}"'))
    assert _problems(run_check, path, "PHONE_FORMAT") == []


@pytest.mark.parametrize("unit_id", ["unit-13912345678", "x-139-1234-5678", "a813912345678", "dept-1391-234-5678",
                                     "13912345678"])
def test_phone_like_unit_ids_are_refused(unit_id: str, write_decl: Callable[..., Path],
                                         run_check: Callable[..., object]) -> None:
    text = MINIMAL.read_text("utf-8").replace("unit_id: minimal-unit", f"unit_id: {unit_id}")
    path = write_decl(text, name=unit_id)
    problems = _problems(run_check, path, "UNIT_ID_PHONE")
    assert [(p.line, p.col, p.severity.value) for p in problems] == [(3, 10, "error")]


@pytest.mark.parametrize("unit_id", ["guangshui-ldbxj", "unit-2021", "dept-0722-6296906", "a-1-2-3"])
def test_ordinary_unit_ids_are_accepted(unit_id: str, write_decl: Callable[..., Path],
                                        run_check: Callable[..., object]) -> None:
    text = MINIMAL.read_text("utf-8").replace("unit_id: minimal-unit", f"unit_id: {unit_id}")
    assert _problems(run_check, write_decl(text, name=unit_id), "UNIT_ID_PHONE") == []


# -- the YAML download ------------------------------------------------------------------------------

COMMENTED = MINIMAL.read_text("utf-8").replace(
    "filer: 李四", "filer: 李四   # 备用手机 13800138000，内部备注").replace(
    "  - 1. 职能一。", "  # 审核意见：联系 186 0000 1111\n  - 1. 职能一，联系 139 1234\n    5678 即可。\n"
    "  - |  # 块标量的注释 15000001111\n    2. 第二行 13712345678 # 这不是注释").replace(
    "tasks:\n", "tasks:  # 任务\n")


def _download(path: Path) -> tuple[str, object]:
    doc, problems = load(path)
    assert doc is not None, problems
    public = dataclasses.replace(doc, decl=mask(doc.decl))
    return export.source_yaml(public, public.decl, masked=True), public.decl


def test_yaml_download_has_no_comments_and_says_what_the_page_says(write_decl: Callable[..., Path]) -> None:
    path = write_decl(COMMENTED)
    text, decl = _download(path)
    assert not text.startswith(export.GENERATED_NOTE), "the file as filed, not written out again"
    assert "#" not in text.replace("# 这不是注释", ""), text
    assert "内部备注" not in text and "审核意见" not in text and "块标量的注释" not in text
    for number in ("13800138000", "18600001111", "13912345678", "15000001111", "13712345678"):
        assert number not in reads(text), number
    assert "139 ****\n    5678" in text and "137****5678 # 这不是注释" in text
    assert export.reload(path, text) == decl
    assert text.count("\n") == COMMENTED.count("\n"), "every line kept where it was"


def test_wrapped_number_in_the_yaml_equals_the_page(write_decl: Callable[..., Path]) -> None:
    """The number broken across two lines of a plain scalar: the page reads 1391234 5678, so does the file."""
    path = write_decl(MINIMAL.read_text("utf-8").replace("  - 1. 职能一。", "  - 1. 职能一，手机 1391234\n    5678。"))
    text, decl = _download(path)
    assert "139****\n    5678" in text and export.reload(path, text) == decl
    assert decl.functions[0] == "1. 职能一，手机 139**** 5678。"  # type: ignore[attr-defined]


def test_a_number_the_text_cannot_mask_is_written_out_from_the_page(write_decl: Callable[..., Path]) -> None:
    """A double-quoted line continuation joins the digits only when loaded: the file is written out anew."""
    path = write_decl(MINIMAL.read_text("utf-8").replace("  - 1. 职能一。", '  - "1. 职能一 139123\\\n    45678"'))
    text, decl = _download(path)
    assert text.startswith(export.GENERATED_NOTE) and NUMBER not in reads(text)
    assert export.reload(path, text) == decl
