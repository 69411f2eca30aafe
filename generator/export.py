"""Publish stage, open data: each declaration's downloads (YAML, JSON, CSV, XLSX) and the data packages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from . import cache, datapackage, forms, xlsx
from .config import Project, public_filer_fields
from .datapackage import (
    Cell,
    Table,
    csv_bytes,
    package_files,
    table_rows,
)
from .forms import kind_of
from .forms.base import Block
from .load import _INVALID, _Loader, compose, convert
from .model import Document, Form, Money, Share
from .privacy import mask_text
from .render import PORTAL, PageOptions, environment
from .schema import schema_files

DOWNLOADS = forms.KINDS[forms.DEFAULT].downloads  # the units' own forms: what the 数据下载 page lists per unit


# -- JSON and YAML ------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """The model as JSON data: amounts and shares as their filed text, dates ISO, every field present."""
    if isinstance(value, (Money, Share)):
        return value.text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    return str(value)


def declaration_json(decl: Form) -> bytes:
    return (json.dumps(plain(decl), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def withhold(decl: Form, show_filer: str) -> Form:
    """What the page shows of the filer (site_config show_filer): the downloads show no more."""
    shown = public_filer_fields(show_filer)
    hidden = {name: None for name, policy in kind_of(decl).filer_fields.items() if policy not in shown}
    return dataclasses.replace(decl, **hidden) if hidden else decl


def reload(path: Path, text: str) -> Form | None:
    """The form a YAML text loads as (of the kind it declares), or None if it does not load cleanly."""
    node, problems = compose(path, text)
    if node is None or problems:
        return None
    decl, converter = convert(path, node)
    return None if decl is _INVALID or converter.problems else decl


def blank_fields(text: str, names: Iterable[str]) -> str:
    """The text with these top-level keys' values replaced by ~ (comments and all else kept)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # pure Python: marks index characters
    spans = [(value.start_mark.index, value.end_mark.index)
             for key, value in (root.value if isinstance(root, yaml.MappingNode) else [])
             if key.value in set(names)]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + "~" + text[end:]
    return text


GENERATED_NOTE = "# 本文件由公开数据生成：原文件无法逐字打码，故按公开的内容重新写出。\n"


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """Where each scalar (key or value) stands in the text, in order: from the parser's events, which carry
    the same marks as the composed nodes without resolving every scalar's tag (half the cost of composing)."""
    return sorted((event.start_mark.index, event.end_mark.index)
                  for event in yaml.parse(text, Loader=_Loader)
                  if isinstance(event, yaml.ScalarEvent) and event.start_mark and event.end_mark)


_COMMENT = re.compile(r"[ \t]*#[^\r\n]*")
_BLOCK_HEADER_COMMENT = re.compile(r"^([|>][0-9+-]*)[ \t]+#[^\r\n]*")


# Blank and comment lines at the top of a file (a form's heading comment), each ended by a line break.
_HEAD_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\r\n\x85\u2028\u2029]*)?(?:\r\n|\r|\n))*")


def strip_comments(text: str) -> str:
    """The text without its comments (internal remarks, not published), every line kept where it was.

    Outside the scalars only structure, blanks and comments stand in a YAML text, so every `#` there starts
    a comment; inside a scalar only a block scalar's header line (`|  # …`) can hold one.
    A text whose only `#` are in comment lines at its top (most forms: a heading comment) needs no parse: no
    scalar starts before them, and without a `#` the rest is kept as it is (the same as the parse gives).
    """
    head = _HEAD_COMMENTS.match(text)
    if head and "#" not in text[head.end():]:
        return _COMMENT.sub("", head[0]) + text[head.end():]
    return _strip_parsed(text)


def _strip_parsed(text: str) -> str:
    """strip_comments of any text, the scalars found by parsing it."""
    out, at = [], 0
    for start, end in _scalar_spans(text):
        if start < at:  # (a scalar is never inside another; keep the text as is if marks ever overlap)
            continue
        out.append(_COMMENT.sub("", text[at:start]))
        out.append(_BLOCK_HEADER_COMMENT.sub(r"\1", text[start:end]))
        at = end
    out.append(_COMMENT.sub("", text[at:]))
    return "".join(out)


