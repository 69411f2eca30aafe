"""The leak scan's verdict cache (issue 18: a rebuild re-scanned every byte): a file found clean is not scanned
again while its name, bytes and the scanner's code are the same; anything else is scanned, leaks never cached."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from generator import leaks

PHONE = "1599785" + "6299"  # the seed's number, whole (split: this source is not a leak)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "2021").mkdir(parents=True)
    (root / "index.html").write_text("<p>联系电话：159****6299</p>", "utf-8")
    (root / "2021" / "a.json").write_text('{"phone": "159****6299"}', "utf-8")
    return root


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    scanned: list[str] = []
    real = leaks.leaks_in

    def leaks_in(name: str, data: bytes) -> list[leaks.Problem]:
        scanned.append(name.rsplit("/", 1)[-1])
        return real(name, data)

    monkeypatch.setattr(leaks, "leaks_in", leaks_in)
    return scanned


def test_clean_files_are_not_scanned_again_changed_ones_are(site: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "clean.txt"
    scanned = counting(monkeypatch)
    assert leaks.scan(site, "site", cache=cache) == [] and sorted(scanned) == ["a.json", "index.html"]
    scanned.clear()
    assert leaks.scan(site, "site", cache=cache) == [] and scanned == []
    (site / "2021" / "a.json").write_text('{"phone": "' + PHONE + '"}', "utf-8")  # changed: read again, refused
    found = leaks.scan(site, "site", cache=cache)
    assert scanned == ["a.json"] and [p.file for p in found] == ["site/2021/a.json"]
    scanned.clear()
    assert len(leaks.scan(site, "site", cache=cache)) == 1 and scanned == ["a.json"]  # a leak is never cached


def test_same_bytes_under_another_name_or_scanner_are_scanned(site: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "clean.txt"
    leaks.scan(site, "site", cache=cache)
    scanned = counting(monkeypatch)
    (site / "2021" / "a.json").rename(site / "2021" / "a.html")  # read otherwise (character references)
    leaks.scan(site, "site", cache=cache)
    assert scanned == ["a.html"]
    scanned.clear()
    monkeypatch.setattr(leaks, "_code_version", lambda: b"another scanner")
    leaks.scan(site, "site", cache=cache)
    assert sorted(scanned) == ["a.html", "index.html"]


def test_refuse_leaks_with_a_cache_still_refuses(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "clean.txt"
    leaks.refuse_leaks(site, "site", cache=cache)
    (site / "index.html").write_text(f"<p>{PHONE}</p>", "utf-8")
    with pytest.raises(leaks.LeakFound):
        leaks.refuse_leaks(site, "site", parallel=True, cache=cache)


def test_a_settled_file_is_known_by_its_signature_and_not_read_again(site: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A file last written well before the scan (a rebuild's tree is mostly linked from the last one) is found
    clean again by its inode, size and mtime, without reading it; a write, a copy or a damaged cache reads it."""
    cache = tmp_path / "clean.txt"
    page, data = site / "index.html", site / "2021" / "a.json"
    for path in (page, data):
        os.utime(path, ns=(time.time_ns() - 10**10,) * 2)  # written 10 s ago
    leaks.scan(site, "site", cache=cache)
    read = reading(monkeypatch)
    assert leaks.scan(site, "site", cache=cache) == [] and read == []
    data.write_text('{"phone": "' + PHONE + '"}', "utf-8")  # written in place: a later mtime
    found = leaks.scan(site, "site", cache=cache)
    assert read == ["a.json"] and [p.file for p in found] == ["site/2021/a.json"]
    read.clear()
    shutil.copy(page, tmp_path / "copy.html")
    (tmp_path / "copy.html").replace(page)  # the same bytes, another inode: read (and found clean by its key)
    assert leaks.scan(site, "site", cache=cache) == found and sorted(read) == ["a.json", "index.html"]
    read.clear()
    cache.write_bytes(cache.read_bytes()[:-9])  # damaged: read as no cache
    leaks.scan(site, "site", cache=cache)
    assert sorted(read) == ["a.json", "index.html"]


def test_a_file_written_just_before_the_scan_is_read_every_time(site: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Within a coarse clock's tick a write after the read would keep the mtime: a fresh file's signature is
    not kept, so it is read again next time (it is still not scanned again: its key was found clean)."""
    cache = tmp_path / "clean.txt"
    leaks.scan(site, "site", cache=cache)
    verdicts = leaks.Verdicts.read(cache)
    assert len(verdicts.clean) == 2 and not verdicts.known
    read = reading(monkeypatch)
    scanned = counting(monkeypatch)
    leaks.scan(site, "site", cache=cache)
    assert sorted(read) == ["a.json", "index.html"] and scanned == []


def reading(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if "site" in self.parts:  # (not the cache itself)
            read.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return read
