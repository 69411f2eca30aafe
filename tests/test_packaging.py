"""Packaging: building the package (what `pip install .` runs) leaves nothing in build/, disclose's own folder
(the generated Markdown, caches, bundles): setuptools is configured (setup.cfg) to work in .setuptools-build/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "setup.cfg", "README.md", "generator")


def test_building_the_package_leaves_build_to_disclose(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.exists():
            shutil.copy2(path, src / name)
    # The commands `pip install .` has setuptools run in the tree (build → build_base/lib, bdist → build_base/bdist.*),
    # here without pip's isolated environment, so without the network.
    run = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build", "bdist_dumb",
                          "-d", str(tmp_path / "dist")], cwd=src, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert list((tmp_path / "dist").glob("disclose-*"))
    assert not (src / "build").exists(), sorted(p.name for p in (src / "build").iterdir())
    assert (src / ".setuptools-build").is_dir()
