"""Search stage: the site's Chinese search index, built from the model and fetched by readers in pieces.

Material's search plugin downloads one lunr index of the whole site before the first result (475 kB gzip at
1,000 declarations, linear in N) and leaves out what readers look for. Here the index is split as Pagefind
splits it, with the project's own tokens (no segmenter whose index and query sides disagree):

- terms are every character and every pair of adjacent characters of each run of text (runs end at spaces
  and punctuation), so any substring of a filed text — a two-character word, a long phrase, 投诉率, 100% —
  finds every section containing it (recall 1 by construction); candidates are then checked against the text;
- `search/manifest.js` (fixed, small) names the shard count and the filter values; `search/t/<n>.js` holds the
  postings of the terms hashing to n (page id, bit mask of the page's sections containing the term);
  `search/p/<id>.js` holds one page's sections (anchor, title, text) for checking, snippets and links;
- every file is a script calling `dcSearch.load(…)`: a page opened from disk (file://) cannot fetch, but it
  can load a script, so the same files serve the site on a server and from disk.

`search/search_index.json` stays as the record the index is made from: archiving.freeze keeps a year's own
entries in it, and merge_search reads archived years' entries from it (old archives' lunr entries included).
The reader never downloads it. `assets/javascripts/search.js` is the query side; `query` below is the same
algorithm in Python (tests compare them).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import workers
from .config import DEFAULT_LEVELS
from .forms import kind_of
from .forms.base import Section
from .forms.base import heading_slug as heading_slug  # the anchor of a heading, where it has long been
from .model import Document
from .search_cache import Files as Files  # (build.merge_search keeps the files it wrote)
from .search_cache import Postings, Share, Shares

FORMAT = 1
PAGE_BITS = 30  # section bits per posting (JS bit operations are 32-bit); later sections share the last bit
SHARD_BYTES = 12_000  # target raw size of a term shard: a query fetches one per distinct term
MAX_TERMS = 12  # terms a query looks up at most (a longer phrase: evenly spread bigrams, then checked)
FILTER = "\u0001"  # prefix of filter terms: 年度, 表种, 一级指标 (no text contains U+0001)
NAME = "\u0002"  # prefix of a page's whole title: a unit's full name ranks its own page first
LEVELS = tuple(DEFAULT_LEVELS)  # 一级指标 names (fixed by the Ministry of Finance): a filter on sections

# Characters that end a run of text. Kept inside runs: digits, letters, % ‰ . ≥ ≤ < > = + - ~ / —
# the characters values are written with.
_SEPARATORS = frozenset(" \t\n\r\f\v,;:!?\"'()[]{}、，。；：！？（）【】《》〈〉「」『』“”‘’·…")
_TAGS = re.compile(r"<[^>]*>")
_YEAR_SUFFIX = re.compile(r"（(\d{4}) 年度）$")

# What each page holds comes from its form kind (forms.base.FormKind.search_sections): (anchor, title, texts).


# ---- the record: search_index.json entries (form-agnostic from here on) -------------------------------------


def section_entries(location: str, year: int, kind: str, sections: Iterable[Section]) -> Iterator[dict[str, Any]]:
    """Record entries of one page: the first carries the page's year and kind, each names its anchor."""
    for n, (anchor, title, texts) in enumerate(sections):
        entry: dict[str, Any] = {"location": f"{location}#{anchor}" if anchor else location,
                                 "title": html.escape(title), "text": html.escape("\n".join(t for t in texts if t))}
        if n == 0:
            entry |= {"year": year, "kind": kind}
        yield entry


def entries(docs: Sequence[Document]) -> list[dict[str, Any]]:
    """Record entries for every declaration, located relative to the portal's root."""
    return [e for doc in docs
            for e in section_entries(kind_of(doc.decl).url(doc.decl), int(doc.decl.year),
                                     kind_of(doc.decl).title, kind_of(doc.decl).search_sections(doc.decl))]


def read_index(site_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))
    return data


