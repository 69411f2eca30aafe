"""Property: whatever a clerk's editor does to a declaration, the loader and the rules answer with problems
(each at a real line and column, with a known code and a message) or a document, and never raise.

Hypothesis mutates the seed's and the minimal fixture's YAML line by line: deletes, duplicates, swaps and
re-indents lines, inserts random Unicode, and replaces scalars with random text, numbers and YAML syntax.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import Context, check_document, file_name
from generator.load import load, load_partial
from generator.problems import CODES, Problem

SEEDS = [SEED.read_text(encoding="utf-8"), MINIMAL.read_text(encoding="utf-8")]
YAMLISH = ["~", "null", ".nan", "-.inf", "0722", "1e5", "0x1F", "yes", "2021-02-30", "-5", "99999999999999",
           "!!python/object/apply:os.system [id]", "!!binary aGk=", "&a", "*a", "&a x", "<<: *a", "[", "]", "{",
           "}", "{}", "[]", "|", ">", "|-\n  x", "''", '"', '"\\x02"', '"\\r"', "%", "@", "`", "#", "- ", ": ",
           "? ", "---", "...", "\t", "<script>alert(1)</script>", "{{ 7*7 }}", "[x](javascript:alert(1))", "测试",
           "\u202e", "\ufeff", "\x00", "\r", "\u2028"]
CHARS = st.characters(blacklist_categories=("Cs",))  # any code point a UTF-8 file can hold
SCALARS = st.one_of(
    st.sampled_from(YAMLISH),
    st.text(CHARS, max_size=12),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "scalar", "indent", "line"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.one_of(st.text(CHARS, max_size=8), st.sampled_from(YAMLISH))) \
                + lines[i][at:]
        elif op == "scalar":
            head, sep, _ = lines[i].partition(": ") if ": " in lines[i] else lines[i].partition("- ")
            lines[i] = head + (sep or ": ") + draw(SCALARS)
        elif op == "indent":
            delta = draw(st.integers(-4, 4))
            indent = len(lines[i]) - len(lines[i].lstrip(" "))
            lines[i] = " " * delta + lines[i] if delta > 0 else lines[i][min(-delta, indent):]
        else:
            lines.insert(i, draw(st.text(CHARS, max_size=40)))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mutated") / "2021"
    path.mkdir()
    return path


def well_formed(problem: Problem, lines: int) -> bool:
    return (problem.code in CODES and isinstance(problem.message, str) and bool(problem.message)
            and 1 <= problem.line <= lines + 1 and problem.col >= 1)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_declarations_give_problems_or_a_document_never_an_exception(
        folder: Path, context: Context, text: str) -> None:
    path = folder / "guangshui-ldbxj.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    doc, problems = load_partial(path)
    if doc is not None:  # the rules run on partial documents too: none may trip on a missing value
        problems = problems + check_document(doc, context) + list(file_name(doc))
    else:
        assert problems, "refused without a problem"
    lines = text.count("\n") + 1
    assert [p for p in problems if not well_formed(p, lines)] == []
    assert all(p.file == str(path) for p in problems)


def test_the_mutations_reach_every_outcome() -> None:
    """The strategy is not vacuous: it yields clean documents, documents with problems, and refusals."""
    outcomes: set[str] = set()

    @settings(max_examples=150, deadline=None, database=None)
    @given(text=mutated())
    def sample(text: str) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "2021" / "x.yaml"
            path.parent.mkdir()
            path.write_text(text, encoding="utf-8", newline="")
            doc, problems = load(path)
            outcomes.add("refused" if doc is None else "problems" if problems else "loaded")

    sample()
    assert outcomes == {"refused", "problems", "loaded"}
