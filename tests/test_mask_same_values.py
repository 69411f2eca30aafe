"""privacy.mask keeps the values it has nothing to mask (issue 18: a rebuild masks every form again): the
result equals, type for type, what the copying walk gave, on every fixture and a synthetic corpus."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from generator import privacy
from generator.load import load
from generator.model import Money, Share, Text
from generator.synth import synthesize

ROOT = Path(__file__).resolve().parent.parent


def reference(value: Any) -> Any:
    """privacy._mask as it was: every text, tuple and dataclass copied."""
    if isinstance(value, Text):
        return Text(privacy.mask_text(value))
    if isinstance(value, tuple):
        return tuple(reference(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, (Money, Share, type)):
        return dataclasses.replace(value, **{f.name: reference(getattr(value, f.name))
                                             for f in dataclasses.fields(value)})
    return value


def shape(value: Any) -> Any:
    """The value with every part's type: equal shapes mean equal values of the same types."""
    if isinstance(value, tuple):
        return (type(value), tuple(shape(v) for v in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value), tuple((f.name, shape(getattr(value, f.name))) for f in dataclasses.fields(value)))
    return (type(value), value)


def declarations(tmp: Path) -> list[Any]:
    synthesize(tmp, 8, years=1)
    paths = [*ROOT.glob("content/**/*.yaml"), *ROOT.glob("tests/fixtures/valid/**/*.yaml"),
             *ROOT.glob("tests/hostile/inert/**/*.yaml"), *tmp.rglob("*.yaml")]
    found = []
    for path in sorted(paths):
        doc, _ = load(path)
        if doc is not None:
            found.append(doc.decl)
    return found


def test_mask_equals_the_copying_walk(tmp_path: Path) -> None:
    decls = declarations(tmp_path)
    assert len(decls) > 20
    changed = 0
    for decl in decls:
        masked = privacy.mask(decl)
        assert shape(masked) == shape(reference(decl))
        changed += masked != decl
    assert changed >= 1  # numbers were masked: the comparison covers changed values too


def test_nothing_to_mask_gives_the_value_itself(tmp_path: Path) -> None:
    text = Text("项目名称")
    assert privacy.mask(text) is text
    pair = (Text("a"), Text("电话 13912345678"))
    assert privacy.mask(pair) == (Text("a"), Text("电话 139****5678")) and privacy.mask(pair)[0] is pair[0]