def source_yaml(doc: Document, decl: Form, *, masked: bool) -> str:
    """The file as filed without its comments, masked (and withheld fields blanked) as the page is.

    The result is loaded back and must give exactly the published declaration; where it does not
    (the file changed since the check, a number hides in an escape or is folded across lines differently,
    a comment's removal changed a value), the YAML is written out from the published model instead,
    so that no byte of it says more, or other, than the page.
    The preview (unmasked) shows the file as filed, comments included.
    """
    try:
        raw = doc.source.path.read_bytes()
    except OSError:
        raw = b""
    if hashlib.sha256(raw).hexdigest() == doc.source.sha256:
        text = raw.decode("utf-8")
        withheld = [n for n in kind_of(decl).filer_fields
                    if getattr(decl, n) is None and getattr(doc.decl, n) is not None]
        if withheld:
            text = blank_fields(text, withheld)
        if masked:
            try:
                text = mask_text(strip_comments(text))
            except yaml.YAMLError:
                text = ""  # (checked files compose: never, but then it is written out below)
        elif not withheld:
            return text
        if reload(doc.source.path, text) == decl:
            return text
    text = GENERATED_NOTE + yaml.safe_dump(plain(decl), allow_unicode=True, sort_keys=False, width=10_000)
    if reload(doc.source.path, text) != decl:
        raise ValueError(f"{doc.source.path}: 无法生成与公开内容一致的 YAML")
    return text


# -- per-declaration tables (CSV for Excel, XLSX) ----------------------------------------------


def excel_csv(block: Block) -> bytes:
    return csv_bytes(block[0], block[1], for_excel=True)


_MAX_DIGITS = 15  # Excel keeps 15 significant digits: beyond, a number cell would not show the filed text


def _number(text: str) -> tuple[Decimal, str] | None:
    """(value, number format) showing exactly `text` in Excel, or None if a number cannot."""
    whole, _, decimals = text.partition(".")
    if len((whole + decimals).lstrip("0")) > _MAX_DIGITS:
        return None
    return Decimal(text), "0." + "0" * len(decimals) if decimals else "0"


def xlsx_cell(value: Cell) -> xlsx.XCell:
    """One cell. Amounts become numbers whose XML value is the filed text, shown with the filed decimals
    (beyond Excel's 15 digits they stay text); text is never a formula (inline strings are never evaluated)."""
    if isinstance(value, (Money, Share)):
        number = _number(value.text.rstrip("%"))
        if number is None:
            return value.text
        amount, fmt = number
        if isinstance(value, Share):
            return xlsx.Number(format(amount.scaleb(-2), "f"), fmt + "%", value.text)
        return xlsx.Number(value.text, fmt)
    if isinstance(value, dt.date):
        return xlsx.date(value)
    if isinstance(value, bool):
        return datapackage.cell_text(value)  # 是/否, as in the CSVs
    if isinstance(value, int):
        return xlsx.Number(str(value))
    if value is None:
        return None
    return str(value) if not isinstance(value, list) else json.dumps(value, ensure_ascii=False)


def xlsx_sheet(title: str, blocks: list[Block]) -> xlsx.Sheet:
    """A worksheet of blocks, each a bold header row and its rows, a blank row between blocks."""
    sheet = xlsx.Sheet(title)
    for i, (head, rows) in enumerate(blocks):
        if i:
            sheet.skip()
        sheet.add(head, bold=True)
        for cells in rows:
            sheet.add([xlsx_cell(value) for value in cells])
    return sheet


def workbook_bytes(decl: Form) -> bytes:
    """The XLSX workbook (generator/xlsx.py: the same form gives the same bytes), its sheets the kind's."""
    kind = kind_of(decl)
    assert kind.sheets, f"{kind.name}: no workbook"
    return xlsx.workbook([xlsx_sheet(title, blocks) for title, blocks in kind.sheets(decl)],
                         title=kind.workbook_title(decl), creator="disclose",
                         created=dt.datetime.combine(_created(decl), dt.time()))


