"""Configuration: the project's folders and the locality's settings under site_config/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Level:
    """A level-1 indicator and the level-2 categories it admits."""

    name: str
    form: tuple[str, ...]  # printed on every form, empty or not
    variants: tuple[str, ...]  # accepted local spellings, shown only where used

    def admits(self, level2: str) -> bool:
        return level2 in self.form or level2 in self.variants


@dataclass(frozen=True)
class Project:
    """A disclose project folder (the current directory by default, as with mkdocs)."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site_config(self) -> Path:
        return self.root / "site_config"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def preview_site(self) -> Path:
        return self.root / "preview-site"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @cached_property
    def levels(self) -> dict[str, Level]:
        return load_levels(self.site_config / "indicators.yml")

    @cached_property
    def settings(self) -> dict[str, Any]:
        path = self.site_config / "site.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        return dict(data or {})


DEFAULT_LEVELS = {  # the Ministry of Finance's matrix, used where site_config/ has no indicators.yml
    "产出指标": {"form": ["数量指标", "质量指标", "时效指标", "成本指标"]},
    "效益指标": {"form": ["经济效益", "社会效益", "生态效益", "可持续发展"]},
    "满意度指标": {"form": ["服务对象满意度指标"]},
}


def load_levels(path: Path) -> dict[str, Level]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else DEFAULT_LEVELS
    return {
        name: Level(name, tuple(spec.get("form") or ()), tuple(spec.get("variants") or ()))
        for name, spec in data.items()
    }
