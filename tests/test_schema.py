"""The JSON Schema of the YAML format: committed, never stale, in zh-CN at every depth."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.forms.department.model import Declaration
from generator.schema import json_schema, schema_text

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "generator" / "schema" / "declaration.schema.json"
SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "valid" / "2021" / "minimal-unit.yaml"
REGENERATE = (
    "python -c \"from generator.schema import schema_text; "
    "open('generator/schema/declaration.schema.json', 'w', encoding='utf-8').write(schema_text())\""
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        f"generator/schema/declaration.schema.json is stale; regenerate it with:\n  {REGENERATE}"
    )


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(place, property schema) for every property of the root and of every definition."""
    records = [("", schema)] + [(f"$defs.{name}.", d) for name, d in schema["$defs"].items()]
    for prefix, record in records:
        for name, prop in record["properties"].items():
            yield prefix + name, prop


def test_every_property_has_a_zh_title_and_description() -> None:
    schema = json_schema()
    places = list(properties(schema))
    assert len(places) > 40  # the walk really reaches into the definitions
    missing = [place for place, prop in places
               for key in ("title", "description")
               if not str(prop.get(key, "")).strip() or not _CJK.search(str(prop.get(key, "")))]
    assert missing == [], f"fields without a zh-CN title or description: {missing}"
    assert _CJK.search(schema["title"]) and _CJK.search(schema["description"])


def test_schema_covers_every_model_field() -> None:
    """Every dataclass field reachable from Declaration is a schema property, at every depth."""
    schema = json_schema()
    seen: set[type] = set()

    def walk(cls: type, record: dict[str, Any]) -> None:
        seen.add(cls)
        assert set(record["properties"]) == {f.name for f in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        for fld in dataclasses.fields(cls):
            for tp in _inner_types(hints[fld.name]):
                record = schema["$defs"].get(getattr(tp, "__name__", ""))  # not Money, Share
                if dataclasses.is_dataclass(tp) and record and tp not in seen:
                    walk(tp, record)

    walk(Declaration, schema)
    assert {c.__name__ for c in seen} - {"Declaration"} == set(schema["$defs"])


def _inner_types(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in typing.get_args(tp):
        yield from _inner_types(arg)


# -- validating YAML against the schema ------------------------------------------------------------

jsonschema = pytest.importorskip("jsonschema")


def as_json(value: Any) -> Any:
    """yaml.safe_load's output as JSON would carry it: dates become ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def validator() -> Any:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(text: str) -> set[str]:
    """Where the schema finds errors: the paths of the innermost errors (inside anyOf, too)."""
    def leaves(error: Any) -> Iterator[Any]:
        if not error.context:
            yield error
        for sub in error.context:
            yield from leaves(sub)

    data = as_json(yaml.safe_load(text))
    found = (leaf for e in validator().iter_errors(data) for leaf in leaves(e))
    return {".".join(map(str, e.absolute_path)) for e in found}


@pytest.mark.parametrize("path", [SEED, MINIMAL], ids=["seed", "minimal"])
def test_declarations_validate(path: Path) -> None:
    assert errors(path.read_text(encoding="utf-8")) == set()


@pytest.mark.parametrize(("old", "new", "where"), [
    ("unit_name:", "unit_nmae:", ""),  # unknown key (additionalProperties) and missing unit_name
    ("money_unit: 万元\n", "", ""),
    ("share: 90%", "share: 90", "funding.expenditure.0.share"),
    ("status: published", "status: public", "status"),
    ("filing_date: 2021-01-28", "filing_date: '2021-02-30'", "filing_date"),
    ("unit_id: minimal-unit", "unit_id: ../etc", "unit_id"),
    ("total_budget: 10,", "total_budget: -5,", "projects.0.total_budget"),
    ("tasks:\n  - 1. 任务一。", "tasks: 任务一", "tasks"),
])
def test_schema_rejects_what_the_loader_rejects(old: str, new: str, where: str) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(old) == 1
    assert where in errors(text.replace(old, new))
