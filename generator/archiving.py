"""Making a revision (`disclose archive`): build the closed year as the public build would, freeze it as
archive/<year>/r<N>/ with its manifest, and append it to the year's chain.

It lies above both the build stage it runs and the archive folder it writes (generator/archive.py, which the
build reads to serve the snapshots): imports go one way, archiving → build → archive.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import leaks, publish, search
from .archive import (
    CHAIN,
    ArchiveRefused,
    Link,
    Revision,
    archived_years,
    audit_year,
    banner_text,
    make_manifest,
    manifest_or_empty,
    manifest_sha256,
    note_page,
    relative,
    revision_problems,
    revisions,
    self_containment_problems,
    write_manifest,
)
from .build import BuildFailed, Stages, build_sites, check_all, public_documents, public_options
from .check import Report
from .config import Project


def freeze(snapshot: Path, year: int) -> None:
    """Make a built year site into a snapshot: its own search index only, no absolute-path 404 page."""
    (snapshot / "404.html").unlink(missing_ok=True)  # a 404 page is served at any path, so its links are absolute
    index = search.read_index(snapshot)
    prefix = f"../{year}/"  # build.merge_search gives a year site every entry, rebased through the portal
    own = [{**e, "location": e["location"][len(prefix):]} for e in index["docs"] if e["location"].startswith(prefix)]
    search.write_index(snapshot, index["config"], own)


@dataclass(frozen=True)
class Archived:
    revision: Revision
    manifest_sha256: str
    files: int
    drafts: int  # declarations of the year not published, hence not archived


def refuse_existing(project: Project, year: int, supersede: str | None) -> list[Revision]:
    """The year's revisions, or ArchiveRefused when the request contradicts them."""
    existing = revisions(project.archive, year)
    if existing and supersede is None:
        last = existing[-1]
        when = manifest_or_empty(last).get("archived_on", "")
        raise ArchiveRefused(
            f"{year} 年度已归档（第 {last.number} 版，{when} 归档，{relative(project, last.path)}），归档不可更改；"
            f"如需更正，请用 --supersede \"理由\" 生成新的修订版（旧版保留）")
    if supersede is not None and not existing:
        raise ArchiveRefused(f"{year} 年度尚未归档，--supersede 只用于更正已有的归档")
    if supersede is not None and not supersede.strip():
        raise ArchiveRefused("--supersede 须写明更正理由")
    return existing


def create(project: Project, year: int, note: str, supersede: str | None = None,
           stages: Stages | None = None, when: datetime | None = None) -> Archived:
    """Build the year's public pages with the archive banner and freeze them as archive/<year>/r<N>/.

    Raises ArchiveRefused or build.BuildFailed / site.SiteError; then nothing under archive/ (or site/)
    has changed: the snapshot is staged beside archive/ and renamed into place at the very end, followed by
    the year's chain file (a crash between the two leaves a revision the chain does not record: refused).
    """
    if not note.strip():
        raise ArchiveRefused("--note 须写明归档说明")
    existing = refuse_existing(project, year, supersede)
    chain = _sound_year(project.archive / str(year))
    stages = stages or Stages(quiet=True)
    number = existing[-1].number + 1 if existing else 1
    report = check_all(project, stages)
    if report.blocking:
        raise BuildFailed(report)
    docs = public_documents(report, [year])
    if not docs:
        raise ArchiveRefused(f"{year} 年度没有已公开（status: published）的申报表，无法归档")
    drafts = sum(1 for d in report.documents if d.decl.year == year and d.decl.status != "published")
    when = (when or datetime.now(UTC)).replace(microsecond=0)
    supersedes = None
    if existing and supersede is not None:
        prev = existing[-1]
        supersedes = {"revision": prev.number, "reason": supersede, "manifest_sha256": manifest_sha256(prev.path)}
    target = project.archive / str(year) / f"r{number}"
    years = listed_years(project, report, year)
    options = public_options(project, report, banner_text(when, number),
                             note_page(project, target, when, note, docs, supersedes, years))
    staging = publish.staging_dir(project.archive)
    try:
        tree = build_sites(project, stages, docs, options, project.build / "archive", staging / "sites",
                           nav_years=years, keys=report.keys)
        snapshot = staging / f"r{number}"
        (tree / str(year)).rename(snapshot)
        freeze(snapshot, year)
        problems = self_containment_problems(snapshot)
        if problems:
            raise ArchiveRefused("快照引用了快照以外的资源（换一个网址前缀或离线打开将失效）：\n" + "\n".join(problems))
        manifest = make_manifest(project, snapshot, year, number, when, note, docs, supersedes)
        digest = write_manifest(snapshot, manifest)
        leaks.refuse_leaks(snapshot, relative(project, target))  # a whole personal number: archive nothing
        _move_into_place(snapshot, target)
        _append_chain(target.parent, staging, [*chain, Link(number, digest, manifest["archived_at"])])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Archived(Revision(year, number, target), digest, len(manifest["files"]), drafts)


def listed_years(project: Project, report: Report, year: int) -> list[int]:
    """The years the snapshot's navigation lists: those public when it is made (published or archived).

    A snapshot cannot know later years; its 归档说明 page says so and points to the portal's live list.
    """
    published = {d.decl.year for d in report.documents if d.decl.status == "published"}
    return sorted({year, *published, *archived_years(project.archive)}, reverse=True)


def _sound_year(folder: Path) -> list[Link]:
    """The year's chain so far (empty for a new year); ArchiveRefused if it is broken: nothing is added to it."""
    if not folder.is_dir():
        return []
    year = audit_year(folder)
    problems = year.problems + revision_problems(year.revisions)
    if problems:
        raise ArchiveRefused("该年度已有的归档未通过校验，不能在其上追加新版本：\n" + "\n".join(problems))
    return year.links


def _append_chain(folder: Path, staging: Path, links: Sequence[Link]) -> None:
    """Write the year's chain file with the new revision's line, by one rename (after the revision's own).

    For a year archived before chain files existed, the earlier lines are its verified manifests' hashes.
    """
    staged = staging / CHAIN
    staged.write_text("".join(link.line() for link in links), encoding="utf-8")
    os.replace(staged, folder / CHAIN)


def _move_into_place(snapshot: Path, target: Path) -> None:
    """One rename; the folders it needs are created just before and removed again if it fails."""
    created = [p for p in (target.parent.parent, target.parent) if not p.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise ArchiveRefused(f"{target} 已存在（另一个归档进程？），未覆盖")
        os.rename(snapshot, target)
    except BaseException:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
