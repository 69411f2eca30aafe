"""Shards: `build --shard K/N` runs a share of one public build's work; `build --join` publishes the whole.

A public build is, after the check and the rendering, a list of independent MkDocs builds (the portal, each
year, each year's parts of PART_PAGES pages) and of download jobs (one per declaration). Shard K of N runs
those whose index is ≡ K (mod N) — builds and jobs alike, so each shard gets every N-th part of each kind —
into its shard folder, beside `shard.json`: the key of its inputs, the layout of the whole build and what
each of its jobs made. The join reads the N folders, refuses before writing anything a missing, failed or
foreign one (its key differs: other content, code or configuration), then assembles the tree exactly as a
single build does (build.assemble), scans it for leaks and swaps it into site/: the same bytes.

Every shard (and the join) checks and renders the whole content itself: that is the fixed cost of a shard,
paid so that no shard depends on another's output and the join needs only the shards' folders.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import archive, build, cache, export, publish
from .build import Layout, Stages
from .check import Report
from .config import Project
from .errors import DiscloseError

MANIFEST = "shard.json"
FORMAT = 1  # of shard.json: a join refuses another


class ShardRefused(DiscloseError):
    """The join found shards it cannot assemble (missing, failed, foreign); nothing was written."""


@dataclasses.dataclass(frozen=True)
class Shard:
    index: int  # K, from 0 (a Kubernetes Indexed Job's JOB_COMPLETION_INDEX)
    count: int  # N

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def picks(self, total: int) -> list[int]:
        return list(range(self.index, total, self.count))


def parse(text: str) -> Shard:
    """`K/N` with 0 ≤ K < N (argparse's type: its error, in zh-CN, is the option's usage error)."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 0 <= int(match[1]) < int(match[2]):
        raise argparse.ArgumentTypeError(f"--shard 应为 K/N（0 ≤ K < N，如 0/4）：{text}")
    return Shard(int(match[1]), int(match[2]))


def default_dir(project: Project, shard: Shard) -> Path:
    return project.build / "shards" / f"{shard.index}-of-{shard.count}"


def input_key(project: Project) -> str:
    """What a shard's output depends on: the content, site_config/, mkdocs.yml, theme/, the archived revisions'
    manifests (a build verifies every snapshot against its manifest), the generator's code and libraries
    (cache.code_version), Python, the part size and a SOURCE_DATE_EPOCH given from outside."""
    digests = [cache.folder_digest(project.root / name) for name in ("content", "site_config", "theme")]
    mkdocs_yml = project.root / "mkdocs.yml"
    return cache.key(f"shard{FORMAT}", cache.code_version(), sys.version, str(build.PART_PAGES),
                     os.environ.get("SOURCE_DATE_EPOCH", ""), *digests,
                     mkdocs_yml.read_bytes() if mkdocs_yml.is_file() else b"", _archive_digest(project.archive))


def _archive_digest(folder: Path) -> bytes:
    records = sorted(p for p in folder.rglob("*") if p.name in (archive.MANIFEST, archive.CHAIN) and p.is_file()) \
        if folder.is_dir() else []
    return cache.key(*(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() for p in records)).encode()


# -- one shard ---------------------------------------------------------------------------------------------


def build_shard(project: Project, stages: Stages, shard: Shard, out: Path) -> Report:
    """Build shard `shard` of the public site into `out` (replaced as a whole); a failure leaves there only a
    shard.json saying so, so that a join sees this run's failure rather than an older success."""
    with build.project_lock(project, f"build --shard {shard}", f"shard-{shard.index}-of-{shard.count}"):
        key = input_key(project)
        try:
            return _build_shard(project, stages, shard, out, key)
        except Exception as err:
            _write_folder(out, {**_head(shard, key), "failed": str(err)})
            raise


def _build_shard(project: Project, stages: Stages, shard: Shard, out: Path, key: str) -> Report:
    inputs = build.public_inputs(project, stages)
    report, docs, options, frozen = inputs.report, inputs.docs, inputs.options, inputs.frozen
    staging = publish.staging_dir(out)
    try:
        work = project.build / f"shard-{shard.index}-of-{shard.count}"
        plan = build.plan_builds(project, stages, docs, options, work, staging, (), frozen, keys=report.keys)
        builds, jobs = shard.picks(len(plan.configs)), shard.picks(len(plan.jobs))
        made = build.run_builds(project, stages, plan, work, staging / "downloads", builds, jobs)
        (staging / ".pid").unlink()
        manifest = {**_head(shard, key), "layout": dataclasses.asdict(plan.layout), "jobs": len(plan.jobs),
                    "builds": [plan.layout.folders[i] for i in builds],
                    "made": {str(i): names for i, (names, _) in zip(jobs, made, strict=True)}}
        _write_manifest(staging, manifest)
        publish.swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _head(shard: Shard, key: str) -> dict[str, Any]:
    return {"format": FORMAT, "shard": shard.index, "of": shard.count, "key": key}


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _write_folder(out: Path, manifest: dict[str, Any]) -> None:
    """Replace `out` by a folder holding only this manifest."""
    staging = publish.staging_dir(out)
    (staging / ".pid").unlink()
    _write_manifest(staging, manifest)
    publish.swap_in(staging, out)


# -- the join ----------------------------------------------------------------------------------------------