def _created(decl: Form) -> dt.date:
    """The workbook's creation date: its 填报日期, or (a self-evaluation or a 湖南 print may have none) 1 January of its
    budget year, so that one form always gives the same bytes; no cell shows it."""
    filed: dt.date | None = getattr(decl, "filing_date", None)
    return filed or dt.date(int(decl.year), 1, 1)


@functools.cache
def _code_version() -> str:
    """What the download bytes depend on besides the data: every module of the generator (the kinds' models,
    tables and sheets moved between modules before: naming a few let a cache outlive a change) and the
    Unicode tables the mask reads digits with."""
    digest = hashlib.sha256(unicodedata.unidata_version.encode())
    for module in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(module.as_posix().encode() + module.read_bytes())
    return digest.hexdigest()


def _cache_path(cache: Path | None, decl: Form, data: bytes) -> Path | None:
    """Where the workbook of this declaration's JSON is cached: same data and code, same workbook."""
    key = hashlib.sha256(_code_version().encode() + data).hexdigest()
    return cache / str(decl.year) / f"{key}.xlsx" if cache else None


def workbook(decl: Form, data: bytes, cache: Path | None) -> tuple[bytes, Path | None]:
    """The declaration's workbook (~5 ms to make): from the cache where the declaration and the code are
    unchanged, else made and cached."""
    path = _cache_path(cache, decl, data)
    if path and path.is_file():
        return path.read_bytes(), path
    book = workbook_bytes(decl)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(book)
        temporary.replace(path)
    return book, path


def workbooks(decls: Sequence[Form], cache: Path | None = None) -> list[bytes]:
    """Every declaration's workbook, each from the cache or made (see `workbook`)."""
    return [workbook(d, declaration_json(d), cache)[0] for d in decls]


def drop_stale(used: Iterable[Path]) -> None:
    """In the cache folders of the years built, drop the workbooks no longer made."""
    kept = set(used)
    for folder in {p.parent for p in kept}:
        for stale in set(folder.iterdir()) - kept:
            stale.unlink()


# document, published declaration, masked, cache folder, the files' name in it ("": named by their data)
Job = tuple[Document, Form, bool, "Path | None", str]


def _download(job: Job) -> tuple[dict[str, bytes], Path | None]:
    """One declaration's files: from the cache where the declaration, its source file and the code are
    unchanged (a rebuild after one file changed makes one declaration's files), else made and cached."""
    doc, decl, masked, _, _ = job
    data = declaration_json(decl)
    path = files_path(job, data)
    if path and path.is_file():
        with zipfile.ZipFile(path) as stored:
            return {name: stored.read(name) for name in stored.namelist()}, path
    files = declaration_files(doc, decl, workbook(decl, data, None)[0], data, masked=masked)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as stored:
            for name, content in files.items():
                stored.writestr(name, content)
        temporary.replace(path)
    return files, path


@functools.cache
def _files_version() -> bytes:
    """What a declaration's files depend on besides its data and source: the code that makes, masks and
    re-loads them (the YAML download is loaded back to be compared with the page)."""
    return hashlib.sha256(_code_version().encode() + yaml.__version__.encode()).digest()


def files_path(job: Job, data: bytes | None = None) -> Path | None:
    """Where one declaration's files are cached: named by the job (see download_jobs) or else by the published
    data (`data`: its declaration_json, made here if not given), the source file and the code."""
    doc, decl, masked, cache, name = job
    if cache is None:
        return None
    if not name:
        data = declaration_json(decl) if data is None else data
        name = hashlib.sha256(_files_version() + doc.source.sha256.encode() + (b"M" if masked else b"U")
                              + data).hexdigest()
    return cache / str(doc.decl.year) / f"{name}.zip"


Spooled = tuple[list[str], "Path | None"]  # the names written to the spool, the workbook's cache path


def spool_job(spool: Path, job: Job) -> Spooled:
    """Make one job's files and write them to spool/<year>/ (a worker's disk, not the parent's memory)."""
    files, path = _download(job)
    folder = spool / str(job[1].year)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return list(files), path


