"""Search (build.merge_search): an archived year made before the sharded index stays searchable from the live site.

Such a snapshot holds Material's lunr index (search/search_index.json: titles "单位（2019 年度）", jieba's
zero-width word breaks, HTML-escaped text). The live index takes its entries from there at build time; the
snapshot itself is not changed (it is served byte for byte and keeps its own search).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator import search
from generator.build import merge_search

OLD_LUNR = {"config": {"lang": ["zh"], "separator": "[\\s\\u200b\\-]+"}, "docs": [
    {"location": "", "title": "2019\u200b年度", "text": "各\u200b单位"},
    {"location": "old-unit/", "title": "旧\u200b单位\u200b（2019 年度）", "text": "2019\u200b年度\u200b部门整体"},
    {"location": "old-unit/#部门职能概述", "title": "部门\u200b职能\u200b概述", "text": "负责\u200b参保&amp;登记"},
]}


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_old_archives_lunr_entries_are_in_the_live_index(tmp_path: Path) -> None:
    tree = tmp_path / "site"
    search.write_index(tree, {}, [{"location": "", "title": "首页", "text": "各年度申报表"}])
    snapshot = tree / "2019" / "search"
    snapshot.mkdir(parents=True)
    (snapshot / "search_index.json").write_text(json.dumps(OLD_LUNR, ensure_ascii=False), "utf-8")
    before = _digest(tree / "2019")
    merge_search(tree, [2019], [], frozen={2019: tmp_path / "archive" / "2019" / "r1"})
    assert _digest(tree / "2019") == before  # the snapshot as archived
    hits = search.query(search.Index(tree / "search"), "参保&登记")
    assert [(h.url, h.title, [a for a, _, _ in h.sections]) for h in hits] == [
        ("2019/old-unit/", "旧单位", ["部门职能概述"])]
    (first,) = search.query(search.Index(tree / "search"), "旧单位")  # the name as the old entry's title gives it
    assert first.url == "2019/old-unit/"
    assert search.query(search.Index(tree / "search"), "参保", ["y2019"])  # the year filter knows it
