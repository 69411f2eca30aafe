"""Search (generator/search.py): precision and recall measured on a small corpus, against the truth.

The truth is computed without the index: a page is relevant when one of its declaration's text cells (every
`Text` value of the model, walked generically, so a field the index leaves out shows up here) contains the
query, case and width folded. The index is queried as the browser queries it (search.query reads the same
files search.js loads); tests/browser/test_browser_search.py proves the JavaScript gives the same results.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import search, synth
from generator.forms import KINDS
from generator.forms.department.model import Declaration
from generator.load import load
from generator.model import Document, Text

DEPARTMENT = KINDS["department"].title  # the 表种 filter names a kind by its printed title
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"
SEED_NAME = "广水市劳动保险事业管理局"
NOT_SHOWN_AS_CELLS = {"leader", "filer", "phone", "waivers", "unit_id", "status", "money_unit"}

# (query, minimum precision, minimum recall). Exact substrings: recall 1 by construction of the terms.
QUERIES: list[tuple[str, float, float]] = [
    (SEED_NAME, 1.0, 1.0),                       # a unit's full name (another unit's name contains it)
    ("广水市劳动保险事业管理局城区分局", 1.0, 1.0),
    ("投诉率", 1.0, 1.0),                        # 指标值, twice on the seed's page
    ("社保", 1.0, 1.0),                          # 绩效标准
    ("100%", 1.0, 1.0),
    ("参保", 1.0, 1.0),                          # two-character words
    ("教育", 1.0, 1.0),
    ("满意度", 1.0, 1.0),
    ("养老保险在职参保缴费核定准确率", 1.0, 1.0),  # an indicator name
    ("负责参保单位离退休人员待遇的核准、发放及离退休人员档案管理工作", 1.0, 1.0),  # a long phrase
    ("年度计划", 1.0, 1.0),
    ("≥95%", 1.0, 1.0),
    ("ＡＢＣ测试", 1.0, 1.0),                    # full-width letters fold to the half-width ones filed
    ("效益", 0.95, 1.0),
]


def _texts(value: Any, name: str = "") -> Iterator[str]:
    """Every Text in a model value (the cells a page shows), whatever form it belongs to."""
    if name in NOT_SHOWN_AS_CELLS:
        return
    if isinstance(value, Text):
        yield str(value)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name), f.name)
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)


def truth(decls: list[Declaration], query: str) -> set[str]:
    q = search.normal_query(query)
    return {f"{d.year}/{d.unit_id}/" for d in decls if any(q in search.fold(t) for t in _texts(d))}


def _hand_made(content: Path) -> None:
    """Seed-based declarations: a unit whose name contains the seed's, a value in full-width characters."""
    text = SEED.read_text("utf-8")
    branch = text.replace("unit_id: guangshui-ldbxj", "unit_id: guangshui-ldbxj-cq") \
        .replace(f"unit_name: {SEED_NAME}", f"unit_name: {SEED_NAME}城区分局")
    (content / "2021" / "guangshui-ldbxj-cq.yaml").write_text(branch, "utf-8")
    odd = re.sub(r"unit_name: .*", "unit_name: 全角测试中心", text.replace("unit_id: guangshui-ldbxj",
                                                                         "unit_id: fullwidth-test"))
    odd = odd.replace("投诉率 0%", "投诉 率 0%；abc测试达标", 1)
    (content / "2021" / "fullwidth-test.yaml").write_text(odd, "utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[search.Index, list[Declaration]]:
    content = tmp_path_factory.mktemp("search-corpus") / "content"
    (content / "2021").mkdir(parents=True)
    shutil.copy2(SEED, content / "2021" / SEED.name)
    _hand_made(content)
    synth.synthesize(content, 40, years=2, seed=7)
    docs: list[Document] = []
    for path in sorted(content.rglob("*.yaml")):
        doc, problems = load(path)
        assert doc is not None, problems
        docs.append(doc)
    site = content.parent / "site"
    search.write_index(site, {}, search.entries(docs))
    return search.Index(site / "search"), [d.decl for d in docs]


def _measure(corpus: tuple[search.Index, list[Declaration]], query: str) -> tuple[float, float, list[str], set[str]]:
    index, decls = corpus
    found = [h.url for h in search.query(search.Index(index.folder), query)]
    true = truth(decls, query)
    hit = len(set(found) & true)
    precision = hit / len(found) if found else (1.0 if not true else 0.0)
    recall = hit / len(true) if true else 1.0
    return precision, recall, found, true


@pytest.mark.parametrize(("query", "min_precision", "min_recall"), QUERIES, ids=[q for q, _, _ in QUERIES])
def test_precision_and_recall(corpus: tuple[search.Index, list[Declaration]], query: str,
                              min_precision: float, min_recall: float) -> None:
    precision, recall, found, true = _measure(corpus, query)
    print(f"\nSEARCH-PR {query}\t{len(true)}\t{len(found)}\t{precision:.3f}\t{recall:.3f}")
    assert true, f"{query!r}: the corpus must contain it (else the test measures nothing)"
    assert precision >= min_precision and recall >= min_recall, (precision, recall, sorted(true - set(found)))


@pytest.mark.parametrize("name", [SEED_NAME, f"{SEED_NAME}城区分局", "全角测试中心"])
def test_a_units_full_name_ranks_it_first(corpus: tuple[search.Index, list[Declaration]], name: str) -> None:
    index, decls = corpus
    hits = search.query(search.Index(index.folder), name)
    own = next(f"{d.year}/{d.unit_id}/" for d in decls if d.unit_name == name)
    assert hits and hits[0].url == own, [h.url for h in hits[:3]]


def test_the_seeds_complaint_rate_is_found_in_both_goals(corpus: tuple[search.Index, list[Declaration]]) -> None:
    index, _ = corpus
    (hit,) = [h for h in search.query(search.Index(index.folder), "投诉率") if h.url == "2021/guangshui-ldbxj/"]
    titles = [title for _, title, _ in hit.sections]
    assert [t.split("：")[0] for t in titles] == ["年度目标 1", "年度目标 2"], titles
    assert all(anchor.startswith("年度目标-") for anchor, _, _ in hit.sections)


def test_filters_narrow_to_year_kind_and_level(corpus: tuple[search.Index, list[Declaration]]) -> None:
    index, decls = corpus
    everything = search.query(search.Index(index.folder), "指标")
    years = sorted({d.year for d in decls})
    by_year = search.query(search.Index(index.folder), "指标", [f"y{years[0]}"])
    assert by_year and len(by_year) < len(everything)
    assert all(h.url.startswith(f"{years[0]}/") for h in by_year)
    assert search.Index(index.folder).manifest["kinds"] == [DEPARTMENT]
    assert len(search.query(search.Index(index.folder), "指标", [f"k{DEPARTMENT}"])) == len(everything)
    # 一级指标 narrows the sections: the seed's 参保 in its functions and tasks is no 满意度指标 section.
    seed = "2021/guangshui-ldbxj/"
    (plain,) = [h for h in search.query(search.Index(index.folder), "参保") if h.url == seed]
    (level,) = [h for h in search.query(search.Index(index.folder), "参保", ["l产出指标"]) if h.url == seed]
    assert {a for a, _, _ in level.sections} < {a for a, _, _ in plain.sections}
    assert all(a.startswith("年度目标-") or a == "长期目标绩效指标" for a, _, _ in level.sections)


def test_snippets_start_at_a_cell_or_word_and_show_no_missing_terms(
        corpus: tuple[search.Index, list[Declaration]]) -> None:
    index, _ = corpus
    for query in ("参保", "投诉率", "管理", "效益"):
        for hit in search.query(search.Index(index.folder), query, limit=20):
            for _, _, snippet in hit.sections:
                assert snippet[:1] not in "，。；、：,;:", (query, snippet)
                assert search.fold(query) in search.fold(snippet), (query, snippet)
                assert "缺少" not in snippet


def test_a_query_loads_the_manifest_its_terms_shards_and_the_pages_shown(
        corpus: tuple[search.Index, list[Declaration]]) -> None:
    index, _ = corpus
    fresh = search.Index(index.folder)
    search.query(fresh, "投诉率", limit=10)
    shards = [f for f in fresh.fetched if f.startswith("t/")]
    assert fresh.fetched[0] == "manifest.js" and 1 <= len(shards) <= len(search.query_terms("投诉率")) + 1
    assert len([f for f in fresh.fetched if f.startswith("p/")]) <= 10 + 2  # checked candidates, not the corpus


def test_archived_lunr_entries_stay_searchable() -> None:
    """An archive made before this index keeps Material's entries ("单位（2021 年度）", ZWSP word breaks)."""
    old = [{"location": "2019/x/", "title": "旧单位\u200b（2019 年度）", "text": "2019\u200b年度"},
           {"location": "2019/x/#部门职能概述", "title": "部门\u200b职能", "text": "负责\u200b参保&amp;登记"}]
    (page,) = search.pages_of(old)
    assert (page.title, page.year, page.sections[1]) == ("旧单位", 2019, ("部门职能概述", "部门职能", "负责参保&登记"))
