"""Search stage, cached (issue 18): each page's index terms are kept by the page's content.

A page's terms (`search._page_terms`: every character and pair of its texts, its filters, its whole-name
term, each with the bit mask of its sections) depend only on its title, year, kind and sections, and on the
code (`cache.code_version`). The postings that join every page's terms are made anew each build (a page's id
is its place in the index); the terms, most of the stage's work, come from here for unchanged pages.
Entries are `marshal` data (a dict of str → int): read faster than they are made.
"""

from __future__ import annotations

import json
import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from . import cache


class _Page(Protocol):
    """What of a search.Page its terms depend on (named here, so that this module need not import search)."""

    @property
    def title(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def sections(self) -> list[tuple[str, str, str]]: ...


Page = TypeVar("Page", bound=_Page)


class PageTerms(Generic[Page]):
    """Terms of pages, from the cache folder where a page's content is unchanged (no folder: always made)."""

    def __init__(self, folder: Path | None, make: Callable[[Page], dict[str, int]]):
        self.store = cache.Store(folder, ".marshal") if folder else None
        self.make = make
        self.used: set[str] = set()

    def terms(self, page: Page) -> dict[str, int]:
        if self.store is None:
            return self.make(page)
        content = json.dumps([page.title, page.year, page.kind, page.sections], ensure_ascii=False)
        name = cache.key(cache.code_version(), content)
        self.used.add(name)
        entry = self.store.get(name)
        if entry is not None:
            try:
                found: dict[str, int] = marshal.loads(entry)
                return found
            except (EOFError, ValueError, TypeError):
                pass  # (a damaged entry: made anew)
        made = self.make(page)
        self.store.put(name, marshal.dumps(made))
        return made

    def keep_used(self) -> None:
        if self.store is not None:
            self.store.keep_only(self.used)
