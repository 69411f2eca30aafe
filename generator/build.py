"""The build command: check → mask → render → MkDocs → publish, writing nothing unless all is well."""

from __future__ import annotations

import calendar
import dataclasses
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import publish, site
from .check import Context, Report, check_files, declaration_files
from .config import Project
from .model import Document
from .privacy import mask
from .render import PageOptions, render_site


@dataclass
class Stages:
    """Wall time of each stage, shown as progress and read by the benchmark."""

    quiet: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str, detail: str = "") -> Iterator[None]:
        if not self.quiet:
            print(f"disclose: {name}{detail} …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


class BuildFailed(Exception):
    """A stage failed; nothing was published."""


def source_date_epoch(docs: Sequence[Document]) -> int:
    """A build date taken from the content itself, so that two builds of it are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    dates = [d for doc in docs for d in (doc.decl.filing_date, doc.decl.publication_date) if d]
    newest = max(dates, default=None)
    return calendar.timegm(newest.timetuple()) if newest else 0


def write_pages(pages: dict[str, str], docs_dir: Path) -> None:
    """The generated Markdown, kept under build/ for inspection; stale pages removed."""
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    for rel, text in sorted(pages.items()):
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check_all(project: Project, stages: Stages) -> Report:
    with stages.stage("检查"):
        files = declaration_files([project.content]) if project.content.exists() else []
        return check_files(files, Context(project.levels))


def public_documents(report: Report, years: Sequence[int] = ()) -> list[Document]:
    """What the public may see: published declarations only, mobile numbers masked."""
    return [
        dataclasses.replace(doc, decl=mask(doc.decl))
        for doc in report.documents
        if doc.decl.status == "published" and (not years or doc.decl.year in years)
    ]


def build_public(project: Project, stages: Stages, years: Sequence[int] = ()) -> Report:
    """Build the public site into site/ (atomically); raise BuildFailed and write nothing on error."""
    report = check_all(project, stages)
    if report.blocking:
        raise BuildFailed(f"检查发现 {len(report.blocking)} 个错误，未生成网站")
    docs = public_documents(report, years)
    work = project.build / "public"
    with stages.stage("生成页面", f"（{len(docs)} 张申报表）"):
        options = PageOptions(show_filer=str(project.settings.get("show_filer", "name_and_phone")))
        pages = render_site(docs, project.levels, options, project.settings)
        write_pages(pages, work / "docs")
    staging = publish.staging_dir(project.site)
    try:
        publish.mark_owner(staging)
        year_list = sorted({d.decl.year for d in docs}, reverse=True)
        config = site.mkdocs_config(project, work / "docs", staging, year_list, preview=False)
        with stages.stage("MkDocs 构建"):
            site.build(site.write_config(config, work / "mkdocs.yml"), source_date_epoch(docs))
        with stages.stage("发布"):
            publish.swap_in(staging, project.site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
