"""Where a cold build's time goes: one serial, in-process `disclose build` under cProfile, cut into named costs.

    python3 benchmarks/profile_build.py [--count 1000] [--years 1] [--project DIR] [--out benchmarks/out/profile]

Makes a throwaway project (`disclose synth COUNT --years Y`, realistic size) unless --project names one, builds
it with the stages run one after another in this process (no forked workers, no parts: one MkDocs build of
the year with every page), and prints a Markdown table: each stage, and inside MkDocs the costs a declaration
page pays (Markdown and each extension, our hooks, theme templates, search plugin, file copying, sitemap), as
inclusive seconds, ms per declaration page and % of the build. cProfile slows pure-Python code ~1.5–2×
more than C: read the shares, not the absolute times. The raw profile goes to OUT/build.prof (snakeviz,
pstats), the table to OUT/profile.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

Key = tuple[str, int, str]
HEAD = ["| group | cost | calls | s inclusive (CPU with --timers) | ms / declaration | % of build |",
        "|---|---|---:|---:|---:|---:|"]


def code_key(fn: Callable[..., Any]) -> Key:
    code = getattr(fn, "__code__", None) or fn.__func__.__code__  # type: ignore[attr-defined]
    return code.co_filename, code.co_firstlineno, code.co_name


Target = tuple[str, str, list[Callable[..., Any]], Callable[..., Any] | None]


def targets() -> list[Target]:
    """(group, label, functions whose inclusive time is the cost, only when called from this function or None).

    The functions are MkDocs 1.6's and Python-Markdown 3's own steps.
    """
    import jieba
    import jinja2
    import markdown.blockparser
    import markdown.core
    import markdown.extensions.admonition
    import markdown.extensions.attr_list
    import markdown.extensions.tables
    import markdown.extensions.toc
    import markdown.postprocessors
    import markdown.preprocessors
    import markdown.serializers
    import markdown.treeprocessors
    import material.plugins.search.plugin as msearch
    import mkdocs.commands.build as mb
    import mkdocs.config
    import mkdocs.structure.files as mf
    import mkdocs.structure.nav as mn
    import mkdocs.structure.pages as mp
    import mkdocs.structure.toc as mt
    import mkdocs.utils as mu

    from generator import build, export, mkdocs_hooks, render, search, site

    md = markdown
    rows: list[tuple[Any, ...]] = [
        ("stage", "check (load + rules)", [build.check_all]),
        ("stage", "render (Markdown pages: portal, year)", [build._render_part, render.Renderer.portal]),
        ("stage", "downloads (data package, per-table CSV/XLSX/JSON/YAML)", [export.add_packages, export._download]),
        ("downloads", "  of which XLSX workbooks", [export.workbook]),
        ("downloads", "  of which declaration JSON", [export.declaration_json]),
        ("downloads", "  of which CSV tables + masked YAML", [export.declaration_files]),
        ("stage", "MkDocs builds (all sites, without the downloads run beside them)", [site.build]),
        ("stage", "search index (merge)", [build.merge_search]),
        ("mkdocs", "load_config + plugins on_config", [mkdocs.config.load_config]),
        ("mkdocs", "get_files + exclusions", [mf.get_files, mf.set_exclusions]),
        ("mkdocs", "get_navigation", [mn.get_navigation]),
        ("mkdocs", "page: read_source (file + front matter)", [mp.Page.read_source]),
        ("mkdocs", "page: our hooks (mkdocs_hooks on_page_markdown/on_page_content)",
         [mkdocs_hooks.on_page_markdown, mkdocs_hooks.on_page_content]),
        ("mkdocs", "page: Markdown convert (all of it)", [md.core.Markdown.convert]),
        ("markdown", "preprocessors (normalize, HTML block stash)",
         [md.preprocessors.NormalizeWhitespace.run, md.preprocessors.HtmlBlockPreprocessor.run]),
        ("markdown", "block parser (incl. tables, admonition)", [md.blockparser.BlockParser.parseDocument]),
        ("markdown", "  of which tables extension", [md.extensions.tables.TableProcessor.run]),
        ("markdown", "  of which admonition extension", [md.extensions.admonition.AdmonitionProcessor.run]),
        ("markdown", "inline patterns (InlineProcessor)", [md.treeprocessors.InlineProcessor.run]),
        ("markdown", "attr_list extension", [md.extensions.attr_list.AttrListTreeprocessor.run]),
        ("markdown", "toc extension (slugify, permalinks, toc tokens)", [md.extensions.toc.TocTreeprocessor.run]),
        ("markdown", "prettify + unescape tree", [md.treeprocessors.PrettifyTreeprocessor.run,
                                                   md.treeprocessors.UnescapeTreeprocessor.run]),
        ("markdown", "serializer (tree → HTML)", [md.serializers.to_xhtml_string, md.serializers.to_html_string]),
        ("markdown", "postprocessors (raw HTML restore, unescape)",
         [md.postprocessors.RawHtmlPostprocessor.run, md.postprocessors.UnescapePostprocessor.run,
          md.postprocessors.AndSubstitutePostprocessor.run]),
        ("mkdocs", "page: toc structure (get_toc)", [mt.get_toc]),
        ("mkdocs", "page: template context (get_context)", [mb.get_context]),
        ("mkdocs", "page: search plugin on_page_context", [msearch.SearchPlugin.on_page_context]),
        ("mkdocs", "page: theme template render (Jinja, main.html and partials)", [jinja2.Template.render],
         mb._build_page),
        ("mkdocs", "page: write file", [mu.write_file]),
        ("mkdocs", "page: whole _build_page", [mb._build_page]),
        ("mkdocs", "page: whole _populate_page", [mb._populate_page]),
        ("mkdocs", "theme templates (404, sitemap.xml/.gz)", [mb._build_theme_template]),
        ("mkdocs", "copy static files (theme assets, downloads placed later)", [mf.Files.copy_static_files]),
        ("mkdocs", "search plugin on_post_build (index write)", [msearch.SearchPlugin.on_post_build]),
        ("search", "jieba dictionary load (once per build, inherited by forked workers)",
         [jieba.Tokenizer.initialize]),
        ("search", "our search entries (segmenting declaration texts)", [search.entries]),
        ("jinja", "Jinja template compile (lexer, parser, codegen; once per template per process)",
         [jinja2.Environment._parse, jinja2.Environment._generate, jinja2.Environment._compile]),
    ]
    return [(*row, None) if len(row) == 3 else row for row in rows]  # type: ignore[misc]


# Reached through a name bound at import time elsewhere (a from-import, a hook file MkDocs loads itself, a
# bound method, a serializer kept in a dict): wrapping the attribute would not time them.
UNTIMEABLE = ("load_config", "get_files", "get_navigation", "our hooks", "serializer", "jieba", "postprocessors",
              "get_toc", "get_context", "Jinja template compile", "preprocessors")


def inclusive(raw: dict[Key, tuple[Any, ...]], fns: list[Callable[..., Any]],
              caller: Callable[..., Any] | None) -> tuple[int, float]:
    """Calls and inclusive seconds of these functions (only the calls made by `caller`, if given)."""
    calls, seconds = 0, 0.0
    for key in map(code_key, fns):
        if key not in raw:
            continue
        _, nc, _, ct, callers = raw[key]
        if caller is None:
            calls, seconds = calls + nc, seconds + ct
        elif code_key(caller) in callers:
            _, n, _, c = callers[code_key(caller)]
            calls, seconds = calls + n, seconds + c
    return calls, seconds


def owner_of(fn: Callable[..., Any]) -> tuple[Any, str]:
    """The module or class attribute a function is reached through (to wrap it in place)."""
    import importlib

    module = importlib.import_module(fn.__module__)
    path = fn.__qualname__.split(".")
    holder: Any = module
    for name in path[:-1]:
        holder = getattr(holder, name)
    return holder, path[-1]


class Timers:
    """Inclusive CPU time of the target functions without a profiler: each wrapped by a process_time pair.

    CPU, not wall: on a shared machine the wall time of a stage depends on what else runs; this process's CPU
    seconds do not (the build is serial here: no child does the work).

    A function reached recursively or through several targets is timed at its outermost call only.
    """

    def __init__(self, rows: list[Target]):
        self.seconds: dict[str, float] = {label: 0.0 for _, label, _, _ in rows}
        self.calls: dict[str, int] = {label: 0 for _, label, _, _ in rows}
        self.active: dict[str, int] = {}
        self.undo: list[tuple[Any, str, Any]] = []
        for _, label, fns, caller in rows:
            if not any(word in label for word in UNTIMEABLE):
                for fn in fns:
                    self.wrap(fn, label, caller)

    def wrap(self, fn: Callable[..., Any], label: str, caller: Callable[..., Any] | None) -> None:
        holder, name = owner_of(fn)
        current = holder.__dict__[name] if isinstance(holder, type) else getattr(holder, name)
        inner = current.__func__ if isinstance(current, (staticmethod, classmethod)) else current
        timers, within = self, caller.__qualname__ if caller else None

        def timed(*args: Any, **kwargs: Any) -> Any:
            if timers.active.get(label) or (within and not timers.active.get(within)):
                return inner(*args, **kwargs)
            timers.active[label] = timers.active.get(label, 0) + 1
            start = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                timers.seconds[label] += time.process_time() - start
                timers.calls[label] += 1
                timers.active[label] -= 1

        wrapped = type(current)(timed) if isinstance(current, (staticmethod, classmethod)) else timed
        self.undo.append((holder, name, current))
        setattr(holder, name, wrapped)
        # a caller restriction needs the caller's activity counted under its qualname
        if caller and not any(u[1] == caller.__name__ and u[0] is owner_of(caller)[0] for u in self.undo):
            self.track(caller)

    def track(self, fn: Callable[..., Any]) -> None:
        holder, name = owner_of(fn)
        current, timers, key = getattr(holder, name), self, fn.__qualname__

        def tracked(*args: Any, **kwargs: Any) -> Any:
            timers.active[key] = timers.active.get(key, 0) + 1
            try:
                return current(*args, **kwargs)
            finally:
                timers.active[key] -= 1

        self.undo.append((holder, name, current))
        setattr(holder, name, tracked)

    def restore(self) -> None:
        for holder, name, fn in reversed(self.undo):
            setattr(holder, name, fn)


def by_template(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Self time of the compiled Jinja code per template file (nav.html, toc.html, …): where the theme spends."""
    totals: dict[str, float] = {}
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if filename.endswith((".html", ".xml", ".j2")):
            parts = Path(filename).parts
            name = "/".join(parts[parts.index("templates") + 1:]) if "templates" in parts else \
                "/".join(parts[-2:])
            totals[name] = totals.get(name, 0.0) + tt
    return sorted(totals.items(), key=lambda kv: -kv[1])


