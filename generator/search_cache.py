"""Search stage, cached (issue 18): each run of pages' share of the index is kept by those pages' content.

The index is made in runs of `search.RUN_PAGES` consecutive pages (side by side in forked workers): a run's
share — its postings (page ids counted from the run's first page, so that the share does not depend on where
the run stands), the 一级指标 its pages hold and its page files' JSON — depends only on its pages' URLs (in the
page files: a page renamed, its unit's code corrected, keeps everything else), titles, years, kinds and
sections, and on the code (`cache.code_version`). A rebuild after one form changed makes
one run's share anew and joins the others' from here (joining re-encodes one delta per term and run).
Entries are `marshal` data (tuples, lists, dicts of str and int): read faster than they are made.
"""

from __future__ import annotations

import json
import marshal
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

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
