"""The leak scan's prefilter (issue 18) hides nothing: a file it lets pass without find() is one in whose reading
find() finds nothing.

The prefilter (leaks._holds_no_run) reads only byte classes: what the character a byte starts (or, in Latin-1,
is) may be read as, an escape's introducer counting as a digit. These attacks hold it to the scan without it
(`unfiltered`: readable() and find() on every file and member, as before the prefilter), which must report the
very same problems:
- every character the normal form reads as a digit (privacy.normal_form), making up a number, in every reading
  the scan applies: as filed in UTF-8, as HTML/XML character references (decimal, hex, named, without `;`), as
  JSON/JS/YAML escapes (\\u, \\u{}, \\U, \\x, surrogate pairs), as a workbook's _xHHHH_ (also behind a
  reference), as a binary file's Latin-1 bytes, inside a zip and a gzip member;
- every character it reads as a separator or as nothing, between a number's digits, as filed and escaped;
- numbers across the prefilter's chunk ends, after long stretches of separators, right after escaped
  characters and references cut short;
- generated files mixing all of these (and invalid UTF-8), under every kind of name.
"""

from __future__ import annotations

import gzip
import html.entities
import io
import string
import unicodedata
import zipfile
from collections.abc import Iterator
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import leaks, privacy
from generator.problems import Problem

NORMAL = privacy.normal_form()
DIGITS = sorted(c for c, v in NORMAL.items() if v.isdigit())
SEPARATORS = sorted(c for c, v in NORMAL.items() if not v.isdigit() and v != "X")  # (and what reads as nothing)
NAMES = ["site/a.txt", "site/a/index.html", "site/search/search_index.json", "site/assets/app.js",
         "site/2021/data/a.yaml", "site/a.svg", "site/x.xlsx!xl/sharedStrings.xml", "site/a.bin"]


def unfiltered(name: str, data: bytes) -> list[Problem]:
    """The scan as it was: every file and member read and searched by find()."""
    with mock.patch.object(leaks, "_holds_no_run", return_value=False):
        return leaks.leaks_in(name, data)


def same(name: str, data: bytes) -> list[Problem]:
    problems = leaks.leaks_in(name, data)
    assert problems == unfiltered(name, data), (name, data)
    return problems


def number(digit: str) -> str:
    """A mobile number made of this digit character (after an ASCII 1, or 13 for the digits 0–2)."""
    value = NORMAL[digit]
    return "13" + digit * 9 if value in "012" else "1" + digit * 10


def ref(char: str, how: int) -> str:
    point = ord(char)
    return [f"&#{point};", f"&#x{point:x};", f"&#X{point:X};", f"&#{point:07d}", f"&#x{point:X}"][how]


def escape(char: str, how: int) -> str:
    point = ord(char)
    if point > 0xFFFF and how < 2:  # a surrogate pair
        high, low = 0xD800 + ((point - 0x10000) >> 10), 0xDC00 + ((point - 0x10000) & 0x3FF)
        return f"\\u{high:04x}\\u{low:04X}"
    return [f"\\u{point:04x}", f"\\u{point:04X}", f"\\u{{{point:x}}}", f"\\U{point:08X}"][how]


def written(text: str, reading: str) -> Iterator[tuple[str, bytes]]:
    """The text as files of one reading: (name, bytes) that readable() reads back as `text`."""
    if reading == "filed":
        for name in NAMES[:-2]:
            yield name, text.encode()
    elif reading == "refs":
        for how in range(5):
            body = "".join(ref(c, how) if c in NORMAL else c for c in text)
            yield "site/a/index.html", body.encode()
            yield "site/x.xlsx!xl/sharedStrings.xml", body.encode()
    elif reading == "escapes":
        for how in range(4):
            body = "".join(escape(c, how) if c in NORMAL else c for c in text)
            for name in ("site/search/search_index.json", "site/assets/app.js", "site/2021/data/a.yaml"):
                yield name, body.encode()
    elif reading == "ooxml":
        if all(ord(c) <= 0xFFFF for c in text):
            yield "site/x.xlsx!xl/s.xml", "".join(f"_x{ord(c):04X}_" if c in NORMAL else c for c in text).encode()
            yield "site/x.xlsx!xl/s.xml", "".join(f"&#95;x{ord(c):04x}_" if c in NORMAL else c for c in text).encode()
    elif reading == "latin-1":
        if all(ord(c) < 0x100 for c in text if c in NORMAL):
            for name in ("site/a.bin", "site/a/index.html", "site/a.json"):  # (not UTF-8: read as Latin-1, as filed)
                yield name, b"\xff\xfe" + text.encode("latin-1", "ignore")
    elif reading == "zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", f"<t>{text}</t>")
        yield "site/x.xlsx", out.getvalue()
        yield "site/sitemap.xml.gz", gzip.compress(f"<loc>{text}</loc>".encode())


