"""The last line of defence: before a site or a snapshot is published, every public byte of it is read, in
the masking's own normal form (privacy.find), for a personal number still whole; one found refuses it.

Every file is read once, whatever it is: pages, scripts, JSON, XML, CSV, YAML, images and fonts (as bytes),
and the members of zips (a workbook's XML) and gzip files (sitemap.xml.gz), expanded. Each is read as a
reader's program would: HTML and XML with their character references resolved (`&#49;` is a 1), JSON,
JavaScript and YAML with their string escapes resolved (`\\u0031` is a 1). The report names the file, the line and
column and shows the place with the number masked: the refusal itself must not leak it.

Most bytes hold no number, and the bytes alone can prove it: each byte's class (what the character it starts
may be read as, an escape counting as the digit it may stand for) shows where a run of digits long enough for
find() may be. Only those stretches are read and searched (_holds_no_run); if one holds a number, the whole
file is read and reported on as before.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import io
import itertools
import os
import pickle
import re
import string
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import privacy, workers
from .privacy import Found, find, hide
from .problems import Problem, code
from .site import SiteError

_MARKUP = (".html", ".htm", ".xml", ".svg", ".rels", ".xhtml")
_SCRIPT = (".json", ".js", ".mjs", ".map", ".webmanifest", ".yaml", ".yml")  # (YAML's "…" escapes are JSON's)
_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}|\\U([0-9a-fA-F]{8})"
                     r"|\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
                     r"|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([nrtbfv])|\\(.)", re.S)
_MAX_DEPTH = 3  # a zip in a zip in a gzip: deeper nesting is not something the build makes
_SNIPPET = 20  # characters shown either side of a number


class LeakFound(SiteError):
    """A public file still holds a whole personal number: nothing was published."""

    def __init__(self, problems: list[Problem]):
        lines = "\n".join(p.format() for p in problems)
        super().__init__(f"公开文件中仍有 {len(problems)} 处未打码的个人号码，拒绝发布：\n{lines}")
        self.problems = problems


def _unescape_script(match: re.Match[str]) -> str:
    """A JSON / JavaScript string escape as the character it stands for (a line break as U+2028, which the
    normal form reads as a break but the report does not count as a line)."""
    whole = match[0]
    if len(whole) == 2:  # a backslash and one character (most escapes: one lookup); all other kinds are longer
        return _LETTERS.get(whole[1], whole[1])
    braced, wide, high, low, unit, byte, letter, other = match.groups()
    if braced or wide:
        point = int(braced or wide, 16)
        return chr(point) if point <= 0x10FFFF else match[0]
    if high:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    if unit or byte:
        point = int(unit or byte, 16)
        return "\ufffd" if 0xD800 <= point <= 0xDFFF else chr(point)
    if letter:
        return _LETTERS[letter]
    return str(other)


_LETTERS = {"n": "\u2028", "r": "\u2028", "t": "\t", "b": "", "f": "\u2028", "v": "\u2028"}


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # a workbook's escape of a character XML cannot hold


def readable(name: str, data: bytes) -> str:
    """The file's text as a reader's program reads it (binary files: their bytes as Latin-1)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
    return _resolved(name.lower(), text)


def _resolved(lower: str, text: str) -> str:
    """A UTF-8 text with the escapes its kind of file resolves (`lower`: its name) read as their characters."""
    if lower.endswith(_MARKUP) and "&" in text:
        text = html.unescape(text)
    if ".xlsx!" in lower and "_x" in text:  # Excel shows _x000B_ as the character (a line break in a number)
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    if lower.endswith(_MARKUP):
        return text
    if lower.endswith(_SCRIPT) and "\\" in text:
        return _ESCAPE.sub(_unescape_script, text)
    return text


