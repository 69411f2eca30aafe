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

import functools
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from . import cache, workers
from .check import Context, Report, _layout, _lean, assemble, check_file
from .model import Document
from .problems import Problem

Result = tuple[Document | None, list[Problem]]


def _context_key(ctx: Context) -> bytes:
    return repr((sorted(ctx.levels.items()), str(ctx.content))).encode()


def _key(path: Path, ctx: Context, context: bytes) -> tuple[Result | None, str | None]:
    """A file's result if it is refused unread, else its key (None: unreadable, so not cacheable)."""
    refused = _layout(path, ctx)
    if refused:
        return (None, [refused]), None
    try:
        data = path.read_bytes()
    except OSError:
        return None, None  # (the loader reports the unreadable file)
    return None, cache.key(cache.code_version(), context, str(path), data)


def _cached(store: cache.Store, name: str) -> Result | None:
    entry = store.get(name)
    if entry is None:
        return None
    try:
        result: Result = pickle.loads(entry)
    except Exception:  # (a damaged entry: checked anew, as if absent)
        return None
    return result


def _check_and_keep(store: cache.Store, job: tuple[Path, Context, str | None]) -> Result | None:
    """Check one file and keep its result; None when kept (the caller reads it back), else the result."""
    path, ctx, name = job
    result = _lean(*check_file(path, ctx))
    doc = result[0]
    if name is None or doc is None:  # (a file that did not load completely is checked every time)
        return result
    try:
        data = path.read_bytes()
    except OSError:
        return result
    if name != cache.key(cache.code_version(), _context_key(ctx), str(path), data) or \
            doc.source.sha256 != cache.sha256(data):  # changed while being checked: not kept
        return result
    store.put(name, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return None


def check_files(files: Sequence[Path], ctx: Context, folder: Path, parallel: bool = False) -> Report:
    """check.check_files, each file's own result from the cache in `folder` where its inputs are unchanged
    (the others checked in forked workers when `parallel`: each keeps its results in the cache, which the
    parent reads back: cheaper than sending them); afterwards the cache holds these files' entries only."""
    store = cache.Store(folder, ".pickle")
    context = _context_key(ctx)
    results: list[Result | None] = []
    names: list[str | None] = []
    for path in files:
        refused, name = _key(path, ctx, context)
        names.append(name)
        results.append(refused or (_cached(store, name) if name else None))
    todo = [i for i, result in enumerate(results) if result is None]
    jobs = [(files[i], ctx, names[i]) for i in todo]
    cores = os.cpu_count() or 1
    parallel = parallel and len(jobs) >= _PARALLEL_FROM
    groups = [jobs[i::cores] for i in range(cores)] if parallel else [jobs]
    done = workers.fork_map(functools.partial(_check_group, store), groups, parallel)
    made = {id(job): result for group, results_ in zip(groups, done, strict=True)
            for job, result in zip(group, results_, strict=True)}
    for i, job in zip(todo, jobs, strict=True):
        result = made[id(job)]
        results[i] = result if result is not None else _cached(store, str(names[i]))
        if results[i] is None:  # (its entry vanished: never but for a concurrent cleaner) checked here
            results[i] = _lean(*check_file(files[i], ctx))
    store.keep_only(n for n in names if n)
    return assemble(files, [r for r in results if r is not None])


_PARALLEL_FROM = 64  # fewer files are checked faster than workers start


def _check_group(store: cache.Store, jobs: list[tuple[Path, Context, str | None]]) -> list[Result | None]:
    return [_check_and_keep(store, job) for job in jobs]
