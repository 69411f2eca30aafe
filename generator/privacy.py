"""Privacy: personal numbers as a reader reads them, found in one normal form and masked in every text.

The normal form (`_fold`) is what a reader's eye makes of a string: every Unicode decimal digit and every
character whose NFKC form is one (full-width ８, mathematical 𝟖, superscript ⁸, circled ⑧) is that digit;
every space (U+3000, NBSP, tabs, doubled), line break (a value wrapped over two lines), dash (‐ – − - －),
dot, slash, bracket and plus sign may stand between its digits; invisible characters (zero-width U+200B–D,
U+2060, U+FEFF, the soft hyphen, combining marks: Unicode Cf/Mn/Me) are not there at all.

What counts as one number (`_MOBILE`, `_ID`), so that amounts, dates and codes are left alone:
- a mobile number is 1[3-9] and 9 more digits, optionally after +86 / 86 / 0086, either unbroken, or in
  two or three groups of at least three digits (3-4-4, 4-3-4, 3-8, 7-4 …), each break one to three
  separators or a line break with its indentation; or one digit per space, dash, dot or slash (the same each time);
- it is not glued to another digit, nor to a decimal point with a digit ("0.13912345678", "13912345678.5"
  are amounts), and a two-group number is not split by a lone dot ("1391234.5678" is an amount);
- a digit run inside a long run of hex digits (a SHA-256) is not read as a number;
- a 居民身份证号 is 18 digits (the last may be X) with a valid birth date and check digit, unbroken or 6-8-4.
Masking keeps the text exactly as filed except the digits it hides: a mobile's 4th–7th digits
(159****6299, 138 **** 6789, １５９****０１２３), an ID's eight birth-date digits (420981********1234).
The leak scan (leaks.py) uses the same functions on every public byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from .model import Document, Money, Path_, Share, Text
from .problems import Problem, code
from .rules import reads

T = TypeVar("T")

# -- the normal form ---------------------------------------------------------------------------------

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BLANKS = "\u115f\u1160\u3164\uffa0\u2800"  # fillers that render as blank space
_DOTS = ".．﹒·・･‧∙⋅"
_SLASHES = "/／∕⁄\\＼"
_PLUSES = "+＋﹢"
_DASHES = "\u2212\u2043\u2796"  # minus sign, hyphen bullet, heavy minus (not category Pd)
_CHECK_LETTERS = "XxＸｘ"  # an ID's check digit may be X
RUN_DIGITS = 11  # the fewest digits a run holds (a mobile's eleven; an ID's eighteen), and so a number
# Planes holding every character that folds to a digit, a separator or nothing (Cf tags, variation selectors).
_RANGES = ((0, 0x20000), (0xE0000, 0xE1000))


def _canonical(ch: str) -> str | None:
    """The character in the normal form: a digit, one of ` \\n.-/()+`, "" (invisible), or None (other)."""
    if ch in _CHECK_LETTERS:
        return "X"
    category = unicodedata.category(ch)
    if category in ("Cf", "Mn", "Me"):
        return ""
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    nfkc = unicodedata.normalize("NFKC", ch)
    if len(nfkc) == 1 and nfkc.isdecimal():
        return nfkc
    if ch in _LINE_BREAKS:
        return "\n"
    if ch.isspace() or ch in _BLANKS:
        return " "
    for chars, canonical in ((_DOTS, "."), (_SLASHES, "/"), (_PLUSES, "+"), (_DASHES, "-")):
        if ch in chars:
            return canonical
    return {"Pd": "-", "Ps": "(", "Pe": ")"}.get(category)


def _char_class(chars: list[str]) -> str:
    """A regex character class of these characters, as ranges of consecutive code points."""
    points = sorted(map(ord, chars))
    parts = []
    for _, run in itertools.groupby(enumerate(points), lambda pair: pair[1] - pair[0]):
        block = [p for _, p in run]
        first, last = block[0], block[-1]
        parts.append(f"\\U{first:08x}" + (f"-\\U{last:08x}" if last > first else ""))
    return "[" + "".join(parts) + "]"


@dataclass(frozen=True)
class _Form:
    fold: dict[str, str]  # every character that is a digit, a separator or invisible → its normal form
    run: re.Pattern[str]  # digits and what may stand between them, as filed (characters of the BMP)
    astral: dict[str, str]  # such characters beyond the BMP (𝟖, tag characters) → a BMP one read alike
    table: dict[int, str]  # `fold` for str.translate (a run's normal form in one C call)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _has_astral(text: str) -> bool:
    """Whether a character beyond the BMP is in the text: exactly those take two UTF-16 code units (a lone
    surrogate, which the pattern does not match either, takes one), and encoding is faster than a search."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


