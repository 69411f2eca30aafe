"""Site stage: runs MkDocs + Material over rendered Markdown; the only module that knows MkDocs."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from .config import Project


class SiteError(Exception):
    """MkDocs refused the configuration or failed (strict mode turns warnings into this)."""


def mkdocs_config(
    project: Project,
    docs_dir: Path,
    site_dir: Path,
    years: Sequence[int],
    *,
    preview: bool,
    extra_nav: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    """The generated config: the root mkdocs.yml, plus paths, nav and the locality's settings."""
    settings = dict(project.settings)
    root = project.root.resolve()
    nav: list[Any] = [{"首页": "index.md"}]
    if years:
        nav.append({"年度": [{f"{y} 年度": f"{y}/index.md"} for y in years]})
    nav.append({"各单位": "units/index.md"})
    nav.extend(extra_nav)
    config: dict[str, Any] = {
        "INHERIT": str(root / "mkdocs.yml"),
        "docs_dir": str(docs_dir.resolve()),
        "site_dir": str(site_dir.resolve()),
        "theme": {"name": "material", "custom_dir": str(root / "theme")},
        "nav": nav,
        "extra": {**{k: v for k, v in settings.items() if k not in ("site_name", "site_url")},
                  "preview": preview},
    }
    for key in ("site_name", "site_url"):
        if settings.get(key):
            config[key] = settings[key]
    if preview:
        config["site_name"] = f"【预览】{config.get('site_name', 'disclose')}"
    return config


def write_config(config: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
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


def build(config_path: Path, source_date_epoch: int) -> None:
    """Run `mkdocs build --strict` in-process; raise SiteError with MkDocs' own words on failure."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)  # pins sitemap dates: reproducible
    with _mkdocs_warnings_shown() as warnings:
        try:
            config = load_config(str(config_path), strict=True)
            mkdocs_build(config)
        except (MkDocsException, OSError, yaml.YAMLError) as err:
            detail = "\n".join(warnings) or str(err)
            raise SiteError(f"MkDocs 构建失败：{detail}") from err
