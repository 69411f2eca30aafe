"""Render stage: declarations → Markdown pages (Jinja2, autoescaped) as a {relative path: text} map."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .chart import bar_chart
from .config import Level
from .model import Declaration, Document, FundingRow, FundingTotal, Indicator, Money
from .problems import Problem

_MARKER = re.compile(
    r"^\s*((?:\d+|[一二三四五六七八九十]+)\s*[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[①-⑳]|目标\s*\d+\s*[：:])\s*"
)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>])")


def split_marker(text: str) -> tuple[str, str]:
    """("1.", "宣传…") for a list entry as filed; ("", text) when it carries no marker."""
    match = _MARKER.match(text)
    return (match[1], text[match.end():]) if match else ("", text)


def md_inline(text: str) -> Markup:
    """Text for a Markdown inline context (headings): HTML-escaped, Markdown syntax backslashed."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))).replace("\n", " "))


def amount(value: Money | Decimal | None) -> str:
    if value is None:
        return "—"
    return value.text if isinstance(value, Money) else _plain(value)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- view models -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    derived: bool = False  # computed by disclose because the form left it to be derived


@dataclass(frozen=True)
class FundingLine:
    name: str
    cells: tuple[Cell, ...]  # amount, share, history…
    total: bool = False


def _sum(values: Iterable[Money | None]) -> Decimal | None:
    vals = list(values)
    return None if not vals or None in vals else sum((v.value for v in vals if v), Decimal(0))


def funding_lines(rows: Sequence[FundingRow], total: FundingTotal | None, width: int) -> list[FundingLine]:
    """The rows as filed, then the total as filed or, where the form left it blank, derived."""
    sum_current = _sum(r.amount for r in rows)
    base = total.amount.value if total and total.amount else sum_current
    lines = []
    for r in rows:
        share = Cell(r.share.text) if r.share else _derived_share(r.amount, base)
        hist = [Cell(amount(r.history[i] if i < len(r.history) else None)) for i in range(width)]
        lines.append(FundingLine(r.name, (Cell(amount(r.amount)), share, *hist)))
    filed = total or FundingTotal()
    cells = [_filed_or_derived(filed.amount, sum_current)]
    cells.append(Cell(filed.share.text) if filed.share else Cell("100%", True) if base else Cell("—"))
    for i in range(width):
        own = filed.history[i] if i < len(filed.history) else None
        cells.append(_filed_or_derived(own, _sum(r.history[i] if i < len(r.history) else None for r in rows)))
    return [*lines, FundingLine("合计", tuple(cells), total=True)]


def _filed_or_derived(filed: Money | None, derived: Decimal | None) -> Cell:
    if filed is not None:
        return Cell(filed.text)
    return Cell(amount(derived), derived is not None)


def _derived_share(value: Money | None, base: Decimal | None) -> Cell:
    if value is None or not base:
        return Cell("—")
    return Cell(f"{value.value * 100 / base:.2f}%", True)


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
            for ind in inds or [None]:
                rows.append(MatrixRow(level1, 0, level2, 0, ind))
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


# -- templates ---------------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,  # every template emits HTML inside Markdown
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_inline, amount=amount, split_marker=split_marker, tojson_zh=_tojson)
    env.globals.update(matrix_rows=matrix_rows, funding_lines=funding_lines, bar_chart=bar_chart)
    return env


def _tojson(value: Any) -> Markup:
    """A JSON (hence YAML) string literal for front matter, with no raw HTML-significant chars."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@dataclass(frozen=True)
class YearSummary:
    year: int
    docs: list[Document]

    @property
    def income(self) -> Decimal:
        return sum((totals(d.decl)[0] or Decimal(0) for d in self.docs), Decimal(0))

    @property
    def expenditure(self) -> Decimal:
        return sum((totals(d.decl)[1] or Decimal(0) for d in self.docs), Decimal(0))


def totals(decl: Declaration) -> tuple[Decimal | None, Decimal | None]:
    """Income and expenditure totals of the current year: as filed, else derived from the rows."""
    f = decl.funding
    if not f:
        return None, None
    inc = f.income_total.amount.value if f.income_total and f.income_total.amount else _sum(
        r.amount for r in f.income)
    exp = f.expenditure_total.amount.value if f.expenditure_total and f.expenditure_total.amount else _sum(
        r.amount for r in f.expenditure)
    return inc, exp


def project_spending(decl: Declaration) -> str:
    rows = [r for r in (decl.funding.expenditure if decl.funding else ()) if r.name == "项目支出"]
    return amount(rows[0].amount) if rows else "—"


def indicator_count(decl: Declaration) -> int:
    return len(decl.long_term.indicators) + sum(len(g.indicators) for g in decl.annual.goals)


def declaration_url(decl: Declaration) -> str:
    return f"{decl.year}/{decl.unit_id}/"


PORTAL = ""  # the key of the portal site; year sites are keyed by their year


def render_sites(
    docs: Sequence[Document],
    levels: dict[str, Level],
    options: PageOptions,
    settings: dict[str, Any],
) -> dict[str, dict[str, str]]:
    """Every page as Markdown, by site (the portal, then one site per year) and path in its docs_dir."""
    env = environment()
    by_year: dict[int, list[Document]] = defaultdict(list)
    by_unit: dict[str, list[Document]] = defaultdict(list)
    for doc in sorted(docs, key=lambda d: (d.decl.year, d.decl.unit_id)):
        by_year[doc.decl.year].append(doc)
        by_unit[doc.decl.unit_id].append(doc)
    years = [YearSummary(y, by_year[y]) for y in sorted(by_year, reverse=True)]
    common = {"options": options, "settings": settings, "levels": levels, "totals": totals,
              "project_spending": project_spending, "indicator_count": indicator_count}
    portal = {
        "index.md": env.get_template("home.md.j2").render(years=years, **common),
        "units/index.md": env.get_template("units.md.j2").render(by_unit=by_unit, **common),
    }
    unit_page = env.get_template("unit.md.j2")
    for unit_id, unit_docs in by_unit.items():
        portal[f"units/{unit_id}.md"] = unit_page.render(unit_id=unit_id, docs=unit_docs, **common)
    sites = {PORTAL: portal}
    page, year_page = env.get_template("declaration.md.j2"), env.get_template("year.md.j2")
    for summary in years:
        pages = {"index.md": year_page.render(summary=summary, **common)}
        for doc in summary.docs:
            problems = options.problems.get(str(doc.source.path), [])
            pages[f"{doc.decl.unit_id}.md"] = page.render(
                decl=doc.decl, doc=doc, problems=problems, banners=banners(doc, options), **common)
        sites[str(summary.year)] = pages
    return sites


def banners(doc: Document, options: PageOptions) -> list[Banner]:
    out = []
    if options.preview:
        out.append(Banner("preview", "预览：本页为内部预览，尚未公开，可能含草稿与未打码的个人信息。"))
    if doc.decl.status == "draft":
        out.append(Banner("draft", "草稿：本申报表状态为草稿，不会出现在公开网站上。"))
    return out
