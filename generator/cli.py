"""The `disclose` command line: parses arguments and hands each command to its stage."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .build import BuildFailed, Stages, build_preview, build_public
from .check import Context, Report, check_files, declaration_files
from .config import Project
from .problems import Severity
from .site import SiteError


def _report_text(report: Report) -> str:
    lines = [p.format() for p in report.problems]
    counts = Counter(p.severity for p in report.problems if not p.waived)
    waived = sum(1 for p in report.problems if p.waived)
    lines.append(
        f"检查了 {len(report.files)} 个文件："
        f"错误 {counts[Severity.ERROR]} 个，警告 {counts[Severity.WARNING]} 个，"
        f"提示 {counts[Severity.INFO]} 个，已豁免 {waived} 个"
    )
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace, project: Project) -> int:
    paths = [Path(p) for p in args.paths] or [project.content]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"disclose check: 路径不存在：{', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    report = check_files(declaration_files(paths), Context(project.levels))
    if args.format == "json":
        print(json.dumps([p.as_json() for p in report.problems], ensure_ascii=False, indent=2))
    else:
        print(_report_text(report))
    return 1 if report.blocking else 0


def cmd_build(args: argparse.Namespace, project: Project) -> int:
    stages = Stages(quiet=args.quiet)
    if args.preview:
        report = build_preview(project, stages)
        errors = len(report.blocking)
        print(f"disclose: 预览已生成于 {project.preview_site}（{errors} 个错误，详见“问题清单”页）", file=sys.stderr)
        return 0
    try:
        report = build_public(project, stages, years=args.year or ())
    except BuildFailed as err:
        print(_report_text(err.report), file=sys.stderr)
        print(f"disclose build: {err}；现有网站保持不变", file=sys.stderr)
        return 1
    except SiteError as err:
        print(f"disclose build: {err}；现有网站保持不变", file=sys.stderr)
        return 1
    shown = [p for p in report.problems if p.severity is not Severity.INFO]
    for problem in shown:
        print(problem.format(), file=sys.stderr)
    total = sum(stages.seconds.values())
    detail = "，".join(f"{name} {sec:.1f}" for name, sec in stages.seconds.items())
    print(f"disclose: 网站已生成于 {project.site}（{total:.1f} 秒：{detail}）", file=sys.stderr)
    if args.timings_json:
        args.timings_json.write_text(json.dumps(stages.seconds, ensure_ascii=False), encoding="utf-8")
    return 0


def cmd_synth(args: argparse.Namespace, project: Project) -> int:
    from .synth import synthesize

    written = synthesize(project.content, args.count, years=args.years, seed=args.seed)
    print(f"disclose synth: 已在 {project.content} 下生成 {len(written)} 张合成申报表", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="disclose", description="部门整体支出绩效目标申报表公开网站生成器")
    top.add_argument("-C", "--project", type=Path, default=Path("."), help="项目目录（默认为当前目录）")
    sub = top.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查申报表，列出全部问题")
    check.add_argument("paths", nargs="*", help="文件或目录（默认 content/）")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="检查并生成公开网站 site/（有错误则不写入任何文件）")
    build.add_argument("--year", type=int, action="append", help="只生成某一年度（可重复）")
    build.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    build.add_argument("--timings-json", type=Path, metavar="PATH",
                       help="把各阶段用时（秒）写入 JSON 文件（供基准测试）")
    build.add_argument("--preview", action="store_true",
                       help="生成内部预览（含草稿、问题、未打码）到 preview-site/，不影响 site/")
    build.set_defaults(func=cmd_build)
    synth = sub.add_parser("synth", help="生成合成申报表（用于性能测试）")
    synth.add_argument("count", type=int, help="申报表张数")
    synth.add_argument("--years", type=int, default=3, help="分布在几个年度（默认 3）")
    synth.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同文件）")
    synth.set_defaults(func=cmd_synth)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = Project(args.project)
    code: int = args.func(args, project)
    return code
