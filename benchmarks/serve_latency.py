"""Benchmark: seconds from saving one declaration to the preview server serving the changed page.

    python3 benchmarks/serve_latency.py [--sizes 1 1000] [--edits 10]

For each N it makes a throwaway project (N synthetic declarations; N=1 is the bundled seed), starts
`disclose serve` on a free loopback port, then edits one declaration `--edits` times, timing each
save until the served HTML shows the new text. Reports min / median / max. Target: ≤ 1 s at N=1000.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_project(dest: Path, count: int) -> tuple[Path, str]:
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("theme", "site_config"):
        shutil.copytree(ROOT / name, dest / name)
    if count <= 1:
        shutil.copytree(ROOT / "content", dest / "content")
        return dest / "content/2021/guangshui-ldbxj.yaml", "/2021/guangshui-ldbxj/"
    subprocess.run([sys.executable, "-m", "generator", "-C", str(dest), "synth", str(count)], check=True,
                   stderr=subprocess.DEVNULL)
    path = sorted((dest / "content").rglob("*.yaml"))[count // 2]
    return path, f"/{path.parent.name}/{path.stem}/"


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def measure(count: int, edits: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        path, page = make_project(Path(tmp), count)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "generator", "-C", tmp, "serve", "--port", str(port), "-q"],
                                  stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}{page}"
        try:
            while "<h1" not in get(url):
                if server.poll() is not None:
                    raise SystemExit("serve exited")
                time.sleep(0.2)
            original = path.read_text(encoding="utf-8")
            times = []
            for i in range(edits):
                marker = f"基准修改标记{i}"
                text = original.replace("unit_name: ", f"unit_name: {marker}", 1)
                start = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                while marker not in get(url):
                    time.sleep(0.01)
                times.append(time.perf_counter() - start)
                time.sleep(0.3)  # let the watcher settle before the next save
            return times
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    print("| N | edits | min s | median s | max s |")
    print("|---:|---:|---:|---:|---:|")
    for count in args.sizes:
        t = measure(count, args.edits)
        print(f"| {count} | {len(t)} | {min(t):.2f} | {statistics.median(t):.2f} | {max(t):.2f} |", flush=True)


if __name__ == "__main__":
    main()
