"""The data packages' rows, cached per form (issue 18: a rebuild makes only the changed forms' rows) and their
cells written without two calls each: the packages are byte for byte what the uncached code made, cold, warm,
after one form changed and from a damaged entry, public and preview."""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_project
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import build, datapackage, export, forms
from generator.config import Project
from generator.datapackage import Cell, cell_text, defuse, table_rows
from generator.forms import kind_of
from generator.model import Document, Money, Share, Text, UnitId, Year
from generator.render import PORTAL, PageOptions
from generator.synth import synthesize


def reference_year_rows(decls: list[object]) -> dict[str, bytes]:
    """export._year_rows as it was: every kind's tables filled with that kind's forms, in one go."""
    rows: dict[str, bytes] = {}
    for kind in forms.KINDS.values():
        rows.update(table_rows([d for d in decls if kind_of(d) is kind], kind.tables))
    return rows


def project_with_forms(tmp_path: Path) -> tuple[Project, list[Document], list[Document]]:
    root = copy_project(tmp_path / "p")  # the bundled forms: every kind, editions, drafts
    synthesize(root / "content", 12, years=2)
    project = Project(root)
    report = build.check_all(project, build.Stages(quiet=True, parallel=False))
    assert not report.blocking
    return project, build.public_documents(report), list(report.documents)


def packages(project: Project, docs: list[Document], options: PageOptions) -> dict[str, dict[str, str | bytes]]:
    years = sorted({str(d.decl.year) for d in docs})
    sites: dict[str, dict[str, str | bytes]] = {PORTAL: {}, **{y: {} for y in years}}
    export.add_packages(sites, docs, project, options)  # type: ignore[arg-type]
    return sites


def expected(project: Project, docs: list[Document], options: PageOptions,
             monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, str | bytes]]:
    with monkeypatch.context() as patch:
        patch.setattr(export, "_year_rows", lambda decls, rows: reference_year_rows(decls))
        return packages(project, docs, options)


def test_packages_from_the_cache_are_the_packages_made_without_it(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project, public, every = project_with_forms(tmp_path)
    for docs, options in ((public, PageOptions()), (every, PageOptions(preview=True))):
        want = expected(project, docs, options, monkeypatch)
        assert sum(len(files) for files in want.values()) > 10
        for _ in range(2):  # cold (rows made and kept), then warm (every form's rows from the cache)
            assert packages(project, docs, options) == want
    folder = project.build / "cache" / "packages"
    assert len(list(folder.rglob("*.pickle"))) == len({repr(d.decl) for d in public})


def no_form_repr(value: object) -> str:
    assert not dataclasses.is_dataclass(value), f"a form's repr was written out: {type(value)}"
    return builtins.repr(value)


def test_rows_named_by_the_check_keys_are_the_rows_named_by_repr(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A build names each form's rows by its check key (Report.keys: its file's bytes, the context, the code)
    instead of its repr: the same packages, public and preview, each form's rows under a name of its own."""
    project, public, every = project_with_forms(tmp_path)
    report = build.check_all(project, build.Stages(quiet=True, parallel=False))
    assert {d.source.path for d in every} <= set(report.keys)
    for docs, options in ((public, PageOptions()), (every, PageOptions(preview=True))):
        want = expected(project, docs, options, monkeypatch)
        for _ in range(2):
            years = sorted({str(d.decl.year) for d in docs})
            sites: dict[str, dict[str, str | bytes]] = {PORTAL: {}, **{y: {} for y in years}}
            with monkeypatch.context() as patch:  # (no form's repr is written out)
                patch.setattr(export, "repr", no_form_repr, raising=False)
                export.add_packages(sites, docs, project, options, keys=report.keys)  # type: ignore[arg-type]
            assert sites == want
    folder = project.build / "cache" / "packages"
    assert len(list(folder.rglob("*.pickle"))) == len(public)


def test_a_changed_form_has_its_rows_made_again_and_only_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    project, public, _ = project_with_forms(tmp_path)
    one = next(i for i, d in enumerate(public) if kind_of(d.decl).name == forms.DEFAULT)
    changed = list(public)
    changed[one] = dataclasses.replace(public[one], decl=dataclasses.replace(public[one].decl,
                                                                            leader=Text("王某（修订）")))
    want = expected(project, changed, PageOptions(), monkeypatch)  # (uncached: it leaves the cache empty)
    packages(project, public, PageOptions())
    folder = project.build / "cache" / "packages"
    before = {p.name for p in folder.rglob("*.pickle")}
    assert packages(project, changed, PageOptions()) == want
    after = {p.name for p in folder.rglob("*.pickle")}
    assert len(after - before) == 1 and len(before - after) == 1  # the old entry dropped, the new one kept


def test_a_damaged_entry_is_made_anew(tmp_path: Path) -> None:
    project, public, _ = project_with_forms(tmp_path)
    want = packages(project, public, PageOptions())
    for entry in (project.build / "cache" / "packages").rglob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:20])
    assert packages(project, public, PageOptions()) == want


_TEXTS = st.text(st.sampled_from(list("=+-@\t\r'\"，,\n 0123456789ab中文")), max_size=8)
_CELLS: st.SearchStrategy[Cell] = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.integers(2000, 2100).map(Year),
    _TEXTS, _TEXTS.map(Text), st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True).map(UnitId),
    st.decimals(0, 10**6, places=2).map(lambda d: Money(str(d), d)),
    st.decimals(0, 100, places=1).map(lambda d: Share(f"{d}%", d)),
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), st.lists(_TEXTS, max_size=3))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=1, max_size=5), max_size=4))
def test_a_csv_cell_is_the_defused_cell_text(rows: list[list[Cell]]) -> None:
    for row in rows:
        assert [datapackage._csv_cell(v) for v in row] == [defuse(cell_text(v)) for v in row]
    assert datapackage.csv_bytes(["a"], rows) == reference_csv(["a"], rows)


def reference_csv(header: list[str], rows: list[list[Cell]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([defuse(cell_text(v)) for v in row])
    return out.getvalue().encode("utf-8")
