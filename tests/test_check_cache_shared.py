"""The check cache writes texts and amounts by value and reads each distinct one once (issue 18: memory at
N = 10,000): what it reads back is the very result check_file gave — same types, same values, amounts with
their exponent — and equal texts of different forms become one object."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from generator import check, check_cache, privacy, problems
from generator.check import Context, declaration_files
from generator.config import load_levels
from generator.model import Money, Share, Text
from generator.synth import synthesize


def identical(a: Any, b: Any, where: str = "") -> None:
    """a and b equal and of the same types all the way down (a Text that came back a str would compare equal)."""
    assert type(a) is type(b), f"{where}: {type(a)} vs {type(b)}"
    if isinstance(a, Decimal):
        assert str(a) == str(b), where  # (Decimal("1.0") == Decimal("1.00"): the filed exponent must come back)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            identical(x, y, f"{where}[{i}]")
    elif isinstance(a, (dict, frozenset, set)):
        assert a == b, where
        if isinstance(a, dict):
            for key in a:
                identical(a[key], b[key], f"{where}.{key}")
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        for f in dataclasses.fields(a):
            identical(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    else:
        assert a == b, where


def corpus(tmp_path: Path) -> tuple[list[Path], Context]:
    content = tmp_path / "content"
    synthesize(content, 12, years=2)
    for year in ROOT.joinpath("content").iterdir():  # every bundled form too (every kind, editions)
        for path in year.glob("*.y*ml"):
            (content / year.name).mkdir(exist_ok=True)
            (content / year.name / path.name).write_bytes(path.read_bytes())
    return declaration_files([content]), Context(load_levels(ROOT / "site_config" / "indicators.yml"), content)


def test_a_result_read_back_is_the_result_written(tmp_path: Path) -> None:
    files, ctx = corpus(tmp_path)
    shared = check_cache.Shared()
    kinds = set()
    for path in files:
        result = check._lean(*check.check_file(path, ctx))
        back = check_cache.loads(check_cache.dumps(result), shared)
        identical(result, back, path.name)
        identical(pickle.loads(pickle.dumps(result)), back, path.name)  # (what the cache read before)
        kinds |= {type(d.decl).__name__ for d in [result[0]] if d}
    assert len(kinds) >= 3  # department, project, results: every kind went through


def test_equal_texts_and_amounts_of_two_forms_are_one_object(tmp_path: Path) -> None:
    files, ctx = corpus(tmp_path)
    shared = check_cache.Shared()
    docs = [d for d in (check_cache.loads(check_cache.dumps(check._lean(*check.check_file(p, ctx))), shared)[0]
                        for p in files) if d]
    a, b = docs[0].decl, docs[1].decl
    assert a.money_unit == b.money_unit and a.money_unit is b.money_unit and type(a.money_unit) is Text
    values = [v for v in shared.values() if isinstance(v, (Money, Share))]
    assert values and len({id(v) for v in shared.values()}) == len(shared)  # one object per distinct value
    again = check_cache.loads(check_cache.dumps(check._lean(*check.check_file(docs[0].source.path, ctx))),
                              shared)[0]
    assert again is not None and again.decl.money_unit is a.money_unit
    amounts = {id(v) for v in values}
    assert _amounts(again) and {id(v) for v in _amounts(again)} <= amounts  # the objects read before


def _amounts(doc: object) -> list[object]:
    found: list[object] = []
    stack = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, (Money, Share)):
            found.append(value)
        elif isinstance(value, tuple):
            stack.extend(value)
        elif hasattr(value, "__dataclass_fields__"):
            stack.extend(getattr(value, f) for f in value.__dataclass_fields__)
    return found


def test_an_unknown_value_in_an_entry_is_a_damaged_entry_checked_anew(tmp_path: Path) -> None:
    files, ctx = corpus(tmp_path)
    folder = tmp_path / "cache"
    expected = check_cache.check_files(files, ctx, folder)
    damaged = 0
    for entry in folder.rglob("*.pickle"):
        good = entry.read_bytes()
        if b"\x8c\x01M" in good:  # an amount, written as ("M", text, value)
            entry.write_bytes(good.replace(b"\x8c\x01M", b"\x8c\x01X"))
            damaged += 1
    assert damaged >= 12
    again = check_cache.check_files(files, ctx, folder)
    identical(expected.problems, again.problems)
    identical(expected.documents, again.documents)
    assert {p.code for p in again.problems} <= set(problems.CODES) and again.documents


def test_the_masked_copies_it_reads_back_are_the_documents_masked(tmp_path: Path) -> None:
    """A public build takes each form's masked copy from the cache (privacy.mask is not run again): on a
    cold and a warm check alike it is the form masked now, sharing what masking left as it was."""
    files, ctx = corpus(tmp_path)
    folder = tmp_path / "cache"
    for run in ("cold", "warm"):
        report = check_cache.check_files(files, ctx, folder)
        assert report.masked is not None and len(report.masked) == len(report.documents), run
        identical([privacy.masked(doc) for doc in report.documents], report.masked, run)
        changed = [(d, m) for d, m in zip(report.documents, report.masked, strict=True) if m.decl != d.decl]
        assert changed, run  # (mobile numbers in the forms: masking changed some of them)
        for doc, masked in changed:
            assert masked.source is doc.source
            shared_values = [name for name in ("year", "money_unit") if hasattr(doc.decl, name)]
            assert all(getattr(masked.decl, n) is getattr(doc.decl, n) for n in shared_values), run


def test_a_file_changed_while_it_is_checked_gets_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Report.keys names what a form is a function of (export.PackageRows keeps its rows by it): a file edited
    between its key and its check has no key, since its document is not of the bytes the key was made of."""
    files, ctx = corpus(tmp_path)
    edited = next(path for path in files if path.name.startswith("u00003"))  # (a synthesized form: it has a leader)
    real = check_cache.check_file

    def check_file(path: Path, context: Context) -> Any:
        if path == edited:
            path.write_text(path.read_text("utf-8").replace("\nleader: ", "\nleader: 改", 1), "utf-8")
        return real(path, context)

    monkeypatch.setattr(check_cache, "check_file", check_file)
    report = check_cache.check_files(files, ctx, tmp_path / "cache")
    assert edited not in report.keys and len(report.keys) == len(report.documents) - 1
    doc = next(d for d in report.documents if d.source.path == edited)
    assert str(doc.decl.leader).startswith("改")  # (the document is the new bytes')
    monkeypatch.undo()
    again = check_cache.check_files(files, ctx, tmp_path / "cache")  # (now kept, and keyed)
    assert len(again.keys) == len(again.documents)
