"""Render stage: declarations → Markdown pages (Jinja2, autoescaped) as a {relative path: text} map."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .chart import bar_chart
from .config import public_filer_fields
from .formats import RESERVED_IDS
from .forms import DEFAULT, KINDS, kind_of
from .forms.department.editions import edition_of
from .forms.department.model import Declaration, FundingRow, FundingTotal, column_cell, column_total, total_value
from .forms.department_result.history import history_chart, result_history
from .model import Document, Form, Indicator, Level, Money, Share
from .problems import Problem, headline

_MARKER = re.compile(
    r"^\s*((?:\d+|[一二三四五六七八九十]+)\s*[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[①-⑳]|目标\s*\d+\s*[：:])\s*"
)
# The characters Python-Markdown lets a backslash escape (with `tables`: also |); a backslash before any
# other character, ~ say, would be printed.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def split_marker(text: str) -> tuple[str, str]:
    """("1.", "宣传…") for a list entry as filed; ("", text) when it carries no marker."""
    match = _MARKER.match(text)  # the marker keeps its spacing, so marker + body is the text as filed
    return (text[: match.end()], text[match.end():]) if match else ("", text)


def md_inline(text: str) -> Markup:
    """Text for a Markdown inline context (headings): HTML-escaped, Markdown syntax backslashed.

    Quotes stay as they are: their references (&#39;) would carry a # for Markdown to escape, and the
    table of contents would then show "&#39;" instead of the quote.
    """
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " "))


def amount(value: Money | Decimal | None) -> str:
    """An amount as filed; a sum with the places of its terms (366.80 + 0 is "366.80", never "366.8")."""
    if value is None:
        return "—"
    return value.text if isinstance(value, Money) else format(value, "f")


def filed_date(value: dt.date) -> str:
    """A date as the form prints it: 2021 年 1 月 28 日, no zero padding."""
    return f"{value.year} 年 {value.month} 月 {value.day} 日"


# -- view models -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    derived: bool = False  # computed by disclose because the form left it to be derived

    @property
    def shown(self) -> str:
        """The text for the page: a computed value says so in the cell itself, not only in a tooltip."""
        return f"{self.text}（计算）" if self.derived else self.text


def total_cell(value: Money | Decimal | None) -> Cell:
    """A 合计 as filed (Money), or the sum disclose computed where the form left it blank (Decimal)."""
    if isinstance(value, Money):
        return Cell(value.text)
    return Cell(amount(value), value is not None)


@dataclass(frozen=True)
class FundingLine:
    name: str
    cells: tuple[Cell, ...]  # amount, share, history…
    total: bool = False


def funding_lines(rows: Sequence[FundingRow], total: FundingTotal | None, width: int) -> list[FundingLine]:
    """The rows as filed, then the total as filed or, where the form left it blank, computed.

    A blank 占比 stays blank: a share disclose worked out would read as the unit's own figure.
    """
    lines = []
    for r in rows:
        hist = [Cell(amount(column_cell(r, i))) for i in range(width)]
        lines.append(FundingLine(r.name, (Cell(amount(r.amount)), _share(r.share), *hist)))
    cells = [total_cell(column_total(rows, total, None)), _share(total.share if total else None)]
    cells += [total_cell(column_total(rows, total, i)) for i in range(width)]
    return [*lines, FundingLine("合计", tuple(cells), total=True)]


def _share(share: Share | None) -> Cell:
    return Cell(share.text if share else "")


@dataclass
class MatrixRow:
    level1: str
    level1_span: int  # 0: covered by the cell above (rowspan)
    level2: str
    level2_span: int
    indicator: Indicator | None  # None: an empty level-2 row, printed as on the form


def matrix_rows(indicators: Sequence[Indicator], levels: dict[str, Level]) -> list[MatrixRow]:
    """The indicator matrix laid out like the printed form: every form level-2 row, merged cells."""
    groups: dict[str, dict[str, list[Indicator]]] = {
        name: {l2: [] for l2 in level.form} for name, level in levels.items()
    }
    for ind in indicators:  # filed order within a cell; variants and strangers appended where used
        groups.setdefault(ind.level1, {}).setdefault(ind.level2, []).append(ind)
    rows: list[MatrixRow] = []
    for level1, level2s in groups.items():
        first1 = len(rows)
        for level2, inds in level2s.items():
            first2 = len(rows)
            cells: list[Indicator | None] = list(inds) or [None]
            rows += [MatrixRow(level1, 0, level2, 0, cell) for cell in cells]
            rows[first2].level2_span = len(rows) - first2
        if len(rows) > first1:
            rows[first1].level1_span = len(rows) - first1
    return rows


@dataclass(frozen=True)
class Banner:
    kind: str  # draft | preview | archive | superseded
    text: str
    href: str = ""


@dataclass(frozen=True)
class PageOptions:
    """What differs between the public build and the preview."""

    preview: bool = False
    show_filer: str = "name_and_phone"  # name_and_phone | name | none
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # by source path
    archive_banner: str = ""  # set by `disclose archive`: "归档于 DATE…" on every page, linking to archive_page
    archive_page: str = ""  # set by `disclose archive`: the year's 归档说明 page (Markdown, archive.note_page)
    waived: dict[str, list[Problem]] = field(default_factory=dict)  # waived errors by source path: published

    @property
    def public_filer(self) -> frozenset[str]:
        """What of the filer the page shows: the same function decides for the downloads (export.withhold)."""
        return public_filer_fields(self.show_filer)


# -- templates ---------------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        # the shared templates, then each form kind's own folder (a kind's page template lives with the kind)
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader("generator", "templates"),
                                    *(jinja2.FileSystemLoader(k.templates) for k in KINDS.values() if k.templates)]),
        autoescape=True,  # every template emits HTML inside Markdown
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_one_line,
    )
    # `x|field(name)`: the attribute, as `|attr` gives it without that filter's static lookup first (the
    # matrix's cells: ~15 % of rendering a declaration); a missing one fails the page as with StrictUndefined.
    env.filters.update(md=md_inline, amount=amount, split_marker=split_marker, tojson_zh=_tojson,
                       filed_date=filed_date, field=getattr)
    env.globals.update(matrix_rows=matrix_rows, funding_lines=funding_lines, bar_chart=bar_chart, headline=headline)
    return env


def _one_line(value: Any) -> Any:
    """Filed text as HTML with its line breaks as character references.

    A blank line inside filed text would end the HTML block around it, and Markdown would then
    parse the rest (links, images, headings, code) instead of showing it as filed.
    """
    if isinstance(value, str) and not isinstance(value, Markup) and "\n" in value:
        return Markup(str(escape(value)).replace("\n", "&#10;"))
    return value


def _tojson(value: Any) -> Markup:
    """A JSON (hence YAML) string literal for front matter, with no raw HTML-significant chars.

    The value is HTML-escaped first: Material prints page.meta.title/description unescaped
    (header topic, <title>, <meta content>), so a raw "<script>" in a unit name would run.
    """
    text = json.dumps(str(escape(value)), ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@dataclass(frozen=True)
class YearSummary:
    year: int
    docs: list[Document]  # the units' own forms (the default kind): what the year's tables and totals count
    broken: list[Broken] = field(default_factory=list)
    others: list[Document] = field(default_factory=list)  # the forms of the other kinds, each with its page

    @property
    def income(self) -> str:
        return self._sum(0)

    @property
    def expenditure(self) -> str:
        return self._sum(1)

    def _sum(self, side: int) -> str:
        """The year's total of one side with its unit ("366.80 万元"); units never added to each other."""
        by_unit: dict[str, Decimal] = {}
        for doc in self.docs:
            value = _total_values(doc.decl)[side]
            if value is not None:
                unit = str(doc.decl.money_unit)
                by_unit[unit] = by_unit.get(unit, Decimal(0)) + value
        return " + ".join(f"{amount(v)} {unit}" for unit, v in by_unit.items()) or "—"


def _total_values(decl: Declaration) -> tuple[Decimal | None, Decimal | None]:
    f = decl.funding
    if not f:
        return None, None
    return total_value(f.income, f.income_total, None), total_value(f.expenditure, f.expenditure_total, None)


def totals(decl: Declaration) -> tuple[Cell, Cell]:
    """Income and expenditure totals of the current year: as filed, else computed from the rows (and labelled)."""
    f = decl.funding
    if not f:
        return Cell("—"), Cell("—")
    return (total_cell(column_total(f.income, f.income_total, None)),
            total_cell(column_total(f.expenditure, f.expenditure_total, None)))


def _project_row(decl: Declaration) -> FundingRow | None:
    """The 支出构成 row of spending on projects: 项目支出, in 一体化's print 特定目标类项目支出 (editions.py)."""
    name = edition_of(decl).project_row
    rows = [r for r in (decl.funding.expenditure if decl.funding else ()) if r.name == name]
    return rows[0] if rows else None


def project_spending(decl: Declaration) -> str:
    row = _project_row(decl)
    return amount(row.amount) if row else "—"


def no_projects(decl: Declaration) -> str:
    """What an empty project table says: nothing spent on projects, or spent but not itemised on the form."""
    row = _project_row(decl)
    return "（无项目支出）" if row and row.amount is not None and row.amount.value == 0 else "（原表未列明细）"


def indicator_count(decl: Declaration) -> int:
    return len(decl.long_term.indicators) + sum(len(g.indicators) for g in decl.annual.goals)


def declaration_url(decl: Form) -> str:
    return kind_of(decl).url(decl)


PORTAL = ""  # the key of the portal site; year sites are keyed by their year
_SLUG = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class Broken:
    """A file that did not load (preview only): its page shows the problems instead."""

    path: str
    year: int | None
    slug: str
    problems: list[Problem]

    @classmethod
    def of(cls, path: str, problems: list[Problem]) -> Broken:
        parent, stem = PurePath(path).parent.name, PurePath(path).stem
        slug = _SLUG.sub("-", stem.lower()).strip("-") or "file"
        return cls(path, int(parent) if parent.isdigit() and len(parent) == 4 else None, slug, problems)


def _own_slugs(broken: Iterable[Broken], taken: set[tuple[int | None, str]]) -> list[Broken]:
    """Broken files with page names of their own: never index.md (the year page), never a loaded unit's."""
    out = []
    for b in broken:
        slug, n = b.slug, 1
        while slug in RESERVED_IDS or (b.year, slug) in taken:
            n += 1
            slug = f"{b.slug}-{n}"
        taken.add((b.year, slug))
        out.append(replace(b, slug=slug))
    return out


@dataclass(frozen=True)
class Corpus:
    """The documents grouped as the pages need them."""

    by_year: dict[int, list[Document]]  # the units' own forms (the default kind)
    by_unit: dict[str, list[Document]]
    broken: list[Broken] = field(default_factory=list)
    others: dict[int, list[Document]] = field(default_factory=dict)  # the other kinds' forms, by year

    @classmethod
    def of(cls, docs: Iterable[Document], broken: Iterable[Broken] = ()) -> Corpus:
        by_year: dict[int, list[Document]] = defaultdict(list)
        by_unit: dict[str, list[Document]] = defaultdict(list)
        others: dict[int, list[Document]] = defaultdict(list)
        for doc in sorted(docs, key=lambda d: (d.decl.year, d.decl.unit_id, kind_of(d.decl).key(d.decl))):
            if kind_of(doc.decl).name != DEFAULT:
                others[doc.decl.year].append(doc)
                continue
            by_year[doc.decl.year].append(doc)
            by_unit[doc.decl.unit_id].append(doc)
        pages = [d for ds in (*by_year.values(), *others.values()) for d in ds]
        broken = _own_slugs(broken, {(d.decl.year, kind_of(d.decl).stem(d.decl)) for d in pages})
        for b in broken:
            if b.year is not None:
                by_year.setdefault(b.year, [])
        for year in others:
            by_year.setdefault(year, [])
        return cls(dict(by_year), dict(by_unit), broken, dict(others))

    def others_of(self, unit_id: str) -> list[Document]:
        """The unit's forms of the other kinds, year after year."""
        return [d for year in sorted(self.others) for d in self.others[year] if d.decl.unit_id == unit_id]

    @property
    def years(self) -> list[YearSummary]:
        return [self.year(y) for y in sorted(self.by_year, reverse=True)]

    def year(self, year: int) -> YearSummary:
        return YearSummary(year, self.by_year.get(year, []), [b for b in self.broken if b.year == year],
                           self.others.get(year, []))


class Renderer:
    """Renders each kind of page; one page at a time, so that the preview can re-render just one."""

    def __init__(
        self,
        levels: dict[str, Level],
        options: PageOptions,
        settings: dict[str, Any],
        memo: MutableMapping[Any, str] | None = None,
    ):
        self.env = environment()
        self.options = options
        # Declaration pages by their inputs: the preview re-renders only what a saved file changed.
        # Callers share a memo only between renderers with the same levels and settings.
        self.memo: MutableMapping[Any, str] = {} if memo is None else memo
        # The forms of one unit and year (its own and those of other kinds): the pages link to each other.
        self.unit_forms: dict[tuple[int, str], list[Document]] = {}
        self.common = {"options": options, "settings": settings, "levels": levels, "totals": totals,
                       "project_spending": project_spending, "indicator_count": indicator_count,
                       "no_projects": no_projects, "unit_form": self.unit_form, "other_forms": self.other_forms,
                       "kind_of": lambda doc: kind_of(doc.decl), "form_named": self.form_named,
                       "target_of": self.target_of, "result_of": self.result_of,
                       "result_history": result_history, "history_chart": history_chart}

    def unit_form(self, doc: Document) -> Document | None:
        """The unit's own form (the default kind) of the document's year, if it is on the site."""
        return next((d for d in self._beside(doc) if kind_of(d.decl).name == DEFAULT), None)

    def other_forms(self, doc: Document) -> list[Document]:
        """The forms of the other kinds of the document's unit and year that are on the site."""
        return [d for d in self._beside(doc) if kind_of(d.decl).name != DEFAULT]

    def form_named(self, doc: Document, label: str) -> str:
        """The page name of the other form of the document's unit and year that goes by this label, or ""
        (a 项目支出情况 row names its project's form)."""
        named = (kind_of(d.decl).stem(d.decl) for d in self.other_forms(doc) if kind_of(d.decl).label(d.decl) == label)
        return next(named, "")

    def target_of(self, doc: Document) -> Document | None:
        """The form a self-evaluation evaluates (its kind's `evaluates`), if it is on the site."""
        kind = kind_of(doc.decl)
        key = kind.target_key(doc.decl)
        return next((d for d in self._beside(doc) if kind.evaluates == kind_of(d.decl).name
                     and kind_of(d.decl).key(d.decl) == key), None)

    def result_of(self, doc: Document) -> Document | None:
        """The self-evaluation of a target form, once one is on the site."""
        kind = kind_of(doc.decl)
        return next((d for d in self._beside(doc) if kind_of(d.decl).evaluates == kind.name
                     and kind_of(d.decl).target_key(d.decl) == kind.key(doc.decl)), None)

    def _beside(self, doc: Document) -> list[Document]:
        return [d for d in self.unit_forms.get((doc.decl.year, doc.decl.unit_id), []) if d is not doc]

    def _render(self, template: str, **values: Any) -> str:
        return self.env.get_template(template).render(**values, **self.common)

    def declaration(self, doc: Document) -> str:
        problems = self.options.problems.get(str(doc.source.path), [])
        waived = self.options.waived.get(str(doc.source.path), [])
        beside = tuple(d.source.sha256 for d in self._beside(doc))
        key = (str(doc.source.path), doc.source.sha256, tuple(problems), tuple(waived), self.options.preview, beside)
        if key not in self.memo:
            kind = kind_of(doc.decl)
            edition = kind.edition(doc.decl)  # the print the page lays out (None: a kind with one print)
            self.memo[key] = self._render(edition.template if edition and edition.template else kind.template,
                                          decl=doc.decl, doc=doc, problems=problems, edition=edition,
                                          waived=waived, banners=banners(doc, self.options))
        return self.memo[key]

    def broken(self, item: Broken) -> str:
        return self._render("broken.md.j2", item=item)

    def year(self, summary: YearSummary) -> str:
        return self._render("year.md.j2", summary=summary, banners=archive_banners(self.options, "archive_note/"))

    def home(self, corpus: Corpus) -> str:
        return self._render("home.md.j2", years=corpus.years)

    def units(self, corpus: Corpus) -> str:
        return self._render("units.md.j2", by_unit=corpus.by_unit)

    def unit(self, docs: list[Document], others: Sequence[Document] = ()) -> str:
        """A unit's history: its own forms year by year, then its forms of the other kinds (by their sources,
        in the memo with the declaration pages: the page shows nothing else but what the memo's owner shares)."""
        key = ("unit", tuple((str(d.source.path), d.source.sha256) for d in [*docs, *others]), self.options.preview)
        if key not in self.memo:
            self.memo[key] = self._render("unit.md.j2", unit_id=docs[-1].decl.unit_id, docs=docs, others=list(others))
        return self.memo[key]

    def problem_list(self, corpus: Corpus) -> str:
        return self._render("problems.md.j2", corpus=corpus, broken=corpus.broken)

    def portal(self, corpus: Corpus) -> dict[str, str]:
        pages = {"index.md": self.home(corpus), "units/index.md": self.units(corpus)}
        pages.update({f"units/{unit_id}.md": self.unit(docs, corpus.others_of(unit_id))
                      for unit_id, docs in corpus.by_unit.items()})
        if self.options.preview:
            pages["problems.md"] = self.problem_list(corpus)
        return pages

    def year_pages(self, summary: YearSummary, part: slice | None = None) -> Iterator[tuple[str, str]]:
        """(path, Markdown) of a year's site, one page at a time: a build writes each as it comes.

        `part`: only these of the year's forms' pages (`year_forms`), and the year's other pages only with the
        part starting at 0 — so that parts rendered side by side make the year's pages once each.
        """
        docs = year_forms(summary)
        whole = part is None or not part.start
        if whole:
            yield "index.md", self.year(summary)
            if self.options.archive_page:
                yield "archive_note.md", self.options.archive_page
        for doc in docs:  # every form of the year, also outside the part: the pages link to each other
            group = self.unit_forms.setdefault((doc.decl.year, doc.decl.unit_id), [])
            if all(d is not doc for d in group):
                group.append(doc)
        for doc in docs[part or slice(None)]:
            yield kind_of(doc.decl).page(doc.decl), self.declaration(doc)
        if whole:
            for b in summary.broken:
                yield f"{b.slug}.md", self.broken(b)

    def pages(self, corpus: Corpus) -> Iterator[tuple[str, str, str]]:
        """(site, path, Markdown) of every page: the portal, then one site per year."""
        for src, text in self.portal(corpus).items():
            yield PORTAL, src, text
        for summary in corpus.years:
            for src, text in self.year_pages(summary):
                yield str(summary.year), src, text

    def sites(self, corpus: Corpus) -> dict[str, dict[str, str]]:
        """Every page as Markdown, by site and path in its docs_dir."""
        sites: dict[str, dict[str, str]] = {}
        for key, src, text in self.pages(corpus):
            sites.setdefault(key, {})[src] = text
        return sites


def form_page_names(summary: YearSummary) -> list[str]:
    """The names of a year's declaration pages (of every kind), in the order Renderer.year_pages makes them."""
    return [kind_of(doc.decl).page(doc.decl) for doc in year_forms(summary)]


def year_forms(summary: YearSummary) -> list[Document]:
    """The forms with a page on the year's site, in the order its pages are made (Renderer.year_pages)."""
    return [*summary.docs, *summary.others]


def render_sites(
    docs: Sequence[Document],
    levels: dict[str, Level],
    options: PageOptions,
    settings: dict[str, Any],
    broken: Sequence[Broken] = (),
) -> dict[str, dict[str, str]]:
    """Every page of every site as Markdown (see Renderer.sites)."""
    return Renderer(levels, options, settings).sites(Corpus.of(docs, broken))


def archive_banners(options: PageOptions, manifest_href: str) -> list[Banner]:
    """The archive banner, linking to the 归档说明 page at the root of the year's snapshot."""
    return [Banner("archive", options.archive_banner, manifest_href)] if options.archive_banner else []


def banners(doc: Document, options: PageOptions) -> list[Banner]:
    out = archive_banners(options, "../archive_note/")
    if options.preview:
        out.append(Banner("preview", "预览：本页为内部预览，尚未公开，可能含草稿与未打码的个人信息。"))
    if doc.decl.status == "draft":
        out.append(Banner("draft", "草稿：本申报表状态为草稿，不会出现在公开网站上。"))
    return out
