"""Site stage, build cache (issue 18): a MkDocs build whose inputs are unchanged is not started again.

Even when every page comes from the page cache (page_cache), a MkDocs process costs ≈ 1 s of fixed work
(config, plugins, Material's template listing, nav, 404, sitemap). What one build's output depends on:

- the site key (page_cache.site_key: the generated config but its folders, the root mkdocs.yml, the custom
  theme, the generator's code and the libraries' versions) and the Python version;
- the build date (SOURCE_DATE_EPOCH, which reaches sitemap.xml);
- every file of its docs folder, by name and bytes: the pages, hence the nav's titles and the file list.

Keyed by all of these, a build's output is stored once it ran, and a later build with the same key takes
it instead of running MkDocs. Entries (a cache.Store): `<key>`, a JSON manifest — the output's files, each
with its stored copy's inode, size and mtime, and the page-cache keys the build used (kept in the page
cache while the build is reused) — and `<key>.<n>`, the manifest's n-th file.

With `link` (the public build) the stored files are hard links to the files MkDocs wrote, and a reused build
is hard-linked into place: no byte is copied. That is sound because nothing modifies a built file in place:
the files later stages rewrite (`REWRITTEN`: the sitemaps join_parts merges, the search index merge_search
replaces) are copied, never linked; every other writer makes new files (MkDocs into a fresh folder, the
downloads, archive.serve_superseded's copies). A file changed in place anyway (by hand in site/) changes its
mtime: the entry's signature no longer matches and the build runs again. Without `link` (archive
snapshots, the preview, whose served pages `serve` rebuilds in place) every file is copied both ways, so
that no snapshot or served file ever shares an inode with the cache.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import cache, page_cache

# Rewritten by later stages (build.join_parts in place; merge_search replaces the record): never linked.
REWRITTEN = frozenset({"sitemap.xml", "sitemap.xml.gz", "search/search_index.json"})


def run_key(config_path: Path, source_date_epoch: int) -> str:
    """The key of one MkDocs build: everything its output depends on (see the module's notes)."""
    import yaml

    docs = Path(yaml.safe_load(config_path.read_text("utf-8"))["docs_dir"])
    return cache.key(page_cache.site_key(config_path), sys.version, str(source_date_epoch), folder_listing(docs))


def folder_listing(folder: Path) -> bytes:
    """Every file under a docs folder by relative name, and each page (Markdown) also by its bytes' digest.

    Any other file (the data packages under data/) MkDocs copies as it is, and no page depends on its bytes
    (page_cache: only on the file list): restore takes it from the docs folder, so only its name is keyed.
    """
    parts = []
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(top) / name
            digest = cache.sha256(path.read_bytes()) if name.endswith(".md") else "static"
            parts.append(f"{path.relative_to(folder).as_posix()}\0{digest}\n")
    return "".join(parts).encode()


def _place(source: Path, dest: Path, link: bool) -> None:
    if link:
        try:
            os.link(source, dest)
            return
        except OSError as err:
            if err.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                raise  # (else: site/ on another filesystem than build/, or one without hard links: copied)
    shutil.copyfile(source, dest)


def store(store: cache.Store, key: str, site_dir: Path, pages: Sequence[str], link: bool) -> None:
    """Keep a finished build's output (and the page keys it used) under its key; the manifest last, so a
    half-stored entry is never found."""
    names = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    files = []
    for number, rel in enumerate(names):
        blob = store.path(f"{key}.{number}")
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.unlink(missing_ok=True)
        _place(site_dir / rel, blob, link and rel not in REWRITTEN)
        files.append([rel, *cache.signature(blob)])
    store.put(key, json.dumps({"files": files, "pages": list(pages)}, ensure_ascii=False).encode())


def restore(store: cache.Store, key: str, site_dir: Path, docs_dir: Path, link: bool) -> list[str] | None:
    """Put a stored build's output into site_dir (the docs folder's own files, which MkDocs copies, copied
    from there); return the page keys it used, or None where there is no sound entry (none, or a stored
    file changed since)."""
    raw = store.get(key)
    if raw is None:
        return None
    manifest = json.loads(raw)
    blobs = [(rel, store.path(f"{key}.{number}"), sign) for number, (rel, *sign) in enumerate(manifest["files"])]
    try:
        if any(cache.signature(blob) != sign for _, blob, sign in blobs):
            return None
    except OSError:
        return None
    made: set[Path] = set()
    for rel, blob, _ in blobs:
        dest = site_dir / rel
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        static = docs_dir / rel
        if not rel.endswith(".md") and static.is_file():  # (a page's output is <name>/index.html, never .md)
            _place(static, dest, link)  # (work files are replaced, never written through: workdir)
        else:
            _place(blob, dest, link and rel not in REWRITTEN)
    return list(manifest["pages"])


def entry_names(store: cache.Store, keys: Iterable[str]) -> list[str]:
    """The names (manifest and files) of these entries, for cache.Store.keep_only."""
    names = []
    for key in keys:
        raw = store.get(key)
        if raw is not None:
            names += [key, *(f"{key}.{number}" for number in range(len(json.loads(raw)["files"])))]
    return names
