"""Site stage, MkDocs hooks: site_name printed as text; pre-rendered HTML blocks bypass Python-Markdown's
raw-HTML parser; a page left out of the nav marks its list page's entry active (below).

The HTML-block stash is a pure optimisation: the Markdown on disk is complete and renders the same without
it (under another MkDocs-compatible builder, say); it only saves the second parse of large tables.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape
from mkdocs.utils import get_relative_url

_STASH: dict[str, list[str]] = {}


def on_config(config: Any, **_: Any) -> Any:
    """site_name comes from site_config/site.yml, and Material prints it unescaped (<title>, header, nav)
    in a Jinja environment without autoescape. As Markup it is the escaped text wherever it is printed,
    and Material's own `| e` (the logo's title) leaves Markup as it is: escaped once everywhere."""
    if not isinstance(config.site_name, Markup):
        config.site_name = escape(config.site_name)
    return config


_MATERIAL_LANGUAGE = "partials/language.html"
_KEY = re.compile(r'^\s*"([^"]+)":', re.MULTILINE)


def _translations(env: Any, config: Any) -> dict[str, str]:
    """Every key of Material's language tables as Material's own partials/language.html renders it (the
    language's text, else English, else the key), for theme/partials/language.html to look up."""
    loader = env.loader
    material = next(Path(p) for p in loader.searchpath if (Path(p) / "partials/languages/en.html").is_file())
    original = env.from_string((material / _MATERIAL_LANGUAGE).read_text("utf-8")).make_module({"config": config})
    keys = {k for name in ("en", config.theme["language"]) if (material / f"partials/languages/{name}.html").is_file()
            for k in _KEY.findall((material / f"partials/languages/{name}.html").read_text("utf-8"))}
    return {key: str(original.t(key)) for key in sorted(keys)}


TEMPLATE_CACHE = "DISCLOSE_TEMPLATE_CACHE"  # set by site.build: a folder for compiled theme templates


def on_env(env: Any, config: Any, **_: Any) -> Any:
    folder = os.environ.get(TEMPLATE_CACHE)
    if folder:  # each MkDocs process would compile the same ~40 theme templates (~0.4 s): compiled once
        Path(folder).mkdir(parents=True, exist_ok=True)  # (Jinja keys each by its name and source's checksum)
        env.bytecode_cache = FileSystemBytecodeCache(folder)
    env.globals["disclose_t"] = _translations(env, config)
    env.globals["disclose_once"] = _Once()
    return env


class _Once:
    """Page chrome (tabs, site nav, footer) rendered once for every page outside the nav that sees it alike.

    What such a block prints depends on the page only through the nav's state while it renders (the entry
    its folder lends it: on_page_context below), the relative address of every link (MkDocs' `url` filter
    makes each relative to the page), and its front matter's `hide`; the key holds exactly these. A page in
    the nav (an index page) is rendered as usual: it is its own active entry.
    """

    def __init__(self) -> None:
        self.made: dict[tuple[Any, ...], str] = {}

    def __call__(self, name: str, page: Any, nav: Any, caller: Any) -> str:
        if page is None or nav is None or page in nav.pages:
            return str(caller())
        key = (name, page.file.src_uri.rpartition("/")[0], _hidden(page),
               *(get_relative_url(p.url, page.url) for p in nav.pages), get_relative_url("", page.url))
        if key not in self.made:
            self.made[key] = str(caller())
        return self.made[key]


def _hidden(page: Any) -> tuple[str, ...]:
    hide = page.meta.get("hide") if page.meta else None
    return tuple(hide) if isinstance(hide, (list, tuple)) else (str(hide),) if hide else ()


def _token(page: Any, index: int) -> str:
    return f"DCRAW{hashlib.sha1(page.file.src_uri.encode()).hexdigest()[:12]}X{index}X"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Replace each top-level HTML block (templates separate blocks by blank lines) by a token."""
    blocks: list[str] = []
    out = []
    for chunk in markdown.split("\n\n"):
        if chunk.lstrip().startswith("<") and not chunk.lstrip().startswith("<!--"):
            out.append(_token(page, len(blocks)))
            blocks.append(chunk.strip())
        else:
            out.append(chunk)
    _STASH[page.file.src_uri] = blocks
    return "\n\n".join(out)


def on_page_content(html: str, page: Any, **_: Any) -> str:
    for index, block in enumerate(_STASH.pop(page.file.src_uri, [])):
        html = html.replace(f"<p>{_token(page, index)}</p>", block, 1)
    return html


# -- where a page outside the nav sits ------------------------------------------------------------
# Declaration pages (and the portal's unit pages) are left out of the nav: thousands of entries. Material then
# highlights no tab and leaves the left sidebar empty. Such a page belongs to the list page of its folder
# (the year site's index.md, units/index.md): that nav entry is marked active while the page renders.

_LENT: dict[str, Any] = {}


def _home_entry(page: Any, nav: Any) -> Any:
    folder = page.file.src_uri.rpartition("/")[0]
    index = f"{folder}/index.md" if folder else "index.md"
    return next((p for p in nav.pages if p.file.src_uri == index), None)


def on_page_context(context: Any, page: Any, nav: Any, **_: Any) -> Any:
    if page in nav.pages:
        return context
    entry = _home_entry(page, nav)
    if entry is not None and entry is not page:
        entry.active = True  # also marks its sections (the 年度 tab) active
        _LENT[page.file.src_uri] = entry
    return context


def on_post_page(output: str, page: Any, **_: Any) -> str:
    entry = _LENT.pop(page.file.src_uri, None)
    if entry is not None:
        entry.active = False
    return output
