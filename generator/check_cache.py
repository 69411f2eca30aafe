"""Check stage, cached (issue 18): a file's load-and-check result is kept by its content hash.

What `check.check_file` finds in one file depends on the file's bytes, its path (every problem names it;
the FILE_NAME rule reads it), the context (the indicator levels of site_config, the content folder) and the
generator's code: all of them are in the key. Whether the file or a folder on its way is a symbolic link is
not in the bytes: that test (`check._layout`) runs every time. The corpus-wide rules (duplicates, a kind's
corpus rules) need every document and run after, on cached and fresh results alike, as `check.assemble` does.

Entries are pickles of the lean result (`check._lean`) and its form masked (`privacy.masked`, sharing what it
left as it was: a public build reads it instead of masking again): ~0.5 ms to read against ~3.4 ms to load and check.
The cache folder is the project's own build/ (as trusted as its code: never a downloaded one).

A big build holds every document in its parent process (and its forked workers see them): texts and amounts
are written as values (`_Writer`), and one check's reads share one object per distinct value (`_Reader`):
a corpus repeats its indicator names, units, levels and standard wordings from form to form, and a text
(a str subclass: two allocations) costs ~64 bytes before its characters. At N = 1000 synth forms this holds
31 KiB per document instead of 48.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import io
import os
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import cache, workers
from .check import Context, Report, _layout, _lean, assemble, check_file
from .model import Document, Money, Share, Text
from .privacy import masked
from .problems import Problem

Result = tuple[Document | None, list[Problem]]
Entry = tuple[Document | None, list[Problem], Document | None]  # a result and its document masked (privacy.mask)


def _context_key(ctx: Context) -> bytes:
    return repr((sorted(ctx.levels.items()), str(ctx.content))).encode()


def _key(path: Path, ctx: Context, context: bytes) -> tuple[Entry | None, str | None]:
    """A file's result if it is refused unread, else its key (None: unreadable, so not cacheable)."""
    refused = _layout(path, ctx)
    if refused:
        return (None, [refused], None), None
    try:
        data = path.read_bytes()
    except OSError:
        return None, None  # (the loader reports the unreadable file)
    return None, cache.key(cache.code_version(), context, str(path), data)


# The immutable values written by value: a text as its characters, an amount or a share as its text and value.
_VALUES: tuple[type, ...] = (Text, Money, Share)


