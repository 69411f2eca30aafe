"""Site stage, page cache (issue 18): a page's HTML is made once per content, not once per build.

MkDocs renders every page of a site on every build. What one page's HTML depends on:

- its own Markdown file (front matter included) and where it is (`src_uri`: its URL, every relative link);
- the site: the generated config (nav, site_name, site_url, extra, theme features; not docs_dir/site_dir,
  which only say where the files are), the root mkdocs.yml it inherits, the custom theme, Material, MkDocs,
  Python-Markdown and their extensions, and our hooks (all in `cache.code_version` or the site key below);
- the other pages only through the nav: Material prints the tabs and the site nav (titles, URLs, which entry
  is active) and, for a page in the nav, its previous and next pages. The nav's whole shape — every item's
  kind, title and URL, in order — is part of the key. A page's title is the nav's where the nav names it,
  else its Markdown's (part of the key through that page's file);
- the set of documentation files, but only through the Markdown links MkDocs resolves to them: a page whose
  Markdown has a link (`](`, `]:`) has the site's file list in its key. (Raw HTML is never rewritten.)

The build date (SOURCE_DATE_EPOCH) reaches only sitemap.xml, which MkDocs still makes every time.

A page found in the cache is neither read, converted nor templated: its HTML is copied into the site and the
entries it gave Material's search plugin (unit pages) are handed to the plugin again, in the same order, so
the site is byte-identical to one built without the cache. Pinned to MkDocs 1.x's page steps
(`_populate_page`, `_build_page`), as `site.IncrementalSite` is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from . import cache

_LINK = (b"](", b"]:")


def site_key(config_path: Path) -> bytes:
    """What every page of one site depends on besides its own file and the nav (see the module's notes)."""
    config = yaml.safe_load(config_path.read_text("utf-8"))
    for where in ("docs_dir", "site_dir"):  # (a part of a year is built from another folder: same pages)
        config.pop(where, None)
    parts = [cache.code_version(), json.dumps(config, sort_keys=True, ensure_ascii=False).encode()]
    inherited = config.get("INHERIT")
    if inherited:
        parts.append(Path(inherited).read_bytes())
    theme = config.get("theme", {}).get("custom_dir")
    if theme:
        parts.append(cache.folder_digest(Path(theme)))
    return bytes.fromhex(cache.key(*parts))


def _nav_shape(items: Any) -> list[Any]:
    shape: list[Any] = []
    for item in items or ():
        name = type(item).__name__
        if name == "Page":
            title = item.__dict__.get("title")  # named by the nav (else the page's own, from its file)
            if title is None:
                title = hashlib.sha256(Path(item.file.abs_src_path).read_bytes()).hexdigest()
            shape.append([name, str(title), item.file.src_uri, item.url])
        else:
            shape.append([name, str(item.title), getattr(item, "url", None), _nav_shape(item.children)])
    return shape


class PageCache:
    """One MkDocs build's page lookups: the keys computed while pages are read, hits used when they are built."""

    def __init__(self, store: cache.Store, site: bytes):
        self.store, self.site = store, site
        self.nav: Any = None
        self.nav_key = b""
        self.files_key = b""
        self.keys: dict[str, str] = {}  # src_uri → key of every page of this build
        self.hits: set[str] = set()  # src_uri of the pages found (read when built: not all held at once)
        self.used: set[str] = set()

    def set_nav(self, nav: Any, files: Any) -> None:
        self.nav = nav
        self.nav_key = json.dumps(_nav_shape(nav.items), ensure_ascii=False).encode()
        uris = sorted(f.src_uri for f in files)
        self.files_key = "\n".join(uris).encode()

    def lookup(self, page: Any) -> bool:
        """Compute the page's key; True if its HTML is cached (then it need not be read or converted)."""
        source = Path(page.file.abs_src_path).read_bytes()
        linked = self.files_key if any(mark in source for mark in _LINK) else b""
        name = cache.key(self.site, page.file.src_uri, source, self.nav_key, linked)
        self.keys[page.file.src_uri] = name
        self.used.add(name)
        found = self.store.path(name).is_file()
        if found:
            self.hits.add(page.file.src_uri)
        return found


def _search_plugin(config: Any) -> Any:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


def _pack(html: bytes, entries: list[Any]) -> bytes:
    head = json.dumps(entries, ensure_ascii=False).encode()
    return len(head).to_bytes(8, "little") + head + html


def _unpack(entry: bytes) -> tuple[bytes, list[Any]]:
    size = int.from_bytes(entry[:8], "little")
    return entry[8 + size:], json.loads(entry[8:8 + size])


@contextmanager
def installed(store: cache.Store, site: bytes) -> Iterator[PageCache]:
    """MkDocs' page steps, for the builds run inside, consulting and filling the cache."""
    from mkdocs.commands import build as mkdocs_build

    steps: Any = mkdocs_build  # (its step functions are replaced below, and put back after)

    pages = PageCache(store, site)
    populate, build_page, navigation = steps._populate_page, steps._build_page, steps.get_navigation

    def get_navigation(files: Any, config: Any) -> Any:
        nav = navigation(files, config)
        pages.set_nav(nav, files)
        return nav

    def cached(page: Any) -> bytes | None:
        if page.file.src_uri not in pages.hits:
            return None
        pages.hits.discard(page.file.src_uri)
        entry = store.get(pages.keys[page.file.src_uri])
        if entry is None:  # (removed since it was looked up: never within one build)
            raise OSError(f"页面缓存条目丢失：{page.file.src_uri}")
        return entry

    def populate_page(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        if not pages.lookup(page):
            populate(page, config, files, dirty)

    def build(page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False,
              excluded: bool = False) -> None:
        # (`excluded` is a draft shown by `mkdocs serve`: never in a build, where this cache is installed)
        index = _search_plugin(config)
        hit = cached(page)
        dest = Path(page.file.abs_dest_path)
        if hit is not None:
            html, entries = _unpack(hit)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(html)
            if index is not None:
                index.entries.extend(entries)
            return
        before = len(index.entries) if index is not None else 0
        build_page(page, config, doc_files, nav, env, dirty, excluded)
        if dest.is_file():
            made = index.entries[before:] if index is not None else []
            store.put(pages.keys[page.file.src_uri], _pack(dest.read_bytes(), made))

    steps._populate_page, steps._build_page, steps.get_navigation = populate_page, build, get_navigation
    try:
        yield pages
    finally:
        steps._populate_page, steps._build_page, steps.get_navigation = populate, build_page, navigation

