"""Content-hash caches under build/cache (issue 18): what depends only on its inputs is made once.

A cached value is found by a key that hashes every input it was made from *and* the code that made it
(`code_version`: every module and template of the generator, the Unicode tables, the versions of the
libraries the output passes through), so a changed template, theme or library misses every old entry and
nothing stale is ever reused. A store keeps, after a build, only the entries that build used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import unicodedata
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

_GENERATOR = Path(__file__).parent
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe", "jieba",
             "pyyaml")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@functools.cache
def code_version() -> bytes:
    """The generator's code and templates, the Unicode tables and the libraries' versions, as one digest."""
    digest = hashlib.sha256(unicodedata.unidata_version.encode())
    for name in LIBRARIES:
        digest.update(f"{name}={_version(name)}\0".encode())
    for path in sorted(p for p in _GENERATOR.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".json")):
        digest.update(path.relative_to(_GENERATOR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def folder_digest(folder: Path) -> bytes:
    """Every file under a folder (a theme), by relative name and bytes."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def signature(path: Path) -> list[int]:
    """A file's inode, size and mtime: what a hard-linked or reused file is checked against before it is
    trusted again (a file written in place since has another mtime)."""
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key(*parts: bytes | str) -> str:
    """A key from several inputs, each length-prefixed (so that no two different inputs give one key)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class Store:
    """A folder of entries named by key (two-letter subfolders); writes are atomic (temporary + rename)."""

    def __init__(self, folder: Path, suffix: str = ""):
        self.folder = folder
        self.suffix = suffix

    def path(self, name: str) -> Path:
        return self.folder / name[:2] / f"{name}{self.suffix}"

    def get(self, name: str) -> bytes | None:
        try:
            return self.path(name).read_bytes()
        except OSError:
            return None

    def put(self, name: str, data: bytes) -> None:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)

    def filled(self) -> bool:
        """Whether the store holds entries (a rebuild: most values will come from it)."""
        return self.folder.is_dir() and any(sub.is_dir() and any(sub.iterdir()) for sub in self.folder.iterdir())

    def keep_only(self, names: Iterable[str]) -> None:
        """Drop every entry but these (those of the last build): the cache does not grow without end."""
        kept = {self.path(n) for n in names}
        if not self.folder.is_dir():
            return
        for sub in self.folder.iterdir():
            if sub.is_dir():
                for entry in sub.iterdir():
                    if entry not in kept:
                        entry.unlink(missing_ok=True)
