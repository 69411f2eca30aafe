"""Publish stage, archives: freezes a closed year's built site as a verifiable snapshot, serves and verifies it.

Layout (append-only; nothing under archive/ is ever rewritten):

    archive/<YEAR>/r<N>/               one revision: exactly the files served at /<YEAR>/ while it is current
    archive/<YEAR>/r<N>/manifest.json  SHA-256 of every other file in r<N>/, source hashes, version, time, note

The current revision of a year is its highest N and is served at /<YEAR>/ byte-for-byte. A superseded
revision is served beside it at /<YEAR>-r<N>/ (same depth, so its relative links to the portal still work),
with a notice injected into the served copy only; its files under archive/ stay as frozen and verify.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import tarfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import __version__, leaks, publish, search
from .config import Project
from .model import Document

if TYPE_CHECKING:
    from .build import Stages

MANIFEST = "manifest.json"
FORMAT = "disclose-archive/1"
CHINA = timezone(timedelta(hours=8), "北京时间")  # the banner's date; the manifest keeps UTC
_REVISION = re.compile(r"^r([1-9]\d*)$")
_CHUNK = 1 << 20


class ArchiveRefused(Exception):
    """The archive cannot be made (already archived, nothing to archive …); nothing was written."""


# -- the archive folder ------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """One frozen revision of a year: archive/<year>/r<number>/."""

    year: int
    number: int
    path: Path

    @property
    def name(self) -> str:
        return f"r{self.number}"

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        return data


def revisions(archive_root: Path, year: int) -> list[Revision]:
    """The revisions of a year, oldest first."""
    folder = archive_root / str(year)
    if not folder.is_dir():
        return []
    found = [(int(m[1]), p) for p in folder.iterdir() if p.is_dir() and (m := _REVISION.match(p.name))]
    return [Revision(year, n, p) for n, p in sorted(found)]


def archived_years(archive_root: Path) -> dict[int, list[Revision]]:
    """Every archived year (newest first) with its revisions."""
    if not archive_root.is_dir():
        return {}
    years = sorted((int(p.name) for p in archive_root.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)),
                   reverse=True)
    return {y: revs for y in years if (revs := revisions(archive_root, y))}


def current_snapshots(project: Project, years: Sequence[int] = ()) -> dict[int, Path]:
    """Each archived year's current revision folder (its highest), as the public build serves it."""
    return {y: revs[-1].path for y, revs in archived_years(project.archive).items() if not years or y in years}


# -- hashing ------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot_files(folder: Path) -> list[str]:
    """Every file of a snapshot (POSIX paths relative to it, sorted), its own manifest excepted.

    Symbolic links and other non-regular entries are listed too, so that verify reports them.
    """
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(dirpath)
        out += [(base / name).relative_to(folder).as_posix() for name in filenames]
        out += [(base / name).relative_to(folder).as_posix() for name in dirnames if (base / name).is_symlink()]
    return sorted(p for p in out if p != MANIFEST)


def file_hashes(folder: Path) -> dict[str, str]:
    return {rel: sha256_file(folder / rel) for rel in snapshot_files(folder)}


# -- self-containment ----------------------------------------------------------------------------

_FETCHED = {"script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
            "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "embed": ("src",),
            "object": ("data",), "input": ("src",), "link": ("href",)}
_NOT_FETCHED_RELS = {"canonical", "alternate", "author", "license", "help", "bookmark", "external"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def _outside(url: str) -> bool:
    """True for a URL that would not resolve inside a folder served from an arbitrary base path."""
    url = url.strip()
    parts = urlsplit(url)
    return url.startswith("/") or (bool(parts.scheme) and parts.scheme not in ("data", "blob"))


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        rels = set(values.get("rel", "").lower().split())
        fetched = _FETCHED.get(tag, ())
        if tag == "link" and rels and rels <= _NOT_FETCHED_RELS:
            fetched = ()
        for attr in fetched:
            urls = [u.split()[0] for u in values.get(attr, "").split(",") if u.strip()] if "srcset" in attr \
                else [values.get(attr, "")]
            self.found += [f"<{tag} {attr}=\"{u}\">（外部请求）" for u in urls if u and _outside(u)]
        if tag == "a" and values.get("href", "").startswith("/"):
            self.found.append(f"<a href=\"{values['href']}\">（绝对路径链接）")
        if "style" in values:
            self.found += [f"style 中的 url({u})" for u in _css_urls(values["style"]) if _outside(u)]


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(css)]