READINGS = ["filed", "refs", "escapes", "ooxml", "latin-1", "zip"]


# The digits each reading can write: all of them, but a workbook's _xHHHH_ (the BMP) and Latin-1 (its own).
WRITTEN = {"ooxml": [d for d in DIGITS if ord(d) <= 0xFFFF], "latin-1": [d for d in DIGITS if ord(d) < 0x100]}


@pytest.mark.parametrize("reading", READINGS)
def test_every_digit_in_every_reading_is_still_found(reading: str) -> None:
    covered = set()
    for digit in DIGITS:
        for name, data in written(f"联系电话：{number(digit)}。", reading):
            problems = same(name, data)
            assert len(problems) == 1 and problems[0].code == "PUBLIC_LEAK", (name, hex(ord(digit)))
            covered.add(digit)
    assert sorted(covered) == WRITTEN.get(reading, DIGITS)


@pytest.mark.parametrize("reading", ["filed", "refs", "escapes", "ooxml"])
def test_every_separator_and_invisible_character_between_digits_is_still_found(reading: str) -> None:
    for separator in SEPARATORS:
        text = f"电话 139{separator}1234{separator}5678 号"
        for name, data in written(text, reading):
            problems = same(name, data)
            # (references to C1 controls read as Windows-1252 characters instead: &#133; is "…")
            assert len(problems) == 1 or separator not in leaks.readable(name, data), (name, hex(ord(separator)))


def test_named_references_hold_at_most_one_digit_and_are_made_of_reference_bytes() -> None:
    # (a reference's `&` is the one digit it may stand for; its name's bytes never end a stretch)
    body = set(leaks._ESCAPED["refs"][1])
    for name, value in html.entities.html5.items():
        assert sum(c in NORMAL and NORMAL[c].isdigit() for c in value) <= 1, name
        assert set(name.encode()) <= body, name
    for name in ("sup1", "sup2", "sup3", "sup1;", "nbsp", "ZeroWidthSpace;", "NewLine;", "shy;", "minus;"):
        assert len(same("site/a/index.html", f"<p>139&{name}1234&{name}5678</p>".encode())) <= 1


def test_the_byte_classes_never_call_a_digit_or_separator_byte_other() -> None:
    for escapes in [(), ("refs",), ("script",), ("ooxml",), ("refs", "ooxml")]:
        classes, separators = leaks._classes(escapes)
        for char, normal in NORMAL.items():
            latin1 = [classes[ord(char)]] if ord(char) < 256 else []
            kinds = [classes[char.encode("utf-8", "surrogatepass")[0]], *latin1]
            assert all(k == ord("d") for k in kinds) if normal.isdigit() else all(k != ord("o") for k in kinds)
        assert all(classes[b] != ord("o") for b in range(0x80, 0xC0))  # UTF-8 continuation bytes
        assert set(separators) == {b for b in range(256) if classes[b] == ord("s")}
        for kind in escapes:
            introducer, body = leaks._ESCAPED[kind]
            assert classes[introducer[0]] == ord("d") and all(classes[b] != ord("o") for b in body)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*string.printable, "号", "１", "\\u", "\\U", "\\x", "\\u{"]), max_size=40))
