"""Page chrome (tabs, site nav, footer) made once for the pages outside the nav that see it alike
(generator/mkdocs_hooks.py _Once, theme/main.html; issue 18): the site is byte-identical to one rendered
page by page, and the key tells apart what must differ."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from conftest import copy_project

from generator import mkdocs_hooks
from generator.cli import main
from generator.synth import synthesize


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_site_with_chrome_made_once_is_the_site_rendered_page_by_page(tmp_path: Path) -> None:
    built = {}
    for name in ("once", "page-by-page"):
        project = copy_project(tmp_path / name, content=False)
        synthesize(project / "content", 5, years=2)
        if name == "page-by-page":  # the theme as without the hook: every block rendered for every page
            main_html = project / "theme" / "main.html"
            text = main_html.read_text("utf-8")
            assert text.count("disclose_once is defined") == 3
            main_html.write_text(text.replace("disclose_once is defined", "false"), "utf-8")
        assert main(["-C", str(project), "build", "-q"]) == 0
        built[name] = tree(project / "site")
    assert built["once"] == built["page-by-page"]
    assert sum(name.endswith("index.html") for name in built["once"]) > 10


def page(url: str, src: str, hide: object = None) -> SimpleNamespace:
    return SimpleNamespace(url=url, file=SimpleNamespace(src_uri=src), meta={"hide": hide} if hide else {})


def test_the_key_holds_what_the_chrome_depends_on() -> None:
    once = mkdocs_hooks._Once()
    index = page("", "index.md")
    nav = SimpleNamespace(pages=[index, page("units/", "units/index.md")])
    made: list[str] = []

    def render(name: str, p: SimpleNamespace) -> str:
        return once(name, p, nav, caller=lambda: made.append(p.url) or p.url)

    assert render("nav", page("a/", "a.md")) == "a/"
    assert render("nav", page("b/", "b.md")) == "a/"  # same folder, same depth: made once
    assert render("tabs", page("b/", "b.md")) == "b/"  # another block
    assert render("nav", page("units/x/", "units/x.md")) == "units/x/"  # another folder, other relative links
    assert render("nav", page("c/", "c.md", hide=["toc"])) == "c/"  # its own front matter hides something
    assert render("nav", index) == "" and render("nav", index) == ""  # a page in the nav: always its own
    assert made == ["a/", "b/", "units/x/", "c/", "", ""]
