"""The hostile corpus, end to end: each case is refused by `disclose check` at its file:line:col, or builds inert.

Committed cases, one per file, each opening with its expectation:
  refused/2021/<case>.yaml   `# expect: CODE@line:col [CODE@line:col …]` (the file's blocking problems, exactly)
  inert/2021/<case>.yaml     `# expect: inert`: checks without errors, and the built site shows every text
                             literally and runs nothing that the theme did not put there.
Cases made of odd bytes (encodings, an empty or 50 MB file, a 200 000-character name) are generated here
from the small specs below rather than committed.

The inert cases are built once, into one tmp project; the theme's own scripts, handlers and URLs come from
a build of the clean seed content (the baseline), and anything beyond them in a hostile build is a failure.
The preview (which also shows every problem message, quoting the hostile text) is held to the same bar.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, copy_project

from generator.forms.department.model import Declaration
from generator.load import MAX_BYTES, MAX_TEXT_CHARS, load
from generator.model import Text
from generator.privacy import mask_text
from generator.problems import CODES

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
REFUSED = HERE / "refused" / "2021"
INERT = HERE / "inert" / "2021"
INERT_PROJECTS = HERE / "inert-projects" / "2021"  # project forms: scanned with the rest, their own cases below
EXPECT = re.compile(r"^# expect: (?P<what>.+)$")
OUTCOME = re.compile(r"^(?P<code>[A-Z0-9_]+)@(?P<line>\d+):(?P<col>\d+)$")
SITE_URL = "https://czj.example.gov.cn/jxmb/"

# -- generated cases ---------------------------------------------------------------------------

# A clean declaration; `ID` becomes the case's name (which is also its file name, as check requires).
BASE = (ROOT / "tests/fixtures/valid/2021/minimal-unit.yaml").read_text(encoding="utf-8").split("\n", 1)[1]


def base(name: str) -> str:
    return BASE.replace("unit_id: minimal-unit", f"unit_id: {name}")


def _long_name(length: int) -> str:
    """Chinese text of the given length (jieba segments it in the search index: the expensive case)."""
    words = "绩效目标申报部门整体支出指标年度任务完成服务人数满意度"
    return "".join(words[(i * 7) % len(words)] for i in range(length))


def _with_name(name: str, indicator_name: str) -> bytes:
    return base(name).replace("name: 服务人数,", f'name: "{indicator_name}",').encode()


def _flow_line(name: str, count: int) -> bytes:
    """Every function on one very long line (a flow sequence): long lines are fine, long texts are not."""
    items = ", ".join(f'"{i}. 职能{_long_name(12)}"' for i in range(1, count + 1))
    return base(name).replace("functions:\n  - 1. 职能一。", f"functions: [{items}]").encode()


def _sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as out:
            out.write(base("fifty-megabytes").encode())
            out.truncate(size)  # sparse: 50 MB by stat, nothing written past the declaration
    return write


Maker = Callable[[str], bytes]

# name → (bytes of the file, its expected outcome)
GENERATED_REFUSED: dict[str, tuple[Maker, str]] = {
    "empty-file": (lambda n: b"", "FILE_EMPTY@1:1"),
    "whitespace-only": (lambda n: b"  \n\n   \n", "FILE_EMPTY@1:1"),
    "gbk": (lambda n: base(n).encode("gbk"), "FILE_ENCODING@3:12"),
    "gb18030-mixed": (lambda n: base(n).encode().replace("测试单位".encode(), "测试单位".encode("gb18030")),
                      "FILE_ENCODING@3:12"),
    "utf16-le-bom": (lambda n: base(n).encode("utf-16"), "FILE_ENCODING@1:1"),
    "utf16-be-bom": (lambda n: b"\xfe\xff" + base(n).encode("utf-16-be"), "FILE_ENCODING@1:1"),
    "utf16-le-no-bom": (lambda n: base(n).encode("utf-16-le"), "FILE_ENCODING@1:1"),
    "utf32": (lambda n: base(n).encode("utf-32"), "FILE_ENCODING@1:1"),
    "utf8-bom": (lambda n: b"\xef\xbb\xbf" + base(n).encode(), "FILE_BOM@1:1"),
    "latin1": (lambda n: base(n).replace("测试单位", "Café").encode("latin-1", "replace"), "FILE_ENCODING@3:15"),
    "overlong-utf8": (lambda n: base(n).encode().replace(b"leader: ", b"leader: \xc0\xaf"), "FILE_ENCODING@6:9"),
    "cesu-surrogate": (lambda n: base(n).encode().replace(b"leader: ", b"leader: \xed\xa0\x80"),
                       "FILE_ENCODING@6:9"),
    "nul-bytes": (lambda n: base(n).encode().replace(b"leader: ", b"leader: \x00"), "FILE_CONTROL_CHAR@6:9"),
    "long-indicator-name": (lambda n: _with_name(n, _long_name(200_000)), "TEXT_TOO_LONG@32:46"),
    "just-over-text-limit": (lambda n: _with_name(n, "长" * (MAX_TEXT_CHARS + 1)), "TEXT_TOO_LONG@32:46"),
    "just-over-one-mebibyte": (lambda n: base(n).encode() + b"#" * MAX_BYTES, "FILE_TOO_LARGE@1:1"),
    # File names that, as preview pages of broken files, would take the year page's or a unit's place.
    "index": (lambda n: base(n).encode(), "RESERVED_ID@2:10"),
    "data": (lambda n: base(n).encode(), "RESERVED_ID@2:10"),  # /<year>/data/ is the 数据下载 folder
    "Script-Tags": (lambda n: base(n).encode(), "BAD_ID@2:10"),
}
FIFTY_MB = 50 * 1024 * 1024
GENERATED_INERT: dict[str, Maker] = {
    "text-at-the-limit": lambda n: _with_name(n, _long_name(MAX_TEXT_CHARS)),
    "long-line": lambda n: _flow_line(n, 2000),
}


def write_generated(folder: Path, specs: dict[str, Maker]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in specs.items():
        path = folder / f"{name}.yaml"
        path.write_bytes(make(name))
        paths.append(path)
    return paths


# -- expectations ------------------------------------------------------------------------------


def expectation(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    match = EXPECT.match(first)
    assert match, f"{path.name}: the first line must be `# expect: …`"
    return match["what"]


def outcomes(what: str) -> set[tuple[str, int, int]]:
    if what == "none":  # the clean first of a pair; its partner carries the error
        return set()
    found = set()
    for item in what.split():
        match = OUTCOME.match(item)
        assert match, f"not CODE@line:col: {item}"
        found.add((match["code"], int(match["line"]), int(match["col"])))
    return found


REFUSED_CASES = sorted(p.name for p in REFUSED.iterdir())
INERT_CASES = sorted(p.stem for p in INERT.glob("*.yaml"))


def test_every_case_states_a_valid_expectation() -> None:
    for name in REFUSED_CASES:
        what = expectation(REFUSED / name)
        assert what != "inert", name
        assert {code for code, *_ in outcomes(what)} <= set(CODES), name
    for name in INERT_CASES:
        assert expectation(INERT / f"{name}.yaml") == "inert", name
    assert len(REFUSED_CASES) >= 100 and len(INERT_CASES) >= 15
    assert not {Path(n).stem for n in REFUSED_CASES} & set(INERT_CASES), "a case name is used twice"


# -- refused: `disclose check`, the real command, once over the whole corpus -----------------------


def disclose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=300, check=False)


@dataclass
class Checked:
    returncode: int
    blocking: dict[str, set[tuple[str, int, int]]]  # file name → (code, line, col)
    expected: dict[str, set[tuple[str, int, int]]]
    stderr: str = ""


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    generated = tmp_path_factory.mktemp("generated") / "2021"
    write_generated(generated, {k: make for k, (make, _) in GENERATED_REFUSED.items()})
    _sparse(FIFTY_MB)(generated / "fifty-megabytes.yaml")
    result = disclose("-C", str(ROOT), "check", "--format", "json", str(REFUSED), str(generated))
    blocking: dict[str, set[tuple[str, int, int]]] = {}
    for p in json.loads(result.stdout):
        if p["severity"] == "error" and not p["waived"]:
            blocking.setdefault(Path(p["file"]).name, set()).add((p["code"], p["line"], p["col"]))
    expected = {name: outcomes(expectation(REFUSED / name)) for name in REFUSED_CASES}
    expected |= {f"{name}.yaml": outcomes(what) for name, (_, what) in GENERATED_REFUSED.items()}
    expected["fifty-megabytes.yaml"] = {("FILE_TOO_LARGE", 1, 1)}
    return Checked(result.returncode, blocking, expected, result.stderr)


def test_check_fails_on_the_refused_corpus(refused: Checked) -> None:
    assert refused.returncode == 1, refused.stderr
    assert set(refused.blocking) <= set(refused.expected), "problems in a file that is not a case"


@pytest.mark.parametrize("name", [*REFUSED_CASES, *(f"{n}.yaml" for n in GENERATED_REFUSED), "fifty-megabytes.yaml"])
def test_refused_case(refused: Checked, name: str) -> None:
    assert refused.blocking.get(name, set()) == refused.expected[name]


def test_fifty_megabytes_are_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "2021" / "fifty-megabytes.yaml"
    path.parent.mkdir()
    _sparse(FIFTY_MB)(path)
    assert path.stat().st_size == FIFTY_MB
    reads: list[str] = []

    def spy(name: str) -> Callable[..., Any]:
        original = getattr(Path, name)

        def read(self: Path, *args: Any, **kwargs: Any) -> Any:
            reads.append(f"{name}({self.name})")
            return original(self, *args, **kwargs)
        return read

    for name in ("read_bytes", "read_text", "open"):
        monkeypatch.setattr(Path, name, spy(name))
    start = time.perf_counter()
    doc, problems = load(path)
    elapsed = time.perf_counter() - start
    assert doc is None and [(p.code, p.line, p.col) for p in problems] == [("FILE_TOO_LARGE", 1, 1)]
    assert reads == [] and elapsed < 0.5


# -- inert: one public build, one preview, and a clean baseline of each ---------------------------


@dataclass
class Built:
    public: Path
    preview: Path
    base_public: Path
    base_preview: Path
    docs: dict[str, Declaration] = field(default_factory=dict)  # inert case → its declaration


def _build(project: Path, *extra: str) -> None:
    result = disclose("-C", str(project), "build", "-q", *extra)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    hostile = copy_project(root / "hostile", content=False)
    content = hostile / "content" / "2021"
    content.mkdir(parents=True)
    for path in [*INERT.glob("*.yaml"), *INERT_PROJECTS.glob("*.yaml")]:  # project forms: the whole scan, too
        shutil.copy(path, content)
    write_generated(content, GENERATED_INERT)
    check = disclose("-C", str(hostile), "check")
    assert check.returncode == 0, check.stdout[-3000:]
    # The preview shows broken files and every problem message (which quote the filed text) too.
    preview = copy_project(root / "preview", content=False)
    shutil.copytree(hostile / "content", preview / "content")
    for path in REFUSED.iterdir():
        shutil.copy(path, preview / "content" / "2021")
    write_generated(preview / "content" / "2021", {k: make for k, (make, _) in GENERATED_REFUSED.items()})
    baseline = copy_project(root / "baseline")
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(_build, hostile), pool.submit(_build, preview, "--preview"),
                pool.submit(_build, baseline), pool.submit(_build, baseline, "--preview")]
        for job in jobs:
            job.result()
    docs = {}
    for path in sorted(p for p in content.glob("*.yaml") if p.name not in {q.name for q in INERT_PROJECTS.iterdir()}):
        doc, _ = load(path)
        assert doc is not None, path
        docs[path.stem] = doc.decl
    return Built(hostile / "site", preview / "preview-site", baseline / "site", baseline / "preview-site", docs)


# -- reading the built HTML ----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
             "codebase", "srcset", "ping", "manifest", "lowsrc", "dynsrc", "longdesc", "usemap", "icon",
             "archive", "classid", "profile", "itemtype", "srcdoc", "xml:base", "to", "from", "values"}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data):")
# Elements whose mere presence can run, load or redirect something: compared by their attributes.
ACTIVE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "button",
          "input", "meta", "link", "style", "template", "portal", "noscript", "math", "animate", "set",
          "foreignobject", "use", "image", "img", "audio", "video", "source", "track", "svg"}
# The attributes that decide what an active element does (ids, classes and labels vary with the content).
SIGNIFICANT = URL_ATTRS | {"type", "rel", "http-equiv", "charset", "name", "method", "target", "allow", "sandbox",
                           "is", "xmlns", "autofocus"}
_UP = re.compile(r"(?:\.\./)+|(?<=\")\.\.?(?=\")|/jxmb/(?:\d{4}/)?|" + re.escape(SITE_URL) + r"(?:\d{4}/)?")


def _norm(text: str) -> str:
    """A theme reference independent of the page's depth and of the site's base URL."""
    return _UP.sub("", text)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children
                       if isinstance(c, str) or c.tag not in ("script", "style"))

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str, cls: str = "", **attrs: str) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and cls in [*n.attrs.get("class", "").split(), ""]
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]


class Tree(HTMLParser):
    """A forgiving DOM of a page, with every script, handler, active element and dangerous URL noted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.features: set[tuple[str, ...]] = set()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        node = Node(tag, values)
        self.stack[-1].children.append(node)
        self.tags.add(tag)
        for name, value in values.items():
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()  # references are already decoded
            if name.startswith("on"):
                self.features.add(("handler", tag, name, value))
            if name in URL_ATTRS and BAD_SCHEME.match(squeezed):
                self.features.add(("url", tag, name, value))
            if name == "style" and ("url(" in squeezed or "expression(" in squeezed or "@import" in squeezed):
                self.features.add(("style", tag, value))
        if tag in ACTIVE:
            kept = {k: _norm(v) for k, v in values.items() if k in SIGNIFICANT
                    and not (tag == "link" and values.get("rel") in ("canonical", "prev", "next"))}
            self.features.add(("element", tag, *sorted(f"{k}={v}" for k, v in kept.items())))
        if tag in ("a", "area") and re.match(r"^[a-z][a-z0-9+.-]*:", values.get("href", ""), re.I):
            self.features.add(("link-out", tag, values["href"]))
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                if tag == "script":
                    code = "".join(c for c in self.stack[depth].children if isinstance(c, str))
                    self.features.add(("inline-script", _norm(code)))
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Tree:
    tree = Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    tree.close()
    return tree


