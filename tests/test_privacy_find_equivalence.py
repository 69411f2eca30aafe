"""privacy.find's faster scan finds exactly what the straightforward one found (issue 18: the leak scan reads
every public byte through it).

The faster scan differs in two places: the run's quantifiers are possessive, and a run's normal form is made
by one str.translate, its characters' places only when a number may be in it. `reference_find` below is the
function as it was before (greedy quantifiers, the normal form built character by character), made of the
same parts; both are run on every text of the hostile corpus (each file whole and each line), the committed
fixtures, and generated texts dense in digits, separators, invisible and look-alike characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import privacy
from generator.privacy import _ASTRAL, _ID, _MOBILE, Found, _form, _in_token, _valid_id, find

TESTS = Path(__file__).parent


def _greedy_run() -> re.Pattern[str]:
    pattern = _form().run.pattern
    assert "{0,48}+" in pattern and "{10,}+" in pattern  # (the possessive scan this test is about)
    return re.compile(pattern.replace("{0,48}+", "{0,48}").replace("{10,}+", "{10,}"))


GREEDY = _greedy_run()


def _reference_numbers(text: str, run: re.Match[str], fold: dict[str, str]) -> Iterator[Found]:
    normal, where = [], []
    for i in range(run.start(), run.end()):
        canonical = fold[text[i]]
        if canonical:
            normal.append(canonical)
            where.append(i)
    folded = "".join(normal)
    for kind, pattern, hidden in (("id", _ID, range(6, 14)), ("mobile", _MOBILE, range(3, 7))):
        for match in pattern.finditer(folded):
            digits = [k for k in range(match.start("body"), match.end("body")) if folded[k] not in " \n.-/()+"]
            if kind == "id" and not _valid_id("".join(folded[k] for k in digits)):
                continue
            start, end = where[match.start("body")], where[match.end("body") - 1] + 1
            if not _in_token(text, start, end):
                yield Found(kind, start, end, tuple(where[digits[k]] for k in hidden))


def reference_find(text: str) -> list[Found]:
    form = _form()
    read = _ASTRAL.sub(lambda m: form.astral.get(m[0], m[0]), text) if _ASTRAL.search(text) else text
    return sorted((found for run in GREEDY.finditer(read) for found in _reference_numbers(read, run, form.fold)),
                  key=lambda f: f.start)


def corpus() -> Iterator[str]:
    for path in sorted([*(TESTS / "hostile").rglob("*"), *(TESTS / "fixtures").rglob("*.yaml")]):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            yield text
            yield from text.splitlines()


def test_same_numbers_on_the_hostile_corpus_and_fixtures() -> None:
    texts = list(corpus())
    found = [find(t) for t in texts]
    assert found == [reference_find(t) for t in texts]
    assert sum(map(len, found)) >= 20  # the corpus does hold numbers: the comparison is not of empty lists


def test_the_run_pattern_differs_only_in_its_quantifiers() -> None:
    assert GREEDY.pattern.replace("{0,48}", "{0,48}+").replace("{10,}", "{10,}+") == _form().run.pattern


# Digits of every kind, every sort of separator and invisible character, letters (hex, X) and a CJK character.
PIECES = [*"0123456789" "１３９８" "𝟏𝟑" "⑧⁸" "  \n\t\u3000\u00a0" "-‐–−－" ".．·" "/／" "()（）+＋"
              "\u200b\u00ad\u0301\ufeff" "Xx" "abcF" "号码", "86", "+86 ", "138", "1391234", "5678",
                                                             "420981", "19900307", "2", "..", "\n    "]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_same_numbers_on_generated_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert find(text) == reference_find(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["1", "3", "9", "8", "0", " ", "-", "\n  ", "\u200b", ".", "X", "a"]),
                min_size=8, max_size=120))
def test_same_numbers_on_long_digit_runs(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert find(text) == reference_find(text)


def test_a_number_is_still_found_and_masked() -> None:
    assert privacy.mask_text("电话 139 1234 5678，金额 13912345678.5") == "电话 139 **** 5678，金额 13912345678.5"
    assert find("电话 139 1234 5678") == reference_find("电话 139 1234 5678") != []


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "号", "1", "\ud800", "\udfff", "\uffff", "𝟖", "\U00010000",
                                         "\U0010ffff", "\U000e0031"]), max_size=20))
def test_astral_characters_are_found_as_by_the_pattern(text: str) -> None:
    assert privacy._has_astral(text) == bool(_ASTRAL.search(text))