def place_spooled(trees: Mapping[int, Path], jobs: Sequence[Job], made: Sequence[Spooled], spool: Path,
                  options: PageOptions) -> None:
    """Make each year's spooled files its `data/` in the built tree (year → site folder): the few files MkDocs
    put there (the data packages) are moved into the spool's year folder, which then takes data/'s place:
    one rename a year, not one a file (60,000 at N = 10,000). A name made twice is refused (the preview keeps
    MkDocs' file, or one of the two)."""
    names: dict[int, list[str]] = defaultdict(list)
    for (_, decl, *_), (spooled, _) in zip(jobs, made, strict=True):
        names[decl.year] += spooled
    for year, listed in names.items():
        data, folder = trees[year] / "data", spool / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        unique = set(listed)
        stray = sorted(set(os.listdir(folder)) - unique)
        if stray:  # (every writer of the spool records what it wrote: never but for a bug)
            raise ValueError(f"下载暂存目录中有未记录的文件：{'、'.join(stray[:5])}")
        twice = sorted(name for name, count in Counter(listed).items() if count > 1)
        for name in sorted(os.listdir(data)) if data.is_dir() else []:
            if name in unique:
                twice.append(name)
            os.replace(data / name, folder / name)
        if twice and not options.preview:  # a unit named "datapackage", say
            raise ValueError(f"数据下载文件重名：data/{twice[0]}")
        if data.is_dir():
            data.rmdir()
        folder.rename(data)
    drop_stale(path for _, path in made if path)


def declaration_files(doc: Document, decl: Form, workbook: bytes, data: bytes, *,
                      masked: bool) -> dict[str, bytes]:
    """One form's downloads as its kind declares them: `<stem>.xlsx`, its CSVs, `.json` and `.yaml`."""
    kind = kind_of(decl)
    stem = kind.stem(decl)
    files = {
        f"{stem}.xlsx": workbook,
        **{stem + suffix: excel_csv(block) for suffix, block in kind.csvs(decl).items()},
        f"{stem}.json": data,
        f"{stem}.yaml": source_yaml(doc, decl, masked=masked).encode("utf-8"),
    }
    assert list(files) == [stem + d.suffix for d in kind.offered(decl)]
    return files


# -- the whole: files into the sites, and the 数据下载 page -------------------------------------


@dataclass(frozen=True)
class Package:
    """A data package as the 数据下载 page lists it."""

    title: str
    href: str  # the folder holding datapackage.json, relative to the page
    sizes: dict[str, int]


@dataclass(frozen=True)
class YearFiles:
    year: int
    package: Package
    decls: list[Form]


def _add(site: MutableMapping[str, str | bytes], files: dict[str, bytes], *, strict: bool) -> None:
    for name, data in files.items():
        if "data/" + name not in site:
            site["data/" + name] = data
        elif strict:  # a unit named "datapackage", say; the preview keeps going and shows the first
            raise ValueError(f"数据下载文件重名：data/{name}")


def add_downloads(
    sites: Mapping[str, MutableMapping[str, str | bytes]],
    docs: Sequence[Document],
    project: Project,
    options: PageOptions,
) -> None:
    """Put every download into the sites, one declaration after another (the build makes the
    declarations' files in its worker pool instead: see build.build_sites): per declaration and per
    year under `/<year>/data/`, the all-years package, the JSON Schema and the 数据下载 page in the portal.

    A year whose site is not being built (an archived year) keeps the files of its snapshot; its
    declarations are still in the all-years package.
    """
    jobs = download_jobs(sites, docs, project, options)
    place_downloads(sites, jobs, [_download(job) for job in jobs], options)
    add_packages(sites, docs, project, options)


def _published(docs: Sequence[Document], options: PageOptions) -> list[tuple[Document, Form]]:
    """The documents in a stable order, each with its declaration as downloads show it (show_filer)."""
    ordered = sorted(docs, key=lambda d: (d.decl.year, d.decl.unit_id, kind_of(d.decl).stem(d.decl)))
    return [(doc, withhold(doc.decl, options.show_filer)) for doc in ordered]


