"""Check stage, cached (issue 18): a file's load-and-check result is kept by its content hash.

What `check.check_file` finds in one file depends on the file's bytes, its path (every problem names it;
the FILE_NAME rule reads it), the context (the indicator levels of site_config, the content folder) and the
generator's code: all of them are in the key. Whether the file or a folder on its way is a symbolic link is
not in the bytes: that test (`check._layout`) runs every time. The corpus-wide rules (duplicates, a kind's
corpus rules) need every document and run after, on cached and fresh results alike, as `check.assemble` does.

Entries are pickles of the lean result (`check._lean`): ~0.5 ms to read against ~3.4 ms to load and check.
The cache folder is the project's own build/ (as trusted as its code: never a downloaded one).
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path

from . import cache
from .check import Context, Report, _layout, _lean, assemble, check_file
from .model import Document
from .problems import Problem

Result = tuple[Document | None, list[Problem]]


def _context_key(ctx: Context) -> bytes:
    return repr((sorted(ctx.levels.items()), str(ctx.content))).encode()


def check_one(path: Path, ctx: Context, store: cache.Store, context: bytes) -> tuple[Result, str | None]:
    """One file's result, from the cache where its key is known; the key used (None: not cacheable)."""
    refused = _layout(path, ctx)
    if refused:
        return (None, [refused]), None
    try:
        data = path.read_bytes()
    except OSError:
        return _lean(*check_file(path, ctx)), None  # (the loader reports the unreadable file)
    name = cache.key(cache.code_version(), context, str(path), data)
    entry = store.get(name)
    if entry is not None:
        try:
            result: Result = pickle.loads(entry)
            return result, name
        except Exception:  # (a damaged entry: checked anew, as if absent)
            pass
    result = _lean(*check_file(path, ctx))
    if result[0] is not None and result[0].source.sha256 == cache.sha256(data):  # (not changed while read)
        store.put(name, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result, name


def check_files(files: Sequence[Path], ctx: Context, folder: Path) -> Report:
    """check.check_files, each file's own result from the cache in `folder` where its inputs are unchanged;
    afterwards the cache holds the entries of these files only."""
    store = cache.Store(folder, ".pickle")
    context = _context_key(ctx)
    results, used = [], []
    for path in files:
        result, name = check_one(path, ctx, store, context)
        results.append(result)
        if name:
            used.append(name)
    store.keep_only(used)
    return assemble(files, results)