def self_containment_problems(folder: Path) -> list[str]:
    """Anything in the snapshot's HTML or CSS that requests a resource outside it, or links by absolute path.

    Links leaving the snapshot by relative path (../units/<id>/, back to the portal) are allowed:
    they are links, not requests. External links (<a href="https://…">) and canonical URLs likewise.
    """
    problems = []
    for rel in snapshot_files(folder):
        path = folder / rel
        if rel.endswith(".html"):
            scanner = _Scanner()
            scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
            problems += [f"{rel}：{item}" for item in scanner.found]
        elif rel.endswith(".css"):
            urls = _css_urls(path.read_text(encoding="utf-8", errors="replace"))
            problems += [f"{rel}：url({u})（外部请求）" for u in urls if _outside(u)]
    return problems


# -- making a revision --------------------------------------------------------------------------


def banner_text(when: datetime, number: int) -> str:
    """The text of the banner on every archived page: 归档于 DATE (the date in China)."""
    day = when.astimezone(CHINA).date().isoformat()
    edition = f"（第 {number} 版）" if number > 1 else ""
    return f"归档于 {day}{edition}：本页为归档快照，内容保持归档时原样；点击查看校验清单。"


def _relative(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _versions() -> dict[str, str]:
    out = {"disclose": __version__}
    for dist in ("mkdocs", "mkdocs-material", "jinja2", "jieba"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def make_manifest(
    project: Project,
    snapshot: Path,
    year: int,
    number: int,
    when: datetime,
    note: str,
    docs: Sequence[Document],
    supersedes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    config_files = [project.root / "mkdocs.yml", *sorted(project.site_config.glob("*.y*ml"))]
    return {
        "format": FORMAT,
        "year": year,
        "revision": number,
        "archived_at": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "archived_on": when.astimezone(CHINA).date().isoformat(),
        "note": note,
        "supersedes": dict(supersedes) if supersedes else None,
        "generator": _versions(),
        "sources": [
            {"path": _relative(project, doc.source.path), "sha256": doc.source.sha256,
             "unit_id": doc.decl.unit_id, "unit_name": doc.decl.unit_name}
            for doc in sorted(docs, key=lambda d: d.decl.unit_id)
        ],
        "config": [{"path": _relative(project, p), "sha256": sha256_file(p)} for p in config_files if p.is_file()],
        "files": file_hashes(snapshot),
    }


def write_manifest(snapshot: Path, manifest: Mapping[str, Any]) -> str:
    """Write the manifest (stable key order, UTF-8) and return its own SHA-256."""
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    (snapshot / MANIFEST).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


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
        when = _manifest_or_empty(last).get("archived_on", "")
        raise ArchiveRefused(
            f"{year} 年度已归档（第 {last.number} 版，{when} 归档，{_relative(project, last.path)}），归档不可更改；"
            f"如需更正，请用 --supersede \"理由\" 生成新的修订版（旧版保留）")
    if supersede is not None and not existing:
        raise ArchiveRefused(f"{year} 年度尚未归档，--supersede 只用于更正已有的归档")
    if supersede is not None and not supersede.strip():
        raise ArchiveRefused("--supersede 须写明更正理由")
    return existing


def _manifest_or_empty(rev: Revision) -> dict[str, Any]:
    try:
        return rev.manifest()
    except (OSError, ValueError):
        return {}


def create(project: Project, year: int, note: str, supersede: str | None = None,
           stages: Stages | None = None, when: datetime | None = None) -> Archived:
    """Build the year's public pages with the archive banner and freeze them as archive/<year>/r<N>/.

    Raises ArchiveRefused or build.BuildFailed / site.SiteError; then nothing under archive/ (or site/)
    has changed: the snapshot is staged beside archive/ and renamed into place at the very end.
    """
    from .build import BuildFailed, Stages, build_sites, check_all, public_documents
    from .render import PageOptions

    if not note.strip():
        raise ArchiveRefused("--note 须写明归档说明")
    existing = refuse_existing(project, year, supersede)
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
    options = PageOptions(show_filer=str(project.settings.get("show_filer", "name_and_phone")),
                          archive_banner=banner_text(when, number))
    staging = publish.staging_dir(project.archive)
    try:
        tree = build_sites(project, stages, docs, options, project.build / "archive", staging / "sites")
        snapshot = staging / f"r{number}"
        (tree / str(year)).rename(snapshot)
        freeze(snapshot, year)
        problems = self_containment_problems(snapshot)
        if problems:
            raise ArchiveRefused("快照引用了快照以外的资源（换一个网址前缀或离线打开将失效）：\n" + "\n".join(problems))
        supersedes = None
        if existing and supersede is not None:
            prev = existing[-1]
            supersedes = {"revision": prev.number, "reason": supersede,
                          "manifest_sha256": sha256_file(prev.path / MANIFEST)}
        manifest = make_manifest(project, snapshot, year, number, when, note, docs, supersedes)
        digest = write_manifest(snapshot, manifest)
        target = project.archive / str(year) / f"r{number}"
        leaks.refuse_leaks(snapshot, _relative(project, target))  # a whole personal number: archive nothing
        _move_into_place(snapshot, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Archived(Revision(year, number, target), digest, len(manifest["files"]), drafts)


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


# -- serving -------------------------------------------------------------------------------------


def refuse_unverified(snapshots: Mapping[int, Path]) -> None:
    """Serve no snapshot that no longer matches its manifest: raise ArchiveRefused naming the differences."""
    lines = []
    for folder in snapshots.values():
        lines += [f.format(str(folder)) for f in verify(folder).findings]
    if lines:
        raise ArchiveRefused("归档快照与其校验清单不符（请用 disclose verify 检查）：\n" + "\n".join(lines))


def copy_snapshot(snapshot: Path, dest: Path) -> None:
    """Copy a revision byte-for-byte (contents only; times and modes are not the content)."""
    shutil.copytree(snapshot, dest, copy_function=shutil.copyfile, symlinks=False)


_ARCHIVE_BANNER = '<div class="dc-banner dc-banner--archive"'
_BODY = re.compile(r"<body[^>]*>")


def superseded_notice(year: int, old: Revision, new: Mapping[str, Any], depth: int) -> str:
    """The notice on a superseded revision's page `depth` folders below its root, served at /<year>-r<N>/."""
    root = "../" * depth + "../"  # from the page up to the site's root
    reason = (new.get("supersedes") or {}).get("reason", "")
    text = (f"本归档（第 {old.number} 版）已被第 {new.get('revision')} 版取代"
            f"（{new.get('archived_on', '')}），更正理由：{reason}。点击查看现行版本。")
    return (f'<div class="dc-banner dc-banner--superseded" role="note">'
            f'<a href="{root}{year}/">{html.escape(text)}</a></div>\n')


def inject_notice(page: str, notice: str) -> str:
    """The page with the notice placed just before its archive banner (else at the top of <body>)."""
    at = page.find(_ARCHIVE_BANNER)
    if at < 0:
        match = _BODY.search(page)
        at = match.end() if match else 0
    return page[:at] + notice + page[at:]


def served_name(rev: Revision) -> str:
    """Where a superseded revision is served, relative to the site root."""
    return f"{rev.year}-{rev.name}"


def serve_superseded(project: Project, tree: Path, years: Sequence[int] = ()) -> list[Path]:
    """Copy every superseded revision to <tree>/<year>-r<N>/, each HTML page carrying the notice."""
    served = []
    for year, revs in archived_years(project.archive).items():
        if years and year not in years:
            continue
        current = revs[-1].manifest()
        for rev in revs[:-1]:
            dest = tree / served_name(rev)
            copy_snapshot(rev.path, dest)
            for page in sorted(dest.rglob("*.html")):
                depth = len(page.relative_to(dest).parts) - 1
                text = page.read_bytes().decode("utf-8")  # bytes: no newline translation
                page.write_bytes(inject_notice(text, superseded_notice(year, rev, current, depth)).encode("utf-8"))
            served.append(dest)
    return served


def drift(project: Project, documents: Sequence[Document], years: Sequence[int] = ()) -> list[str]:
    """Source files of archived years that changed (or appeared, or went) since the current revision."""
    now = {_relative(project, d.source.path): d.source.sha256 for d in documents if d.decl.status == "published"}
    notes = []
    for year, revs in archived_years(project.archive).items():
        if years and year not in years:
            continue
        then = {s["path"]: s["sha256"] for s in _manifest_or_empty(revs[-1]).get("sources", [])}
        mine = {p: h for p, h in now.items() if p.startswith(f"content/{year}/") or p in then}
        changed = sorted(p for p in set(then) | set(mine) if then.get(p) != mine.get(p))
        if changed:
            notes.append(f"注意：{year} 年度已归档（第 {revs[-1].number} 版），公开网站仍发布归档快照；"
                         f"归档后有改动的文件：{'、'.join(changed)}")
    return notes


# -- verifying -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str  # changed | missing | extra | manifest
    path: str
    detail: str = ""

    def format(self, where: str) -> str:
        label = {"changed": "已改动", "missing": "缺失", "extra": "多出", "manifest": "清单有误"}[self.kind]
        return f"{where}：{label} {self.path}" + (f"（{self.detail}）" if self.detail else "")


@dataclass(frozen=True)
class Verified:
    folder: Path
    files: int
    manifest_sha256: str
    findings: list[Finding]


def verify(folder: Path, archive_root: Path | None = None) -> Verified:
    """Recompute every hash of one revision folder and compare with its manifest."""
    path = folder / MANIFEST
    try:
        raw = path.read_bytes()
        manifest = json.loads(raw.decode("utf-8"))
        expected: dict[str, str] = dict(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        return Verified(folder, 0, "", [Finding("manifest", MANIFEST, f"无法读取：{err}")])
    actual = snapshot_files(folder)
    findings = [Finding("missing", rel) for rel in sorted(set(expected) - set(actual))]
    findings += [Finding("extra", rel) for rel in actual if rel not in expected]
    for rel in actual:
        if rel in expected:
            target = folder / rel
            got = sha256_file(target) if target.is_file() and not target.is_symlink() else "（非普通文件）"
            if got != expected[rel]:
                findings.append(Finding("changed", rel, f"SHA-256 应为 {expected[rel][:16]}…，实为 {got[:16]}…"))
    findings += _chain(manifest, folder, archive_root)
    return Verified(folder, len(expected), hashlib.sha256(raw).hexdigest(), sorted(findings, key=lambda f: f.path))


def _chain(manifest: Mapping[str, Any], folder: Path, archive_root: Path | None) -> list[Finding]:
    """A later revision records its predecessor's manifest hash: check it where the predecessor is at hand."""
    prev = manifest.get("supersedes")
    if not prev or not isinstance(prev, dict):
        return []
    prev_manifest = folder.parent / f"r{prev.get('revision')}" / MANIFEST
    if not prev_manifest.is_file():
        return []
    if sha256_file(prev_manifest) != prev.get("manifest_sha256"):
        return [Finding("manifest", f"../r{prev.get('revision')}/{MANIFEST}", "与本版清单所记的 SHA-256 不符")]
    return []


def verify_targets(project: Project, given: Sequence[Path]) -> list[Path]:
    """Revision folders to verify: those named (an archive root, a year, a revision, a served copy) or all."""
    roots = list(given) or [project.archive]
    out: list[Path] = []
    for root in roots:
        out += list(_revision_folders(root))
    return out


def _revision_folders(root: Path) -> Iterator[Path]:
    """A revision is a folder with a manifest or named r<N> (so that a lost manifest is reported)."""
    if (root / MANIFEST).is_file() or _REVISION.match(root.name):
        yield root
        return
    subfolders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: (len(p.name), p.name))
    for sub in subfolders:
        if (sub / MANIFEST).is_file() or _REVISION.match(sub.name) or re.fullmatch(r"\d{4}", sub.name):
            yield from _revision_folders(sub)


# -- bundling ------------------------------------------------------------------------------------


def bundle(folder: Path, output: Path, prefix: str) -> Path:
    """One .tar.gz of a revision and its manifest, deterministic: sorted entries, fixed times and owners."""
    mtime = _bundle_mtime(folder)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted([*snapshot_files(folder), MANIFEST]):
            data = (folder / rel).read_bytes()
            info = tarfile.TarInfo(str(PurePosixPath(prefix) / rel))
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as gz:
            gz.write(buffer.getvalue())
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
    return output


def _bundle_mtime(folder: Path) -> int:
    try:
        stamp = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["archived_at"]
        return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())
    except (OSError, ValueError, KeyError):
        return 0