def timed_run(root: Path, pages: int, stages: Any, out: Path, tmp: Path) -> int:
    from generator import build
    from generator.config import Project

    rows = targets()
    timers = Timers(rows)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        build.build_public(Project(root), stages)
    finally:
        timers.restore()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    lines = [f"Serial in-process build, no profiler (CPU seconds of this process around each cost): {pages} "
             f"declarations, {cpu:.1f} s CPU in {wall:.1f} s wall (load avg {os.getloadavg()[0]:.1f}). Stage walls: "
             + ", ".join(f"{k} {v:.1f} s" for k, v in stages.seconds.items()) + ".", "",
             *HEAD]
    for group, label, _, _ in rows:
        if any(word in label for word in UNTIMEABLE):
            continue
        seconds = timers.seconds[label]
        lines.append(f"| {group} | {label} | {timers.calls[label]:,} | {seconds:.2f} | "
                     f"{seconds / pages * 1000:.2f} | {seconds / cpu * 100:.1f} % |")
    text = "\n".join(lines) + "\n"
    (out / "timers.md").write_text(text, "utf-8")
    print(text)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--project", type=Path, help="an existing project (content/ made by synth) instead")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "profile")
    ap.add_argument("--timers", action="store_true",
                    help="no profiler: CPU seconds of the same costs from process_time wrappers (honest shares)")
    args = ap.parse_args(argv)
    from generator import build
    from generator.config import Project
    from generator.synth import synthesize

    tmp = Path(tempfile.mkdtemp(prefix="disclose-profile-"))
    root = tmp / "project"
    if args.project:
        shutil.copytree(args.project / "content", root / "content")
    else:
        synthesize(root / "content", args.count, years=args.years)
    for name in ("mkdocs.yml", "theme", "site_config"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    pages = len(list((root / "content").rglob("*.yaml")))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    stages = build.Stages(quiet=True, parallel=False)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.timers:
        return timed_run(root, pages, stages, args.out, tmp)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    build.build_public(Project(root), stages)
    profiler.disable()
    wall = time.perf_counter() - start
    profiler.dump_stats(str(args.out / "build.prof"))
    stats = pstats.Stats(profiler)
    raw: dict[Key, tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    lines = [f"Serial in-process build under cProfile: {pages} declarations, {wall:.1f} s profiled wall "
             f"(load avg {os.getloadavg()[0]:.1f}). Stage walls (no profiler overhead removed): "
             + ", ".join(f"{k} {v:.1f} s" for k, v in stages.seconds.items()) + ".", "",
             *HEAD]
    for group, label, fns, caller in targets():
        calls, seconds = inclusive(raw, fns, caller)
        lines.append(f"| {group} | {label} | {calls:,} | {seconds:.2f} | {seconds / pages * 1000:.2f} | "
                     f"{seconds / wall * 100:.1f} % |")
    lines += ["", "Theme templates, self time of their compiled Jinja code (filters and helpers they call not "
              "included):", "", "| template | s (self) | ms / declaration | % of build |", "|---|---:|---:|---:|"]
    for name, seconds in by_template(stats)[:12]:
        lines.append(f"| {name} | {seconds:.2f} | {seconds / pages * 1000:.2f} | {seconds / wall * 100:.1f} % |")
    text = "\n".join(lines) + "\n"
    (args.out / "profile.md").write_text(text, "utf-8")
    print(text)
    stats.sort_stats("tottime").print_stats(40)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
