"""A share filed with more decimals than Decimal's default 28 digits is checked, not a traceback (review)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from generator.check import Context, check_file
from generator.config import DEFAULT_LEVELS

SEED = ROOT / "content" / "2021" / "guangshui-ldbxj.yaml"


def check(tmp_path: Path, share: str) -> list[tuple[str, int]]:
    path = tmp_path / "2021" / SEED.name
    path.parent.mkdir(exist_ok=True)
    text = SEED.read_text("utf-8")
    assert text.splitlines()[17] == "      share: 100%"
    path.write_text(text.replace("      share: 100%\n", f"      share: {share}\n", 1), "utf-8")
    doc, problems = check_file(path, Context(DEFAULT_LEVELS))
    assert doc is not None
    return [(p.code, p.line) for p in problems if p.code == "SHARE_MISMATCH"]


def test_a_share_with_thirty_decimals_is_checked(tmp_path: Path) -> None:
    assert check(tmp_path, "100.000000000000000000000000000000%") == []
    assert check(tmp_path, "99.000000000000000000000000000001%") == [("SHARE_MISMATCH", 18)]