def site_features(site: Path) -> tuple[dict[tuple[str, ...], str], set[str]]:
    """Every active feature of every page (with one page it occurs on), and every element name used."""
    features: dict[tuple[str, ...], str] = {}
    tags: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        tree = parse(page)
        tags |= tree.tags
        for feature in tree.features:
            features.setdefault(feature, str(page.relative_to(site)))
    return features, tags


def squash(text: str) -> str:
    """Text compared whitespace-insensitively: markers, line breaks and table cells lay it out differently."""
    return "".join(text.split())


def filed_texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every filed text the public page shows: all but waivers and level-1 names."""
    if isinstance(value, Text):
        yield path, mask_text(value)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from filed_texts(item, f"{path}[{i}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in ("waivers", "level1", "type"):
                yield from filed_texts(getattr(value, f.name), f"{path}.{f.name}".lstrip("."))


# -- nothing runs ---------------------------------------------------------------------------------


def _inert(site: Path, baseline: Path) -> None:
    theirs, their_tags = site_features(baseline)
    ours, our_tags = site_features(site)
    assert theirs, "the baseline has no theme scripts at all: the scan reads nothing"
    assert any(f[0] == "inline-script" for f in theirs) and any(f[:2] == ("element", "script") for f in theirs)
    extra = {feature: page for feature, page in ours.items() if feature not in theirs}
    assert extra == {}, "\n".join(f"{page}: {feature}" for feature, page in sorted(extra.items(), key=str)[:20])
    assert our_tags <= their_tags, f"elements the clean build never has: {sorted(our_tags - their_tags)}"


def test_public_site_runs_nothing_the_theme_did_not_put_there(built: Built) -> None:
    _inert(built.public, built.base_public)


def test_preview_runs_nothing_the_theme_did_not_put_there(built: Built) -> None:
    _inert(built.preview, built.base_preview)


def test_the_scan_catches_an_injected_handler(built: Built, tmp_path: Path) -> None:
    """The inertness scan is live: a site with one payload let through fails it."""
    site = tmp_path / "site"
    shutil.copytree(built.public, site)
    page = site / "2021" / "event-handlers" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("&lt;svg onload=alert(1)&gt;", "<svg onload=alert(1)>",
                                                             1), encoding="utf-8")
    with pytest.raises(AssertionError, match="onload"):
        _inert(site, built.base_public)


def test_a_broken_file_gets_a_preview_page_of_its_own(built: Built) -> None:
    """index.yaml and Script-Tags.yaml do not load: their pages must not replace the year page or a unit's."""
    def heading(*parts: str) -> str:
        return squash(parse(built.preview.joinpath(*parts, "index.html")).root.find("h1")[0].text()).removesuffix("¶")

    assert heading("2021") == squash("2021 年度部门整体支出绩效目标")
    assert heading("2021", "script-tags") == squash(built.docs["script-tags"].unit_name)
    assert heading("2021", "index-2") == heading("2021", "script-tags-2") == "无法读取的申报表"


