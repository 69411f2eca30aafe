"""Publish stage, archives: the archive folder — what a revision holds, serving and verifying the snapshots.
(Making one, which runs the build, is generator/archiving.py: the build reads this module, never the reverse.)

Layout (append-only; nothing under archive/ is ever rewritten):

    archive/<YEAR>/r<N>/               one revision: exactly the files served at /<YEAR>/ while it is current
    archive/<YEAR>/r<N>/manifest.json  SHA-256 of every other file in r<N>/, source hashes, version, time, note
    archive/<YEAR>/chain               one line per revision, appended when it is made: r<N>, its manifest's
                                       SHA-256, its time (UTC)

Revisions form a chain: r1 names no predecessor, every later r<N> names r<N-1> and the SHA-256 of its
manifest, and the chain file records every revision's manifest hash at archive time. The build publishes
nothing unless every revision of every year verifies and the chain is complete (audit): a forged or
renumbered revision, a gap, an odd name, or a deleted current revision (the chain file, or the published
site, still names it) refuses the build instead of being served or silently rolled back.

The current revision of a year is its highest N and is served at /<YEAR>/ byte-for-byte. A superseded
revision is served beside it at /<YEAR>-r<N>/ (same depth, so its relative links to the portal still work),
with a notice injected into the served copy only; its files under archive/ stay as frozen and verify.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from . import __version__
from .config import Project
from .errors import DiscloseError
from .model import Document

MANIFEST = "manifest.json"
CHAIN = "chain"
FORMAT = "disclose-archive/2"  # /2: the year keeps a chain file
LEGACY = "disclose-archive/1"  # made before the chain file: accepted, said so, migrated at the next revision
CHINA = timezone(timedelta(hours=8), "北京时间")  # the banner's date; the manifest keeps UTC
_REVISION = re.compile(r"^r([1-9]\d*)$")
_YEAR = re.compile(r"^\d{4}$")
_SERVED = re.compile(r"^(\d{4})(?:-r([1-9]\d*))?$")  # site/<year>/ and site/<year>-r<N>/
_CHAIN_LINE = re.compile(r"^r([1-9]\d*) ([0-9a-f]{64}) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$")
_CHUNK = 1 << 20


class ArchiveRefused(DiscloseError):
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


# -- what a revision holds: its banner, its 归档说明 page, its manifest (archiving.py makes one) ----------


NOTE_PAGE = "archive_note"  # /<year>/archive_note/: an underscore no unit id may have (load._UNIT_ID)


def banner_text(when: datetime, number: int, linked: bool = True) -> str:
    """The text of the banner on every archived page: 归档于 DATE, the date in Beijing, and said so."""
    day = when.astimezone(CHINA).date().isoformat()
    edition = f"（第 {number} 版）" if number > 1 else ""
    follow = "；点击查看归档说明与校验方法。" if linked else "。"
    return f"归档于 {day}（北京时间）{edition}：本页为归档快照，内容保持归档时原样{follow}"


def note_page(project: Project, folder: Path, when: datetime, note: str, docs: Sequence[Document],
              supersedes: Mapping[str, Any] | None, years: Sequence[int]) -> str:
    """The 归档说明 page (Markdown) of the snapshot: what the manifest says, readably, and how to check it.

    It is itself one of the snapshot's files, so it cannot show the manifest's own hash (nor its files').
    """
    from .render import Banner, environment

    revision = int(folder.name[1:])
    values = {
        "year": int(folder.parent.name), "revision": revision, "text": note, "supersedes": supersedes,
        "archived_at": _utc(when), "archived_on": when.astimezone(CHINA).date().isoformat(),
        "beijing": when.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"), "generator": _versions(),
        "sources": _sources(project, docs), "folder": relative(project, folder), "years": list(years),
    }
    banner = Banner("archive", banner_text(when, revision, linked=False))  # a link would lead to this page
    return environment().get_template("archive_note.md.j2").render(note=values, banners=[banner])


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sources(project: Project, docs: Sequence[Document]) -> list[dict[str, str]]:
    return [{"path": relative(project, doc.source.path), "sha256": doc.source.sha256,
             "unit_id": doc.decl.unit_id, "unit_name": doc.decl.unit_name}
            for doc in sorted(docs, key=lambda d: d.decl.unit_id)]


def relative(project: Project, path: Path) -> str:
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
        "archived_at": _utc(when),
        "archived_on": when.astimezone(CHINA).date().isoformat(),
        "note": note,
        "supersedes": dict(supersedes) if supersedes else None,
        "generator": _versions(),
        "sources": _sources(project, docs),
        "config": [{"path": relative(project, p), "sha256": sha256_file(p)} for p in config_files if p.is_file()],
        "files": file_hashes(snapshot),
    }


def write_manifest(snapshot: Path, manifest: Mapping[str, Any]) -> str:
    """Write the manifest (stable key order, UTF-8) and return its own SHA-256."""
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    (snapshot / MANIFEST).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def manifest_or_empty(rev: Revision) -> dict[str, Any]:
    """The manifest, or {} when it is missing, unreadable or not a JSON object (verify names which)."""
    try:
        manifest = rev.manifest()
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


# -- serving -------------------------------------------------------------------------------------


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
    now = {relative(project, d.source.path): d.source.sha256 for d in documents if d.decl.status == "published"}
    notes = []
    for year, revs in archived_years(project.archive).items():
        if years and year not in years:
            continue
        then = {s["path"]: s["sha256"] for s in manifest_or_empty(revs[-1]).get("sources", [])}
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


def verify(folder: Path) -> Verified:
    """Recompute every hash of one revision folder and compare with its manifest.

    The revision's place in its year's chain is checked by audit_year, for a year or the whole archive.
    """
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
    return Verified(folder, len(expected), hashlib.sha256(raw).hexdigest(), sorted(findings, key=lambda f: f.path))


def manifest_sha256(folder: Path) -> str:
    """The SHA-256 of a revision's manifest bytes ("" when it has none): what the next revision names."""
    path = folder / MANIFEST
    return sha256_file(path) if path.is_file() else ""


# -- the chain ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One line of a year's chain file: a revision and its manifest's SHA-256 when it was archived."""

    number: int
    manifest_sha256: str
    archived_at: str

    def line(self) -> str:
        return f"r{self.number} {self.manifest_sha256} {self.archived_at}\n"


def read_chain(path: Path) -> tuple[list[Link], list[str]]:
    """The chain file's links in order, and a problem (path:line) for every line that is not the next one."""
    links: list[Link] = []
    problems = []
    for number, line in enumerate(path.read_bytes().decode("utf-8", errors="replace").splitlines(), 1):
        match = _CHAIN_LINE.match(line)
        if not match:
            problems.append(f"{path}:{number}: 不是版本记录（应为“r<版本> <清单 SHA-256> <UTC 时间>”）")
        elif int(match[1]) != len(links) + 1:
            problems.append(f"{path}:{number}: 应记第 {len(links) + 1} 版，实为第 {match[1]} 版")
        else:
            links.append(Link(int(match[1]), match[2], match[3]))
    return links, problems


@dataclass(frozen=True)
class YearAudit:
    """A year's folder as the chain rules see it (files are hashed by verify, not here)."""

    folder: Path
    revisions: list[Revision]  # the well-named ones, oldest first
    links: list[Link]  # what the chain file records (for a legacy year: read from the manifests)
    problems: list[str]
    legacy: bool  # no chain file, every manifest made before it existed

    @property
    def current(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None


def audit_year(folder: Path) -> YearAudit:
    """Names, numbering, each revision's link to its predecessor, and the chain file of archive/<year>/."""
    year = int(folder.name)
    revs: list[Revision] = []
    problems = []
    for entry in sorted(folder.iterdir()):
        match = _REVISION.match(entry.name)
        if match and entry.is_dir() and not entry.is_symlink():
            revs.append(Revision(year, int(match[1]), entry))
        elif match or entry.name == CHAIN:
            if not (entry.name == CHAIN and entry.is_file() and not entry.is_symlink()):
                kind = "目录" if match else "文件"
                problems.append(f"{entry}：应为普通{kind}，实为符号链接或其他类型")
        else:
            problems.append(f"{entry}：不是版本目录（应为 r1、r2……）或版本记录 {CHAIN}；"
                            f"年度归档目录中不得有其他文件或目录，请移出 archive/")
    revs.sort(key=lambda r: r.number)
    present = {r.number for r in revs}
    problems += [f"{folder}：缺少第 {n} 版（r{n}）：版本须从 r1 起连续编号"
                 for n in range(1, max(present, default=0)) if n not in present]
    manifests = {r.number: manifest_or_empty(r) for r in revs}
    hashes = {r.number: manifest_sha256(r.path) for r in revs}
    for rev in revs:
        problems += _link_problems(rev, manifests[rev.number], hashes.get(rev.number - 1))
    chain = folder / CHAIN
    if chain.is_file() and not chain.is_symlink():
        links, bad = read_chain(chain)
        return YearAudit(folder, revs, links, problems + bad + _chain_problems(chain, links, revs, hashes), False)
    legacy = all(m.get("format") == LEGACY for m in manifests.values())
    if not legacy:
        problems.append(f"{chain}：缺失：无法确认现行版本未被删除（本年度有新格式的归档，应有版本记录）")
    links = [Link(r.number, hashes[r.number], str(manifests[r.number].get("archived_at", ""))) for r in revs]
    return YearAudit(folder, revs, links, problems, legacy)


def _link_problems(rev: Revision, manifest: Mapping[str, Any], previous: str | None) -> list[str]:
    """A revision's manifest must say which year and revision it is, and name its predecessor's manifest."""
    where = str(rev.path)
    if not manifest:
        return [f"{where}：{MANIFEST} 缺失或无法读取"]
    out = []
    if manifest.get("format") not in (FORMAT, LEGACY):
        out.append(f"{where}：清单格式 {manifest.get('format')!r} 无法识别")
    if manifest.get("year") != rev.year or manifest.get("revision") != rev.number:
        out.append(f"{where}：清单写明为 {manifest.get('year')} 年度第 {manifest.get('revision')} 版，与目录不符")
    named = manifest.get("supersedes")
    if rev.number == 1:
        if named is not None:
            out.append(f"{where}：第 1 版不应取代任何版本（supersedes 应为 null）")
    elif not isinstance(named, dict) or named.get("revision") != rev.number - 1:
        out.append(f"{where}：第 {rev.number} 版的清单未写明取代第 {rev.number - 1} 版（supersedes），不在版本链上")
    elif previous is not None and named.get("manifest_sha256") != previous:
        out.append(f"{where}：清单所记第 {rev.number - 1} 版（r{rev.number - 1}）清单的 SHA-256 为 "
                   f"{str(named.get('manifest_sha256'))[:16]}…，实为 {previous[:16]}…：两版不在同一条版本链上")
    return out


def _chain_problems(chain: Path, links: Sequence[Link], revs: Sequence[Revision],
                    hashes: Mapping[int, str]) -> list[str]:
    """Every revision recorded, every recorded revision present (a deleted current one is no rollback)."""
    present = {r.number: r for r in revs}
    top = max(present, default=0)
    recorded = {link.number for link in links}
    back = f"回退到第 {top} 版" if top else "回退为未归档"
    out = []
    for line, link in enumerate(links, 1):
        rev = present.get(link.number)
        if rev is None and link.number > top:  # (a gap below the top is reported as a gap)
            out.append(f"{chain}:{line}: 缺少第 {link.number} 版（r{link.number}）：版本记录中有它，归档中已没有；"
                       f"归档的版本不得删除，不会{back}")
        elif rev is not None and hashes[link.number] != link.manifest_sha256:
            out.append(f"{rev.path}：清单的 SHA-256 为 {hashes[link.number][:16]}…，与 {chain} 第 {line} 行"
                       f"所记 {link.manifest_sha256[:16]}… 不符：清单被改写或替换")
    out += [f"{r.path}：未记入版本记录 {chain}：不是 disclose archive 生成的版本" for r in revs
            if r.number not in recorded]
    return out


@dataclass(frozen=True)
class Audit:
    years: dict[int, YearAudit]  # newest first
    odd: list[str]  # entries of the archive folder that are not years

    @property
    def problems(self) -> list[str]:
        return self.odd + [p for y in self.years.values() for p in y.problems]


def audit(archive_root: Path) -> Audit:
    """Every year of an archive folder, and anything in it that is not a year."""
    years: dict[int, YearAudit] = {}
    problems = []
    entries = sorted(archive_root.iterdir(), reverse=True) if archive_root.is_dir() else []
    for entry in entries:
        if _YEAR.match(entry.name) and entry.is_dir() and not entry.is_symlink():
            years[int(entry.name)] = audit_year(entry)
        else:
            problems.append(f"{entry}：不是年度归档目录（应为 archive/<四位年度>/）；"
                            "归档目录中不得有其他文件或目录，请移出")
    return Audit(years, problems)


def revision_problems(revs: Sequence[Revision]) -> list[str]:
    """Every difference between these revisions' files and their manifests."""
    return [f.format(str(rev.path)) for rev in revs for f in verify(rev.path).findings]


def published_record_problems(found: Audit, site: Path) -> list[str]:
    """What the published site serves as archived must still be in the archive: a deletion is no rollback.

    The served manifests (site/<year>/, site/<year>-r<N>/) are the site's record of what was archived.
    """
    out = []
    for entry in sorted(site.iterdir()) if site.is_dir() else []:
        match = _SERVED.match(entry.name)
        served = entry / MANIFEST
        if not match or not served.is_file():
            continue
        try:
            number = int(json.loads(served.read_bytes())["revision"])
        except (OSError, ValueError, KeyError, TypeError):
            out.append(f"{served}：已发布的归档清单无法读取")
            continue
        year = found.years.get(int(match[1]))
        rev = next((r for r in year.revisions if r.number == number), None) if year else None
        if rev is None:
            top = year.current.number if year and year.current else 0
            out.append(f"{entry}：已发布 {match[1]} 年度归档第 {number} 版，archive/{match[1]}/r{number} 已不存在；"
                       f"归档的版本不得删除，不会{f'回退到第 {top} 版' if top else '回退为未归档'}")
        elif manifest_sha256(rev.path) != sha256_file(served):
            out.append(f"{entry}：已发布的第 {number} 版清单与 {rev.path / MANIFEST} 不同：归档被替换")
    return out


def published_snapshots(project: Project) -> dict[int, Path]:
    """Each archived year's current revision, once every revision of every year verifies and every chain is
    complete and agrees with the published site; else ArchiveRefused naming every problem."""
    found = audit(project.archive)
    problems = found.problems + revision_problems([r for y in found.years.values() for r in y.revisions])
    problems += published_record_problems(found, project.site)
    if problems:
        raise ArchiveRefused("归档未通过校验，不予发布（可用 disclose verify 查看）：\n" + "\n".join(problems))
    return {year: a.current.path for year, a in found.years.items() if a.current}


def legacy_notes(project: Project) -> list[str]:
    """Years archived before the chain file: they still build, and the build says what is not guarded."""
    return [f"注意：{a.folder / CHAIN} 不存在（该年度归档早于版本记录）：已核对各版之间的链接，"
            f"但删除现行版本只能与已发布网站比对发现；下次 disclose archive {year} --supersede 时写入"
            for year, a in audit(project.archive).years.items() if a.legacy and a.revisions]


def _looks_archived(folder: Path) -> bool:
    """A year folder of an archive (not, say, a live year of site/): it has a chain file or a revision."""
    return (folder / CHAIN).exists() or any(_REVISION.match(p.name) for p in folder.iterdir())


def verify_targets(project: Project, given: Sequence[Path]) -> tuple[list[Path], list[YearAudit], list[str]]:
    """What to verify for the folders named (or the whole archive): revision folders, the years whose
    chain is checked too, and the problems of the archive folders themselves (odd names …)."""
    folders: list[Path] = []
    years: list[YearAudit] = []
    problems: list[str] = []
    for root in list(given) or [project.archive]:
        if (root / MANIFEST).is_file() or _REVISION.match(root.name):
            folders.append(root)  # one revision: a bundle extracted, a served copy
        elif _YEAR.match(root.name) and _looks_archived(root):
            years.append(audit_year(root))
        elif root.resolve() == project.archive.resolve() or any(_YEAR.match(p.name) for p in root.iterdir()):
            found = audit(root)
            years += found.years.values()
            problems += found.odd
        else:  # a folder of extracted bundles
            folders += sorted(p for p in root.iterdir() if (p / MANIFEST).is_file())
    for year in years:
        folders += [r.path for r in year.revisions]
        problems += year.problems
    return folders, years, problems


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
