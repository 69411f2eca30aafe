"""The build command: check → mask → render → MkDocs → publish, writing nothing unless all is well."""

from __future__ import annotations

import calendar
import dataclasses
import fcntl
import functools
import gzip
import hashlib
import os
import re
import shutil
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import (
    archive,
    cache,
    check_cache,
    export,
    leaks,
    privacy,
    publish,
    published_downloads,
    render,
    render_cache,
    search,
    site,
    workdir,
    workers,
)
from .check import Context, Report, declaration_files
from .config import FILER_FIELDS, Project
from .errors import DiscloseError
from .forms import KINDS
from .model import Document, Level
from .privacy import mask_text
from .problems import Problem
from .render import PORTAL, Broken, Corpus, PageOptions, Renderer, YearSummary
from .workdir import SiteFiles


@dataclass
class Stages:
    """Wall time of each stage, shown as progress and read by the benchmark."""

    quiet: bool = False
    parallel: bool = True  # build the sites in forked processes
    seconds: dict[str, float] = field(default_factory=dict)

    def progress(self, done: int, total: int) -> None:
        """A line per finished site of a long stage (a big build runs for minutes)."""
        if not self.quiet and total > 1:
            print(f"disclose:   {done}/{total} 个站点已完成", file=sys.stderr, flush=True)

    @contextmanager
    def stage(self, name: str, detail: str = "") -> Iterator[None]:
        if not self.quiet:
            print(f"disclose: {name}{detail} …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


class BuildFailed(DiscloseError):
    """The check found errors; nothing was written (the CLI says what the command left as it was)."""

    def __init__(self, report: Report):
        super().__init__(f"检查发现 {len(report.blocking)} 个错误")
        self.report = report


class Busy(DiscloseError):
    """Another build or archive of the same project is running; nothing was done."""

    says_untouched = True


@contextmanager
def project_lock(project: Project, command: str, output: str = "public") -> Iterator[None]:
    """One writing command at a time per output of a project (`public`: build and archive, which freezes
    what build publishes and shares its cache; `preview`): two would wipe each other's work folder
    (build/public …), staging and target. A second one is refused at once, naming the first; the lock
    (flock on build/<output>.lock) goes with the process holding it, however it ends: a killed build
    never blocks the next one."""
    project.build.mkdir(parents=True, exist_ok=True)
    with open(project.build / f"{output}.lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "另一个进程"
            raise Busy(f"本项目的另一个命令正在运行（{holder}），请等它结束后再试；未做任何改动") from None
        handle.truncate(0)
        handle.write(f"进程 {os.getpid()}：disclose {command}")
        handle.flush()
        yield


def source_date_epoch(docs: Sequence[Document]) -> int:
    """A build date taken from the content itself, so that two builds of it are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    dates = [d for doc in docs for d in (doc.decl.filing_date, getattr(doc.decl, "publication_date", None)) if d]
    newest = max(dates, default=None)
    return calendar.timegm(newest.timetuple()) if newest else 0


def check_all(project: Project, stages: Stages) -> Report:
    if stages.parallel and not _pages_cached(project):  # (its imports beside the check; see workers.fresh_pool)
        workers.start_fork_server(("generator.segmenter",))
    with stages.stage("检查"):
        files = declaration_files([project.content]) if project.content.exists() else []
        ctx = Context(project.levels, project.content)  # each file's result cached by its inputs (check_cache)
        return with_config(project, check_cache.check_files(files, ctx, project.build / "cache" / "check",
                                                            stages.parallel))


def _pages_cached(project: Project) -> bool:
    """Whether the build will take most pages from its page cache (a rebuild): few to make, so its MkDocs
    workers are as well forked from the build itself."""
    stores = [cache.Store(path) for path in (project.build / "cache").glob("pages-*")]
    return bool(stores) and all(store.filled() for store in stores)


def with_config(project: Project, report: Report) -> Report:
    """The report with site_config/'s own problems first: they block a public build like any error."""
    return dataclasses.replace(report, problems=[*project.config.problems, *report.problems])


def public_documents(report: Report, years: Sequence[int] = ()) -> list[Document]:
    """What the public may see: published declarations only, mobile numbers masked."""
    masked = report.masked if report.masked is not None else [privacy.masked(doc) for doc in report.documents]
    return [doc for doc in masked if doc.decl.status == "published" and (not years or doc.decl.year in years)]


def waived_problems(report: Report) -> dict[str, list[Problem]]:
    """Waived errors by source file: published with their reasons (docs/problem-codes.md), masked like the page."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in report.problems:
        if p.waived:
            by_file[p.file].append(dataclasses.replace(p, message=mask_text(p.message), waived=mask_text(p.waived)))
    return dict(by_file)


def public_options(project: Project, report: Report, archive_banner: str = "", archive_page: str = "") -> PageOptions:
    """What the public pages show: the configured filer details and the waivers (build and archive alike)."""
    return PageOptions(show_filer=str(project.settings.get("show_filer", "name_and_phone")),
                       archive_banner=archive_banner, archive_page=archive_page, waived=waived_problems(report))


def site_key_dir(key: str) -> str:
    return key or "portal"


RENDER_PARTS = 2  # parts per core a build's declaration pages are rendered in (side by side, in forked workers)
_MIN_RENDER_PART = 50  # pages: a smaller part costs more in its worker's start than it spares


def render_parts(summaries: Sequence[YearSummary], cores: int) -> list[tuple[YearSummary, slice]]:
    """Each year's forms cut into parts of about equal size, RENDER_PARTS per core over all years (a city-year
    of 1,000 forms would otherwise render on one core)."""
    total = sum(len(render.year_forms(s)) for s in summaries)
    size = max(_MIN_RENDER_PART, -(-total // (cores * RENDER_PARTS)))
    return [(s, slice(start, start + size)) for s in summaries
            for start in range(0, max(1, len(render.year_forms(s))), size)]


def _render_part(work: Path, levels: dict[str, Level], options: PageOptions, settings: dict[str, Any],
                 placed: Mapping[int, Mapping[str, str]],
                 part: tuple[YearSummary, slice]) -> tuple[dict[str, list[str]], set[str]]:
    """Write one part of a year's pages (in a worker: parts render side by side); return their names by the
    folder they went to (the year's, or the MkDocs part `placed` gives a page: place_parts) and the render
    cache's entries it used (render_cache: the parent keeps exactly those of every part)."""
    summary, pages = part
    year = str(summary.year)
    folders: dict[str, SiteFiles] = {}
    memo = render_cache.Memo(_markdown_cache(work, summary.year), render_cache.context(levels, options, settings))
    for src, text in Renderer(levels, options, settings, memo).year_pages(summary, pages):
        key = placed[summary.year].get(src, year)
        folders.setdefault(key, SiteFiles(work / key / "docs"))[src] = text
    return {key: sorted(files.names) for key, files in folders.items()}, memo.used


def _markdown_cache(work: Path, year: int | str) -> Path:
    return work.parent / "cache" / f"markdown-{work.name}" / site_key_dir(str(year))


def render_years(work: Path, levels: dict[str, Level], options: PageOptions, settings: dict[str, Any],
                 summaries: Sequence[YearSummary], parallel: bool) -> tuple[dict[str, SiteFiles], dict[str, list[str]]]:
    """Write every year's pages, in parts side by side, a big year's declaration pages straight into their
    MkDocs parts (place_parts); return each folder's files by its key (a year, or a part) and each year's
    parts."""
    parts = render_parts(summaries, os.cpu_count() or 1) if parallel else [(s, slice(None)) for s in summaries]
    placement = {s.year: place_parts(str(s.year), render.form_page_names(s)) if parallel else {}
                 for s in summaries}  # (the year's other pages stay with it: its search index keeps theirs)
    placed = {year: {page: part for part, pages in by_part.items() for page in pages}  # (years share page names)
              for year, by_part in placement.items()}
    task = functools.partial(_render_part, work, levels, options, settings, placed)
    folders = {key: SiteFiles(work / key / "docs") for s in summaries for key in [str(s.year), *placement[s.year]]}
    used: dict[int, set[str]] = {s.year: set() for s in summaries}
    for (summary, _), (written, part_used) in zip(parts, workers.fork_map(task, parts, parallel), strict=True):
        for key, names in written.items():
            folders[key].names.update(names)
        used[summary.year] |= part_used
    for summary in summaries:
        render_cache.keep_only(_markdown_cache(work, summary.year), used[summary.year])
    return folders, {str(year): list(by_part) for year, by_part in placement.items()}


# Declaration pages per MkDocs process: MkDocs holds every page of a build in memory (the environment
# variable lowers it for tests: a few dozen forms in several parts, built by several shards).
PART_PAGES = max(1, int(os.environ.get("DISCLOSE_PART_PAGES", "") or 400))
_SITE_ONLY = {"index.html", "404.html", "assets", "search", "sitemap.xml", "sitemap.xml.gz"}


def place_parts(key: str, names: Sequence[str]) -> dict[str, list[str]]:
    """A big year's declaration pages (`names`) in `<year>.part<n>` folders, each built by its own MkDocs
    process: about PART_PAGES a folder, the year's own folder one of them; each page's folder by a consistent
    hash of its name (jump_hash), so that a form added or withdrawn moves no other page (its own part and the
    year page are built again, not every part after it), and a new folder takes only its share of pages."""
    pages = sorted(names)
    count = max(1, -(-len(pages) // PART_PAGES))
    parts: dict[str, list[str]] = {f"{key}.part{number}": [] for number in range(1, count)}
    for name in pages:
        number = jump_hash(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big"), count)
        if number:
            parts[f"{key}.part{number}"].append(name)
    return parts


def jump_hash(key: int, buckets: int) -> int:
    """Lamping and Veach's jump consistent hash: a key's bucket of `buckets`; one bucket more moves only the
    keys the new bucket takes."""
    bucket, jump = -1, 0
    while jump < buckets:
        bucket = jump
        key = (key * 2862933555777941757 + 1) % 2**64
        jump = int((bucket + 1) * (2**31 / ((key >> 33) + 1)))
    return bucket


def render_portal(work: Path, project: Project, options: PageOptions, corpus: Corpus,
                  parallel: bool) -> tuple[dict[str, SiteFiles], dict[str, SiteFiles], dict[str, list[str]]]:
    """Write the portal's pages, a big portal's unit pages (one per unit) straight into MkDocs parts
    (place_parts: 10,000 of them are otherwise one MkDocs process, the largest of the build, and built again
    whenever one unit's page changes); return the sites ({PORTAL: …}), every folder by key and the parts."""
    key = site_key_dir(PORTAL)
    memo = render_cache.Memo(_markdown_cache(work, PORTAL),  # (the unit pages: one per unit)
                             render_cache.context(project.levels, options, project.settings))
    pages = Renderer(project.levels, options, project.settings, memo).portal(corpus)
    placement = place_parts(key, [n for n in pages if _is_unit_page(n)]) if parallel else {}
    placed = {page: part for part, names in placement.items() for page in names}
    folders = {name: SiteFiles(work / name / "docs") for name in [key, *placement]}
    for src, text in pages.items():
        folders[placed.get(src, key)][src] = text
    render_cache.keep_only(_markdown_cache(work, PORTAL), memo.used)
    portal = folders.pop(key)
    return {PORTAL: portal}, {PORTAL: portal, **folders}, ({PORTAL: list(placement)} if placement else {})


def _is_unit_page(src: str) -> bool:
    return src.startswith("units/") and src != "units/index.md"


def part_nav_pages(site: SiteFiles, parts: Iterable[SiteFiles]) -> None:
    """Give each part the site's pages its nav names (a year site: its year page; the portal: its home, 各单位,
    数据下载 and the preview's 问题清单), so that its nav is the site's own; only the pages placed in the part
    are kept when the parts are joined (join_parts).

    A part's copy of such a page is only its front matter: a placed page sees it only through the nav, which
    names it (site.mkdocs_config), so its content need not be converted, templated and indexed again in every
    part.
    """
    fronts = {name: _front_matter(site[name].decode("utf-8")) for name in _NAV_PAGES if name in site}
    for part in parts:
        for name, front in fronts.items():
            part[name] = front


_NAV_PAGES = ("index.md", "units/index.md", "data/index.md", "problems.md")  # (a year site has only the first)


def _front_matter(markdown: str) -> str:
    if markdown.startswith("---\n") and "\n---\n" in markdown[3:]:
        return markdown[:markdown.index("\n---\n", 3) + 5]
    return ""


def join_parts(site_dir: Path, parts: Sequence[Path], epoch: int, searched: bool = False) -> list[dict[str, Any]]:
    """Move the parts' placed pages into the site and merge their sitemaps. `searched` (the portal, whose
    unit pages Material's search plugin indexes): return the entries the parts' indexes hold for their placed
    pages, in part order (not those of its copies of the site's nav pages: the site's own are kept)."""
    urls = re.findall(r"<url>.*?</url>", (site_dir / "sitemap.xml").read_text("utf-8"), re.S)
    own = {_page_of(d) for d in search.read_index(site_dir)["docs"]} if searched else set()
    found: list[dict[str, Any]] = []
    for part in parts:
        _move_pages(part, site_dir, top=True)
        urls += re.findall(r"<url>.*?</url>", (part / "sitemap.xml").read_text("utf-8"), re.S)
        if searched:
            found += [d for d in search.read_index(part)["docs"] if _page_of(d) not in own]
        shutil.rmtree(part)  # (each part lists the nav pages too: the set below keeps them once)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    xml = head + "".join(f"    {u}\n" for u in sorted(set(urls))) + "</urlset>"
    (site_dir / "sitemap.xml").write_text(xml, encoding="utf-8")
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, gzip.GzipFile(
            fileobj=raw, filename="sitemap.xml.gz", mode="wb", mtime=epoch) as gz:
        gz.write(xml.encode("utf-8"))
    return found


def _move_pages(part: Path, site_dir: Path, top: bool = False) -> None:
    """Move what a part built into the site: a page's folder where the site has none (a declaration page, a
    unit's page), into a folder it shares with the site (units/) entry by entry; a file the site has already
    is the part's copy of a nav page and stays behind (part_nav_pages), as does what MkDocs adds to every site."""
    for entry in sorted(part.iterdir()):
        target = site_dir / entry.name
        if top and entry.name in _SITE_ONLY:
            continue
        if not target.exists():
            entry.rename(target)
        elif entry.is_dir() and target.is_dir():
            _move_pages(entry, target)


def _page_of(entry: dict[str, Any]) -> str:
    return str(entry["location"]).split("#", 1)[0]


def _with_units(own: Sequence[dict[str, Any]], parts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The portal's entries as one MkDocs build would have listed them: its pages in the order MkDocs builds
    them (its files' order: units/index.md first in units/, then each unit's file by name), the unit pages
    built in its parts among them; so that page ids, and so the search files, do not show where it was cut."""
    def unit(entry: dict[str, Any]) -> bool:
        return _is_unit_page(_page_of(entry).removesuffix("/") + ".md")

    rest = [e for e in own if not unit(e)]
    pages = sorted([e for e in own if unit(e)] + list(parts),  # (stable: a page's entries stay in order)
                   key=lambda e: _page_of(e).removesuffix("/").removeprefix("units/") + ".md")
    at = max((i + 1 for i, e in enumerate(rest) if _page_of(e) == "units/"), default=len(rest))
    return [*rest[:at], *pages, *rest[at:]]


@dataclass(frozen=True)
class Layout:
    """How the built folders make one tree (what `assemble` needs besides them; a shard records it)."""

    folders: list[str]  # each MkDocs build's output folder under the staging folder, in build order
    built: list[int]  # the years whose sites are built (not copied in)
    parts: dict[str, list[str]]  # a year's part folders (place_parts)
    years: list[int]  # every year the site has, newest first
    epoch: int  # SOURCE_DATE_EPOCH, from the content


@dataclass(frozen=True)
class Plan:
    """Every MkDocs build (its config) and download job of one build, and how their outputs are joined."""

    layout: Layout
    configs: list[Path]
    jobs: list[export.Job]


def build_sites(
    project: Project,
    stages: Stages,
    docs: Sequence[Document],
    options: PageOptions,
    work: Path,
    staging: Path,
    broken: Sequence[Broken] = (),
    frozen: Mapping[int, Path] | None = None,
    reused: Mapping[int, Path] | None = None,
    nav_years: Sequence[int] = (),
    link: bool = False,
    keys: Mapping[Path, str] | None = None,
) -> Path:
    """Render, build every site (portal + one per year) in parallel and assemble them; return the tree.

    Years in `frozen` (archived: year → snapshot folder) are not re-rendered: their snapshot is copied in.
    Years in `reused` (`build --year`: the other years' sites as published) are copied in as well.
    `nav_years`: years the navigation lists beside those built (an archive builds one year, lists all).
    `link`: a site taken from the build cache is hard-linked, not copied (site_cache: the public build only).
    `keys`: the documents' check-cache keys (Report.keys), by which what depends on one form alone is cached.
    """
    frozen = frozen or {}
    reused = reused or {}
    plan = plan_builds(project, stages, docs, options, work, staging, broken, {**reused, **frozen}, nav_years, keys)
    made = run_builds(project, stages, plan, work, staging / "downloads",
                      range(len(plan.configs)), range(len(plan.jobs)), link)
    return assemble(project, stages, plan.layout, plan.jobs, made, staging, docs, options, frozen, reused, work,
                    link)


def plan_builds(project: Project, stages: Stages, docs: Sequence[Document], options: PageOptions, work: Path,
                staging: Path, broken: Sequence[Broken], kept: Mapping[int, Path],
                nav_years: Sequence[int] = (), keys: Mapping[Path, str] | None = None) -> Plan:
    """Render every site's Markdown and data packages into `work` and write one MkDocs config per build
    (portal, years, parts), each building into its folder under `staging`; list the download jobs."""
    with stages.stage("生成页面", f"（{len(docs)} 张申报表）"):
        corpus = Corpus.of(docs, broken)
        sites, folders, parts = render_portal(work, project, options, corpus, stages.parallel)
        summaries = [s for s in corpus.years if s.year not in kept]
        year_folders, year_parts = render_years(work, project.levels, options, project.settings, summaries,
                                                stages.parallel)
        sites |= {str(s.year): year_folders[str(s.year)] for s in summaries}
        folders |= year_folders
        parts |= year_parts
    with stages.stage("数据下载"):
        export.add_packages(sites, docs, project, options, kept, keys)  # what MkDocs needs; tables' files later
    for key, names in parts.items():  # (the portal's 数据下载 page is in its nav: made just above)
        part_nav_pages(folders[key], [folders[name] for name in names])
    jobs = export.download_jobs(sites, docs, project, options, keys)
    built = [int(k) for k in sites if k != PORTAL]
    years = sorted({*built, *kept}, reverse=True)
    configs = []
    builds = [(key, key) for key in sites] + [(part, key) for key, names in parts.items() for part in names]
    for folder, key in builds:
        # A year site links to the portal's pages (the downloads, the preview's problem list) by URL.
        data_nav = {"数据下载": "data/index.md" if key == PORTAL else "data/"}
        extra_nav = [{"问题清单": "problems.md" if key == PORTAL else "problems/"}] if options.preview else []
        config = site.mkdocs_config(project, work / site_key_dir(folder) / "docs", staging / site_key_dir(folder),
                                    int(key) if key else None, sorted({*years, *nav_years}, reverse=True),
                                    preview=options.preview,
                                    extra_nav=[data_nav, *extra_nav])
        configs.append(site.write_config(config, work / site_key_dir(folder) / "mkdocs.yml"))
    written = [path for files in [*sites.values(), *folders.values()] for path in files.paths()]
    workdir.prune(work, [*configs, *written])  # a form withdrawn since the last build: its page goes
    layout = Layout([site_key_dir(folder) for folder, _ in builds], built, parts, years, source_date_epoch(docs))
    return Plan(layout, configs, jobs)


def run_builds(project: Project, stages: Stages, plan: Plan, work: Path, spool: Path,
               builds: Sequence[int], jobs: Sequence[int], link: bool = False) -> list[export.Spooled]:
    """Run the chosen MkDocs builds (indexes into plan.configs) and, beside them, make the chosen download
    jobs' files into `spool`; return what each chosen job spooled, in order. `link`: see build_sites."""
    chosen = [plan.jobs[i] for i in jobs]
    record = project.build / "cache" / published_downloads.RECORD  # what site/ holds: linked (public build)
    linkable = published_downloads.Published.read(project.site, record) if link else None
    with stages.stage("MkDocs 构建", f"（{len(builds)} 个站点{'并行' if stages.parallel else ''}，及各表下载文件）"):
        tasks = published_downloads.worker_tasks(chosen, spool, linkable)
        pages = project.build / "cache" / f"pages-{work.name}"  # each page's HTML by its inputs (page_cache)
        outputs = project.build / "cache" / f"sites-{work.name}"  # each MkDocs build by its inputs (site_cache)
        return [result for chunk in site.build_all([plan.configs[i] for i in builds], plan.layout.epoch,
                                                   stages.parallel, tasks, stages.progress, pages, outputs, link)
                for result in chunk]


def assemble(project: Project, stages: Stages, layout: Layout, jobs: Sequence[export.Job],
             made: Sequence[export.Spooled], staging: Path, docs: Sequence[Document], options: PageOptions,
             frozen: Mapping[int, Path], reused: Mapping[int, Path], work: Path, link: bool = False) -> Path:
    """Join the built folders under `staging` (and the spooled downloads) into one tree; return it."""
    tree = staging / site_key_dir(PORTAL)
    built, parts, epoch, spool = layout.built, layout.parts, layout.epoch, staging / "downloads"
    with stages.stage("组装"):
        for year in built:
            (staging / str(year)).rename(tree / str(year))
            if parts.get(str(year)):
                join_parts(tree / str(year), [staging / p for p in parts[str(year)]], epoch)
        units = join_parts(tree, [staging / p for p in parts[PORTAL]], epoch, searched=True) \
            if parts.get(PORTAL) else []
        # Pages link to their downloads from raw HTML, which MkDocs does not check: the files can come after it.
        export.place_spooled({y: tree / str(y) for y in built}, jobs, made, spool, options)
        if link:
            published_downloads.pending_record(tree, jobs, made, work / published_downloads.RECORD)
        for year, snapshot in frozen.items():
            archive.copy_snapshot(snapshot, tree / str(year))
        for year, published in reused.items():
            shutil.copytree(published, tree / str(year))
    with stages.stage("检索索引"):
        merge_search(tree, layout.years, docs, frozen, reused, project.build / "cache" / f"search-{work.name}",
                     stages.parallel, link, units)
    return tree


def merge_search(tree: Path, years: Sequence[int], docs: Sequence[Document], frozen: Mapping[int, Path],
                 reused: Mapping[int, Path] | None = None, terms: Path | None = None, parallel: bool = False,
                 link: bool = False, units: Sequence[dict[str, Any]] = ()) -> None:
    """One index for the whole site: the portal's, each year site's, and the declarations' own.

    An archived year contributes its snapshot's own index (declarations included) and keeps it untouched.
    `units`: the portal's parts' entries (join_parts), after the portal's own.
    A reused year's site holds the whole merged index of its build: its own entries are taken back from it.
    `link` (the public build, with `terms`): the portal's index files are kept beside `terms` as hard links, and
    a rebuild links those whose bytes are unchanged (search_cache.Files).
    """
    reused = reused or {}
    portal = search.read_index(tree)
    merged = _with_units(portal["docs"], units) if units else list(portal["docs"])
    for year in years:
        index = search.read_index(tree / str(year))["docs"]
        if year in reused:
            merged += [{**d, "location": d["location"][3:]} for d in index if d["location"].startswith(f"../{year}/")]
        else:
            merged += search.rebase(index, f"{year}/")
    merged += search.entries([doc for doc in docs if doc.decl.year not in frozen and doc.decl.year not in reused])
    files = search.Files(terms.with_name(f"{terms.name}-files") if link and terms else None, tree)
    text = search.write_index(tree, portal["config"], merged, terms=terms,  # (terms: each page's, by content)
                              parallel=parallel, files=files)
    live = [year for year in years if year not in frozen]
    if live:  # a year site searches everything too: the portal's index, through its root
        rebased = search.rebased_record(portal["config"], merged, "../", text)  # (the same for every year site)
        del text  # (one record's text held at a time)
        written = None
        for year in live:
            written = search.write_pointer(tree / str(year), rebased, "../search/", like=written, files=files)
    files.finish()


def build_public(project: Project, stages: Stages, years: Sequence[int] = ()) -> Report:
    """Build the public site into site/ (atomically); raise BuildFailed and write nothing on error.

    With `years`, only those years' sites (and the portal) are rebuilt: every other year's site is
    taken from the published site/ as it is (built too where site/ has none yet).
    Raises Busy while another build of the project runs, PublishRefused for a read-only site/.
    """
    with project_lock(project, "build"), publish.removing(old_sites(project)) as removal:  # (the last old site)
        report = _build_public(project, stages, years)
        with stages.stage("清理旧站点"):  # (waits only where removing the last old site outlasted the build)
            removal.join()
        return report


def old_sites(project: Project) -> Path:
    return project.build / "old-sites"  # the previous site of each swap, removed by the next build (publish)


@dataclass(frozen=True)
class PublicInputs:
    """What a public build (or a shard of one, or their join) publishes from: checked, masked, archived."""

    report: Report
    docs: list[Document]  # the published forms, masked
    options: PageOptions
    frozen: dict[int, Path]  # archived years: their snapshots


def public_inputs(project: Project, stages: Stages) -> PublicInputs:
    """Check the content (raise BuildFailed on an error), mask the published forms, verify the archive."""
    report = check_all(project, stages)
    if report.blocking:
        raise BuildFailed(report)
    with stages.stage("打码"):
        docs = public_documents(report)
    frozen = archive.published_snapshots(project)  # every revision verified, every chain complete
    return PublicInputs(report, docs, public_options(project, report), frozen)


def _build_public(project: Project, stages: Stages, years: Sequence[int]) -> Report:
    publish.refuse_read_only(project.site)
    inputs = public_inputs(project, stages)
    report, docs, options, frozen = inputs.report, inputs.docs, inputs.options, inputs.frozen
    policy = publication_policy(project)
    if years and not policy_unchanged(project, policy):
        years = ()  # kept years would still show what the old policy published (a filer's name, say)
        if not stages.quiet:
            print("disclose: 公开范围（show_filer）或打码规则自上次发布后已改变：重建全部年度", file=sys.stderr)
    reused: dict[int, Path] = {year: project.site / str(year) for year in {int(d.decl.year) for d in docs}
              if years and year not in years and year not in frozen
              and (project.site / str(year) / "index.html").is_file()}
    staging = publish.staging_dir(project.site)
    try:
        tree = build_sites(project, stages, docs, options, project.build / "public", staging,
                           frozen=frozen, reused=reused, link=True, keys=report.keys)
        publish_tree(project, stages, tree, policy, project.build / "public" / published_downloads.RECORD)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def publish_tree(project: Project, stages: Stages, tree: Path, policy: str, pending: Path | None = None) -> None:
    """The public tree's last steps (a build's, a shard join's): superseded revisions, the leak scan, the swap.

    `pending`: what the tree holds of the downloads cache (assemble with `link`), the record once published;
    without it nothing is recorded, and the next build links none of site/'s downloads (published_downloads).
    """
    archive.serve_superseded(project, tree)
    with stages.stage("泄露检查"):
        leaks.refuse_leaks(tree, project.site.name, stages.parallel,  # a whole number left: publish nothing
                           project.build / "cache" / "leaks-clean.txt")
    # Forgotten before the swap, recorded after it: a build killed in between leaves the policy unknown (every
    # year rebuilt next), never the old one naming a site/ published under this one (build --year keeps years).
    _policy_file(project).unlink(missing_ok=True)
    with stages.stage("发布"):
        publish.swap_in(tree, project.site, old_sites(project))  # the old site: set aside, removed later
    published_downloads.publish(pending, project.build / "cache" / published_downloads.RECORD)
    _policy_file(project).write_text(policy, encoding="utf-8")


def _policy_file(project: Project) -> Path:
    return project.build / "public-policy.txt"  # beside the build's caches: never published


def publication_policy(project: Project) -> str:
    """What decides, beyond the content, what personal data a page shows: show_filer, the mask's code and the
    filer rules (what each show_filer value lets out, each kind's filer fields: not in privacy.py)."""
    rules = repr((sorted((k, sorted(v)) for k, v in FILER_FIELDS.items()),
                  sorted((name, sorted(kind.filer_fields.items())) for name, kind in KINDS.items())))
    digest = hashlib.sha256(Path(privacy.__file__).read_bytes() + unicodedata.unidata_version.encode()
                            + rules.encode())
    return f"show_filer={project.settings.get('show_filer', 'name_and_phone')} mask={digest.hexdigest()}\n"


def policy_unchanged(project: Project, policy: str) -> bool:
    """Whether site/ was published under this policy (unknown counts as changed: rebuild every year)."""
    path = _policy_file(project)
    return path.is_file() and path.read_text(encoding="utf-8") == policy


def preview_inputs(report: Report) -> tuple[list[Document], PageOptions, list[Broken]]:
    """What the preview shows: every declaration (drafts too), unmasked, each with its problems."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in report.problems:
        by_file[problem.file].append(problem)
    loaded = {str(doc.source.path) for doc in report.documents}
    broken = [Broken.of(str(path), by_file[str(path)]) for path in report.files if str(path) not in loaded]
    # site_config/'s files (with_config): not declarations, their problems are listed on the 问题清单 page too.
    others = sorted(set(by_file) - loaded - {str(path) for path in report.files})
    broken += [Broken.of(name, by_file[name]) for name in others]
    options = PageOptions(preview=True, problems=dict(by_file), waived=waived_problems(report))
    return list(report.documents), options, broken


def build_preview(project: Project, stages: Stages, target: Path | None = None) -> Report:
    """The preview as a static site in its own folder (never site/): drafts, problems, unmasked."""
    target = target or project.preview_site
    if target.resolve() == project.site.resolve():
        raise ValueError("预览与公开网站不能共用输出目录")
    with project_lock(project, "build --preview", "preview"):
        return _build_preview(project, stages, target)


def _build_preview(project: Project, stages: Stages, target: Path) -> Report:
    publish.refuse_read_only(target)
    report = check_all(project, stages)
    docs, options, broken = preview_inputs(report)
    staging = publish.staging_dir(target)
    try:
        tree = build_sites(project, stages, docs, options, project.build / "preview", staging, broken,
                           keys=report.keys)
        with stages.stage("发布"):
            publish.swap_in(tree, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