def _expanded(name: str, data: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    """The file and, for a gzip or zip file, every member expanded (named `file!member`)."""
    yield name, data
    if depth >= _MAX_DEPTH:
        return
    if data[:2] == b"\x1f\x8b":
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return
        yield from _expanded(f"{name}!{name.rsplit('/', 1)[-1].removesuffix('.gz')}", inner, depth + 1)
    elif data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [(m, archive.read(m)) for m in archive.namelist()]
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            return
        for member, inner in members:
            yield from _expanded(f"{name}!{member}", inner, depth + 1)


# -- a proof from the bytes alone that a file's reading holds no number ----------------------------------
#
# privacy.find looks for numbers only inside runs: RUN_DIGITS or more characters it reads as digits, nothing
# but characters it reads as separators (or as nothing) between them. Each byte gets a class saying what the
# character it starts (UTF-8) or is (Latin-1, a binary file's reading) may be read as: `d` a digit, `s` a
# separator, a check letter or nothing (so every UTF-8 continuation byte), `o` neither. A run's bytes are
# then all d or s, with RUN_DIGITS d among them: where, the s bytes taken out, no RUN_DIGITS d stand together
# (one bytes.translate and a substring search, at C speed), the reading holds no run, so no number.
# An escape a reading resolves (`&#49;`, `\u0031`, `_x0031_`) stands for one character that may be a digit:
# its introducer counts as a d, every byte its body may be made of at least as an s.
_D, _S, _O = b"d", b"s", b"o"
_RUN = _D * privacy.RUN_DIGITS
_GROUP = re.compile(rb"d(?:s*+d){%d,}+" % (privacy.RUN_DIGITS - 1))  # a stretch that may hold a run
_ESCAPED = {  # a reading's escapes: their introducer, and what their bodies are made of
    "refs": (b"&", (string.ascii_letters + string.digits + "#;").encode()),  # &#49; &#x31; &sup1; &nbsp;
    "script": (b"\\", b"nrtbfvuUx{}" + string.hexdigits.encode()),  # \u0031 \x31 \u{31} \n, \ before any
    "ooxml": (b"_", b"x" + string.hexdigits.encode()),  # _x0031_
}
_CHUNK = 4096  # bytes of a file looked at together for a run before its stretches are sought


def _escapes(lower: str, data: bytes) -> tuple[str, ...]:
    """The escapes readable() may resolve in this file (`lower`: its name)."""
    markup, script = lower.endswith(_MARKUP), lower.endswith(_SCRIPT)  # (never both)
    return tuple(kind for kind, used in (("refs", markup and b"&" in data),
                                         ("script", script and b"\\" in data),
                                         ("ooxml", ".xlsx!" in lower)) if used)


@functools.cache
def _classes(escapes: tuple[str, ...]) -> tuple[bytes, bytes]:
    """The byte classes (a bytes.translate table) and the bytes of class s, for files with these escapes."""
    classes = bytearray(_O * 256)

    def allow(byte: int, kind: bytes) -> None:
        if classes[byte] != _D[0]:  # (a byte that may start a digit is a d, whatever else it may start)
            classes[byte] = kind[0]

    for char, normal in privacy.normal_form().items():
        kind = _D if normal.isdigit() else _S
        allow(char.encode("utf-8", "surrogatepass")[0], kind)
        if ord(char) < 0x100:
            allow(ord(char), kind)
    for byte in range(0x80, 0xC0):
        allow(byte, _S)
    for introducer, body in (_ESCAPED[kind] for kind in escapes):
        allow(introducer[0], _D)
        for byte in body:
            allow(byte, _S)
    return bytes(classes), bytes(b for b in range(256) if classes[b] == _S[0])


def _stretches(classes: bytes) -> Iterator[tuple[int, int]]:
    """The stretches that may hold a run, each from an o byte (or the start) up to the next (or the end)."""
    start = 0
    while start < len(classes):
        stop = classes.find(_O, start + _CHUNK)
        stop = len(classes) if stop < 0 else stop  # (a run never crosses an o byte: nor does a chunk's end)
        if _RUN in classes[start:stop].translate(None, _S):
            for group in _GROUP.finditer(classes, start, stop):
                right = classes.find(_O, group.end(), stop)
                yield max(classes.rfind(_O, start, group.start()), start), stop if right < 0 else right
        start = stop


def _stretch_read(lower: str, data: bytes, utf8: bool, start: int, stop: int) -> str:
    """A stretch read as the whole file is. No escape holds an o byte, but as the one character after a
    backslash: a stretch ending on that backslash reads it as a backslash, a separator after its last digit,
    which changes no run (the character escaped is an o one, which would have ended it)."""
    if not utf8:
        return data[start:stop].decode("latin-1")
    return _resolved(lower, data[start:stop].decode("utf-8"))


def _holds_no_run(name: str, data: bytes) -> bool:
    """Whether the bytes prove that find() would find nothing in readable(name, data): no run at all, or
    none in the stretches that may hold one, read (as the whole file is read) and looked at by find().
    A large file is looked at window by window (_cuts), so never copied whole."""
    lower = name.lower()
    classes, separators = _classes(_escapes(lower, data))
    windows = list(itertools.pairwise(_cuts(data, classes)))
    maybe = [(a, b) for a, b in windows if _RUN in data[a:b].translate(classes, separators)]
    if not maybe:
        return True
    utf8 = data.isascii() or all(_is_utf8(data[a:b]) for a, b in windows)
    stretches: set[str] = set()
    for a, b in maybe:
        window = data[a:b]
        stretches.update(_stretch_read(lower, window, utf8, *at) for at in _stretches(window.translate(classes)))
    unseen = stretches - _CLEAN_STRETCHES
    if find("\0".join(unseen)):  # (NUL, an o character, keeps each stretch's runs, and so its numbers, its own)
        return False
    if len(_CLEAN_STRETCHES) > _MAX_REMEMBERED:
        _CLEAN_STRETCHES.clear()
    _CLEAN_STRETCHES.update(unseen)
    return True


_WINDOW = 4 << 20  # bytes looked at together: a 107 MB search index is not copied whole, three times (memory)


def _cuts(data: bytes, classes: bytes) -> list[int]:
    """Where a file is cut into windows of about _WINDOW bytes: before an o byte, which no run crosses, nor any
    escape but as its one character after a backslash (_stretch_read), and which starts a character (so a
    file is valid UTF-8 if and only if each window is)."""
    cuts, at = [0], _WINDOW
    while at < len(data):
        found = data[at:at + _WINDOW].translate(classes).find(_O)
        if found < 0:
            at += _WINDOW  # (no o byte here: the window grows)
            continue
        cuts.append(at + found)
        at += found + _WINDOW
    return [*cuts, len(data)]


# Stretches find() found nothing in (pages repeat their icons' SVG paths, codes and phone numbers of the site):
# find() is a function of the text alone, so the same text again holds nothing.
_CLEAN_STRETCHES: set[str] = set()
_MAX_REMEMBERED = 100_000


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _snippet(text: str, found: Found) -> str:
    """The place around the number, the number masked, on one line."""
    start, end = max(0, found.start - _SNIPPET), min(len(text), found.end + _SNIPPET)
    shifted = Found(found.kind, found.start - start, found.end - start, tuple(i - start for i in found.hidden))
    window = hide(text[start:end], [shifted])
    return "".join(" " if not c.isprintable() else c for c in window).strip()


_KIND = {"mobile": "手机号", "id": "居民身份证号"}


def leaks_in(name: str, data: bytes) -> list[Problem]:
    """Every whole personal number in one public file (and in what it holds)."""
    problems = []
    for member, content in _expanded(name, data):
        if _holds_no_run(member, content):
            continue  # (most files: no run of digits long enough, so nothing for find to look at)
        text = readable(member, content)
        for found in find(text):
            line = text.count("\n", 0, found.start) + 1
            col = found.start - text.rfind("\n", 0, found.start)
            problems.append(code("PUBLIC_LEAK").at(member, line, col, kind=_KIND[found.kind],
                                                   snippet=_snippet(text, found)))
    return problems


@functools.cache
def _code_version() -> bytes:
    """What a verdict depends on besides a file's name and bytes: this scanner and the masking's finder."""
    digest = hashlib.sha256(unicodedata.unidata_version.encode())  # a new Python may know more digits
    for module in (__file__, privacy.__file__):
        digest.update(Path(module).read_bytes())
    return digest.digest()


def verdict_key(name: str, data: bytes) -> str:
    """A file's verdict key: the scanner's code, the file's name (how it is read) and every byte of it."""
    digest = hashlib.sha256(_code_version() + name.encode() + b"\0")
    digest.update(data)  # (the same digest as of the three joined, without a copy of the file)
    return digest.hexdigest()


Signature = tuple[str, int, int, int, int]  # a file's name, device, inode, size and mtime (ns)
Clean = tuple[str, "Signature | None"]  # a clean file's verdict key, and its signature if it was settled
Scanned = tuple[list[Problem], list[Clean]]

# A file last written this long before a scan began is "settled": any later write gives it a later mtime,
# even on a filesystem whose clock ticks coarsely (a write in the same tick as the read would not show).
_SETTLED_NS = 2_000_000_000
_PARALLEL_BYTES = 32 << 20  # fewer bytes to read are scanned faster than workers start


@dataclass(frozen=True)
class Verdicts:
    """What the last scan found clean: the files' verdict keys and, for each file settled before that scan,
    its signature. A file with the same signature now is the same inode, never written since (every writer
    of the build makes new files; one written in place has a later mtime): its bytes are the bytes found
    clean, and it is not read again (a rebuild links most of its tree from the last one: 1.7 GB at
    N = 10,000). Any other file is read and hashed, and scanned unless its key was found clean.

    Kept as a pickle in the project's build/ (as trusted as its code, like the check cache)."""

    clean: frozenset[str] = frozenset()
    known: Mapping[Signature, str] = field(default_factory=dict)

    @classmethod
    def read(cls, cache: Path | None) -> Verdicts:
        try:
            header, clean, known = pickle.loads(cache.read_bytes()) if cache else ("", (), {})
            if header == _header() and isinstance(clean, frozenset) and isinstance(known, dict):
                return cls(clean, known)
        except Exception:  # (none yet, or a damaged one)
            pass
        return cls()  # every file is read (and scanned unless its key is clean)

    @staticmethod
    def write(cache: Path, found: Iterable[Clean]) -> None:
        clean, known = set(), {}
        for key, signature in found:
            clean.add(key)
            if signature:
                known[signature] = key
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps((_header(), frozenset(clean), known), protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(cache)


def _header() -> str:
    return f"disclose-leak-verdicts 2 {_code_version().hex()}"


def _settled(signature: Signature, started: int) -> Signature | None:
    return signature if signature[4] + _SETTLED_NS <= started else None


def _scan_files(root: Path, shown_as: str, clean: frozenset[str], started: int,
                files: list[tuple[str, Signature]]) -> Scanned:
    """The problems of these files (paths relative to root, each with its signature taken before it is read:
    a write after the read shows as a later mtime next time), each scanned unless its key was found clean;
    the clean ones' keys, with the signatures of those settled before the scan `started` (ns)."""
    problems: list[Problem] = []
    found_clean: list[Clean] = []
    for path, signature in files:
        data = (root / path).read_bytes()
        key = verdict_key(signature[0], data)
        found = [] if key in clean else leaks_in(f"{shown_as}/{path}", data)
        problems += found
        if not found:
            found_clean.append((key, _settled(signature, started)))
    return problems, found_clean


def _files(folder: Path, prefix: str = "") -> Iterator[tuple[str, Signature]]:
    """The files under folder, as paths relative to it, that Path.rglob finds and is_file admits (a link to a
    file is read, a linked folder is not walked into), each with its signature."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files(Path(entry.path), f"{prefix}{entry.name}/")
            elif entry.is_file():
                stat = entry.stat()
                yield prefix + entry.name, (entry.name, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _dealt(files: list[tuple[str, Signature]], cores: int) -> list[list[tuple[str, Signature]]]:
    """The files dealt to the workers kind by kind, the largest first: each gets its share of every kind (a
    workbook costs more than its bytes say, its members expanded) and of the large files."""
    if cores == 1:
        return [files]
    dealt = sorted(files, key=lambda file: (file[0].rsplit(".", 1)[-1], -file[1][3]))
    return [dealt[i::cores] for i in range(cores)]


def scan(root: Path, shown_as: str, parallel: bool = False, cache: Path | None = None) -> list[Problem]:
    """Every whole personal number under root; files named as they will be published (shown_as/…).
    In parallel: the files to read dealt out to one fresh worker per core (workers.fresh_pool).

    `cache`: a file holding what the last scan found clean (Verdicts): a file known clean by its signature is
    not read, one whose name and bytes gave a clean key is read but not scanned. Only clean verdicts are
    kept, and only those of this scan: a file is never excused by an older one."""
    started = time.time_ns()
    verdicts = Verdicts.read(cache)
    known: list[Clean] = []
    unread: list[tuple[str, Signature]] = []
    for path, signature in sorted(_files(root)):
        key = verdicts.known.get(signature)
        if key is None:
            unread.append((path, signature))
        else:
            known.append((key, _settled(signature, started)))
    parallel = parallel and sum(signature[3] for _, signature in unread) >= _PARALLEL_BYTES
    groups = _dealt(unread, (os.cpu_count() or 1) if parallel else 1)
    scanned = workers.fork_map(functools.partial(_scan_files, root, shown_as, verdicts.clean, started), groups,
                               parallel, fresh=True)  # (file names in, problems and keys out: little to pickle)
    if cache:
        Verdicts.write(cache, [*known, *(found for _, clean in scanned for found in clean)])
    return sorted(p for found, _ in scanned for p in found)


def refuse_leaks(root: Path, shown_as: str, parallel: bool = False, cache: Path | None = None) -> None:
    """Raise LeakFound if anything under root would publish a whole personal number."""
    problems = scan(root, shown_as, parallel, cache)
    if problems:
        raise LeakFound(problems)