def _cache(project: Project, options: PageOptions) -> Path:
    return project.build / "cache" / ("preview-downloads" if options.preview else "downloads")


def download_jobs(sites: Mapping[str, object], docs: Sequence[Document], project: Project,
                  options: PageOptions, keys: Mapping[Path, str] | None = None) -> list[Job]:
    """One job per declaration of the years being built (an archived year keeps its snapshot's files).

    `keys`: the forms' check-cache keys by file (Report.keys). A form's files are a function of what its key
    is made of (the file's bytes and path, the context, the code) and of show_filer and the masking: named by
    those, they are found in the cache without the form's JSON (~1 ms a form, every build).
    """
    folder, keys = _cache(project, options), keys or {}
    return [(doc, decl, not options.preview, folder, published_name(keys, doc, options, "files"))
            for doc, decl in _published(docs, options) if str(decl.year) in sites]


def published_name(keys: Mapping[Path, str], doc: Document, options: PageOptions, what: str) -> str:
    """A name for what is made of one published form alone (`what`: its files, its rows), from its check key
    (the key holds the code already; the preview's forms are unmasked); "" where the key is not known."""
    key = keys.get(doc.source.path)
    return cache.key(key, what, repr((options.show_filer, options.preview))) if key else ""


def place_downloads(sites: Mapping[str, MutableMapping[str, str | bytes]], jobs: Sequence[Job],
                    made: Sequence[tuple[dict[str, bytes], Path | None]], options: PageOptions) -> None:
    """Write each declaration's files under its year's `data/`; drop workbooks no longer made from the cache."""
    for (_, decl, *_), (files, _) in zip(jobs, made, strict=True):
        _add(sites[str(decl.year)], files, strict=not options.preview)
    drop_stale(path for _, path in made if path)


def add_packages(
    sites: Mapping[str, MutableMapping[str, str | bytes]],
    docs: Sequence[Document],
    project: Project,
    options: PageOptions,
    kept: Mapping[int, Path] | None = None,
    keys: Mapping[Path, str] | None = None,
) -> None:
    """The data packages of each year built and of all years, the JSON Schema and the 数据下载 page.

    A year copied in rather than built (`kept`: year → its site folder, archived or kept by `build --year`)
    is still listed on the page, with the files that site holds. `keys`: the forms' check-cache keys by file
    (Report.keys), which spare PackageRows the forms' repr.
    """
    settings = project.settings
    strict = not options.preview
    site_name = str(settings.get("site_name") or "部门整体支出绩效目标公开")
    homepage = str(settings["site_url"]).rstrip("/") + "/data/" if settings.get("site_url") else ""
    by_year: dict[int, list[Form]] = defaultdict(list)
    names: dict[int, str] = {}  # a published form's PackageRows name by id(form), where its check key is known
    for doc, decl in _published(docs, options):
        by_year[decl.year].append(decl)
        name = published_name(keys or {}, doc, options, "rows")
        if name:
            names[id(decl)] = name
    rows = PackageRows(project.build / "cache" / ("preview-packages" if options.preview else "packages"), names)
    parts = {year: _year_rows(year_decls, rows) for year, year_decls in sorted(by_year.items())}
    rows.keep_used()
    tables = all_tables()
    years = []
    for year in sorted(by_year, reverse=True):
        title = f"{site_name}：{year} 年度数据"
        if str(year) in sites:
            package = package_files(f"performance-targets-{year}", title, _DESCRIPTION, [parts[year]], homepage,
                                    tables)
            _add(sites[str(year)], package, strict=strict)
            years.append(YearFiles(year, Package(title, f"../{year}/data/", _sizes(package)), _units(by_year[year])))
            del package  # (a big year's CSVs: not held beside the all-years package's)
        elif kept and (kept[year] / "data" / "datapackage.json").is_file():
            years.append(_kept_year(year, title, kept[year] / "data", _units(by_year[year])))
    title = f"{site_name}：全部年度数据"
    files = package_files("performance-targets", title, _DESCRIPTION, list(parts.values()), homepage, tables)
    files.update({name: text.encode("utf-8") for name, text in schema_files().items()})
    _add(sites[PORTAL], files, strict=strict)
    sites[PORTAL]["data/index.md"] = environment().get_template("data.md.j2").render(
        settings=settings, tables=tables, everything=Package(title, "", _sizes(files)), years=years,
        downloads=DOWNLOADS, offered=_offered,
        schemas=[(k.schema_file, "申报表" if k.name == forms.DEFAULT else k.title) for k in forms.KINDS.values()])


