"""Configuration: the project's folders and the locality's settings under site_config/.

site_config/site.yml and indicators.yml are read by the declarations' strict loader (generator.load):
unknown keys, wrong shapes and bad values are Problems with file:line:col, all at once, never a traceback.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from .errors import DiscloseError
from .formats import Bad
from .load import _INVALID, _SCALARS, _Converter, _kind_of, compose, read_text
from .model import Level, Text, f
from .problems import Problem

ShowFiler = Literal["name_and_phone", "name", "none"]

# What of the filer each show_filer value makes public: the one place pages and downloads both ask.
FILER_FIELDS: dict[str, frozenset[str]] = {
    "name_and_phone": frozenset({"filer", "phone"}),
    "name": frozenset({"filer"}),
    "none": frozenset(),
}


def public_filer_fields(show_filer: str) -> frozenset[str]:
    """The declaration fields (filer, phone) that may be published; an unknown value publishes neither."""
    return FILER_FIELDS.get(show_filer, frozenset())


_SITE_CODE = re.compile(r"^\d{10}$", re.ASCII)


class SiteUrl(str):
    """The official address: http(s), a host, ending in / (canonical links and the sitemap start from it)."""


class SiteCode(str):
    """政府网站标识码: ten digits."""


def _site_url(text: str) -> SiteUrl | Bad:
    parts = urlsplit(text)
    good = (parts.scheme in ("http", "https") and bool(parts.hostname) and text.endswith("/")
            and not re.search(r"\s", text) and not parts.query and not parts.fragment)
    return SiteUrl(text) if good else Bad("CONFIG_SITE_URL")


def _site_code(text: str) -> SiteCode | Bad:
    return SiteCode(text) if _SITE_CODE.match(text) else Bad("CONFIG_SITE_CODE")


# The loader's scalar readers, extended by the two values only site.yml has.
_SCALARS.update({SiteUrl: _site_url, SiteCode: _site_code})


@dataclass(frozen=True)
class SiteSettings:
    """site_config/site.yml: every key the site reads, typed (the file's own comments describe them)."""

    site_name: Text | None = f("站点名称", "显示在页眉和浏览器标题栏", None)
    publisher: Text | None = f("发布机构", "显示在首页和页脚“主办单位”处", None)
    site_url: SiteUrl | None = f("站点正式访问地址", "http(s) 网址，以 / 结尾", None)
    site_code: SiteCode | None = f("政府网站标识码", "10 位数字", None)
    icp_record: Text | None = f("ICP 备案号", "显示在页脚", None)
    police_record: Text | None = f("公安机关备案号", "显示在页脚", None)
    contact: Text | None = f("联系方式", "显示在页脚的一行文字", None)
    show_filer: ShowFiler = f("填报人信息公开范围", "name_and_phone、name 或 none", "name_and_phone")


@dataclass(frozen=True)
class _LevelSpec:
    """One level-1 indicator's entry in indicators.yml."""

    form: tuple[Text, ...] = f("申报表必列的二级指标", "即使未填报也显示为空行")
    variants: tuple[Text, ...] = f("本地变体写法", "出现时照录显示", ())


DEFAULT_LEVELS = {  # the Ministry of Finance's matrix, used where site_config/ has no indicators.yml
    "产出指标": Level("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标"), ()),
    "效益指标": Level("效益指标", ("经济效益", "社会效益", "生态效益", "可持续发展"), ()),
    "满意度指标": Level("满意度指标", ("服务对象满意度指标",), ()),
}


@dataclass(frozen=True)
class SiteConfig:
    """Both files as loaded. With problems, the file that has them counts as absent (defaults): the
    public build refuses anyway, and check and the preview can still run on the declarations."""

    settings: SiteSettings
    levels: dict[str, Level]
    problems: list[Problem]


def _node(path: Path) -> tuple[yaml.Node | None, list[Problem]]:
    """The file's YAML nodes, read exactly as a declaration is; no nodes and no problems if it is absent."""
    if not path.exists():
        return None, []
    text, problems = read_text(path)
    return compose(path, text) if text is not None else (None, problems)


def load_settings(path: Path) -> tuple[SiteSettings, list[Problem]]:
    """site.yml's settings, or the defaults (with the problems) when it is absent or has any."""
    node, problems = _node(path)
    if node is None:
        return SiteSettings(), problems
    converter = _Converter(path)
    settings = converter.convert(node, SiteSettings, (), "站点配置")
    return (SiteSettings() if converter.problems else settings), sorted(converter.problems)


def load_levels_checked(path: Path) -> tuple[dict[str, Level], list[Problem]]:
    """indicators.yml: a mapping of level-1 names to {form: [...], variants: [...]}; the Ministry's
    matrix (with the problems) when it is absent or has any."""
    node, problems = _node(path)
    if node is None:
        return dict(DEFAULT_LEVELS), problems
    converter = _Converter(path)
    if not isinstance(node, yaml.MappingNode):
        converter.report(node, "ROOT_NOT_MAPPING", actual=_kind_of(node))
        return dict(DEFAULT_LEVELS), converter.problems
    levels: dict[str, Level] = {}
    first: dict[str, int] = {}
    for key_node, value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            converter.report(key_node, "YAML_MERGE")
            continue
        name = converter.convert(key_node, Text, (), "一级指标名称")
        if name is _INVALID:
            continue
        if name in first:
            converter.report(key_node, "DUPLICATE_KEY", key=name, first=first[name])
            continue
        first[name] = key_node.start_mark.line + 1
        spec = converter.convert(value, _LevelSpec, (name,), name)
        if spec is not _INVALID and not converter.invalid:  # a partly read level is reported, not used
            levels[name] = Level(name, tuple(spec.form), tuple(spec.variants))
    if converter.problems:
        return dict(DEFAULT_LEVELS), sorted(converter.problems)
    return levels, []


class ConfigInvalid(DiscloseError):
    """A site_config/ file that does not load cleanly (for callers that cannot report problems)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def load_levels(path: Path) -> dict[str, Level]:
    """The levels of a valid indicators.yml (for tests and tools); a bad file raises ConfigInvalid."""
    levels, problems = load_levels_checked(path)
    if problems:
        raise ConfigInvalid(problems)
    return levels


def load_config(folder: Path) -> SiteConfig:
    settings, site_problems = load_settings(folder / "site.yml")
    levels, level_problems = load_levels_checked(folder / "indicators.yml")
    return SiteConfig(settings, levels, sorted(site_problems) + level_problems)


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
    def config(self) -> SiteConfig:
        return load_config(self.site_config)

    @property
    def levels(self) -> dict[str, Level]:
        return self.config.levels

    @property
    def settings(self) -> dict[str, Any]:
        """The set keys of site.yml (site.py writes them into the MkDocs config's extra:)."""
        values = dataclasses.asdict(self.config.settings)
        return {key: str(value) for key, value in values.items() if value is not None}
