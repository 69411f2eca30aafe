"""The work folder (build/<output>/): every site's Markdown, data packages and MkDocs config, kept between builds.

A rebuild after one form changed rewrites one page, not a thousand (issue 18): a file is written only where
its bytes differ from what the folder holds, and what this build did not write is removed at the end
(`prune`). Nothing downstream reads a file's mtime (the page and site caches key by bytes), so a file left
as it was is the same input as one written again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Put `data` at `path` unless it holds exactly that already; return whether it was written.

    Written as a new file that replaces the old, never through it: a work file may be the very file site/
    publishes (site_cache links a reused build's data files from here), which must not change before the
    leak scan and the swap, nor at all if this build fails.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.new")
    fresh.write_bytes(data)
    os.replace(fresh, path)
    return True


class SiteFiles(MutableMapping[str, "str | bytes"]):
    """A site's docs folder as a mapping: setting a file writes it at once, so pages never pile up in memory."""

    def __init__(self, root: Path, names: Iterable[str] = ()):
        self.root = root
        self.names: set[str] = set(names)  # files already written there (by a worker, say)
        root.mkdir(parents=True, exist_ok=True)

    def __setitem__(self, rel: str, content: str | bytes) -> None:
        write_if_changed(self.root / rel, content.encode("utf-8") if isinstance(content, str) else content)
        self.names.add(rel)

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self.names:
            raise KeyError(rel)
        return (self.root / rel).read_bytes()

    def __delitem__(self, rel: str) -> None:
        self.names.remove(rel)
        (self.root / rel).unlink()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.names))

    def __len__(self) -> int:
        return len(self.names)

    def paths(self) -> Iterator[Path]:
        return (self.root / name for name in self.names)


def prune(work: Path, keep: Iterable[Path]) -> None:
    """Remove every file under `work` but those in `keep` (what this build wrote), and folders left empty."""
    kept = {os.fspath(path) for path in keep}
    emptied: set[str] = set()
    for top, dirs, files in os.walk(work, topdown=False):
        left = False
        for name in files:
            path = os.path.join(top, name)
            if path in kept:
                left = True
            else:
                os.unlink(path)
        if not left and top != os.fspath(work) and all(os.path.join(top, d) in emptied for d in dirs):
            os.rmdir(top)
            emptied.add(top)
