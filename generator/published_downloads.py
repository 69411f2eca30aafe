"""Publish stage (issue 18): a declaration's downloads that site/ already holds are hard-linked, not written.

A rebuild after one file changed would otherwise write every declaration's files again (≈ 6,000 files,
50 MB at N = 1000: read from the downloads cache's zips into the spool, then moved into the new tree). A
declaration's files are named by their cache entry (export.files_path: its check key, or its data, source and
the code), so where the public build that made site/ took a declaration's files from the same entry, site/ holds exactly
those bytes: the spool gets hard links to them instead.

The record (`build/cache/published-downloads.json`) is written only once a tree is published, and says for
each entry its files and each one's inode, size and mtime in site/. A file that differs from it (replaced or
edited by hand in site/) is not linked: the declaration's files are made as usual. Nothing modifies a
published download in place: the spool's files are moved into the tree (export.place_spooled, which refuses
a name twice), never opened for writing there; archive snapshots copy theirs (archive.copy_snapshot).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache, export

RECORD = "published-downloads.json"


@dataclass(frozen=True)
class Published:
    """What site/ holds of each downloads-cache entry: year → entry name → [[file name, ino, size, mtime]]."""

    site: Path
    entries: dict[str, dict[str, list[list[Any]]]]

    @classmethod
    def read(cls, site: Path, record: Path) -> Published | None:
        try:
            return cls(site, json.loads(record.read_bytes()))
        except (OSError, ValueError):
            return None

    def link(self, spool: Path, job: export.Job) -> export.Spooled | None:
        """Link one job's files from site/ into the spool; None where site/ does not hold them as recorded."""
        decl = job[1]
        path = export.files_path(job)
        files = self.entries.get(str(decl.year), {}).get(path.name) if path and path.is_file() else None
        if path is None or not files:
            return None
        data, folder = self.site / str(decl.year) / "data", spool / str(decl.year)
        try:
            if any(cache.signature(data / name) != sign for name, *sign in files):
                return None
            folder.mkdir(parents=True, exist_ok=True)
            for name, *_ in files:
                os.link(data / name, folder / name)
        except OSError:
            for name, *_ in files:
                (folder / name).unlink(missing_ok=True)
            return None
        return [name for name, *_ in files], path


def _spool(spool: Path, linked: Sequence[export.Spooled | None], jobs: Sequence[export.Job]) -> list[export.Spooled]:
    """A chunk's files: as linked (`linked`, None where not), the others made from `jobs`, in order."""
    rest = iter(jobs)
    return [done if done is not None else export.spool_job(spool, next(rest)) for done in linked]


_TASK_JOBS = 16  # jobs sent to a worker at once (each ~10 ms of work, ~0.7 ms to pickle and unpickle)


def worker_tasks(jobs: Sequence[export.Job], spool: Path,
                 published: Published | None) -> list[Callable[[], list[export.Spooled]]]:
    """The jobs as picklable tasks for workers that inherit nothing of the build (site.build_all). What site/
    holds (`published`; None: every file made) is linked here first: a rebuild sends a worker only the few
    jobs it must make, not every declaration to be pickled (~0.7 ms each) for a link."""
    linked = [published.link(spool, job) if published else None for job in jobs]
    tasks: list[Callable[[], list[export.Spooled]]] = []
    for start in range(0, len(jobs), _TASK_JOBS):
        chunk = slice(start, start + _TASK_JOBS)
        todo = [job for job, done in zip(jobs[chunk], linked[chunk], strict=True) if done is None]
        tasks.append(functools.partial(_spool, spool, linked[chunk], todo))
    return tasks


def pending_record(tree: Path, jobs: Sequence[export.Job], made: Sequence[export.Spooled], path: Path) -> None:
    """Write what the tree holds of each entry (after place_spooled); `publish` makes it the record."""
    entries: dict[str, dict[str, list[list[Any]]]] = {}
    for (_, decl, *_), (names, entry) in zip(jobs, made, strict=True):
        if entry is not None:
            data = tree / str(decl.year) / "data"
            entries.setdefault(str(decl.year), {})[entry.name] = [[n, *cache.signature(data / n)] for n in names]
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


def publish(pending: Path | None, record: Path) -> None:
    """The tree the pending record describes is site/ now: make it the record (one rename)."""
    if pending is not None and pending.is_file():
        os.replace(pending, record)
    else:  # (nothing recorded: link nothing next time)
        record.unlink(missing_ok=True)