@functools.cache
def _form() -> _Form:
    """Built once, on first use (a walk over 200 000 code points, ~0.1 s)."""
    fold: dict[str, str] = {}
    for start, stop in _RANGES:
        for point in range(start, min(stop, sys.maxunicode + 1)):
            canonical = _canonical(chr(point))
            if canonical is not None:
                fold[chr(point)] = canonical
    # Character classes with code points beyond U+FFFF compile to a slow list of ranges (the scan reads
    # every public byte): the few such characters are replaced by a BMP equivalent before the search.
    astral = {c: (v if v.isdigit() else "\u200b") for c, v in fold.items() if ord(c) > 0xFFFF}
    bmp = {c: v for c, v in fold.items() if ord(c) <= 0xFFFF}
    digits = _char_class([c for c, v in bmp.items() if v.isdigit()])
    between = _char_class([c for c, v in bmp.items() if not v.isdigit() and v != "X"])
    check = _char_class(list(_CHECK_LETTERS))
    # A run: at least 11 digits (the shortest number looked for), each pair at most 48 separator or
    # invisible characters apart (a wrapped line's indentation); shorter runs are not looked at again.
    # Both quantifiers are possessive, which matches exactly what the greedy ones would: `between` and
    # `digits` share no character, so giving back a separator never lets a digit follow, and what follows
    # the repetition (an optional check letter) never fails; the scan just stops backtracking through
    # every gap of a run too short to be a number (the leak scan reads every public byte).
    run = re.compile(f"{digits}(?:{between}{{0,48}}+{digits}){{{RUN_DIGITS - 1},}}+{check}?")
    table = {ord(c): v for c, v in bmp.items()}
    return _Form(fold, run, astral, table)


def normal_form() -> dict[str, str]:
    """Every character the normal form reads as a digit, a separator, a check letter or nothing → what it
    reads as (a copy: the leak scan's byte classes are made from it)."""
    return dict(_form().fold)


# -- what counts as one number (over the normal form) ----------------------------------------------

_GAP = r"(?:[ .\-/()+]{1,3}| *\n+ *)"
_SPLIT2 = rf"(?!\.[0-9X]){_GAP}"  # a lone dot between two groups is a decimal point
_START = r"(?<![0-9])(?<![0-9]\.)"
_END = r"(?![0-9X])(?!\.[0-9])"


def _grouped(sizes: tuple[int, ...], gap: str) -> str:
    digits = ["1", "[3-9]"] + ["[0-9]"] * 9
    out, at = [], 0
    for size in sizes:
        out.append("".join(digits[at:at + size]))
        at += size
    return gap.join(out)


def _groupings() -> Iterator[tuple[tuple[int, ...], str]]:
    yield (11,), ""
    yield from (((a, 11 - a), _SPLIT2) for a in range(3, 9))
    yield from (((a, b, 11 - a - b), _GAP) for a in range(3, 6) for b in range(3, 9 - a))