_DESCRIPTION = ("部门整体支出绩效目标申报表的公开数据：表头、资金情况、项目支出、文字条目、绩效目标与绩效指标。"
                "金额与占比为原表文字；个人手机号已打码；只含已公开的申报表。")


def _offered(decl: Form) -> set[str]:
    """The download suffixes a form has (the 数据下载 page links no table its print lacks)."""
    return {d.suffix for d in kind_of(decl).offered(decl)}


def all_tables() -> list[Table]:
    """Every kind's data package tables, the default kind's first."""
    return [t for kind in forms.KINDS.values() for t in kind.tables]


class PackageRows:
    """Each form's rows of its kind's data package tables (CSV without a header: a year's part of a table is
    its forms' parts one after another), kept in a cache folder by the form's published content (its repr:
    every field, amounts with their filed text and exponent) and the code, so that a rebuild makes only the
    changed forms' rows (issue 18: ~0.7 ms a form, every build, for every published form of every year)."""

    def __init__(self, folder: Path, names: Mapping[int, str] | None = None):
        self.store = cache.Store(folder, ".pickle")  # (the project's own build/: as trusted as its code)
        self.used: list[str] = []
        # A form's name by id(form), made of what the form is a function of (its check key, show_filer,
        # masked or not): as determining as its repr, without writing out every field (0.4 ms a form).
        self.names = names or {}

    def of(self, decl: Form) -> dict[str, bytes]:
        tables = kind_of(decl).tables
        name = self.names.get(id(decl)) or cache.key(cache.code_version(), repr(decl))
        self.used.append(name)
        entry = self.store.get(name)
        if entry is not None:
            try:
                rows = pickle.loads(entry)
            except Exception:  # (a damaged entry: made anew)
                rows = None
            if isinstance(rows, dict) and list(rows) == [t.name for t in tables]:
                return rows
        rows = table_rows([decl], tables)
        self.store.put(name, pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
        return rows

    def keep_used(self) -> None:
        self.store.keep_only(self.used)


def _year_rows(decls: Sequence[Form], rows: PackageRows) -> dict[str, bytes]:
    """A year's part of each table: every kind's tables filled with that kind's forms."""
    pending: dict[tuple[str, str], list[bytes]] = defaultdict(list)  # (kind, table) → its forms' rows, in order
    for decl in decls:
        kind = kind_of(decl).name
        for name, data in rows.of(decl).items():
            pending[(kind, name)].append(data)
    out: dict[str, bytes] = {}
    for kind_ in forms.KINDS.values():  # each table joined and its pieces let go (one copy held, not two)
        for table in kind_.tables:
            out[table.name] = b"".join(pending.pop((kind_.name, table.name), []))
    return out


def _units(decls: Sequence[Form]) -> list[Form]:
    """The units' own forms (the default kind): the 数据下载 page lists their downloads."""
    return [d for d in decls if kind_of(d).name == forms.DEFAULT]


def _kept_year(year: int, title: str, data: Path, decls: list[Form]) -> YearFiles:
    """A year's entry from the files its published site holds (no link to a file that site lacks)."""
    names = ["datapackage.json", *(f"{t.name}.csv" for t in all_tables())]
    sizes = {name: (data / name).stat().st_size for name in names if (data / name).is_file()}
    listed = [decl for decl in decls if (data / f"{decl.unit_id}.json").is_file()]
    return YearFiles(year, Package(title, f"../{year}/data/", sizes), listed)


def _sizes(files: dict[str, bytes]) -> dict[str, int]:
    return {name: len(data) for name, data in files.items()}