def test_theme_files_are_untouched(built: Built) -> None:
    """Assets (scripts, styles, fonts) are the theme's, byte for byte: no payload reached them."""
    def assets(site: Path) -> dict[str, str]:
        return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in site.rglob("*") if p.is_file() and "assets" in p.relative_to(site).parts}
    ours, theirs = assets(built.public), assets(built.base_public)
    assert ours and ours == theirs


# -- everything is still there, shown as filed ------------------------------------------------------


@pytest.mark.parametrize("case", [*INERT_CASES, *GENERATED_INERT])
def test_every_text_is_shown_literally(built: Built, case: str) -> None:
    decl = built.docs[case]
    tree = parse(built.public / "2021" / case / "index.html")
    page = squash(tree.root.text())
    missing = [where for where, text in filed_texts(decl) if squash(text) not in page]
    assert missing == [], f"dropped or altered on the page: {missing}"
    name = squash(mask_text(decl.unit_name))
    head = tree.root.find("head")[0]
    assert name in squash(head.find("title")[0].text())
    assert name in squash(head.find("meta", name="description")[0].attrs["content"])  # decoded by the parser
    topic = tree.root.find("div", "md-header__topic")
    assert name in squash("".join(t.text() for t in topic))
    assert squash(tree.root.find("h1")[0].text()).removesuffix("¶") == name
    toc = squash(tree.root.find("nav", "md-nav--secondary")[0].text())
    for goal in decl.annual.goals:
        assert squash(mask_text(goal.title)) in toc
        title = squash(mask_text(goal.title))
        assert any(squash(h.text()).removesuffix("¶").endswith(title) for h in tree.root.find("h2"))