class _Writer(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is Text:
            return str(obj)
        if kind is Money:
            return ("M", obj.text, str(obj.value))  # (str: exact, exponent kept)
        if kind is Share:
            return ("S", obj.text, str(obj.percent))
        return None


class Shared(dict[Any, Any]):
    """A check's values by what was written of them (a text by its characters, an amount or a share by its
    text and value), each made on first sight: nothing but the values themselves is held. Its lookup is the
    unpickler's persistent_load, a C call for every value seen before (~220 a form)."""

    def __missing__(self, pid: Any) -> Any:
        if isinstance(pid, str):
            value: Any = Text(pid)
        elif isinstance(pid, tuple) and len(pid) == 3 and pid[0] in ("M", "S"):
            value = (Money if pid[0] == "M" else Share)(pid[1], Decimal(pid[2]))
        else:
            raise pickle.UnpicklingError(f"unknown value {pid!r}")
        self[pid] = value
        return value


class _Reader(pickle.Unpickler):
    def __init__(self, data: bytes, shared: Shared):
        super().__init__(io.BytesIO(data))
        self.persistent_load = shared.__getitem__  # type: ignore[method-assign]  # (C's own lookup)

    def find_class(self, module: str, name: str) -> Any:
        found = super().find_class(module, name)
        if isinstance(found, type) and found.__dict__.get("__setstate__") is _DATACLASS_SETSTATE:
            found.__setstate__ = _setstate(found)  # type: ignore[attr-defined]  # (once: the class keeps it)
        return found


# A slotted dataclass's own __setstate__ looks its fields up for every object (a third of reading a cached
# entry: ~450 objects a form); the same assignments from a list made once per class.
@dataclasses.dataclass(frozen=True, slots=True)
class _Slotted:
    value: int


_DATACLASS_SETSTATE = vars(_Slotted).get("__setstate__")  # (dataclasses' own, which every such class shares)


def _setstate(cls: type) -> Any:
    setters = tuple(getattr(cls, f.name).__set__ for f in dataclasses.fields(cls))  # the slots' descriptors

    def __setstate__(self: Any, state: Sequence[Any]) -> None:
        for set_slot, value in zip(setters, state, strict=True):
            set_slot(self, value)
    return __setstate__


def dumps(entry: Entry) -> bytes:
    out = io.BytesIO()
    _Writer(out, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)  # (the masked copy shares what it did not mask)
    return out.getvalue()


def loads(data: bytes, shared: Shared) -> Entry:
    """An entry, each text and amount the one in `shared` that equals it (added if none)."""
    entry: Entry = _Reader(data, shared).load()
    return entry


def _entry(result: Result) -> Entry:
    """A result with its document masked: a public build would mask every document of every rebuild again
    (4 s at N = 10,000), a function of the document and the generator's code, both in the key."""
    doc, problems = result
    return doc, problems, masked(doc) if doc is not None else None


def _cached(store: cache.Store, name: str, shared: Shared) -> Entry | None:
    entry = store.get(name)
    if entry is None:
        return None
    try:
        return loads(entry, shared)
    except Exception:  # (a damaged entry: checked anew, as if absent)
        return None


def _check_and_keep(store: cache.Store, job: tuple[Path, Context, str | None]) -> Entry | None:
    """Check one file and keep its entry; None when kept (the caller reads it back), else the entry."""
    path, ctx, name = job
    result = _entry(_lean(*check_file(path, ctx)))
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
    store.put(name, dumps(result))
    return None


def check_files(files: Sequence[Path], ctx: Context, folder: Path, parallel: bool = False) -> Report:
    """check.check_files, each file's own result from the cache in `folder` where its inputs are unchanged
    (the others checked in forked workers when `parallel`: each keeps its results in the cache, which the
    parent reads back: cheaper than sending them); afterwards the cache holds these files' entries only."""
    store = cache.Store(folder, ".pickle")
    context = _context_key(ctx)
    shared = Shared()
    results: list[Entry | None] = []
    names: list[str | None] = []
    with _uncollected():
        for path in files:
            refused, name = _key(path, ctx, context)
            names.append(name)
            results.append(refused or (_cached(store, name, shared) if name else None))
    stored = [name is not None and result is not None for name, result in zip(names, results, strict=True)]
    todo = [i for i, result in enumerate(results) if result is None]
    jobs = [(files[i], ctx, names[i]) for i in todo]
    cores = os.cpu_count() or 1
    parallel = parallel and len(jobs) >= _PARALLEL_FROM
    groups = [jobs[i::cores] for i in range(cores)] if parallel else [jobs]
    done = workers.fork_map(functools.partial(_check_group, store), groups, parallel)
    made = {id(job): result for group, results_ in zip(groups, done, strict=True)
            for job, result in zip(group, results_, strict=True)}
    with _uncollected():
        for i, job in zip(todo, jobs, strict=True):
            result = made[id(job)]
            results[i] = result if result is not None else _cached(store, str(names[i]), shared)
            stored[i] = result is None and results[i] is not None
            if results[i] is None:  # (its entry vanished: never but for a concurrent cleaner) checked here
                results[i] = _entry(_lean(*check_file(files[i], ctx)))
    store.keep_only(n for n in names if n)
    entries = [r for r in results if r is not None]
    report = assemble(files, [(doc, problems) for doc, problems, _ in entries])
    # A key names only a document kept under it (one checked while its file changed was not: it has none).
    keys = {entry[0].source.path: str(name) for entry, name, kept in zip(results, names, stored, strict=True)
            if kept and entry and entry[0] is not None}
    return dataclasses.replace(report, masked=[masked for _, _, masked in entries if masked is not None], keys=keys)


@contextmanager
def _uncollected() -> Iterator[None]:
    """The collector paused while entries are read, and what was read frozen after (gc.freeze: the build holds
    it to its end). Reading creates no cycles, yet each full collection walks every object read so far: at
    N = 10,000 forms ~11 of them, a third of reading them back (3.4 of 9 s)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if paused:
            gc.enable()


_PARALLEL_FROM = 64  # fewer files are checked faster than workers start


def _check_group(store: cache.Store, jobs: list[tuple[Path, Context, str | None]]) -> list[Entry | None]:
    return [_check_and_keep(store, job) for job in jobs]
