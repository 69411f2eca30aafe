"""What `build --shard K/N` and `build --join` cost: each shard's and the join's wall and CPU seconds, cold.

    python3 benchmarks/shard_bench.py --size 1000 --shards 2 4

Makes a throwaway project (this repository's mkdocs.yml, theme/, site_config/ and `disclose synth SIZE
--years 1`), builds it once as a single cold `disclose build`, then for each N runs the N shards one after
another (each alone on the machine, in its own cold copy of the project: as on N machines) and the join
(cold: its own copy, no caches), checks that the joined site/ is byte-identical to the single build's and
prints a Markdown table. CPU = user + sys of the process and every worker it waited for (os.wait4).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one command (its waited-for children included)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    err = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def disclose(project: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "generator", "-C", str(project), *argv]


def same_tree(a: Path, b: Path) -> bool:
    names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    if names != sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--shards", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--no-single", action="store_true", help="skip the single build (and the comparison)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="shard-bench-"))
    base = root / "base"
    base.mkdir()
    for name in ("mkdocs.yml", "theme", "site_config"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, base / name)
    subprocess.run(disclose(base, "synth", str(args.size), "--years", "1"), check=True, capture_output=True)
    rows = []
    if not args.no_single:
        shutil.copytree(base, root / "single")
        wall, cpu = timed(disclose(root / "single", "build", "-q"))
        rows.append(("single cold `disclose build`", wall, cpu))
    for n in args.shards:
        folders = []
        for k in range(n):
            project = root / f"n{n}-s{k}"
            shutil.copytree(base, project)
            wall, cpu = timed(disclose(project, "build", "-q", "--shard", f"{k}/{n}"))
            rows.append((f"N={n}: shard {k}/{n}", wall, cpu))
            folders.append(str(project / "build" / "shards" / f"{k}-of-{n}"))
        project = root / f"n{n}-join"
        shutil.copytree(base, project)
        wall, cpu = timed(disclose(project, "build", "-q", "--join", *folders))
        same = "not compared" if args.no_single else \
            "byte-identical" if same_tree(root / "single" / "site", project / "site") else "DIFFERS"
        rows.append((f"N={n}: join ({same})", wall, cpu))
        for k in range(n):  # (the disk: a shard of 10,000 holds ~1 GB)
            shutil.rmtree(root / f"n{n}-s{k}")
    print(f"size {args.size}, one year; load after: {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M')}")
    print("| step | wall s | CPU s |\n|---|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.1f} | {cpu:.1f} |")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