@pytest.mark.parametrize("case", [*INERT_CASES, *GENERATED_INERT])
def test_unit_name_is_shown_on_every_page_that_lists_it(built: Built, case: str) -> None:
    name = squash(mask_text(built.docs[case].unit_name))
    for rel in ("2021/index.html", "units/index.html", f"units/{case}/index.html"):
        assert name in squash(parse(built.public / rel).root.text()), rel
    unit_page = parse(built.public / "units" / case / "index.html").root
    assert name in squash(unit_page.find("title")[0].text())


KEPT = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}  # the markup Material's search keeps


def _index_html(fragment: str) -> Tree:
    tree = Tree()
    tree.feed(fragment)
    tree.close()
    return tree


def test_search_index_is_html_escaped(built: Built) -> None:
    """Material's search UI inserts `title` and `text` as HTML: they may hold only plain kept tags."""
    for site in (built.public, built.public / "2021"):
        index = site / "search" / "search_index.json"
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        for entry in docs:
            assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", entry["location"]), entry["location"]
            for key in ("title", "text"):
                tree = _index_html(entry[key])
                bad = [n for n in tree.root.walk() if n.tag != "#document" and (n.tag not in KEPT or n.attrs)]
                assert bad == [], f"{entry['location']} {key}: {[(n.tag, n.attrs) for n in bad]}"


