"""Each scalar format of the forms defined once: amount, share, year, date, id and text.

A format is the loader's parse (with the problem code a bad value gets), the JSON Schema fragment an editor
validates a file with, and the Frictionless field type and constraints of a data-package column; load.py,
schema.py and datapackage.py all take them from here, so the three cannot drift apart.

What the three cannot say alike, by design: a data package's `number`, `integer` and `date` columns read
any numeral (01, 1e3, .5, full-width digits) and a date without its zeros, since their cells are values the
loader already accepted and a consumer wants numbers and dates; Table Schema cannot exclude names (the
reserved ids) nor bound an id's length, and neither schema sees a mobile number inside an id. The loader
refuses all of these (tests/test_formats.py lists each case).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import privacy
from .model import Money, Share, Text, UnitId, Year

MAX_INT_DIGITS = 10  # 10^10 万元 exceeds any budget; more digits is a typo
MAX_TEXT_CHARS = 10_000  # the form's longest cell holds a few hundred; Excel's cell limit is 32 767
MAX_ID_CHARS = 64
# Names the sites already use beside the declaration pages: /<year>/index.md is the year page,
# /units/index.md the list of units; assets/ and search/ hold the theme's files and the index;
# data/datapackage.json is the year's data package (a unit's own JSON is data/<unit_id>.json), and
# data/ itself is the 数据下载 folder: a page at <year>/data/ would take its place.
RESERVED_IDS = ("index", "assets", "search", "datapackage", "data")

# The patterns, in the syntax Python, JSON Schema (ECMA 262) and Table Schema (XML Schema) read alike.
_NUMERAL = r"(0|[1-9]\d*)(\.\d+)?"
AMOUNT_PATTERN = rf"^{_NUMERAL}$"  # the form of an amount; its size is bounded apart (AMOUNT_TOO_LARGE)
BOUNDED_AMOUNT_PATTERN = rf"^(0|[1-9]\d{{0,{MAX_INT_DIGITS - 1}}})(\.\d+)?$"  # both at once, for the schema
SHARE_PATTERN = rf"^{_NUMERAL}%$"
YEAR_PATTERN = r"^(19|2\d)\d\d$"  # four digits, 1900–2999
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_GLUED_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)  # \d is 0–9 only, as in JSON Schema and Table Schema


class Bad:
    """A scalar that failed to parse: the problem code that says why, and its message's own fields."""

    def __init__(self, code: str, **params: str):
        self.code, self.params = code, params


def parse_money(text: str) -> Money | Bad:
    if _compiled(AMOUNT_PATTERN).match(text):
        if len(text.split(".")[0]) > MAX_INT_DIGITS:
            return Bad("AMOUNT_TOO_LARGE")
        return Money(text, Decimal(text))
    if text.lower().lstrip("+-") in (".nan", ".inf", "nan", "inf", "infinity"):
        return Bad("AMOUNT_NOT_FINITE")
    if text.startswith("-") and _compiled(AMOUNT_PATTERN).match(text[1:]):
        if Decimal(text) == 0:  # "-0" is zero written with a sign, not a negative amount
            return Bad("AMOUNT_FORMAT", hint=f"（零不带负号，请写作 {text[1:]}）")
        return Bad("AMOUNT_NEGATIVE")
    return Bad("AMOUNT_FORMAT", hint="")


def parse_share(text: str) -> Share | Bad:
    if not _compiled(SHARE_PATTERN).match(text):
        return Bad("SHARE_FORMAT")
    return Share(text, Decimal(text[:-1]))


def parse_year(text: str) -> Year | Bad:
    return Year(int(text)) if _compiled(YEAR_PATTERN).match(text) else Bad("BAD_YEAR")


def parse_date(text: str) -> dt.date | Bad:
    if not _compiled(DATE_PATTERN).match(text):
        return Bad("BAD_DATE")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return Bad("BAD_DATE")


def parse_text(text: str) -> Text | Bad:
    return Text(text) if text.strip() else Bad("EMPTY_TEXT")


def parse_id(text: str) -> UnitId | Bad:
    if not (_compiled(ID_PATTERN).match(text) and len(text) <= MAX_ID_CHARS):
        return Bad("BAD_ID")
    # An id is in every URL, file name, the sitemap and the search index, where nothing can mask it: refuse a
    # mobile number as the mask reads one (hyphens as separators) or glued to other digits or across hyphens.
    if privacy.has_mobile(text) or _GLUED_MOBILE.search(text.replace("-", "")):
        return Bad("UNIT_ID_PHONE")
    return Bad("RESERVED_ID", reserved="、".join(RESERVED_IDS)) if text in RESERVED_IDS else UnitId(text)


@dataclass(frozen=True)
class Format:
    """One scalar format: what the loader, the JSON Schema and the data package each make of it."""

    type: Any  # the model's type (model.Money …)
    noun: str  # zh-CN, what WRONG_TYPE calls a value of it
    parse: Callable[[str], Any]  # the filed text → the value, or Bad
    schema: dict[str, Any]  # JSON Schema fragment
    field: tuple[str, dict[str, Any]]  # Table Schema type and constraints


FORMATS: dict[Any, Format] = {f.type: f for f in (
    Format(Money, "金额", parse_money,
           {"type": ["number", "string"], "pattern": BOUNDED_AMOUNT_PATTERN, "minimum": 0},
           ("number", {"minimum": 0})),  # the cell is the filed text; see README "数据下载"
    Format(Share, "百分数", parse_share, {"type": "string", "pattern": SHARE_PATTERN},
           ("string", {"pattern": SHARE_PATTERN})),
    # A year is an integer in YAML, or a quoted "2021" (the loader reads both; the pattern checks the quoted).
    Format(Year, "年份", parse_year,
           {"type": ["integer", "string"], "pattern": YEAR_PATTERN, "minimum": 1900, "maximum": 2999},
           ("integer", {"minimum": 1900, "maximum": 2999})),
    Format(dt.date, "日期", parse_date, {"type": "string", "format": "date", "pattern": DATE_PATTERN},
           ("date", {})),
    Format(UnitId, "文字", parse_id,
           {"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID_CHARS, "not": {"enum": list(RESERVED_IDS)}},
           ("string", {"pattern": ID_PATTERN})),
    Format(Text, "文字", parse_text, {"type": ["string", "number"], "minLength": 1, "maxLength": MAX_TEXT_CHARS},
           ("string", {})),
)}
