"""Provenance of imported files: which workbook cell each YAML value came from.

`disclose import` writes `<unit_id>.yaml.source.json` beside the YAML (never read by the build: it
reads only *.yaml / *.yml, and content/ itself is never published). `disclose check` asks `origin`
for each problem: the problem's line:col is mapped to the value's path in the file as it is now
(so edits after the import do not misplace it), and the path to the cell.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .forms.department.model import Declaration
from .load import _Converter, compose, read_text
from .model import Path_, Pos
from .problems import Problem

SIDE_SUFFIX = ".source.json"


def side_path(yaml_path: Path) -> Path:
    return yaml_path.with_name(yaml_path.name + SIDE_SUFFIX)


def cell_of(positions: dict[Path_, Pos], cells: dict[Path_, str], pos: Pos) -> str | None:
    """The cell of the deepest value at pos, or of its nearest ancestor that has one."""
    at = sorted((p for p, where in positions.items() if where == pos), key=len, reverse=True)
    for path in at:
        key = path
        while key:
            if key in cells:
                return cells[key]
            key = key[:-1]
    return None


@functools.lru_cache(maxsize=256)
def _record(yaml_file: str, mtime: float) -> tuple[str, dict[Path_, str], dict[Path_, Pos]] | None:
    path = Path(yaml_file)
    try:
        record = json.loads(side_path(path).read_text(encoding="utf-8"))
        cells = {tuple(int(k) if k.isdigit() else k for k in key.split("/")): str(v)
                 for key, v in record["cells"].items()}
        workbook = str(record["workbook"])
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    text, _ = read_text(path)
    node, _ = compose(path, text) if text is not None else (None, [])
    if node is None:
        return None
    converter = _Converter(path)
    converter.convert(node, Declaration, (), "申报表")
    return workbook, cells, converter.positions


def origin(problem: Problem) -> str:
    """"（来自 单位.xlsx:部门整体!C7）" for a problem in an imported file; "" for any other."""
    path = Path(problem.file)
    side = side_path(path)
    if not side.is_file():
        return ""
    record = _record(str(path), path.stat().st_mtime if path.exists() else 0.0)
    if record is None:
        return ""
    workbook, cells, positions = record
    where = cell_of(positions, cells, (problem.line, problem.col))
    return f"（来自 {Path(workbook).name}:{where}）" if where else ""
