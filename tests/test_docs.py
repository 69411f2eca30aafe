"""Documentation is tested: the README's commands are the ones CI runs, and every command is documented."""

from __future__ import annotations

import re

from conftest import ROOT

from generator.cli import parser


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_quick_start_has_two_commands_install_and_build_then_install_and_test() -> None:
    quick = readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    build, test = shell_blocks(quick)[:2]
    assert "pip install" in build and "disclose build" in build
    assert "pip install" in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    quick = readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    test_command = shell_blocks(quick)[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert test_command in commands, f".ci/run must run the README's test command: {test_command}"


def test_every_subcommand_is_in_the_readme() -> None:
    actions = [a for a in parser()._actions if a.__class__.__name__ == "_SubParsersAction"]
    names = list(actions[0].choices)  # type: ignore[attr-defined]
    missing = [n for n in names if f"`disclose {n}" not in readme()]
    assert not missing, f"commands not documented in README.md: {missing}"
