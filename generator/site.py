"""Site stage: runs MkDocs + Material over rendered Markdown; the only module that knows MkDocs."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import yaml

from . import cache, page_cache, site_cache, workdir, workers
from .config import Project
from .errors import DiscloseError

T = TypeVar("T")


class SiteError(DiscloseError):
    """MkDocs refused the configuration or failed (strict mode turns warnings into this)."""


HOOKS = Path(__file__).with_name("mkdocs_hooks.py")


def mkdocs_config(
    project: Project,
    docs_dir: Path,
    site_dir: Path,
    year: int | None,
    years: Sequence[int],
    *,
    preview: bool,
    extra_nav: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    """The generated config of the portal (year None) or of one year's site, mounted at /<year>/.

    Everything else comes from the root mkdocs.yml (INHERIT) and site_config/site.yml.
    """
    settings = dict(project.settings)
    root = project.root.resolve()
    up = "" if year is None else "../"  # a year site links to its siblings through the portal root
    nav: list[Any] = [{"首页": f"{up}index.md" if year is None else "../"}]
    if years:
        nav.append({"年度": [{f"{y} 年度": "index.md" if y == year else f"{up}{y}/"} for y in years]})
    nav.append({"各单位": "units/index.md" if year is None else "../units/"})
    nav.extend({k: f"{up}{v}" for k, v in item.items()} for item in extra_nav)
    config: dict[str, Any] = {
        "INHERIT": str(root / "mkdocs.yml"),
        "docs_dir": str(docs_dir.resolve()),
        "site_dir": str(site_dir.resolve()),
        "theme": {"name": "material", "custom_dir": str(root / "theme")},
        "hooks": [str(HOOKS)],
        "nav": nav,
        "validation": {"nav": {"not_found": "info"}},  # cross-site nav links are URLs, not files
        "extra": {**{k: v for k, v in settings.items() if k not in ("site_name", "site_url")},
                  "preview": preview},
    }
    if settings.get("site_name"):
        config["site_name"] = settings["site_name"]
    if settings.get("site_url"):
        config["site_url"] = str(settings["site_url"]).rstrip("/") + "/" + (f"{year}/" if year else "")
    if preview:
        config["site_name"] = f"【预览】{config.get('site_name', 'disclose')}"
    return config


def write_config(config: dict[str, Any], path: Path) -> Path:
    workdir.write_if_changed(path, yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8"))
    return path


@contextmanager
def _mkdocs_warnings_shown() -> Iterator[list[str]]:
    """Collect MkDocs warnings (strict mode fails on them) so the build can report them."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield seen
    finally:
        logger.removeHandler(handler)


def build_all(
    config_paths: Sequence[Path],
    source_date_epoch: int,
    parallel: bool = True,
    beside: Sequence[Callable[[], T]] = (),
    progress: Callable[[int, int], None] = lambda done, total: None,
    pages: Path | None = None,
    outputs: Path | None = None,
    link: bool = False,
) -> list[T]:
    """Build several MkDocs sites in parallel processes (one per core); raise the first failure.

    `beside`: other work (picklable callables, holding their inputs) run in the same processes once they
    are free, so that no core waits while another builds the biggest site; their results are returned in
    order.
    `pages`: the page cache's folder (page_cache), shared by these sites; afterwards it keeps only
    the pages of this build. `outputs`: the build cache's folder (site_cache): a site whose inputs are
    unchanged is taken from it, not built (`link`: hard-linked, else copied); it keeps this build's sites.
    """
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    keys = [site_cache.run_key(path, source_date_epoch) if outputs else "" for path in config_paths]
    used: list[str] = []
    todo: list[tuple[Path, str]] = []
    done = 0
    for path, key in zip(config_paths, keys, strict=True):
        reused = site_cache.restore(cache.Store(outputs), key, *_dirs(path), link) if outputs else None
        if reused is None:
            todo.append((path, key))
        else:
            used += reused
            done += 1
            progress(done, len(config_paths))
    # With a filled page cache few pages are made, and a build that makes an indexed page loads it itself.
    load = bool(todo) and (pages is None or not cache.Store(pages).filled())
    run = functools.partial(build, source_date_epoch=source_date_epoch, pages=pages and pages.resolve(),
                            outputs=outputs and outputs.resolve(), link=link)
    if not parallel or (os.cpu_count() or 1) == 1:
        preload_jieba(load)
        for path, key in todo:
            used += run(path, key=key)
            done += 1
            progress(done, len(config_paths))
        results = [task() for task in beside]
    else:  # (the fork server's workers, which hold the libraries, not the build's forms; workers.fresh_pool)
        with workers.fresh_pool(os.cpu_count() or 1, preload_jieba, (load,)) as pool:
            builds = [pool.submit(run, path.resolve(), key=key) for path, key in todo]
            others = [pool.submit(task) for task in beside]
            for future in as_completed(builds):
                used += future.result()
                done += 1
                progress(done, len(config_paths))
            results = [future.result() for future in others]
    if pages is not None:
        cache.Store(pages).keep_only(used)
    if outputs is not None:
        cache.Store(outputs).keep_only(site_cache.entry_names(cache.Store(outputs), keys))
    return results


