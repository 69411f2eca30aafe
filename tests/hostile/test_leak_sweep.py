"""Zero whole numbers in every public byte: a corpus seeded with every written form in every text field.

Each seeded number is unique, written in one digit form × separator × grouping (× prefix), and put in one
text field of the model (unit_name, leader, filer, phone, money_unit, a funding row's name, functions, tasks,
a project's name and purpose, annual targets, a goal's title, an indicator's name, value and basis, a waiver's
reason), plus numbers wrapped across two lines of plain YAML scalars. After a real `disclose build`, every
file under site/ (gzip and zip members expanded, HTML/XML references and JSON escapes resolved) is read by
the independent reader of test_mask_forms: no seeded number is whole anywhere, and each reached the pages
and the downloads masked (so the scan looked where the numbers are).
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from conftest import MINIMAL, copy_project
from test_mask_forms import FORMS, PREFIXES, SEPARATORS, written

pytestmark = pytest.mark.slow

GROUPINGS = [(3, 4, 4), (4, 3, 4), (1,) * 11, (7, 4), (11,), (3, 8)]

# (the text in MINIMAL, how it is replaced: {v} is the seeded value as a YAML double-quoted string)
FIELDS = [
    ("unit_name: 测试单位", "unit_name: {v}"),
    ("leader: 张三", "leader: {v}"),
    ("filer: 李四", "filer: {v}"),
    ("phone: 07226296906", "phone: {v}"),
    ("money_unit: 万元", "money_unit: {v}"),
    ("{name: 其他资金,", "{{name: {v},"),
    ("  - 1. 职能一。", "  - {v}"),
    ("  - 1. 任务一。", "  - {v}"),
    ("{name: 专项经费,", "{{name: {v},"),
    ("purpose: 业务经费}", "purpose: {v}}}"),
    ("    - 目标 1：完成任务。", "    - {v}"),
    ("    - title: 完成任务。", "    - title: {v}"),
    ("name: 服务人数,", "name: {v},"),
    ('value: "500",', "value: {v},"),
    ("basis: 年度计划}\n        - {level1: 满意度指标", "basis: {v}}}\n        - {{level1: 满意度指标"),
    ("annual:\n", "waivers:\n  - {{code: SHARE_MISMATCH, reason: {v}}}\nannual:\n"),
]


def seeded() -> list[str]:
    """Every number as written: digit forms × separators, cycling the groupings; then the prefixes."""
    out = []
    for i, (form, sep) in enumerate((f, s) for f in FORMS for s in SEPARATORS.values()):
        grouping = GROUPINGS[i % len(GROUPINGS)]
        if ("\n" in sep and grouping == (1,) * 11) or (sep in ".．" and len(grouping) == 2):
            grouping = (3, 4, 4)  # (a digit per line, and a lone dot, are not numbers: see test_mask_forms)
        out.append((form, sep, grouping))
    numbers = [written(_number(k), form, sep, g) for k, (form, sep, g) in enumerate(out)]
    start = len(numbers)
    numbers += [p + written(_number(start + k), "ascii", " ", (3, 4, 4)) for k, p in enumerate(PREFIXES)]
    return numbers


def _number(k: int) -> str:
    return f"1{3 + k % 7}{7000000 + k:09d}"


def digits_of(number: str) -> str:
    return "".join(str(unicodedata.decimal(c)) for c in unicodedata.normalize("NFKC", number) if c.isdecimal())


def mobile_of(number: str) -> str:
    digits = digits_of(number)
    return digits[-11:]


def declarations() -> dict[str, str]:
    """name → YAML text: the seeded numbers, one per field, as many declarations as it takes."""
    base = MINIMAL.read_text("utf-8").split("\n", 1)[1]
    numbers, out = seeded(), {}
    for d in range(0, len(numbers), len(FIELDS)):
        name = f"sweep-unit-{d // len(FIELDS) + 1}"
        text = base.replace("unit_id: minimal-unit", f"unit_id: {name}")
        for (old, new), number in zip(FIELDS, numbers[d:d + len(FIELDS)], strict=False):
            assert text.count(old) == 1, old
            text = text.replace(old, new.format(v=json.dumps(f"号码{number}联系", ensure_ascii=False)))
        out[name] = text
    # Plain scalars wrapped over two lines, as an editor wraps them: the page reads the break as a space.
    wrapped = [_number(900 + k) for k in range(3)]
    out["sweep-wrapped"] = base.replace("unit_id: minimal-unit", "unit_id: sweep-wrapped").replace(
        "  - 1. 职能一。", f"  - 1. 职能一，手机 {wrapped[0][:7]}\n    {wrapped[0][7:]} 即可。\n"
                       f"  - 2. 联系 {wrapped[1][:3]} {wrapped[1][3:7]}\n    {wrapped[1][7:]}\n"
                       f"  - 3. 热线 {wrapped[2][:3]}\n    {wrapped[2][3:]}")
    return out


ALL_NUMBERS = [mobile_of(n) for n in seeded()] + [_number(900 + k) for k in range(3)]


@cache
def _table() -> dict[int, None]:
    """What the reader skips: spaces, dashes, dots, slashes, brackets, plus signs and invisible characters."""
    drop = {}
    for point in list(range(0x20000)) + list(range(0xE0000, 0xE1000)):
        ch = chr(point)
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Mn", "Me", "Pd", "Ps", "Pe") or ch in ".·/+−":
            drop[point] = None
    return drop


def reads(text: str) -> str:
    """The reader of test_mask_forms.reads, for megabytes: every digit ASCII, every separator gone."""
    digits = {ord(c): str(unicodedata.decimal(c)) for c in set(text) if c.isdecimal() and not c.isascii()}
    return unicodedata.normalize("NFKC", text).translate({**_table(), **digits})


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def public_texts(site: Path) -> Iterator[tuple[str, str]]:
    """Every public file as text (gzip and zip members too), as a browser or a spreadsheet reads it."""
    def expand(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
        yield name, data
        if data[:2] == b"\x1f\x8b":
            yield from expand(name + "!gunzip", gzip.decompress(data))
        elif data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield from expand(f"{name}!{member}", archive.read(member))

    for path in sorted(site.rglob("*")):
        if path.is_file():
            for name, data in expand(str(path.relative_to(site)), path.read_bytes()):
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
                if name.endswith((".html", ".xml", ".rels", ".svg", "!gunzip")):
                    text = html.unescape(text)
                elif name.endswith(".json"):
                    text = text + "\n" + "\n".join(_strings(json.loads(text)))
                yield name, text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("sweep") / "project")
    for name, text in declarations().items():
        (root / "content" / "2021" / f"{name}.yaml").write_text(text, encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "-q"], capture_output=True,
                           text=True, encoding="utf-8", timeout=600, check=False)
    assert built.returncode == 0, built.stderr
    return root / "site"


def test_no_whole_number_in_any_public_byte(site: Path) -> None:
    leaks = [(name, number) for name, text in public_texts(site) for number in ALL_NUMBERS
             if number in reads(text)]
    assert leaks == []


def test_every_seeded_number_reached_the_page_and_the_downloads_masked(site: Path) -> None:
    texts = dict(public_texts(site))
    pages = "".join(reads(re.sub(r"<[^>]+>", "", t)) for n, t in texts.items() if re.match(r"2021/sweep-.*html$", n))
    downloads = "".join(reads(t) for n, t in texts.items() if re.match(r"2021/data/sweep-.*\.(json|yaml)$", n))
    waivers = {mobile_of(n) for i, n in enumerate(seeded()) if FIELDS[i % len(FIELDS)][0] == "annual:\n"}
    for number in ALL_NUMBERS:
        masked = number[:3] + "****" + number[7:]
        assert masked in downloads, number
        assert masked in pages or number in waivers, number  # (the page does not show waivers' reasons)
    assert len(ALL_NUMBERS) == len(set(ALL_NUMBERS)) > 100
