"""Every bundled file validates against the JSON Schema of its kind (each kind's committed schema is current:
test_forms_registry.py), so an editor shows no error in any example."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT
from test_schema import as_json

from generator import forms
from generator.load import load
from generator.schema import json_schema

BUNDLED = sorted((ROOT / "content").glob("*/*.yaml"))


def test_every_kind_has_a_bundled_example() -> None:
    kinds = set()
    for path in BUNDLED:
        doc, _ = load(path)
        assert doc is not None, path
        kinds.add(forms.kind_of(doc.decl).name)
    assert kinds == set(forms.KINDS)


@pytest.mark.parametrize("path", BUNDLED, ids=[f"{p.parent.name}/{p.name}" for p in BUNDLED])
def test_a_bundled_file_validates_against_its_kinds_schema(path: Path) -> None:
    doc, _ = load(path)
    assert doc is not None
    schema = json_schema(forms.kind_of(doc.decl))
    data = as_json(yaml.safe_load(path.read_text("utf-8")))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