def _dirs(config_path: Path) -> tuple[Path, Path]:
    """A generated config's site_dir and docs_dir."""
    config = yaml.safe_load(config_path.read_text("utf-8"))
    return Path(config["site_dir"]), Path(config["docs_dir"])


def preload_jieba(load: bool = True) -> None:
    """Quiet jieba and (with `load`) load its dictionary, which Material's search plugin segments with."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if load:
        jieba.initialize()


def build(config_path: Path, source_date_epoch: int, pages: Path | None = None, outputs: Path | None = None,
          key: str = "", link: bool = False) -> list[str]:
    """Run `mkdocs build --strict` in-process; raise SiteError with MkDocs' own words on failure.

    With `pages` (a folder), each page's HTML comes from that cache where its inputs are unchanged
    (page_cache); returns the keys of the site's pages. With `outputs`, the finished site is kept there
    under `key` (site_cache).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)  # pins sitemap dates: reproducible
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice is not the reader's business
    with _mkdocs_warnings_shown() as warnings:
        try:
            config = load_config(str(config_path), strict=True)
            if pages is None:
                mkdocs_build(config)
                return []
            os.environ["DISCLOSE_TEMPLATE_CACHE"] = str(pages.with_name("templates"))  # (mkdocs_hooks.on_env)
            with page_cache.installed(cache.Store(pages), page_cache.site_key(config_path)) as found:
                mkdocs_build(config)
            if outputs is not None:
                site_cache.store(cache.Store(outputs), key, Path(config.site_dir), sorted(found.used), link)
            return sorted(found.used)
        except (MkDocsException, OSError, yaml.YAMLError) as err:
            detail = "\n".join(warnings) or str(err)
            raise SiteError(f"MkDocs 构建失败：{detail}") from err


class IncrementalSite:
    """One built MkDocs site kept loaded, so the preview can rebuild single pages in milliseconds.

    Uses MkDocs' page-level build steps (pinned to mkdocs 1.x); anything it cannot do page by page
    (a page added or removed) is reported so the caller rebuilds the whole site instead.
    """

    def __init__(self, config_path: Path, site_dir: Path):
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        config = load_config(str(config_path), site_dir=str(site_dir.resolve()))
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        self.nav = config.plugins.on_nav(nav, config=config, files=files)
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.config, self.files = config, files

    def rebuild(self, src_uris: Sequence[str]) -> bool:
        """Re-read and rebuild these pages; False if one is new to the site (rebuild it whole)."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.pages import Page

        found = [self.files.get_file_from_path(uri) for uri in src_uris]
        if any(f is None for f in found):
            return False
        doc_files = self.files.documentation_pages()
        if "disclose_once" in self.env.globals:  # page chrome made anew (mkdocs_hooks._Once)
            self.env.globals["disclose_once"].made.clear()
        for file in found:
            assert file is not None
            page = file.page or Page(None, file, self.config)
            _populate_page(page, self.config, self.files)
            _build_page(page, self.config, doc_files, self.nav, self.env)
        return True
