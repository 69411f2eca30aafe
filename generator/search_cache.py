"""Search stage, cached (issue 18): each run of pages' share of the index is kept by those pages' content.

The index is made in runs of `search.RUN_PAGES` consecutive pages (side by side in forked workers): a run's
share — its postings (page ids counted from the run's first page, so that the share does not depend on where
the run stands), the 一级指标 its pages hold and its page files' JSON — depends only on its pages' URLs (in the
page files: a page renamed, its unit's code corrected, keeps everything else), titles, years, kinds and
sections, and on the code (`cache.code_version`). A rebuild after one form changed makes
one run's share anew and joins the others' from here (joining re-encodes one delta per term and run).
Entries are `marshal` data (tuples, lists, dicts of str and int): read faster than they are made.

`Files` keeps the index files a public build wrote (hard links beside the shares' folder): a rebuild links
each file whose bytes are unchanged instead of writing it, and where no run's share changed (an edit outside
the searched texts) links the shards and page files without joining or even reading the shares.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from . import cache

# A run's postings: term → (its first page id, that posting's mask as encoded, the run's other postings
# encoded as in a shard, its last page id), ids counted from the run's first page.
Postings = dict[str, tuple[int, str, str, int]]
Share = tuple[Postings, list[str], list[str]]  # postings, 一级指标 held, each page file's JSON value


class _Page(Protocol):
    """What of a search.Page a share depends on (named here, so that this module need not import search)."""

    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def sections(self) -> list[tuple[str, str, str]]: ...


class Shares:
    """Runs' shares from the cache folder where the run's pages are unchanged (no folder: nothing kept)."""

    def __init__(self, folder: Path | None):
        self.store = cache.Store(folder, ".marshal") if folder else None

    def name(self, pages: Sequence[_Page]) -> str:
        content = json.dumps([[p.url, p.title, p.year, p.kind, p.sections] for p in pages], ensure_ascii=False)
        return cache.key(cache.code_version(), content)

    def get(self, name: str) -> Share | None:
        entry = self.store.get(name) if self.store else None
        if entry is not None:
            try:
                postings, levels, fragments = marshal.loads(entry)
                return postings, levels, fragments
            except (EOFError, ValueError, TypeError):
                pass  # (a damaged entry: made anew)
        return None

    def put(self, name: str, share: Share) -> None:
        if self.store is not None:
            self.store.put(name, marshal.dumps(share))

    def keep_only(self, names: Iterable[str]) -> None:
        if self.store is not None:
            self.store.keep_only(names)


class Files:
    """The files the last build's search stage wrote (public build: hard links to them in a folder of their own,
    and a manifest of their digests and signatures), so that a rebuild links a file whose bytes are unchanged
    instead of writing it again, and, where every run's share is unchanged, links them all without making them.

    As with site_cache's linked builds: no writer changes such a file in place (the search stage makes new
    files), and a file changed in place anyway (by hand in site/) has another signature: it is written anew.
    With no folder, every file is written and nothing kept.
    """

    def __init__(self, folder: Path | None, dest: Path):
        self.folder, self.dest = folder, dest  # (files are named relative to dest)
        self.names: list[str] = []  # the runs' share names of the build that wrote the kept files
        self.runs: list[str] = []  # those of this build's (search.write_shards says)
        self.kept: dict[str, list[Any]] = {}  # file (relative to dest) → [sha256, inode, size, mtime] of its copy
        self.placed: dict[str, list[Any]] = {}
        self._root = os.path.join(dest, "")  # (names by string operations: a stage places thousands of files)
        self._copies = os.path.join(folder, "files", "") if folder is not None else ""
        self._folders: set[str] = set()  # folders of kept copies known to exist
        if folder is not None:
            try:
                manifest = json.loads((folder / _MANIFEST).read_text("utf-8"))
                self.names, self.kept = list(manifest["names"]), dict(manifest["files"])
            except (OSError, ValueError, KeyError, TypeError):
                pass  # (none yet, or damaged: every file written)

    def _copy(self, name: str) -> str:
        return self._copies + name

    def _signature(self, name: str) -> list[int]:
        stat = os.stat(self._copy(name))
        return [stat.st_ino, stat.st_size, stat.st_mtime_ns]  # (as cache.signature)

    def _linked(self, name: str, entry: list[Any]) -> bool:
        """Link the kept copy into place if it is still as kept."""
        try:
            if self._signature(name) != entry[1:]:
                return False
            os.link(self._copy(name), self._root + name)
        except OSError:
            return False
        self.placed[name] = entry
        return True

    def link_all(self, names: Sequence[str], made: Sequence[Path]) -> bool:
        """Every kept file of `made` (files, or folders: the files under them) linked into place, where the kept
        ones were made of the same runs' shares (`names`, code version included) and are all as kept; else none,
        and False."""
        if not (self.folder and self.kept and list(names) == self.names):
            return False
        wanted = [path.relative_to(self.dest).as_posix() for path in made]
        todo = [name for name in self.kept if any(name == w or name.startswith(w + "/") for w in wanted)]
        try:
            if any(self._signature(name) != self.kept[name][1:] for name in todo):
                return False
        except OSError:
            return False
        for folder in {os.path.dirname(self._root + name) for name in todo}:
            os.makedirs(folder, exist_ok=True)
        for name in todo:
            if not self._linked(name, self.kept[name]):
                self.write(self.dest / name, Path(self._copy(name)).read_bytes())  # (a link refused: copied)
        return True

    def write(self, target: Path, data: bytes) -> None:
        """A file of the stage: linked from the kept copy where that has these very bytes, else written (and kept)."""
        if self.folder is None:
            target.write_bytes(data)
            return
        path = os.fspath(target)
        assert path.startswith(self._root), (path, self._root)
        name = path[len(self._root):]
        digest = cache.sha256(data)
        entry = self.kept.get(name)
        if entry is not None and entry[0] == digest and self._linked(name, entry):
            return
        with open(path, "wb") as out:
            out.write(data)
        copy = self._copy(name)
        if (folder := os.path.dirname(copy)) not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(copy)
        try:
            os.link(path, copy)
            self.placed[name] = [digest, *self._signature(name)]
        except OSError:
            pass  # (a file system without hard links: not kept)

    def finish(self) -> None:
        """Keep only this build's files, and their manifest (written last, atomically)."""
        if self.folder is None:
            return
        for name in self.kept.keys() - self.placed.keys():
            Path(self._copy(name)).unlink(missing_ok=True)
        temporary = self.folder / f".{_MANIFEST}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps({"names": self.runs, "files": self.placed}), encoding="utf-8")
        temporary.replace(self.folder / _MANIFEST)


_MANIFEST = "manifest.json"
