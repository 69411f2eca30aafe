"""strip_comments finds the scalars from the parser's events (issue 18: composing cost twice as much):
the spans are those of the composed nodes, for every YAML file the tests hold and a synthetic corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import export
from generator.load import _Loader
from generator.synth import synthesize

ROOT = Path(__file__).resolve().parent.parent


def node_spans(text: str) -> list[tuple[int, int]]:
    """Every scalar node's span, from the composed tree (what strip_comments used before)."""
    spans, todo = [], [yaml.compose(text, Loader=_Loader)]
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            todo += node.value
        elif isinstance(node, yaml.MappingNode):
            todo += [n for pair in node.value for n in pair]
    return sorted(spans)


def texts(tmp: Path) -> list[tuple[str, str]]:
    synthesize(tmp, 12, years=1)
    # (not tests/hostile/refused: bombs the loader refuses before anything composes them)
    paths = [*ROOT.glob("content/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml"),
             *ROOT.glob("tests/hostile/inert/**/*.yaml"), *tmp.rglob("*.yaml")]
    out = []
    for path in sorted(paths):
        if path.stat().st_size > 100_000:
            continue
        try:
            text = path.read_text("utf-8")
            if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=_Loader)):
                continue  # the loader refuses aliases (and walking a shared tree could take forever)
            node_spans(text)
        except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
            continue  # not a YAML file strip_comments is ever given (the check refuses it first)
        out.append((str(path), text))
    return out


def test_event_spans_are_the_composed_nodes_spans(tmp_path: Path) -> None:
    checked = texts(tmp_path)
    assert len(checked) > 20
    for name, text in checked:
        assert export._scalar_spans(text) == node_spans(text), name


@pytest.mark.parametrize("text", ["", "# only a comment\n", "a: |  # header comment\n  text # kept\nb: 1 # gone\n"])
def test_strip_comments_edge_cases(text: str) -> None:
    stripped = export.strip_comments(text)
    assert "gone" not in stripped and "header comment" not in stripped and "only a comment" not in stripped
    if "kept" in text:
        assert "text # kept" in stripped and yaml.safe_load(stripped) == {"a": "text # kept\n", "b": 1}
