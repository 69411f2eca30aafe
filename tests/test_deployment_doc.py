"""docs/deployment.md's configurations are real: each YAML block parses, the Indexed Job runs shard
$JOB_COMPLETION_INDEX of as many as it has completions, and its commands are ones `disclose` accepts."""

from __future__ import annotations

import re
import shlex
from typing import Any

import yaml
from conftest import ROOT

from generator.cli import parser

DOC = (ROOT / "docs" / "deployment.md").read_text("utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


def disclose_argv(script: str, env: dict[str, str]) -> list[list[str]]:
    """Every `disclose …` command of a shell script, its variables filled in, without `-C DIR`."""
    found = []
    for line in re.sub(r"\s*\n\s+--", " --", script).splitlines():
        if line.strip().startswith("disclose "):
            words = shlex.split(re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m[1], "x"), line))[1:]
            found.append(words[2:] if words[:1] == ["-C"] else words)
    return found


def test_every_yaml_block_parses() -> None:
    assert len(blocks("yaml")) >= 2
    for block in blocks("yaml"):
        assert list(yaml.safe_load_all(block.replace("…", "")))


def test_the_indexed_job_runs_one_shard_per_completion_index_and_the_join_takes_them_all() -> None:
    shards, join = yaml.safe_load_all(blocks("yaml")[0])
    spec: dict[str, Any] = shards["spec"]
    assert spec["completionMode"] == "Indexed"
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: str(e["value"]) for e in container["env"]} | {"JOB_COMPLETION_INDEX": "3"}
    assert env["N"] == str(spec["completions"])
    (argv,) = disclose_argv(container["args"][0], env)
    args = parser().parse_args(argv)
    assert str(args.shard) == f"3/{spec['completions']}" and args.shard_dir
    joined = disclose_argv(join["spec"]["template"]["spec"]["containers"][0]["args"][0], {})
    assert [parser().parse_args(a).join for a in joined] == [["/shards/x/x/*"]]
