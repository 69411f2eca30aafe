"""Search stage: the Chinese search index, built from the model instead of re-parsing every page's HTML.

Material's search plugin parses each page's HTML and segments all of its text with jieba: about
half of a default build. Declaration pages are excluded from it (front matter `search: exclude`)
and indexed here from the model: what readers search for (names, functions, tasks, projects,
goals, indicators), not every number, segmented once per distinct text.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .forms import kind_of
from .forms.base import heading_slug as heading_slug  # the anchor of a heading, where it has long been
from .model import Document, Form

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ZWSP = "\u200b"  # Material's zh separator splits on it


@functools.lru_cache(maxsize=200_000)
def _segment_run(run: str) -> str:
    import jieba  # imported lazily: loading its dictionary takes ~0.5 s

    return ZWSP + ZWSP.join(jieba.cut(run)) + ZWSP


def segment(text: str) -> str:
    """Text with jieba's word boundaries marked by zero-width spaces, as Material's plugin does."""
    return _HAN.sub(lambda m: _segment_run(m[0]), text).strip(ZWSP)


def _entry(location: str, title: str, parts: Iterable[str]) -> dict[str, str]:
    text = "；".join(p for p in parts if p)
    return {"location": location, "title": html.escape(segment(title)), "text": html.escape(segment(text))}


def declaration_entries(decl: Form, location: str) -> Iterator[dict[str, str]]:
    """One entry for the page and one per section, as Material's own index would have: the sections
    are the form kind's (forms.base.FormKind.search_sections); a section with no text is left out."""
    for anchor, title, texts in kind_of(decl).search_sections(decl):
        if texts:
            yield _entry(f"{location}#{anchor}" if anchor else location, title, texts)


def entries(docs: Sequence[Document]) -> list[dict[str, str]]:
    """Index entries for every declaration, located relative to the portal's root."""
    return [e for doc in docs
            for e in declaration_entries(doc.decl, kind_of(doc.decl).url(doc.decl))]


def read_index(site_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))
    return data


def rebase(docs: Iterable[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [{**d, "location": prefix + d["location"]} for d in docs]


def write_index(site_dir: Path, config: dict[str, Any], docs: list[dict[str, Any]]) -> None:
    """search_index.json for the web and search_index.js, the same index for a site opened from disk.

    From file:// Material reads the index from search/search_index.js (`var __index = …`, as its offline
    plugin writes it), since a page opened from disk cannot fetch. Its locations name the index.html files:
    a result linking to a folder would open the folder's listing there.
    """
    folder = site_dir / "search"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "search_index.json").write_text(_json({"config": config, "docs": docs}), encoding="utf-8")
    offline = [{**d, "location": offline_location(d["location"])} for d in docs]
    (folder / "search_index.js").write_text(f"var __index = {_json({'config': config, 'docs': offline})}",
                                             encoding="utf-8")


def offline_location(location: str) -> str:
    """"2021/x/#a" → "2021/x/index.html#a": a page's own file, for a site opened from disk."""
    path, hash_, anchor = location.partition("#")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path + hash_ + anchor


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
