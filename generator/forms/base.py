"""Form kinds: what a kind of form declares, so that the shared stages can handle it without naming it.

A kind is one folder under generator/forms/ and one registration in generator/forms/__init__.py. The
stages (load, check, render, search, export, schema) ask the registry for a document's kind and then
use only what is declared here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Document, Form
from ..problems import Problem
from ..rules import Rule

Key = tuple[Any, ...]
Block = tuple[list[str], list[list[Any]]]  # a download's table: header, rows of cells (datapackage.Cell)
Sheets = list[tuple[str, list[Block]]]  # a workbook: (sheet title, its blocks)
Section = tuple[str, str, list[str]]  # (anchor within the page, "" for the page itself; title; texts)
CorpusRule = Callable[[Sequence[Document]], Iterator[Problem]]


@dataclass(frozen=True)
class Download:
    """One kind of per-form file: `<stem><suffix>` in `/<year>/data/`."""

    suffix: str
    label: str
    description: str


@dataclass(frozen=True)
class Edition:
    """One print of a kind's form (a province's, a year's): a file names it by `edition:`.

    A kind subclasses this with what its editions differ in (rows, columns, labels, layout); the
    first of a kind's editions is the one a file without `edition:` is (every file written before
    editions existed keeps checking and rendering as it did).
    """

    name: str  # the file's `edition:` value, e.g. 湖北-2022
    title: str  # zh-CN, the printed form's title in this edition
    template: str = ""  # the page's template where the edition prints another layout ("" = the kind's)
    # Downloads (their suffixes) this print has no table for (湖南's 部门整体 form: no funding, no projects):
    # neither written nor linked, rather than offered empty.
    withheld: tuple[str, ...] = ()
    # Top-level fields the model leaves optional (other prints lack them) that this print requires: the
    # loader reports one missing as MISSING_KEY where the model's own required fields are reported.
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormKind:
    """One kind of form: its model, rules, page, identity and search sections."""

    name: str  # the file's `form:` value
    title: str  # zh-CN, as printed at the top of the form
    model: type  # the root dataclass: the loader builds it, the JSON Schema is generated from it
    rules: tuple[Rule, ...]  # per document, run by the check stage
    template: str  # the page's Jinja template
    stem: Callable[[Form], str]  # the file name under content/<year>/ (without .yaml) and the page's name
    search_sections: Callable[[Form], Iterator[Section]]  # the page's search entries, the page itself first
    identity: tuple[str, ...] = ("year", "unit_id")  # the fields of the key (stem reads them), the last pointed at
    corpus_rules: tuple[CorpusRule, ...] = ()
    labelled_by: str = "unit_name"  # the field a list of forms names each one by
    kept: tuple[str, ...] = ()  # top-level fields whose positions the corpus rules (of any kind) still need
    # The downloads: which files (the workbook .xlsx first, .json and .yaml last, the CSVs between), the
    # workbook's sheets and title, the CSVs by suffix, and the data package's tables (datapackage.Table).
    downloads: tuple[Download, ...] = ()
    sheets: Callable[[Form], Sheets] | None = None
    workbook_title: Callable[[Form], str] = lambda decl: ""
    csvs: Callable[[Form], dict[str, Block]] = lambda decl: {}
    tables: tuple[Any, ...] = ()
    # Personal fields published only as show_filer allows: field → the policy's name for it (filer | phone).
    filer_fields: dict[str, str] = field(default_factory=dict)  # rules relating one form to the others of the corpus
    templates: Path | None = None  # the kind's own template folder, if it has one
    describes: str = ""  # one line for the JSON Schema: which file holds such a form
    schema_file: str = ""  # its JSON Schema's name in generator/schema/ and the portal's data/
    # The kind's prints, the default first; the model's `edition` field (a Literal of their names, or
    # None for the default) is what a file names.
    editions: tuple[Edition, ...] = ()
    # A self-evaluation kind names the kind of form it evaluates (its year's target, of the same key): the
    # check pairs them (forms/results.py) and the pages link each to the other.
    evaluates: str = ""

    def __post_init__(self) -> None:
        if not self.schema_file:
            object.__setattr__(self, "schema_file", f"{self.name}.schema.json")

    def key(self, decl: Form) -> Key:
        """What identifies one form of this kind, its identity's values: two files with one key clash."""
        return tuple(getattr(decl, name) for name in self.identity)

    def target_key(self, decl: Form) -> Key:
        """The key of the form a self-evaluation evaluates (() for a kind that evaluates none)."""
        return self.key(decl) if self.evaluates else ()

    def edition(self, decl: Form) -> Edition | None:
        """The edition a form is printed in (None for a kind without editions)."""
        named = getattr(decl, "edition", None)
        return next((e for e in self.editions if e.name == named), self.editions[0] if self.editions else None)

    def offered(self, decl: Form) -> tuple[Download, ...]:
        """The downloads this form has: the kind's, less those its print has no table for."""
        edition = self.edition(decl)
        withheld = edition.withheld if edition else ()
        return tuple(d for d in self.downloads if d.suffix not in withheld)

    def label(self, decl: Form) -> str:
        """What a list of forms (the year page's, say) calls this one."""
        return str(getattr(decl, self.labelled_by))

    def url(self, decl: Form) -> str:
        """The page's address relative to the portal: /<year>/<stem>/."""
        return f"{decl.year}/{self.stem(decl)}/"

    def page(self, decl: Form) -> str:
        """The page's Markdown file in its year's site."""
        return f"{self.stem(decl)}.md"


@functools.lru_cache(maxsize=1 << 16)  # (the search stage asks for every section of every page: headings repeat)
def heading_slug(text: str) -> str:
    """The anchor the toc extension gives a heading (same slugify as mkdocs.yml).

    The toc slugifies the heading's text with every run of whitespace collapsed to one space (line
    breaks, no-break and ideographic spaces in a filed title included), so this does too.
    """
    from pymdownx.slugs import slugify

    slug: str = slugify(case="lower")(" ".join(text.split()), "-")
    return slug


def indicator_cells(indicators: Iterable[Any]) -> list[str]:
    """Every filed text cell of indicator rows (levels, name, value, basis, content, scoring standard, remark):
    all of it is searchable."""
    return [t for i in indicators for t in (i.level1, i.level2, i.name, i.value, i.basis, i.content, i.scoring,
                                            i.remark) if t]


def sections(items: Iterable[tuple[str, list[str]]]) -> Iterator[Section]:
    """(heading, texts) as search sections anchored at their headings."""
    for heading, texts in items:
        yield heading_slug(heading), heading, texts
