"""Each scalar format is defined once (generator/formats.py): the loader, the JSON Schema and the data package
take it from there, and accept or reject the same filed strings — except where a standard cannot say what the
loader checks, each such case listed here with why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import frictionless
import jsonschema
import pytest

from generator import datapackage, load, schema
from generator.formats import FORMATS, Bad
from generator.model import Money, Share, UnitId, Year

ALL, NONE = (True, True, True), (False, False, False)
# What only the package's readers take (a number, integer or date column reads any numeral, Unicode digits,
# a date without its zeros): harmless, since its cells are values the loader already accepted.
PACKAGE_READS = (False, False, True)
LOADER_ONLY = (False, True, True)  # Table Schema and JSON Schema cannot see it: a mobile number inside an id
NO_TABLE_SCHEMA = (False, False, True)  # Table Schema cannot exclude names or bound an id's length

CASES: list[tuple[Any, str, tuple[bool, bool, bool]]] = [
    # amounts: (loader, JSON Schema, data package)
    *((Money, s, ALL) for s in ("0", "367.58", "10", "0.5", "9999999999.9999", "968.1918")),
    *((Money, s, NONE) for s in ("-1", "-0.5", "abc", "97%", "1 000", "nan", "万元")),
    *((Money, s, PACKAGE_READS) for s in ("01", "+1", ".5", "1.", "1e3", "12345678901", "inf")),
    # shares
    *((Share, s, ALL) for s in ("97.27%", "100%", "0%", "2.5%")),
    *((Share, s, NONE) for s in ("97.27", "97,27%", "-1%", "1e2%", "%", "097%", "97.27 %", "９７%")),
    # years
    *((Year, s, ALL) for s in ("2021", "1900", "2999")),
    *((Year, s, NONE) for s in ("21", "3000", "1899", "二〇二一", "20210", "2021.0", "0x7E5", "-2021")),
    (Year, "２０２１", PACKAGE_READS),
    # dates
    *((dt.date, s, ALL) for s in ("2021-01-28", "2020-02-29")),
    (dt.date, "2021-1-5", PACKAGE_READS),
    *((dt.date, s, NONE) for s in ("2021-02-30", "20210128", "2021/01/28", "2021-13-01", "2021-W01-1",
                                   "2021-01-28T00:00")),
    # unit and project ids
    *((UnitId, s, ALL) for s in ("guangshui-ldbxj", "gsbx-office", "a", "x1", "a" * 64)),
    *((UnitId, s, NONE) for s in ("Guangshui", "a--b", "-a", "a-", "a/b", "../etc", "单位", "a b", "a_b", "")),
    *((UnitId, s, NO_TABLE_SCHEMA) for s in ("data", "index", "assets", "a" * 65)),
    *((UnitId, s, LOADER_ONLY) for s in ("x-13912345678", "unit-139-1234-5678", "a139123456780")),
]


def loader(tp: Any, text: str) -> bool:
    return not isinstance(load._SCALARS[tp](text), Bad)


def json_schema(tp: Any, text: str) -> bool:
    fragment = schema._SCALARS[tp]
    valid = jsonschema.Draft202012Validator(fragment, format_checker=jsonschema.FormatChecker()).is_valid(text)
    if tp is Year and text.isascii() and text.lstrip("-").isdigit():  # YAML's unquoted year is an integer
        assert jsonschema.Draft202012Validator(fragment).is_valid(int(text)) is valid, text
    return bool(valid)


def data_package(tp: Any, text: str) -> bool:
    kind, constraints = datapackage._TYPES[tp]
    field = {"name": "x", "type": kind, "constraints": {"required": True, **constraints}}
    resource = frictionless.Resource(data=[["x"], [text]], schema=frictionless.Schema.from_descriptor(
        {"fields": [field]}))
    return bool(frictionless.validate(resource).valid)


@pytest.mark.parametrize(("tp", "text", "expected"), CASES, ids=[f"{t.__name__}:{s[:20]}" for t, s, _ in CASES])
def test_the_three_agree(tp: Any, text: str, expected: tuple[bool, bool, bool]) -> None:
    assert (loader(tp, text), json_schema(tp, text), data_package(tp, text)) == expected


@pytest.mark.parametrize("tp", [Money, Share, Year, dt.date, UnitId])
def test_each_stage_takes_the_format_from_one_place(tp: Any) -> None:
    fmt = FORMATS[tp]
    assert load._SCALARS[tp] is fmt.parse
    assert schema._SCALARS[tp] is fmt.schema
    assert datapackage._TYPES[tp] is fmt.field


def test_a_quoted_year_is_valid_in_the_schema_as_in_the_loader() -> None:
    """The loader reads `year: "2021"`; the JSON Schema used to refuse it (it knew integers only)."""
    assert loader(Year, "2021") and json_schema(Year, "2021")