def rebase(docs: Iterable[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [{**d, "location": prefix + d["location"]} for d in docs]


def offline_location(location: str) -> str:
    """"2021/x/#a" → "2021/x/index.html#a": a page's own file, for a site opened from disk."""
    path, hash_, anchor = location.partition("#")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path + hash_ + anchor


# ---- pages: the record read back, whatever wrote it -----------------------------------------------------------


@dataclass
class Page:
    url: str  # relative to the site root whose search/ holds the index
    title: str
    year: int | None = None
    kind: str = ""
    sections: list[tuple[str, str, str]] = field(default_factory=list)  # (anchor, title, text)


def _plain(text: str) -> str:
    """An entry's text as shown: tags (Material's entries keep some) and word breaks removed, entities decoded."""
    return html.unescape(_TAGS.sub("", text)).replace("\u200b", "")


def pages_of(docs: Iterable[dict[str, Any]]) -> list[Page]:
    """Record entries grouped by page, in order. Entries from Material's plugin and old archives' lunr index
    (titles "单位（2021 年度）", no year or kind) are read too: an archived year stays searchable as filed."""
    pages: dict[str, Page] = {}
    for entry in docs:
        path, _, anchor = entry["location"].partition("#")
        title, text = _plain(entry["title"]), _plain(entry["text"])
        page = pages.get(path)
        if page is None:
            year = entry.get("year")
            if year is None and (old := _YEAR_SUFFIX.search(title)):
                title, year = title[:old.start()], int(old[1])
            page = pages[path] = Page(path, title, year, entry.get("kind", ""))
        page.sections.append((anchor, title if not page.sections else _plain(entry["title"]), text))
    return list(pages.values())


# ---- tokens: the same in search.js --------------------------------------------------------------------------


def _fold_table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table |= {code: " " for code in range(0x10000) if chr(code).isspace()}
    for code, ch in list(table.items()):
        if "A" <= ch <= "Z":
            table[code] = ch.lower()
    return table | {code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}


_FOLD = _fold_table()
_RUN_BREAK = re.compile("[" + re.escape("".join(sorted(_SEPARATORS))) + "]+")


def fold(text: str) -> str:
    """Case and width folded, character for character (offsets are kept for highlighting): A→a, Ａ→a, ％→%,
    every space → " "."""
    return text.translate(_FOLD)


def runs(folded: str) -> list[str]:
    """Maximal runs of non-separator characters."""
    return [run for run in _RUN_BREAK.split(folded) if run]


def index_terms(text: str) -> set[str]:
    """Every character and every adjacent pair of every run of the text."""
    terms: set[str] = set()
    for run in runs(fold(text)):
        terms.update(run)
        terms.update(map(str.__add__, run, run[1:]))
    return terms


def query_terms(query: str) -> list[str]:
    """The terms a query looks up: a one-character run as itself, a longer one as its bigrams (at most
    MAX_TERMS, evenly spread: the check against the text keeps precision)."""
    terms: list[str] = []
    for run in runs(fold(query)):
        grams = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        terms += [g for g in grams if g not in terms]
    if len(terms) > MAX_TERMS:
        step = (len(terms) - 1) / (MAX_TERMS - 1)
        terms = [terms[round(i * step)] for i in range(MAX_TERMS)]
    return terms


def normal_query(query: str) -> str:
    return " ".join(fold(query).split())


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over the term's UTF-16 code units, as JavaScript sees the string."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | data[i + 1] << 8
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


# ---- writing ----------------------------------------------------------------------------------------------


def _page_terms(page: Page) -> dict[str, int]:
    """term → bit mask of the page's sections containing it (filters and the whole-name term included)."""
    sections = [index_terms(title + "\n" + text) for _, title, text in page.sections]  # ("\n" ends a run)
    masks = dict.fromkeys(set().union(*sections), 0)
    for n, ((_, _, text), terms) in enumerate(zip(page.sections, sections, strict=True)):
        bit = 1 << min(n, PAGE_BITS - 1)
        # masks[t] |= bit for every term, without a Python step per term (most of a search stage's work)
        masks.update(zip(terms, map(bit.__or__, map(masks.__getitem__, terms)), strict=True))
        cells = set(text.split("\n"))
        for level in LEVELS:
            if level in cells:
                masks[FILTER + "l" + level] = masks.get(FILTER + "l" + level, 0) | bit
    everything = (1 << min(len(page.sections), PAGE_BITS)) - 1
    masks[NAME + normal_query(page.title)] = 1
    if page.year is not None:
        masks[FILTER + "y" + str(page.year)] = everything
    if page.kind:
        masks[FILTER + "k" + page.kind] = everything
    return masks


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SMALL: list[str] = [a + b for a in ["", *_DIGITS[1:]] for b in _DIGITS]  # 0 … 1295, the usual delta or mask


def _b36(n: int) -> str:
    if n < len(_SMALL):
        return _SMALL[n]
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out


def _script(kind: str, key: int | str, value: Any) -> str:
    return f"dcSearch.load({_json(kind)},{_json(key)},{_json(value)})\n"


def write_index(site_dir: Path, config: dict[str, Any], docs: list[dict[str, Any]], terms: Path | None = None,
                parallel: bool = False, files: Files | None = None) -> str:
    """The record (search_index.json) and, from it, the index readers fetch in pieces (see the module); returns
    the record's text. `terms`: a folder caching each run of pages' share of the index by its content
    (search_cache), for rebuilds; `files`: the last build's files, to link where unchanged (search_cache.Files)."""
    folder = site_dir / "search"
    write_shards(folder, pages_of(docs), terms, parallel, files)
    text = record(config, docs)  # (made after the shards: the two are never held at once)
    _write_record(folder, text, files)
    return text


def write_pointer(site_dir: Path, text: str, root: str, like: Path | None = None, files: Files | None = None) -> Path:
    """A live year site's index: its record `text` (the portal's, rebased) and a manifest pointing at the
    portal's index at `root`: a year's pages search the whole site without a copy of every shard. `like`: a
    record of the very same bytes already written (another year site's), linked rather than written again;
    `files`: as in write_index. Returns the record's path."""
    folder = site_dir / "search"
    for sub in ("t", "p"):
        shutil.rmtree(folder / sub, ignore_errors=True)
    path = _write_record(folder, text, files, like)
    (folder / "manifest.js").write_text(_script("m", 0, {"format": FORMAT, "root": root}), encoding="utf-8")
    return path


def record(config: dict[str, Any], docs: list[dict[str, Any]]) -> str:
    return _json({"config": config, "docs": docs})


_LOCATED = '{"location":"'  # how an entry whose first key is its location starts in a record's text


def rebased_record(config: dict[str, Any], docs: list[dict[str, Any]], prefix: str, text: str) -> str:
    """record(config, rebase(docs, prefix)), made of `text` = record(config, docs) by adding the prefix where
    each entry starts (no JSON string holds an unescaped quote, so only an entry's start reads `{"location":"`;
    an entry located elsewhere than first, or another object located so: made anew)."""
    if (_json(prefix) == f'"{prefix}"' and text.count(_LOCATED) == len(docs)
            and all(next(iter(d), None) == "location" for d in docs)):
        return text.replace(_LOCATED, _LOCATED + prefix)
    return record(config, rebase(docs, prefix))


def _write_record(folder: Path, text: str, files: Files | None = None, like: Path | None = None) -> Path:
    """search_index.json as a new file (never written through: it may be a link to a kept or another site's
    copy), linked from `like` (a record of the very same bytes) or `files` where it can be; Material's offline
    form (search_index.js) removed, its search is not used."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "search_index.json"
    path.unlink(missing_ok=True)
    (folder / "search_index.js").unlink(missing_ok=True)
    if like is not None:
        try:
            os.link(like, path)
            return path
        except OSError:
            pass  # (a file system without hard links: written)
    (files or Files(None, folder)).write(path, text.encode())
    return path


def write_shards(folder: Path, pages: Sequence[Page], term_cache: Path | None = None, parallel: bool = False,
                 files: Files | None = None) -> None:
    """The term shards, the page files and the manifest, made of runs of RUN_PAGES pages whose shares of the
    index come from the cache (`term_cache`) or are made — with `parallel` side by side in forked workers:
    their terms are most of a search stage — and are joined here. `files`: the last build's files (kept by
    search_cache.Files), all linked where every run's share is the same, else each where its bytes are."""
    written = files or Files(None, folder)
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("t", "p"):
        shutil.rmtree(folder / sub, ignore_errors=True)
        (folder / sub).mkdir()
    runs = [pages[start:start + RUN_PAGES] for start in range(0, len(pages), RUN_PAGES)]
    cached = Shares(term_cache)
    names = [cached.name(run) for run in runs] if term_cache else []
    written.runs = names
    if not (names and written.link_all(names, [folder / "t", folder / "p", folder / "manifest.js"])):
        _write_files(written, folder, pages, _shares(runs, names, cached, parallel))
    cached.keep_only(names)


def _shares(runs: Sequence[Sequence[Page]], names: Sequence[str], cached: Shares, parallel: bool) -> list[Share]:
    """Each run's share: from the cache where its name is there, else made (and kept)."""
    shares: list[Share | None] = [cached.get(name) for name in names] if names else [None] * len(runs)
    missing = [n for n, share in enumerate(shares) if share is None]
    made = workers.fork_map(_share, [runs[n] for n in missing],
                            parallel and sum(len(runs[n]) for n in missing) >= _MIN_PARALLEL)
    for n, share in zip(missing, made, strict=True):
        shares[n] = share
        if names:
            cached.put(names[n], share)
    return [share for share in shares if share is not None]


def _write_files(written: Files, folder: Path, pages: Sequence[Page], shares: Sequence[Share]) -> None:
    """The page files, the term shards (the shares' postings joined) and the manifest."""
    starts = range(0, len(pages), RUN_PAGES)
    page = _json("p")
    for start, share in zip(starts, shares, strict=True):
        for pid, fragment in enumerate(share[2], start):
            written.write(folder / "p" / f"{pid}.js", f"dcSearch.load({page},{pid},{fragment})\n".encode())
    encoded = _join([(start, share[0]) for start, share in zip(starts, shares, strict=True)])
    total = sum(len(t) * 3 + len(p) + 6 for t, p in encoded.items())
    shards = max(1, -(-total // SHARD_BYTES))
    split: list[dict[str, str]] = [{} for _ in range(shards)]
    for term, posting in encoded.items():
        split[shard_of(term, shards)][term] = posting
    for n, terms in enumerate(split):
        written.write(folder / "t" / f"{n}.js", _script("t", n, dict(sorted(terms.items()))).encode())
    years = {page.year for page in pages if page.year is not None}
    levels = {level for share in shares for level in share[1]}
    manifest = {"format": FORMAT, "shards": shards, "pages": len(pages), "years": sorted(years, reverse=True),
                "kinds": sorted({page.kind for page in pages if page.kind}),
                "levels": [lv for lv in LEVELS if lv in levels]}
    written.write(folder / "manifest.js", _script("m", 0, manifest).encode())


RUN_PAGES = 64  # pages per run: a rebuild after one change makes one run's share again (search_cache)
_MIN_PARALLEL = 200  # pages to make: fewer are made faster than workers start


def _share(pages: Sequence[Page]) -> Share:
    """A run's postings (ids from 0), the 一级指标 its pages hold, and each page file's JSON value."""
    postings: dict[str, array[int]] = {}  # term → page id, mask, page id, mask … (ids ascending)
    for pid, page in enumerate(pages):
        for term, mask in _page_terms(page).items():
            if (posting := postings.get(term)) is None:
                postings[term] = array("Q", (pid, mask))
            else:
                posting.extend((pid, mask))
    levels = sorted(term[2:] for term in postings if term.startswith(FILTER + "l"))
    encoded = {term: (flat[0], _mask_suffix(flat[1]), _encode(flat, 2, flat[0]), flat[-2])
               for term, flat in postings.items()}
    fragments = [_json({"u": p.url, "t": p.title, "y": p.year, "k": p.kind, "s": p.sections}) for p in pages]
    return encoded, levels, fragments


def _join(runs: Sequence[tuple[int, Postings]]) -> dict[str, str]:
    """Every term's postings over the runs (each with its first page's id), in page order, as `_encode` makes
    them of all pages at once."""
    joined: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for start, postings in runs:
        for term, (first, suffix, rest, final) in postings.items():
            head = _b36(start + first - last.get(term, 0)) + suffix
            items = joined.setdefault(term, [])
            items += (head, rest) if rest else (head,)
            last[term] = start + final
    return {term: ",".join(items) for term, items in joined.items()}


def _mask_suffix(mask: int) -> str:
    return "" if mask == 1 else "." + _b36(mask)


def _encode(flat: array[int], begin: int = 0, last: int = 0) -> str:
    """"id-delta.mask,…" in base 36 (mask left out when it is 1, the page's own section), from flat[begin]
    on, the first delta from `last`. (The most common step inlined: a stage encodes ~10⁶ postings.)"""
    out = []
    small, many = _SMALL, len(_SMALL)
    for i in range(begin, len(flat), 2):
        pid, mask = flat[i], flat[i + 1]
        delta = pid - last
        item = small[delta] if delta < many else _b36(delta)
        out.append(item if mask == 1 else item + "." + (small[mask] if mask < many else _b36(mask)))
        last = pid
    return ",".join(out)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---- querying: the algorithm search.js runs, for tests and benchmarks ------------------------------------------


class Index:
    """A written index read the way the browser reads it: the manifest, then only the files a query needs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = self._load("manifest.js")
        self.fetched: list[str] = ["manifest.js"]
        self._shards: dict[int, dict[str, str]] = {}

    def _load(self, name: str) -> Any:
        return _script_value((self.folder / name).read_text("utf-8"))

    def shard(self, n: int) -> dict[str, str]:
        if n not in self._shards:
            self._shards[n] = self._load(f"t/{n}.js")
            self.fetched.append(f"t/{n}.js")
        return self._shards[n]

    def posting(self, term: str) -> dict[int, int]:
        encoded = self.shard(shard_of(term, self.manifest["shards"])).get(term, "")
        found, last = {}, 0
        for item in encoded.split(",") if encoded else []:
            delta, _, mask = item.partition(".")
            last += int(delta, 36)
            found[last] = int(mask, 36) if mask else 1
        return found

    def page(self, pid: int) -> dict[str, Any]:
        self.fetched.append(f"p/{pid}.js")
        value: dict[str, Any] = self._load(f"p/{pid}.js")
        return value


def _script_value(text: str) -> Any:
    """The third argument of `dcSearch.load(kind,key,value)`."""
    body = text.strip()[len("dcSearch.load("):-1]
    decoder = json.JSONDecoder()
    _, end = decoder.raw_decode(body)
    _, end2 = decoder.raw_decode(body, end + 1)
    return decoder.raw_decode(body, end2 + 1)[0]


@dataclass
class Hit:
    url: str
    title: str
    sections: list[tuple[str, str, str]]  # (anchor, title, snippet) of the matching sections


def candidates(index: Index, query: str, filters: Sequence[str] = ()) -> list[tuple[int, int]]:
    """(page id, section mask) of pages whose sections contain every term, ranked: the page whose whole title
    is the query first, then pages matching in their title section, then by page order."""
    terms = query_terms(query)
    if not terms:
        return []
    lists = [index.posting(t) for t in [*terms, *(FILTER + f for f in filters)]]
    lists.sort(key=len)
    found = dict(lists[0])
    for other in lists[1:]:
        found = {pid: m & other[pid] for pid, m in found.items() if pid in other and m & other[pid]}
    exact = index.posting(NAME + normal_query(query))
    return sorted(found.items(), key=lambda pm: (pm[0] not in exact, not pm[1] & 1, pm[0]))


def snippet(text: str, folded_query: str, width: int = 100) -> str:
    """The text around the query's first occurrence: from the start of its cell when the query is near it,
    else from the nearest separator before it (a word, not half of one), never starting at "，"."""
    at = fold(text).find(folded_query)
    cell = text.rfind("\n", 0, at) + 1
    start = cell
    if at - cell > width * 4 // 5:
        near = max(text.rfind(sep, max(0, at - width // 3), at) for sep in _SEPARATORS)
        start = near + 1 if near >= 0 else at - width // 3
    while start < at and text[start] in _SEPARATORS:
        start += 1
    end = text.find("\n", at + len(folded_query))
    end = len(text) if end < 0 else end
    return text[start:min(end, max(start + width, at + len(folded_query) + width // 5))].replace("\n", "；")


def check(page: dict[str, Any], query: str, mask: int) -> list[tuple[str, str, str]]:
    """The page's sections in `mask` (those the filters keep) containing the query as written (folded)."""
    q = normal_query(query)
    return [(anchor, title, snippet(text, q) if q in fold(text) else title)
            for n, (anchor, title, text) in enumerate(page["s"])
            if mask >> min(n, PAGE_BITS - 1) & 1 and (q in fold(title) or q in fold(text))]


def query(index: Index, text: str, filters: Sequence[str] = (), limit: int | None = None) -> list[Hit]:
    """Ranked pages containing `text`, each with its matching sections; checks candidates up to `limit` hits."""
    hits: list[Hit] = []
    for pid, mask in candidates(index, text, filters):
        if limit is not None and len(hits) >= limit:
            break
        page = index.page(pid)
        if matched := check(page, text, mask):
            hits.append(Hit(page["u"], page["t"], matched))
    return hits
