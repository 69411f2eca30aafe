"""The form-kind registry: which kind a file is, its schema, and stages that ask the registry, not a name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import forms, search
from generator.check import Context, check_files
from generator.forms.base import FormKind, Section, sections
from generator.forms.department.model import Declaration
from generator.load import load, load_partial
from generator.model import Document, Status, Text, UnitId, Year, f
from generator.problems import Problem
from generator.render import Corpus, PageOptions, Renderer
from generator.rules import at, reads
from generator.schema import json_schema, schema_files

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "valid" / "2021" / "minimal-unit.yaml"
SCHEMAS = ROOT / "generator" / "schema"


def test_the_department_form_is_the_default_kind() -> None:
    doc, problems = load(MINIMAL)
    assert doc and problems == []
    assert forms.DEFAULT == "department"
    assert forms.kind_of(doc.decl) is forms.KINDS["department"]
    assert forms.kind_of(doc.decl).model is Declaration


def test_an_explicit_form_key_loads_the_same_form(tmp_path: Path) -> None:
    path = tmp_path / "2021" / "minimal-unit.yaml"
    path.parent.mkdir()
    path.write_text("form: department\n" + MINIMAL.read_text("utf-8"), "utf-8")
    doc, problems = load(path)
    implicit, _ = load(MINIMAL)
    assert problems == [] and doc and implicit and doc.decl == implicit.decl


@pytest.mark.parametrize("value", ["projekt", "[project]", "~"])
def test_an_unknown_form_is_a_problem_at_its_value(tmp_path: Path, value: str) -> None:
    path = tmp_path / "2021" / "minimal-unit.yaml"
    path.parent.mkdir()
    path.write_text(MINIMAL.read_text("utf-8") + f"form: {value}\n", "utf-8")
    line = path.read_text("utf-8").count("\n")
    doc, problems = load_partial(path)
    assert doc is None
    assert [(p.code, p.line, p.col) for p in problems] == [("FORM_UNKNOWN", line, 7)]


def test_a_second_form_key_is_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "2021" / "minimal-unit.yaml"
    path.parent.mkdir()
    path.write_text("form: department\n" + MINIMAL.read_text("utf-8") + "form: department\n", "utf-8")
    _, problems = load_partial(path)
    assert [p.code for p in problems] == ["DUPLICATE_KEY"]


@pytest.mark.parametrize("name", sorted(forms.KINDS))
def test_each_kind_has_its_committed_schema(name: str) -> None:
    kind = forms.KINDS[name]
    committed = SCHEMAS / kind.schema_file
    assert committed.read_text("utf-8") == schema_files()[kind.schema_file], (
        f"generator/schema/{kind.schema_file} is stale: regenerate it from generator.schema.schema_files()")
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == kind.title


def test_the_department_schema_keeps_its_published_name() -> None:
    assert forms.KINDS["department"].schema_file == "declaration.schema.json"
    assert json_schema()["$id"].endswith("/declaration.schema.json")


# -- a throwaway third kind: registered here, handled by every stage without any stage naming it ----------


@dataclass(frozen=True, slots=True)
class Note:
    year: Year = f("预算年度", "年度")
    unit_id: UnitId = f("单位编号", "单位编号")
    title: Text = f("标题", "便笺标题")
    body: Text | None = f("内容", "便笺内容", None)
    status: Status = f("状态", "draft 或 published", "draft")


@reads("body")
def body_written(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.decl.body is None:
        yield at(doc, "EMPTY_TEXT", "title", title="便笺内容")


def note_sections(note: Note) -> Iterator[Section]:
    yield "", f"便笺：{note.title}", [str(note.title)]
    yield from sections([("内容", [str(note.body or "")])])


@pytest.fixture
def note_kind(tmp_path: Path) -> Iterator[FormKind]:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "note.md.j2").write_text("# {{ decl.title|md }}\n\n## 内容\n\n<p>{{ decl.body }}</p>\n", "utf-8")
    kind = FormKind(name="note", title="便笺", model=Note, rules=(body_written,), template="note.md.j2",
                    stem=lambda n: f"{n.unit_id}--note",
                    search_sections=note_sections, templates=templates, labelled_by="title")
    forms.register(kind)
    yield kind
    forms.unregister(kind)


def _note(tmp_path: Path, body: str = "body: 第一条\n") -> Path:
    path = tmp_path / "content" / "2021" / "minimal-unit--note.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"form: note\nyear: 2021\nunit_id: minimal-unit\ntitle: 一张<便笺>\n{body}status: published\n",
                    "utf-8")
    return path


def test_a_registered_kind_is_loaded_checked_rendered_and_indexed(note_kind: FormKind, tmp_path: Path,
                                                                  context: Context) -> None:
    note, bad = _note(tmp_path), tmp_path / "content" / "2021" / "other.yaml"
    bad.write_text("form: note\nyear: 2021\nunit_id: other\ntitle: 无内容\n", "utf-8")
    report = check_files([note, MINIMAL, bad], context)
    assert [(p.code, p.file, p.line) for p in report.problems] == [
        ("FILE_NAME", str(bad), 3), ("EMPTY_TEXT", str(bad), 4)]
    docs = [d for d in report.documents if d.source.path == note]
    assert forms.kind_of(docs[0].decl) is note_kind
    renderer = Renderer(context.levels, PageOptions(), {})
    pages = dict(renderer.year_pages(Corpus.of(report.documents).year(2021)))
    assert pages["minimal-unit--note.md"] == "# 一张&lt;便笺&gt;\n\n## 内容\n\n<p>第一条</p>\n"
    assert "minimal-unit.md" in pages  # the unit's own form beside it
    entries = search.entries(docs)
    assert [e["location"] for e in entries] == ["2021/minimal-unit--note/", "2021/minimal-unit--note/#内容"]


def test_the_schema_of_a_registered_kind_requires_its_form_key(note_kind: FormKind, tmp_path: Path) -> None:
    schema = json_schema(note_kind)
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load(_note(tmp_path).read_text("utf-8"))
    assert list(validator.iter_errors(data)) == []
    assert [e.validator for e in validator.iter_errors({k: v for k, v in data.items() if k != "form"})] == ["required"]
    assert json.loads(schema_files()["note.schema.json"])["properties"]["form"]["const"] == "note"


def test_two_files_of_one_key_clash_within_their_kind(note_kind: FormKind, tmp_path: Path, context: Context) -> None:
    note = _note(tmp_path)
    twin = note.with_suffix(".yml")
    twin.write_text(note.read_text("utf-8"), "utf-8")
    report = check_files([note, twin, MINIMAL], context)
    assert [(p.code, p.file) for p in report.problems] == [("DUPLICATE_DECLARATION", str(twin))]
    assert f"年{note_kind.title}重复" in report.problems[0].message  # (the kind's own title, not 申报表)


def test_every_kind_is_packaged() -> None:
    """A kind's folder and templates reach the installed package (pyproject's find and package-data)."""
    import fnmatch
    import tomllib

    import setuptools

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    packages = setuptools.find_packages(str(ROOT), include=config["packages"]["find"]["include"])
    globs = config["package-data"]["generator"]
    for kind in forms.KINDS.values():
        assert kind.model.__module__.rsplit(".", 1)[0] in packages
        for template in kind.templates.iterdir() if kind.templates else ():
            relative = template.relative_to(ROOT / "generator").as_posix()
            assert any(fnmatch.fnmatch(relative, g) for g in globs), relative