def join(project: Project, stages: Stages, folders: Sequence[Path]) -> Report:
    """Publish into site/ the site the shards in `folders` make together, byte-identical to a single build."""
    with build.project_lock(project, "build --join"), publish.removing(build.old_sites(project)):
        publish.refuse_read_only(project.site)
        manifests = read_shards(folders, input_key(project))
        inputs = build.public_inputs(project, stages)
        report, docs, options, frozen = inputs.report, inputs.docs, inputs.options, inputs.frozen
        layout = Layout(**manifests[0][1]["layout"])
        jobs = export.download_jobs({str(y): None for y in layout.built}, docs, project, options,
                                    report.keys)
        if len(jobs) != manifests[0][1]["jobs"]:  # (the keys agree: only a changed generator gets here)
            raise ShardRefused(f"分片记录了 {manifests[0][1]['jobs']} 个下载任务，本地内容有 {len(jobs)} 个")
        staging = publish.staging_dir(project.site)
        try:
            with stages.stage("合并分片", f"（{len(manifests)} 个）"):
                made = _gather(manifests, staging, len(jobs))
            tree = build.assemble(project, stages, layout, jobs, made, staging, docs, options, frozen, {},
                                  project.build / "public")
            build.publish_tree(project, stages, tree, build.publication_policy(project))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return report


@dataclasses.dataclass(frozen=True)
class Found:
    """What one folder given to the join holds."""

    folder: Path
    manifest: dict[str, Any] | None  # None: no readable shard.json of this version
    problem: str = ""  # why it cannot be joined

    def __str__(self) -> str:
        return f"分片 {self.manifest['shard']}/{self.manifest['of']}（{self.folder}）" if self.manifest \
            else str(self.folder)


def read_shards(folders: Sequence[Path], key: str) -> list[tuple[Path, dict[str, Any]]]:
    """Each folder's manifest, in shard order; ShardRefused naming every problem (all at once) unless the
    folders are exactly shards 0 … N-1 of one build of these inputs, each finished."""
    found = [_found(folder, key) for folder in folders]
    problems = [f"{f}：{f.problem}" for f in found if f.problem]
    known = [f.manifest for f in found if f.manifest]
    counts = sorted({m["of"] for m in known})
    if len(counts) > 1:
        problems.append("分片数不一致：" + "、".join(str(f) for f in found if f.manifest))
    elif counts:
        numbers = [m["shard"] for m in known]
        problems += [f"分片 {k}/{counts[0]} 给了 {numbers.count(k)} 次" for k in sorted(set(numbers))
                     if numbers.count(k) > 1]
        problems += [f"缺少分片 {k}/{counts[0]}" for k in range(counts[0]) if k not in numbers]
    if not problems and len({json.dumps(m["layout"], sort_keys=True) for m in known}) > 1:
        problems.append("各分片记录的站点结构不一致")  # (same key, another layout: only another generator)
    if problems:
        raise ShardRefused("分片不能合并：\n" + "\n".join(problems))
    return sorted(((f.folder, f.manifest) for f in found if f.manifest), key=lambda item: int(item[1]["shard"]))


def _found(folder: Path, key: str) -> Found:
    """A folder's manifest, and why it cannot be joined (missing, unfinished, failed, foreign)."""
    if not folder.is_dir():
        return Found(folder, None, "分片目录不存在")
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return Found(folder, None, f"不是完整的分片目录（没有可读的 {MANIFEST}：分片未运行完，或不是分片目录）")
    if manifest.get("format") != FORMAT:
        return Found(folder, None, f"{MANIFEST} 不是本版本 disclose 所写（格式 {manifest.get('format')}）")
    if "failed" in manifest:
        return Found(folder, manifest, f"该分片构建失败：{manifest['failed']}")
    if manifest["key"] != key:
        return Found(folder, manifest, "不是由与本次合并相同的输入构建的（content/、site_config/、mkdocs.yml、"
                                       "theme/、archive/、生成器代码或依赖版本、SOURCE_DATE_EPOCH 有不同）："
                                       "请用同一提交、同一镜像重新构建该分片")
    lost = [name for name in manifest["builds"] if not (folder / name / "index.html").is_file()]
    if manifest["made"] and not (folder / "downloads").is_dir():
        lost.append("downloads")
    if lost:  # (an artifact step that copied part of it, say)
        return Found(folder, manifest, f"分片目录不完整：缺少 {'、'.join(f'{name}/' for name in lost)}")
    return Found(folder, manifest)


def _gather(manifests: Sequence[tuple[Path, dict[str, Any]]], staging: Path, jobs: int) -> list[export.Spooled]:
    """Copy every shard's built folders and spooled downloads into staging (the shards stay as they were:
    the assembly rewrites files in place, which hard links would carry back); return every job's names."""
    made: dict[int, export.Spooled] = {}
    for folder, manifest in manifests:
        for name in manifest["builds"]:
            shutil.copytree(folder / name, staging / name, copy_function=shutil.copyfile)
        if (folder / "downloads").is_dir():
            shutil.copytree(folder / "downloads", staging / "downloads", copy_function=shutil.copyfile,
                            dirs_exist_ok=True)
        made.update({int(i): (names, None) for i, names in manifest["made"].items()})
    assert sorted(made) == list(range(jobs)), "shards 0 … N-1 of one layout make every job once"
    return [made[i] for i in range(jobs)]