# One digit per separator: the same one or two spaces, dashes, dots or slashes each time (SVG paths and CSS
# are full of single digits between mixed spaces and dots: "1.4 0 2.5 2.5 2.8").
_SPACED = "1(?P<each>[ ./-]{1,2})[3-9]" + "(?P=each)[0-9]" * 9
_BODY = "|".join([*(_grouped(sizes, gap) for sizes, gap in _groupings()), _SPACED])
_MOBILE = re.compile(rf"{_START}(?:\(?\+?(?:00)?86\)?{_GAP}?)??(?P<body>{_BODY}){_END}")
_ID = re.compile(rf"{_START}(?P<body>[1-9][0-9]{{5}}{_GAP}?(?:19|20)[0-9]{{6}}{_GAP}?[0-9]{{3}}[0-9X]){_END}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_TOKEN = re.compile(r"[0-9A-Fa-f]")
_LONG_TOKEN = 24  # hex digits this long are a hash (SHA-256 in manifests, cache keys), not a sentence


def _valid_id(digits: str) -> bool:
    try:
        dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == digits[17]


@dataclass(frozen=True)
class Found:
    """A personal number in a text: its span as filed and the positions of the digits that are masked."""

    kind: str  # "mobile" or "id"
    start: int
    end: int
    hidden: tuple[int, ...]


def _in_token(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a long run of hex digits (a hash). Pinyin or other letters glued
    to a number do not hide it: "dianhua13912345678" is read as a number."""
    if not all(_TOKEN.match(c) for c in text[start:end]):
        return False
    left, right = start, end
    while left > 0 and _TOKEN.match(text[left - 1]):
        left -= 1
    while right < len(text) and _TOKEN.match(text[right]):
        right += 1
    return right - left >= _LONG_TOKEN


def _numbers(text: str, run: re.Match[str], form: _Form) -> Iterator[Found]:
    """The personal numbers in one run of digits and separators."""
    folded = run[0].translate(form.table)  # (invisible characters fold to "": deleted)
    if not (_ID.search(folded) or _MOBILE.search(folded)):
        return  # most runs (amounts, dates, codes) hold no number: their characters' places are not needed
    where = [i for i in range(run.start(), run.end()) if form.fold[text[i]]]  # folded[k] is text[where[k]]
    for kind, pattern, hidden in (("id", _ID, range(6, 14)), ("mobile", _MOBILE, range(3, 7))):
        for match in pattern.finditer(folded):
            digits = [k for k in range(match.start("body"), match.end("body")) if folded[k] not in " \n.-/()+"]
            if kind == "id" and not _valid_id("".join(folded[k] for k in digits)):
                continue
            start, end = where[match.start("body")], where[match.end("body") - 1] + 1
            if not _in_token(text, start, end):
                yield Found(kind, start, end, tuple(where[digits[k]] for k in hidden))


def find(text: str) -> list[Found]:
    """Every mobile and 居民身份证 number a reader reads in the text, in order."""
    if len(text) < RUN_DIGITS:  # a run holds at least 11 digits (most of a form's texts are short: names, codes)
        return []
    form = _form()
    # (same length: positions stay those of the text)
    read = _ASTRAL.sub(lambda m: form.astral.get(m[0], m[0]), text) if _has_astral(text) else text
    return sorted((found for run in form.run.finditer(read) for found in _numbers(read, run, form)),
                  key=lambda f: f.start)


def hide(text: str, found: list[Found]) -> str:
    if not found:
        return text
    chars = list(text)
    for number in found:
        for i in number.hidden:
            chars[i] = "*"
    return "".join(chars)


def mask_text(text: str) -> str:
    """The text with the middle digits of every personal number replaced by *, all else as filed."""
    return hide(text, find(text))


def has_mobile(text: str) -> bool:
    return any(f.kind == "mobile" for f in find(text))


def mask(value: T) -> T:
    """The same value with every personal number in every text field masked (159****6299)."""
    return _mask(value)  # type: ignore[no-any-return]


def masked(doc: Document) -> Document:
    """A document as the public sees it: its declaration masked."""
    return dataclasses.replace(doc, decl=mask(doc.decl))


def _mask(value: Any) -> Any:
    """The value masked; a (frozen) value with nothing to mask is returned itself, not an equal copy (a form
    holds thousands of values and, mostly, one phone number)."""
    if isinstance(value, Text):
        masked = mask_text(value)
        # (hide returns the very text when nothing is found; a subclass's value becomes a Text, as before)
        return value if masked is value and type(value) is Text else Text(masked)
    if isinstance(value, tuple):
        items = tuple(_mask(v) for v in value)
        same = type(value) is tuple and all(a is b for a, b in zip(items, value, strict=True))
        return value if same else items
    names = None if isinstance(value, type) else _field_names(value.__class__)
    if names:
        changes = {name: new for name in names if (new := _mask(old := getattr(value, name))) is not old}
        return dataclasses.replace(value, **changes) if changes else value
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The fields masking walks into: a dataclass's (not Money's or Share's); () for every other type."""
    if not dataclasses.is_dataclass(cls) or issubclass(cls, (Money, Share)):
        return ()
    return tuple(f.name for f in dataclasses.fields(cls))


# -- warnings for the clerk (a check rule) -------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+[@＠][A-Za-z0-9-]+(?:[.．][A-Za-z0-9-]+)+")
PERSONAL_MAIL_DOMAINS = (
    "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "188.com", "sina.com", "sina.cn", "sohu.com",
    "139.com", "189.cn", "wo.cn", "aliyun.com", "gmail.com", "outlook.com", "hotmail.com", "live.com",
    "msn.com", "yahoo.com", "icloud.com", "me.com", "protonmail.com", "proton.me",
)
# Any address here is a person's: every kind's filer_fields (the self-evaluations' contact too; a test holds
# the registry to this list, which cannot import the kinds that import it).
_PERSON_FIELDS = ("leader", "filer", "contact", "phone")


def texts(value: Any, path: Path_ = (), title: str = "") -> Iterator[tuple[Path_, str, Text]]:
    """Every text of the model: (its path, its field's zh-CN title, the text)."""
    if isinstance(value, Text):
        yield path, title, value
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from texts(item, (*path, i), title)
    elif dataclasses.is_dataclass(value) and not isinstance(value, (Money, Share, type)):
        for f in dataclasses.fields(value):
            yield from texts(getattr(value, f.name), (*path, f.name), str(f.metadata.get("title", f.name)))


def _personal_mail(field: Path_, address: str) -> bool:
    domain = unicodedata.normalize("NFKC", address).rsplit("@", 1)[-1].lower()
    return field[:1] in [(n,) for n in _PERSON_FIELDS] or any(
        domain == d or domain.endswith("." + d) for d in PERSONAL_MAIL_DOMAINS)


def _place(doc: Document, path: Path_, text: str, offset: int) -> tuple[int, int]:
    """Where in the file a character of a text stands: its scalar's place, plus the offset on its first line."""
    line, col = doc.source.pos(*path)
    return (line, col + offset) if "\n" not in text[:offset] else (line, col)


@reads()  # every text that loaded, whatever failed beside it: a rule of every kind
def personal_data(doc: Document, ctx: object) -> Iterator[Problem]:
    """Warn of a 居民身份证号 (masked on publication) and of personal e-mail addresses (published as filed)."""
    decl = doc.decl
    for path, title, text in texts(decl):
        for found in find(text):
            if found.kind == "id":
                masked = hide(text[found.start:found.end],
                              [Found("id", 0, found.end - found.start, tuple(i - found.start for i in found.hidden))])
                yield code("ID_CARD_NUMBER").at(doc.source.path, *_place(doc, path, text, found.start),
                                                title=title, masked=masked)
        for match in _EMAIL.finditer(text):
            if _personal_mail(path, match[0]):
                yield code("PERSONAL_EMAIL").at(doc.source.path, *_place(doc, path, text, match.start()),
                                                title=title, address=match[0])
