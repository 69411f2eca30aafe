"""Render stage, cached (issue 18): a declaration page's Markdown is kept by everything it is made from.

`render.Renderer.declaration` already keys its memo by the page's inputs — the source file and its hash,
the file's problems and waivers, preview or not, the hashes of the unit's other forms it links to. What the
memo's key leaves out is the same for every page of one build: the options (show_filer, the archive's banner
and note), the levels and settings, and the templates and code (`cache.code_version`). `Memo` adds those and
keeps the pages on disk, one folder per year, so that a rebuild renders only the pages whose inputs changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

from . import cache, render
from .model import Level
from .render import PageOptions


def templates() -> bytes:
    """Every template as the renderer's environment loads it (not only the files: a caller may give the
    environment another loader)."""
    env = render.environment()
    assert env.loader is not None
    return repr([(name, env.loader.get_source(env, name)[0]) for name in sorted(env.list_templates())]).encode()


def context(levels: dict[str, Level], options: PageOptions, settings: dict[str, Any]) -> bytes:
    """What every page of a build shares (the per-file problems and waivers are in each page's own key)."""
    shared = (sorted(levels.items()), options.preview, options.show_filer, options.archive_banner,
              options.archive_page, sorted(settings.items()))
    return cache.code_version() + templates() + repr(shared).encode()


class Memo(MutableMapping[Any, str]):
    """Renderer.declaration's memo on disk (Markdown by key); remembers the keys used, to keep only those.

    The renderer asks `key in memo`, then takes `memo[key]`: the entry found by the first is kept for the
    second (one name made and one file opened a page, not two each)."""

    def __init__(self, folder: Path, shared: bytes):
        self.store = _store(folder)
        self.shared = hashlib.sha256(shared).digest()  # (~50 kB of templates: hashed once, not once a page)
        self.used: set[str] = set()
        self._found: tuple[Any, str, bytes | None] | None = None  # the last key looked up, its name and entry

    def _lookup(self, key: Any) -> tuple[str, bytes | None]:
        found = self._found
        if found is None or found[0] is not key:
            name = cache.key(self.shared, repr(key))
            found = self._found = (key, name, self.store.get(name))
        return found[1], found[2]

    def __getitem__(self, key: Any) -> str:
        name, data = self._lookup(key)
        if data is None:
            raise KeyError(key)
        self.used.add(name)
        return data.decode("utf-8")

    def __contains__(self, key: object) -> bool:
        return self._lookup(key)[1] is not None

    def __setitem__(self, key: Any, markdown: str) -> None:
        name, _ = self._lookup(key)
        data = markdown.encode("utf-8")
        self.store.put(name, data)
        self._found = (key, name, data)
        self.used.add(name)

    def __delitem__(self, key: Any) -> None:
        name, _ = self._lookup(key)
        self._found = None
        self.store.path(name).unlink(missing_ok=True)

    def __iter__(self) -> Iterator[Any]:
        raise TypeError("the keys of a page memo on disk are hashes, not the renderer's keys")

    def __len__(self) -> int:
        return len(self.used)


def _store(folder: Path) -> cache.Store:
    return cache.Store(folder, ".md")


def keep_only(folder: Path, used: Iterable[str]) -> None:
    """Keep only these entries (the `used` of every Memo of one build's year, rendered in parts)."""
    _store(folder).keep_only(used)
