"""`disclose synth`: a benchmark corpus as heavy as real declarations (issue 18), deterministic, checking clean."""

from __future__ import annotations

import statistics
from pathlib import Path

from conftest import ROOT, copy_project

from generator import cli
from generator.check import Context, check_files, declaration_files
from generator.config import Project
from generator.problems import Severity
from generator.synth import measure

SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"
COMPARED = ("indicators", "functions", "tasks", "targets", "goals", "projects", "text_chars", "bytes")


def synth(tmp_path: Path, *argv: str) -> list[Path]:
    project = copy_project(tmp_path / "project", content=False)
    assert cli.main(["-C", str(project), "synth", *argv]) == 0
    return declaration_files([project / "content"])


def medians(paths: list[Path]) -> dict[str, float]:
    sizes = [measure(p) for p in paths]
    return {key: statistics.median(s[key] for s in sizes) for key in COMPARED}


def test_the_seed_is_measured_as_filed() -> None:
    assert measure(SEED) == {"bytes": 7692, "functions": 8, "tasks": 9, "targets": 4, "goals": 2,
                             "indicators": 17, "projects": 1, "text_chars": 1859}


def test_a_realistic_corpus_checks_clean_and_is_at_least_the_seeds_size(tmp_path: Path) -> None:
    paths = synth(tmp_path, "20", "--years", "1")
    assert len(paths) == 20 and {p.parent.name for p in paths} == {"2025"}
    report = check_files(paths, Context(Project(tmp_path / "project").levels))
    assert [p.format() for p in report.problems if p.severity is not Severity.INFO] == []
    seed, median = measure(SEED), medians(paths)
    assert {k: median[k] for k in COMPARED if median[k] < seed[k]} == {}
    assert all(measure(p)["indicators"] >= seed["indicators"] for p in paths)  # never lighter than the seed


def test_a_fifth_of_the_units_are_much_larger(tmp_path: Path) -> None:
    sizes = [measure(p) for p in synth(tmp_path, "200", "--years", "1")]
    seed = measure(SEED)
    large = [s for s in sizes
             if s["indicators"] >= 1.5 * seed["indicators"] and s["text_chars"] >= 1.5 * seed["text_chars"]]
    assert 0.1 <= len(large) / len(sizes) <= 0.35
    assert max(s["bytes"] for s in sizes) >= 2.5 * seed["bytes"]


def files(paths: list[Path]) -> dict[str, bytes]:
    return {f"{p.parent.name}/{p.name}": p.read_bytes() for p in paths}


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    one = files(synth(tmp_path / "a", "12", "--years", "3", "--seed", "7"))
    two = files(synth(tmp_path / "b", "12", "--years", "3", "--seed", "7"))
    other = files(synth(tmp_path / "c", "12", "--years", "3", "--seed", "8"))
    assert one == two and sorted(one) == [f"{y}/u{u:05d}-jyj.yaml" for y in (2023, 2024, 2025) for u in range(4)]
    assert sorted(other) == sorted(one) and other != one


def test_light_is_the_old_shape_lighter_than_the_seed(tmp_path: Path) -> None:
    """--light keeps the corpus of results before issue 18 (for comparison); it is lighter than a real form."""
    paths = synth(tmp_path, "20", "--years", "1", "--light")
    seed, median = measure(SEED), medians(paths)
    assert median["functions"] < seed["functions"] and median["text_chars"] < seed["text_chars"]
    report = check_files(paths, Context(Project(tmp_path / "project").levels))
    assert not report.blocking
