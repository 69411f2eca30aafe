"""benchmarks/bench.py reports the one-year shape at N = 1000 and 10,000: cold build, the rebuild after one
change and peak memory (tree and largest process, cold and rebuild) at both, each judged on its target."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench


def run(wall: float, cpu: float, rss: float, pss: float) -> bench.Run:
    return bench.Run(["x"], wall, 0, rss, pss, cpu, 1.0, "log")


def result(n: int, cold: bench.Run, again: bench.Run) -> bench.Result:
    site = {"site_bytes": 1, "site_files": 1, "index_raw": 1, "index_gzip": 1, "index_entries": 1}
    download = {"total_gzip": 100_000, "by_kind": {"js": 100_000}, "query": "q"}
    return bench.Result(n, n, cold, {"检查": 1.0}, site, download, years=1, incremental=again,
                        incremental_stages={"检查": 0.5, "MkDocs 构建": 2.5})


def test_the_one_year_shape_runs_at_every_size_and_other_shapes_only_up_to_shapes_max() -> None:
    assert bench.planned_runs([1000, 10000], [1, 3], 1000) == [(1000, 1), (10000, 1), (1000, 3)]
    assert bench.planned_runs([1000, 10000], [1], 1000) == [(1000, 1), (10000, 1)]


def test_rebuild_and_memory_are_judged_at_both_sizes() -> None:
    small = result(1000, run(20, 30, 266, 387), run(1.2, 1.0, 200, 300))
    big = result(10000, run(600, 300, 480, 450), run(4.0, 3.0, 520, 300))
    rows = "\n".join(bench.targets([small, big]))
    assert "| rebuild after one file changed ≤ 1.5 s wall (N=1,000) | `leader` 1.2 s wall (the slower: 1.0 s CPU) " \
           "| met |" in rows
    assert "| rebuild after one file changed ≤ 3 s wall (N=10,000) | `leader` 4.0 s wall (the slower: 3.0 s CPU) " \
           "| not met " in rows
    small.renamed, small.renamed_stages = run(1.8, 1.6, 200, 300), {"MkDocs 构建": 1.2}  # the slower edit judges
    rows = "\n".join(bench.targets([small, big]))
    assert "(N=1,000) | `leader` 1.2 s, `unit_name` 1.8 s wall (the slower: 1.6 s CPU) | not met (largest " \
           "stages: MkDocs 构建 1.2 s)" in rows
    # the rebuild's largest process (520 MiB) is over the limit even though the cold build's is not
    assert "| 450 MiB tree PSS, 520 MiB largest process (N=10,000) | not met |" in rows
    sizes = "\n".join(bench.size_table([small, big]))
    assert "| 10,000 · 1 yr | 450 / 480 MiB | 300 / 520 MiB |" in sizes


def test_a_rebuild_not_run_is_reported_as_not_measured() -> None:
    small = result(1000, run(20, 30, 266, 387), run(1.2, 1.0, 200, 300))
    rows = "\n".join(bench.targets([small]))
    assert "| rebuild after one file changed ≤ 3 s wall (N=10,000) | N=10,000 not run | not measured |" in rows
    assert "not measured at 10000 (met at N=1,000)" in rows
