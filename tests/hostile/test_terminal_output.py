"""`disclose check`'s text output over the whole refused corpus: nothing quoted from a file controls the terminal."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REFUSED = Path(__file__).parent / "refused" / "2021"


@pytest.fixture(scope="module")
def output() -> str:
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(ROOT), "check", "--severity", "info",
                             str(REFUSED)], capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_no_control_format_or_separator_character_is_printed(output: str) -> None:
    raw = sorted({f"U+{ord(c):04X}" for c in output
                  if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")})
    assert raw == []


@pytest.mark.parametrize(("case", "shown"), [
    ("terminal-escape-key", "\\x1b[2K\\x1b[1A检查了 1 个文件：错误 0 个"),
    ("terminal-escape-date", "2021-01-28\\x1b[8m"),
    ("terminal-escape-amount", "10U+202E01"),
])
def test_escape_sequences_are_shown_not_obeyed(output: str, case: str, shown: str) -> None:
    [line] = [line for line in output.splitlines() if f"/{case}.yaml:" in line]
    assert ": 错误[" in line and shown in line


def test_one_summary_line_and_it_is_the_last(output: str) -> None:
    summaries = [line for line in output.splitlines() if line.startswith("检查了 ")]
    assert summaries == [output.splitlines()[-1]]
