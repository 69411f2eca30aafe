"""Schema: the JSON Schema of the YAML format, generated from the model's field metadata."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any

from . import forms
from .formats import FORMATS
from .forms.base import FormKind

SCHEMA_BASE = "https://disclose.invalid/schema/"
SCHEMA_ID = SCHEMA_BASE + "declaration.schema.json"  # the 部门整体 form's, its name from before kinds
_SCALARS: dict[Any, dict[str, Any]] = {tp: fmt.schema for tp, fmt in FORMATS.items()}


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _type_schema(next(a for a in args if a is not type(None)), defs)
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if tp in _SCALARS:
        return dict(_SCALARS[tp])
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        defs.setdefault(tp.__name__, None)  # reserve: guards against recursion
        defs[tp.__name__] = _record_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no schema for {tp!r}")


def _record_schema(cls: Any, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    for fld in dataclasses.fields(cls):
        prop = _type_schema(hints[fld.name], defs)
        prop["title"] = fld.metadata["title"]
        prop["description"] = fld.metadata["description"]
        if "enum" in fld.metadata:
            prop["enum"] = list(fld.metadata["enum"])
        props[fld.name] = prop
    required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]
    return {"type": "object", "additionalProperties": False, "properties": props, "required": required}


def json_schema(kind: FormKind | None = None) -> dict[str, Any]:
    """The JSON Schema of one form kind's files (the default kind's without an argument)."""
    kind = kind or forms.KINDS[forms.DEFAULT]
    defs: dict[str, Any] = {}
    root = _record_schema(kind.model, defs)
    if kind.name != forms.DEFAULT:  # the default kind's files need no `form:` (every file written before kinds)
        root["properties"] = {forms.FORM_KEY: {"const": kind.name, "title": "表种",
                                               "description": f"表种：{kind.name}（{kind.title}）"},
                              **root["properties"]}
        root["required"] = [forms.FORM_KEY, *root["required"]]
    needs = _edition_needs(kind)
    if needs:
        root["allOf"] = needs
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + kind.schema_file,
        "title": kind.title,
        "description": f"disclose 的申报表 YAML 格式：{kind.describes}",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _edition_needs(kind: FormKind) -> list[dict[str, Any]]:
    """What each print requires beyond the model (Edition.needs): required when the file names that print
    (the default one also when it names none), as the loader requires it."""
    out = []
    for i, edition in enumerate(kind.editions):
        if edition.needs:
            named: dict[str, Any] = {"properties": {"edition": {"const": edition.name}}, "required": ["edition"]}
            unnamed = [{"not": {"required": ["edition"]}}, {"properties": {"edition": {"type": "null"}}}]
            condition = {"anyOf": [named, *unnamed]} if i == 0 else named
            out.append({"if": condition, "then": {"required": list(edition.needs)}})
    return out


def schema_text(kind: FormKind | None = None) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"


def schema_files() -> dict[str, str]:
    """Every kind's schema by its file name, as generator/schema/ and the portal's data/ hold them."""
    return {kind.schema_file: schema_text(kind) for kind in forms.KINDS.values()}