def test_every_script_escape_is_made_of_body_bytes(pieces: list[str]) -> None:
    # Every escape _ESCAPE resolves is its backslash and body bytes, or a backslash and one character as filed.
    body = leaks._ESCAPED["script"][1]
    for match in leaks._ESCAPE.finditer("".join(pieces)):
        escaped = match[0][1:]
        assert len(escaped) == 1 or all(c.encode() in body for c in escaped), match[0]


@pytest.mark.parametrize("pad", ["a", "号", " ", "\u200b", "1", "a1", "\\\\", "&amp;", "<b>", "\t\n"])
def test_numbers_across_chunk_ends_are_still_found(pad: str) -> None:
    chunk = leaks._CHUNK
    for at in [*range(chunk - 14, chunk + 3), *range(2 * chunk - 3, 2 * chunk + 2)]:
        head = (pad * (at // len(pad.encode()) + 1)).encode()[:at].decode("utf-8", "ignore")
        for name in ("site/a.txt", "site/a/index.html", "site/a.json"):
            data = (head + "电话139 1234\u30005678号" + pad * 50).encode()
            same(name, data)
            if pad not in ("1", "a1"):  # (digits glued to the number make it another)
                assert len(leaks.leaks_in(name, data)) == 1, (pad, at, name)


def test_numbers_after_long_stretches_of_separators_and_escapes_are_still_found() -> None:
    for filler in (" " * 9000, "\u3000" * 5000, "\\n" * 5000, "&#8203;" * 2000, "\u0301" * 6000, "(" * 9000):
        for name in ("site/a.txt", "site/a/index.html", "site/a.json"):
            data = f"号{filler}1 3 9 1 2 3 4 5 6 7 8{filler}号".encode()
            same(name, data)


@pytest.mark.parametrize("text", [
    '{"a": "\\中13912345678"}', '{"a": "\\"13912345678\\""}', '{"a": "\\\\"}13912345678', '\\\\\\13912345678',
    '"13912345678\\', '\\13912345678', '\\u00313912345678', '号\\u00313912345678', '\\u{1D7CF}3912345678',
    '\\ud835\\udfcf3912345678', '\\b1\\b3\\b9\\b1\\b2\\b3\\b4\\b5\\b6\\b7\\b8', '139\\n1234\\n5678',
    '\\1\\3\\912345678',
])
def test_numbers_right_after_escapes_are_still_found(text: str) -> None:
    for name in ("site/a.json", "site/a.js", "site/a.yaml", "site/a.txt"):
        same(name, text.encode())
    assert len(same("site/a.json", text.encode())) == 1


@pytest.mark.parametrize("text", [
    "&amp13912345678", "&sup1;3912345678", "&sup13912345678", "&#4913912345678", "&#x3139123456789<",
    "&13912345678;", "&#95;x0031_3912345678", "_x0031_3912345678", "&amp;#49;3912345678", "&n13912345678",
    "<a title='&#49;'>&#51;9 1234 5678</a>", "&#1;1&#1;3&#1;9&#1;12345678", "&#xD800;13912345678",
])
def test_numbers_right_after_references_are_still_found(text: str) -> None:
    for name in ("site/a/index.html", "site/x.xlsx!xl/s.xml", "site/a.txt"):
        same(name, text.encode())


def test_the_prefilter_does_spare_find_most_text() -> None:
    page = "<p>联系电话：0722-0000000；统一社会信用代码：4213810001。金额 3440.89 万元，占 90.00%。</p>" * 200
    assert leaks._holds_no_run("site/a/index.html", page.encode())
    assert not leaks._holds_no_run("site/a/index.html", (page + "139 1234 5678").encode())


# -- generated files ---------------------------------------------------------------------------------------

_NUMBERS = st.builds(lambda form, sep: sep.join([form[1] + form[3] + form[9], form[1] * 4, form[5] * 4]),
                     st.sampled_from(["0123456789", "０１２３４５６７８９", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "٠١٢٣٤٥٦٧٨٩", "⁰¹²³⁴⁵⁶⁷⁸⁹"]),
                     st.sampled_from(["", " ", "-", "\u200b", "\u3000", "\n  ", ".", "\u0301", "\\n", "&nbsp;"]))
_PIECES = st.sampled_from([
    *"0123456789１𝟏¹⁵⑧٣", " ", "\t", "\n", "\u3000", "\u00a0", "\u200b", "\u00ad", "\u0301", "\ufeff", "-", "–",
    ".", "/", "(", ")", "（", "+", "X", "x", "a", "f", "u", "n", "号", "，", "：", "<", ">", '"', "\0", "_", "_x",
    "\\", "\\\\", "\\u", "\\u00", "\\u{", "}", "\\x3", "\\U0000", "&", "&#", "&#x", ";", "#", "&amp", "&sup",
    "0031", "_x0031_", "&#49;", "\\u0031", "e3b0c44298fc1c149afbf4c8996fb924", "86", "+86 ", "420981", "19900307",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(_PIECES, _PIECES, _PIECES, _NUMBERS), max_size=40), st.sampled_from(NAMES),
       st.sampled_from([b"", b"\xff", b"\xc3"]))
def test_generated_files_get_the_same_problems(pieces: list[str], name: str, tail: bytes) -> None:
    data = "".join(pieces).encode("utf-8", "surrogatepass") + tail
    same(name, data)
    same(name, data * 3)  # (a file several chunks long, if short ones never are)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, _NUMBERS), min_size=1, max_size=30), st.sampled_from(NAMES))
def test_generated_files_across_chunk_ends_get_the_same_problems(pieces: list[str], name: str) -> None:
    body = "".join(pieces).encode()
    for pad in (b"a", b" ", "号".encode()):
        head = (pad * (leaks._CHUNK // len(pad)))[: leaks._CHUNK - len(body) // 2]
        same(name, head + body + pad * 20)


def test_every_digit_is_a_decimal_or_reads_as_one() -> None:
    # (the sweep above takes the digits from privacy itself: check it holds the ones a reader reads)
    for point in range(0x20000):
        char = chr(point)
        if char.isdecimal() or (len(n := unicodedata.normalize("NFKC", char)) == 1 and n.isdecimal()):
            assert char in DIGITS, hex(point)


def test_remembered_stretches_hold_no_number() -> None:
    # (the scan's memory of stretches found clean, after all the attacks above in this process)
    page = "<svg><path d='M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10'/></svg>电话 139 1234 5678"
    assert len(leaks.leaks_in("site/a.html", page.encode())) == 1
    assert len(leaks.leaks_in("site/b.html", page.encode())) == 1  # (its clean stretch remembered, not its number)
    assert leaks._CLEAN_STRETCHES and not any(privacy.find(s) for s in leaks._CLEAN_STRETCHES)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_PIECES, _PIECES, _NUMBERS), max_size=40), st.sampled_from(NAMES),
       st.sampled_from([b"", b"\xff", b"\xc3"]), st.integers(1, 24))
def test_files_read_in_small_windows_get_the_same_problems(pieces: list[str], name: str, tail: bytes,
                                                            window: int) -> None:
    # (a large file is looked at window by window: windows of a few bytes cut every number and escape they can)
    data = "".join(pieces).encode("utf-8", "surrogatepass") + tail
    with mock.patch.object(leaks, "_WINDOW", window):
        assert leaks._cuts(data, leaks._classes(())[0])[-1] == len(data)
        same(name, data)
        same(name, data * 3)


def test_a_number_in_the_last_window_of_a_large_file_is_found() -> None:
    filler = "金额 3440.89 万元，占 90.00%。" * 400_000  # (about 16 MB: four windows)
    for name in ("site/search/search_index.json", "site/a/index.html", "site/a.csv"):
        data = (filler + "电话139 1234 5678" + filler[:999]).encode()
        assert len(leaks._cuts(data, leaks._classes(())[0])) > 4
        problems = leaks.leaks_in(name, data)
        assert [p.line for p in problems] == [1] and len(problems) == 1
