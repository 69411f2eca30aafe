"""Personal data in the new kinds (项目申报表, 项目自评表, 部门整体自评表): the clerk is warned, the public reads
no whole number, and show_filer hides their 联系人 / 项目负责人 / 联系电话 exactly as the seed's 填报人 / 联系电话.

The corpus (results_corpus.py) is every kind published, each text field holding one unique mobile number written
an odd way (full-width, U+3000, NBSP, Arabic-Indic, 4-3-4 …); a real `disclose build` of it is read byte by byte
(HTML, JSON, CSV, XLSX members, YAML, data package, search index) by test_mask_forms' independent reader.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_project
from results_corpus import Seeder, corpus, write
from test_leak_sweep import public_texts, reads

from generator import export, privacy
from generator.forms import KINDS
from generator.load import load
from generator.problems import Problem

pytestmark = pytest.mark.slow


def _build(root: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "-q"], capture_output=True,
                           text=True, encoding="utf-8", timeout=600, check=False)
    assert built.returncode == 0, built.stdout + built.stderr


def _project(root: Path, seed: Seeder, show_filer: str = "name_and_phone") -> Path:
    copy_project(root, content=False)
    (root / "content" / "2021").mkdir(parents=True)
    write(root, seed)
    config = root / "site_config" / "site.yml"
    config.write_text(config.read_text("utf-8").replace("show_filer: name_and_phone", f"show_filer: {show_filer}"),
                      encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def seeded_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    seed = Seeder()
    root = _project(tmp_path_factory.mktemp("results-sweep") / "project", seed)
    _build(root)
    return root / "site", seed.numbers


def test_no_whole_number_of_the_new_kinds_in_any_public_byte(seeded_site: tuple[Path, list[str]]) -> None:
    site, numbers = seeded_site
    texts = list(public_texts(site))
    assert [(name, n) for name, text in texts for n in numbers if n in reads(text)] == []
    # ... and each reached the public site masked (so the scan read where the numbers are)
    everything = "".join(reads(text) for _, text in texts)
    assert [n for n in numbers if n[:3] + "****" + n[7:] not in everything] == []
    assert len(numbers) > 50


def test_a_published_self_evaluation_without_filing_date_has_its_workbook(seeded_site: tuple[Path, list[str]]
                                                                          ) -> None:
    """(The build raised TypeError in datetime.combine: 填报日期 is optional in both self-evaluation kinds.)"""
    site, _ = seeded_site
    for stem in ("minimal-unit--p-one_result", "minimal-unit--p-two_result", "minimal-unit_result"):
        assert (site / "2021" / "data" / f"{stem}.xlsx").read_bytes()[:4] == b"PK\x03\x04"


def test_workbook_without_filing_date_is_dated_by_its_year(tmp_path: Path) -> None:
    path = tmp_path / "2021" / "minimal-unit_result.yaml"
    path.parent.mkdir()
    path.write_text(corpus(Seeder())["minimal-unit_result.yaml"], encoding="utf-8")
    doc, problems = load(path)
    assert doc is not None and doc.decl.filing_date is None, problems
    workbook = export.workbook_bytes(doc.decl)
    assert workbook == export.workbook_bytes(doc.decl) and workbook[:4] == b"PK\x03\x04"


@pytest.mark.parametrize("show_filer", ["none", "name"])
def test_show_filer_hides_the_new_kinds_personal_fields(show_filer: str, tmp_path: Path) -> None:
    root = _project(tmp_path / "project", Seeder(), show_filer)
    names = {"contact": "甄联系人", "leader": "甄项目负责人", "filer": "甄填报人"}
    for path in (root / "content" / "2021").glob("*.yaml"):
        # (the 部门整体 form's leader is the unit's head, published whatever show_filer says: not a filer field)
        fields = "contact|leader|filer" if "form: project\n" in path.read_text("utf-8") else "contact|filer"
        text = re.sub(rf"^({fields}): .*$", lambda m: f"{m[1]}: {names[m[1]]}", path.read_text("utf-8"),
                      flags=re.M)
        path.write_text(re.sub(r"^phone: .*$", "phone: 0722-5551234", text, flags=re.M), encoding="utf-8")
    _build(root)
    shown = [(name, what) for name, text in public_texts(root / "site")
             for what in [*names.values(), "07225551234"] if what in text or what in reads(text)]
    if show_filer == "none":
        assert shown == []
    else:  # the names, never the phones
        assert shown and all(what in names.values() for _, what in shown)
        assert {what for _, what in shown} == set(names.values())


# -- the clerk's side ------------------------------------------------------------------------------------------


def test_every_kinds_personal_fields_are_read_as_a_persons() -> None:
    """Any e-mail address in a kind's filer_fields is a person's (privacy cannot import the registry)."""
    assert {name for kind in KINDS.values() for name in kind.filer_fields} <= set(privacy._PERSON_FIELDS)


@pytest.mark.parametrize("name", ["minimal-unit_result.yaml", "minimal-unit--p-one_result.yaml"])
def test_a_contacts_email_is_warned_even_at_a_government_domain(name: str, write_decl: Callable[..., Path],
                                                                run_check: Callable[..., object]) -> None:
    text = re.sub(r"^contact: .*$", "contact: 王五 wangwu@czj.gov.cn", corpus(Seeder())[name], flags=re.M)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("contact:"))
    path = write_decl(text, name=name.removesuffix(".yaml"))
    problems: list[Problem] = [p for p in run_check(path).problems if p.code == "PERSONAL_EMAIL"]  # type: ignore
    assert [(p.line, p.col, p.severity.value) for p in problems] == [(line, 13, "warning")]
