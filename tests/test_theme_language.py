"""theme/partials/language.html: Material's translations looked up from a table the hook makes once per build,
giving exactly what Material's own partials/language.html gives, key by key (issue 18: page chrome cost)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.theme import Theme

from generator import mkdocs_hooks

ROOT = Path(__file__).resolve().parent.parent
PROBE = '{% import "partials/language.html" as lang with context %}{{ lang.t(key) }}'


@pytest.fixture(params=["zh", "en"])
def theme_env(request: pytest.FixtureRequest) -> tuple[object, SimpleNamespace]:
    theme = Theme(name="material", custom_dir=str(ROOT / "theme"), language=request.param)
    return theme.get_env(), SimpleNamespace(theme=theme)


def test_the_table_gives_what_material_gives_for_every_key(theme_env: tuple[object, SimpleNamespace]) -> None:
    env, config = theme_env
    material = Path(next(p for p in env.loader.searchpath if "material" in p))  # type: ignore[attr-defined]
    original = env.from_string((material / "partials/language.html").read_text("utf-8"))  # type: ignore[attr-defined]
    without_hook = {}
    probe = env.from_string(PROBE)  # type: ignore[attr-defined]
    keys = ["search.placeholder", "toc", "header", "footer", "action.skip", "no.such.key", "language"]
    for key in keys:
        without_hook[key] = probe.render(config=config, key=key)
    mkdocs_hooks.on_env(env, config=config)
    table = env.globals["disclose_t"]  # type: ignore[attr-defined]
    assert len(table) > 50 and "search.placeholder" in table
    probe = env.from_string(PROBE)  # type: ignore[attr-defined]
    for key in [*keys, *table]:
        expected = original.make_module({"config": config}).t(key)
        assert probe.render(config=config, key=key) == str(expected), key
    assert {k: probe.render(config=config, key=k) for k in keys} == without_hook
    if config.theme["language"] == "zh":
        assert table["search.placeholder"] == "搜索"