@pytest.mark.parametrize("case", [*INERT_CASES, *GENERATED_INERT])
def test_search_finds_the_filed_text(built: Built, case: str) -> None:
    decl = built.docs[case]
    docs = json.loads((built.public / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]

    def shown(fragment: str) -> str:
        return squash(_index_html(fragment).root.text()).replace("\u200b", "")

    ours = [e for e in docs if e["location"].startswith(f"2021/{case}/")]
    page = next(e for e in ours if e["location"] == f"2021/{case}/")
    name = squash(mask_text(decl.unit_name)).replace("\u200b", "")
    assert name in shown(page["title"])  # lunr indexes titles (boosted): the text does not repeat it
    titles = "".join(shown(e["title"]) for e in ours)
    for goal in decl.annual.goals:
        assert squash(mask_text(goal.title)).replace("\u200b", "") in titles
    texts = "".join(shown(e["text"]) for e in ours)
    for function in decl.functions:
        assert squash(mask_text(function)).replace("\u200b", "") in texts
    ids = {n.attrs["id"] for n in parse(built.public / "2021" / case / "index.html").root.walk() if "id" in n.attrs}
    for entry in ours:
        anchor = html.unescape(entry["location"].partition("#")[2])
        assert not anchor or anchor in ids, f"a search result leads to a missing anchor: {entry['location']}"


def test_sitemap_lists_the_pages_and_only_site_urls(built: Built) -> None:
    raw = (built.public / "sitemap.xml").read_bytes()
    assert gzip.decompress((built.public / "sitemap.xml.gz").read_bytes()) == raw
    locs = [e.text or "" for e in ET.fromstring(raw).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(SITE_URL) for loc in locs)
    year = ET.fromstring((built.public / "2021" / "sitemap.xml").read_bytes())
    year_locs = {e.text for e in year.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"{SITE_URL}2021/{case}/" for case in built.docs} <= year_locs


@pytest.mark.parametrize("path", sorted(INERT_PROJECTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_project_form_shows_every_text_literally(built: Built, path: Path) -> None:
    doc, _ = load(path)
    assert doc is not None
    page = squash(parse(built.public / "2021" / path.stem / "index.html").root.text())
    missing = [where for where, text in filed_texts(doc.decl) if squash(text) not in page]
    assert missing == [], f"dropped or altered on the page: {missing}"
