"""Search benchmark (issue 17): the project's sharded index against Pagefind, on one built site.

    python benchmarks/search_bench.py SITE [--pagefind] [--queries Q ...]

SITE is a built site/ (e.g. after `disclose synth 1000 --years 1 && disclose build`). Measured, for the own
index: bytes (gzip) from the first keystroke to the first result page — search.js, the manifest, the shards of
the query's terms, the fragments of the first 10 pages checked — and the time and peak memory of writing the
index again from the site's record (search/search_index.json). With --pagefind, the same for Pagefind
(`python -m pagefind`, extended build) run over the declaration pages' <article>, queried in Chromium through
its own JS API (bytes as transferred: its index files are gzip already; its JS and WASM gzip-compressed here).
Precision and recall per query: against the pages whose record texts contain the query (case/width folded).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from generator import search

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "theme" / "assets" / "javascripts" / "search.js"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def truth(pages: list[search.Page], query: str) -> set[str]:
    q = search.normal_query(query)
    return {p.url for p in pages if any(q in search.fold(t) or q in search.fold(x) for _, t, x in p.sections)}


def pr(found: list[str], true: set[str]) -> tuple[float, float]:
    hit = len(set(found) & true)
    return (hit / len(found) if found else float(not true)), (hit / len(true) if true else 1.0)


def own(site: Path, queries: list[str], pages: list[search.Page]) -> list[dict[str, Any]]:
    folder = site / "search"
    fixed = gz(SEARCH_JS.read_bytes()) + gz((folder / "manifest.js").read_bytes())
    rows = []
    for q in queries:
        index = search.Index(folder)
        shown = search.query(index, q, limit=10)
        fetched = sum(gz((folder / name).read_bytes()) for name in index.fetched[1:])
        everything = [h.url for h in search.query(search.Index(folder), q)]
        precision, recall = pr(everything, truth(pages, q))  # every page of the site, not only declarations
        rows.append({"query": q, "fixed": fixed, "query_bytes": fetched, "first_result": fixed + fetched,
                     "shown": len(shown), "found": len(everything), "precision": precision, "recall": recall})
    return rows


def own_build(site: Path) -> dict[str, float]:
    """Writing the index again from the site's record, in a fresh process (peak memory is the process's)."""
    code = ("import json,resource,sys,time;from pathlib import Path;from generator import search;"
            "r=json.loads(Path(sys.argv[1]).read_text('utf-8'));base=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
            "t=time.perf_counter();search.write_shards(Path(sys.argv[2]),search.pages_of(r['docs']));"
            "print(json.dumps({'seconds':time.perf_counter()-t,'peak_mib':resource.getrusage(resource.RUSAGE_SELF)"
            ".ru_maxrss/1024,'record_mib':base/1024}))")
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([sys.executable, "-c", code, str(site / "search" / "search_index.json"), out],
                             capture_output=True, text=True, check=True)
        size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
        files = sum(1 for p in Path(out).rglob("*") if p.is_file())
    return {**json.loads(run.stdout), "bytes": size, "files": files}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def pagefind(site: Path, queries: list[str], pages: list[search.Page]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    work = Path(tempfile.mkdtemp(prefix="search-bench-pf-"))
    try:
        for page in site.rglob("index.html"):  # declaration pages only, as the own index has them
            rel = page.relative_to(site)
            if len(rel.parts) == 3 and rel.parts[0].isdigit():
                (work / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(page, work / rel)
        start = time.perf_counter()
        run = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "pagefind", "--site", str(work),
                              "--root-selector", "article", "--force-language", "zh"],
                             capture_output=True, text=True)
        seconds = time.perf_counter() - start
        peak = int(run.stderr.strip().splitlines()[-1]) / 1024
        build = {"seconds": seconds, "peak_mib": peak,
                 "bytes": sum(p.stat().st_size for p in (work / "pagefind").rglob("*") if p.is_file())}
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(work)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        (work / "q.html").write_text("<!doctype html><meta charset=utf-8><title>q</title>", "utf-8")
        rows = []
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            for q in queries:
                page = browser.new_page()
                page.goto(base + "/q.html")
                got: list[str] = []
                page.on("response", lambda r, got=got: got.append(r.url))
                page.evaluate("""async q => { window.pf = await import('/pagefind/pagefind.js');
                    await pf.init(); window.r = await pf.search(q);
                    await Promise.all(r.results.slice(0, 10).map(x => x.data())); }""", q)
                first = list(dict.fromkeys(got))
                urls = page.evaluate("async () => (await Promise.all(r.results.map(x => x.data()))).map(d => d.url)")
                first_bytes = 0
                for url in first:
                    path = work / url[len(base) + 1:].split("?")[0]
                    data = path.read_bytes() if path.is_file() else b""
                    first_bytes += len(data) if path.suffix.startswith(".pf_") else gz(data)
                found = sorted({u.strip("/") + "/" for u in urls})
                precision, recall = pr(found, truth(pages, q))
                rows.append({"query": q, "first_result": first_bytes, "found": len(found),
                             "precision": precision, "recall": recall})
                page.close()
            browser.close()
        server.shutdown()
        return build, rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--pagefind", action="store_true")
    parser.add_argument("--queries", nargs="*")
    args = parser.parse_args()
    record = json.loads((args.site / "search" / "search_index.json").read_text("utf-8"))
    pages = search.pages_of(record["docs"])
    declarations = [p for p in pages if p.kind]
    queries = args.queries or [declarations[0].title, "教育局", "满意度", "100%", "年度计划"]
    result: dict[str, Any] = {"pages": len(pages), "declarations": len(declarations),
                              "record_gz": gz((args.site / "search" / "search_index.json").read_bytes()),
                              "own": own(args.site, queries, pages), "own_build": own_build(args.site)}
    if args.pagefind:  # given the declaration pages only
        result["pagefind_build"], result["pagefind"] = pagefind(args.site, queries, declarations)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
