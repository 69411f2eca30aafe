"""The `disclose` command line: parses arguments and hands each command to its stage."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from . import archive, archiving, shard, workers
from .build import Stages, build_preview, build_public, project_lock, with_config
from .check import Context, Report, check_files, declaration_files
from .config import Project
from .errors import DiscloseError
from .importer_source import origin
from .problems import Severity

SEVERITIES = {s.value: s for s in Severity}


def _report_text(report: Report, least: Severity = Severity.WARNING) -> str:
    """Each problem of `least` severity or worse on a line, then a summary counting them all."""
    shown = [p for p in report.problems if p.severity.rank >= least.rank]
    counts = Counter(p.severity for p in report.problems if not p.waived)
    waived = sum(1 for p in report.problems if p.waived)
    hidden = len(report.problems) - len(shown)
    lines = [p.format() + origin(p) for p in shown]  # origin: the workbook cell of an imported file
    lines.append(
        f"检查了 {len(report.files)} 个文件："
        f"错误 {counts[Severity.ERROR]} 个，警告 {counts[Severity.WARNING]} 个，"
        f"提示 {counts[Severity.INFO]} 个，已豁免 {waived} 个"
        + (f"；其中 {hidden} 个未列出（--severity info 列出全部）" if hidden else "")
    )
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace, project: Project) -> int:
    paths = [Path(p) for p in args.paths] or [project.content]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"disclose check: 路径不存在：{', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    report = with_config(project, check_files(declaration_files(paths), Context(project.levels, project.content)))
    if args.format == "json":  # every problem unless asked: a program filters for itself
        least = SEVERITIES[args.severity or "info"]
        shown = [p.as_json() for p in report.problems if p.severity.rank >= least.rank]
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        print(_report_text(report, SEVERITIES[args.severity or "warning"]))
    return 1 if report.blocking else 0


def cmd_build(args: argparse.Namespace, project: Project) -> int:
    stages = Stages(quiet=args.quiet)
    modes = [name for name, given in (("--preview", args.preview), ("--year", args.year),
                                      ("--shard", args.shard), ("--join", args.join is not None)) if given]
    if len(modes) > 1 or (args.shard_dir and not args.shard):
        print(f"disclose build: {'、'.join(modes) if len(modes) > 1 else '--shard-dir'} "
              f"{'不能同时使用' if len(modes) > 1 else '只能与 --shard 一起使用'}", file=sys.stderr)
        return 2
    if args.shard or args.join is not None:
        return cmd_shard(args, project, stages)
    if args.preview:
        report = build_preview(project, stages)
        errors = len(report.blocking)
        print(f"disclose: 预览已生成于 {project.preview_site}（{errors} 个错误，详见“问题清单”页）", file=sys.stderr)
        return 0
    unknown = [y for y in args.year or () if not (project.content / str(y)).is_dir()
               and not (project.archive / str(y)).is_dir()]
    if unknown:
        print(f"disclose build: 没有 {'、'.join(map(str, unknown))} 年度的申报表（content/<年度>/）", file=sys.stderr)
        return 2
    report = build_public(project, stages, years=args.year or ())
    _built(args, project, report, stages, f"网站已生成于 {project.site}")
    return 0


def cmd_shard(args: argparse.Namespace, project: Project, stages: Stages) -> int:
    """`build --shard K/N` (one share of the public build, into a shard folder) and `build --join DIR…`."""
    if args.join is not None:
        if not args.join:
            print("disclose build: --join 需要给出各分片目录（disclose build --shard 的输出）", file=sys.stderr)
            return 2
        report = shard.join(project, stages, [Path(p) for p in args.join])
        _built(args, project, report, stages, f"已由 {len(args.join)} 个分片合并发布于 {project.site}")
        return 0
    out = args.shard_dir or shard.default_dir(project, args.shard)
    report = shard.build_shard(project, stages, args.shard, out)
    _built(args, project, report, stages, f"分片 {args.shard} 已生成于 {out}（用 disclose build --join 合并）")
    return 0


def _built(args: argparse.Namespace, project: Project, report: Report, stages: Stages, done: str) -> None:
    """What a public build prints after success: the problems left, archive notes, the stages' times."""
    shown = [p for p in report.problems if p.severity is not Severity.INFO]
    for problem in shown:
        print(problem.format(), file=sys.stderr)
    for note in [*archive.legacy_notes(project), *archive.drift(project, report.documents, args.year or ())]:
        print(f"disclose build: {note}", file=sys.stderr)
    total = sum(stages.seconds.values())
    detail = "，".join(f"{name} {sec:.1f}" for name, sec in stages.seconds.items())
    print(f"disclose: {done}（{total:.1f} 秒：{detail}）", file=sys.stderr)
    if args.timings_json:
        args.timings_json.write_text(json.dumps(stages.seconds, ensure_ascii=False), encoding="utf-8")


def cmd_archive(args: argparse.Namespace, project: Project) -> int:
    with project_lock(project, "archive"):
        done = archiving.create(project, args.year, args.note, args.supersede, Stages(quiet=args.quiet))
    rev = done.revision
    print(f"disclose archive: {rev.year} 年度已归档为第 {rev.number} 版：{rev.path}（{done.files} 个文件）\n"
          f"清单 SHA-256：{done.manifest_sha256}（请另行记录，以便日后核对清单本身）", file=sys.stderr)
    if done.drafts:
        print(f"disclose archive: 注意：该年度另有 {done.drafts} 张未公开的申报表（草稿），未归档", file=sys.stderr)
    if args.bundle:
        out = archive.bundle(rev.path, project.build / "bundles" / f"archive-{rev.year}-{rev.name}.tar.gz",
                             f"archive-{rev.year}-{rev.name}")
        print(f"disclose archive: 已打包：{out}", file=sys.stderr)
    print("disclose archive: 运行 disclose build 即按归档快照发布该年度", file=sys.stderr)
    return 0


def cmd_verify(args: argparse.Namespace, project: Project) -> int:
    given = [p if p.exists() or p.is_absolute() else project.root / p for p in map(Path, args.paths)]
    missing = [p for p in given if not p.is_dir()]
    if missing:
        print(f"disclose verify: 目录不存在：{', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    expect = (args.expect or "").lower()
    if args.expect is not None and not re.fullmatch(r"[0-9a-f]{64}", expect):
        print("disclose verify: --expect 应为 64 位十六进制的 SHA-256（归档时打印的清单 SHA-256）", file=sys.stderr)
        return 2
    folders, years, problems = archive.verify_targets(project, given)
    if not folders and not problems:
        print(f"disclose verify: {given[0] if given else project.archive} 下没有归档", file=sys.stderr)
        return 0 if not given else 1
    bad = 0
    for folder in folders:
        result = archive.verify(folder)
        for finding in result.findings:
            print(finding.format(str(folder)))
        if result.findings:
            bad += 1
            print(f"{folder}：不一致（{len(result.findings)} 处差异）")
        else:
            print(f"{folder}：{result.files} 个文件全部一致（清单 SHA-256：{result.manifest_sha256}）")
    for problem in problems:
        print(problem)
    paper = _expect_problems(expect, folders, years) if args.expect is not None else []
    if paper is None:
        print("disclose verify: --expect 只核对一个版本：请指定一个版本目录或一个年度（如 archive/2021）",
              file=sys.stderr)
        return 2
    for problem in paper:
        print(problem)
    print(f"disclose verify: 校验了 {len(folders)} 个归档版本，{bad} 个不一致"
          + (f"；归档目录有 {len(problems)} 处问题" if problems else "")
          + ("；清单与纸面记录的 SHA-256 不符" if paper else "；清单与纸面记录的 SHA-256 一致" if expect else ""),
          file=sys.stderr)
    return 1 if bad or problems or paper else 0


def _expect_problems(expect: str, folders: Sequence[Path], years: Sequence[archive.YearAudit]) -> list[str] | None:
    """The manifest checked against the hash kept on paper: one revision's, or one year's current revision's.

    None when what was named is not exactly one revision or one year.
    """
    if len(years) == 1 and years[0].current:
        year = years[0]
        current = year.current
        assert current is not None
        got = archive.manifest_sha256(current.path)
        if got == expect:
            return []
        older = [link.number for link in year.links if link.manifest_sha256 == expect]
        detail = (f"该哈希是第 {older[0]} 版的清单；现行的第 {current.number} 版的清单未经纸面核对" if older
                  else "不是该年度任何一版的清单")
        return [f"{current.path / archive.MANIFEST}：SHA-256 为 {got}，纸面记录为 {expect}（{detail}）"]
    if years or len(folders) != 1:
        return None
    got = archive.manifest_sha256(folders[0])
    return [] if got == expect else [f"{folders[0] / archive.MANIFEST}：SHA-256 为 {got or '（无清单）'}，"
                                     f"与纸面记录 {expect} 不符"]


def cmd_bundle(args: argparse.Namespace, project: Project) -> int:
    revs = archive.revisions(project.archive, args.year)
    chosen = [r for r in revs if args.revision in (None, r.number)]
    if not chosen:
        which = f"第 {args.revision} 版" if args.revision else ""
        print(f"disclose bundle: {args.year} 年度没有{which}归档", file=sys.stderr)
        return 1
    rev = chosen[-1]
    prefix = f"archive-{rev.year}-{rev.name}"
    out = archive.bundle(rev.path, args.output or project.build / "bundles" / f"{prefix}.tar.gz", prefix)
    print(f"disclose bundle: 已打包：{out}（解压后可用 disclose verify {prefix} 校验）", file=sys.stderr)
    return 0


def cmd_synth(args: argparse.Namespace, project: Project) -> int:
    from .synth import synthesize

    written = synthesize(project.content, args.count, years=args.years, seed=args.seed, light=args.light)
    print(f"disclose synth: 已在 {project.content} 下生成 {len(written)} 张合成申报表", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace, project: Project) -> int:
    from .serve import is_loopback, serve

    if not is_loopback(args.host):
        if not args.expose:
            print(f"disclose serve: 预览含草稿和未打码的个人信息，绑定到 {args.host} 需要加 --expose", file=sys.stderr)
            return 2
        print(f"disclose serve: 警告：预览服务对 {args.host} 开放，网络中的其他人可以看到草稿和个人信息",
              file=sys.stderr)
    if any(p.blocks for p in project.config.problems):  # the preview cannot be built from a broken site_config/
        for problem in project.config.problems:
            print(problem.format(), file=sys.stderr)
        print("disclose serve: site_config/ 有错误，预览服务未启动", file=sys.stderr)
        return 1
    serve(project, args.host, args.port, quiet=args.quiet)
    return 0


def cmd_import(args: argparse.Namespace, project: Project) -> int:
    from .importer import Options, format_problem, import_all, summary, workbooks

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"disclose import: 路径不存在：{', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    books = workbooks(paths)
    if args.id and len(books) != 1:
        print("disclose import: --id 只能用于一个工作簿", file=sys.stderr)
        return 2
    opts = Options(args.output or project.content, partial=args.partial, status=args.status, unit_id=args.id,
                   year=args.year, force=args.force)
    tty = sys.stderr.isatty() and not args.quiet

    def progress(i: int, n: int, book: Path) -> None:
        print(f"\r导入 {i}/{n}：{book.name[:40]}\033[K", end="", file=sys.stderr, flush=True)

    results = import_all(books, opts, progress if tty else None)
    if tty:
        print(file=sys.stderr)
    for result in results:
        for problem in result.problems:
            print(format_problem(problem))
    print(summary(results), file=sys.stderr)
    failed = any(r.errors for r in results) or not books
    return 1 if failed else 0


def cmd_template(args: argparse.Namespace, project: Project) -> int:
    from .importer_form import KINDS, kind_named
    from .importer_template import write_template

    kind = kind_named(args.kind)
    if kind is None:
        names = "、".join(n for k in KINDS for n in k.names)
        print(f"disclose template: 未知的表种 {args.kind}（可用：{names}）", file=sys.stderr)
        return 2
    write_template(args.output, project.levels, kind=kind, goals=args.goals)
    print(f"disclose template: 已生成空白{kind.title}：{args.output}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="disclose", description="部门整体支出绩效目标申报表公开网站生成器")
    top.add_argument("-C", "--project", type=Path, default=Path("."), help="项目目录（默认为当前目录）")
    sub = top.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查申报表，列出全部问题")
    check.add_argument("paths", nargs="*", help="文件或目录（默认 content/）")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--severity", choices=list(SEVERITIES),
                       help="列出的最低级别：error（只列错误）、warning（错误和警告，文本格式的默认）、"
                            "info（全部，JSON 格式的默认）；摘要总是统计全部问题")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="检查并生成公开网站 site/（有错误则不写入任何文件）")
    build.add_argument("--year", type=int, action="append",
                       help="只重建该年度站点和门户（可重复）；其他年度沿用 site/ 中已发布的站点")
    build.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    build.add_argument("--timings-json", type=Path, metavar="PATH",
                       help="把各阶段用时（秒）写入 JSON 文件（供基准测试）")
    build.add_argument("--preview", action="store_true",
                       help="生成内部预览（含草稿、问题、未打码）到 preview-site/，不影响 site/")
    build.add_argument("--shard", type=shard.parse, metavar="K/N",
                       help="只构建公开网站的第 K 个分片（共 N 个，K 从 0 起，如 Kubernetes 的 JOB_COMPLETION_INDEX）："
                            "序号 ≡ K (mod N) 的 MkDocs 构建和下载文件，写入 --shard-dir，不动 site/")
    build.add_argument("--shard-dir", type=Path, metavar="DIR",
                       help="分片的输出目录（默认 build/shards/K-of-N/，整体替换）")
    build.add_argument("--join", nargs="*", metavar="DIR",
                       help="把 N 个分片目录合并为与一次完整 disclose build 逐字节相同的网站，检查泄露后原子替换 "
                            "site/；缺少、失败或输入不同（内容、代码、配置）的分片一律拒绝，site/ 不变")
    build.set_defaults(func=cmd_build)
    serve = sub.add_parser("serve", help="启动内部预览服务（含草稿、问题，保存即更新）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--host", default="127.0.0.1", help="绑定地址（默认仅本机 127.0.0.1）")
    serve.add_argument("--expose", action="store_true", help="允许绑定到非本机地址（会显示警告）")
    serve.add_argument("-q", "--quiet", action="store_true", help="不显示构建进度")
    serve.set_defaults(func=cmd_serve)
    arch = sub.add_parser("archive", help="归档一个已结束的年度：不可更改的快照 archive/<年度>/r<版本>/ 及校验清单")
    arch.add_argument("year", type=int, help="年度")
    arch.add_argument("--note", required=True, help="归档说明（必填），写入校验清单")
    arch.add_argument("--supersede", metavar="理由", help="更正已归档的年度：生成新的修订版，旧版保留并标注已被取代")
    arch.add_argument("--bundle", action="store_true", help="同时打包为单个 .tar.gz（build/bundles/ 下）")
    arch.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    arch.set_defaults(func=cmd_archive)
    verify = sub.add_parser("verify", help="校验归档：重新计算每个文件的 SHA-256，列出改动、缺失、多出的文件")
    verify.add_argument("paths", nargs="*", help="归档目录，如 archive/2021（默认全部归档）")
    verify.add_argument("--expect", metavar="SHA256",
                        help="纸面记录的清单 SHA-256：与所指版本（或年度的现行版本）的 manifest.json 核对")
    verify.set_defaults(func=cmd_verify)
    bundle = sub.add_parser("bundle", help="把一个年度的归档（含清单）打包为单个 .tar.gz（同一归档打包结果字节相同）")
    bundle.add_argument("year", type=int, help="年度")
    bundle.add_argument("--revision", type=int, help="版本号（默认现行版本）")
    bundle.add_argument("-o", "--output", type=Path,
                        help="输出文件（默认 build/bundles/archive-<年度>-r<版本>.tar.gz）")
    bundle.set_defaults(func=cmd_bundle)
    imp = sub.add_parser("import", help="把按原表样式填写的 Excel 工作簿（.xlsx/.xls）导入为 YAML 申报表")
    imp.add_argument("paths", nargs="+", help="工作簿或目录（目录下的全部工作簿）")
    imp.add_argument("-o", "--output", type=Path, help="写入的目录（默认 content/，按年度分目录）")
    imp.add_argument("--partial", action="store_true",
                     help="有错误的表也写出可读的部分（问题列在文件开头的注释中，状态为 draft）")
    imp.add_argument("--status", choices=["draft", "published"], default="draft", help="写入的状态（默认 draft）")
    imp.add_argument("--id", help="单位编号（只导入一个工作簿时；否则取“单位编号”格或文件名）")
    imp.add_argument("--year", type=int, help="预算年度（默认取“预算年度”格，或近两年收支金额年份的下一年）")
    imp.add_argument("--force", action="store_true", help="覆盖已存在、且不是由同一工作簿导入的文件")
    imp.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    imp.set_defaults(func=cmd_import)
    tmpl = sub.add_parser("template", help="生成按原表样式排版的空白 Excel 工作簿（供填写后 disclose import）")
    tmpl.add_argument("kind", help="表种：部门整体（dept）")
    tmpl.add_argument("-o", "--output", type=Path, required=True, help="输出的 .xlsx 文件")
    tmpl.add_argument("--goals", type=int, default=2, help="年度目标表的个数（默认 2）")
    tmpl.set_defaults(func=cmd_template)
    synth = sub.add_parser("synth", help="生成合成申报表（用于性能测试）")
    synth.add_argument("count", type=int, help="申报表张数")
    synth.add_argument("--years", type=int, default=3, help="分布在几个年度（默认 3）")
    synth.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同文件）")
    synth.add_argument("--light", action="store_true",
                       help="旧的轻量表（比真实申报表小，仅供与早先基准结果比较）；默认按真实申报表的篇幅生成")
    synth.set_defaults(func=cmd_synth)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = Project(args.project)
    try:
        code: int = args.func(args, project)
    except DiscloseError as err:
        return refused(args, err)
    finally:
        workers.stop_fork_server()
    return code


# What a refused command left as it was, said after the error's message: (after a failed check, after any
# other refusal). The preview keeps site/ out of it, and an error that says so itself (Busy) gets nothing.
_KEPT = {"build": ("，未生成网站；现有网站保持不变", "；现有网站保持不变"),
         "archive": ("，未归档；archive/ 保持不变", "；未归档，archive/ 保持不变")}


def refused(args: argparse.Namespace, err: DiscloseError) -> int:
    """Every command's refusal, printed alike: the check's findings behind it, its zh-CN message, what was kept."""
    if err.report is not None:
        print(_report_text(err.report), file=sys.stderr)
    after_check, otherwise = ("", "") if getattr(args, "preview", False) else _KEPT.get(args.command, ("", ""))
    kept = "" if err.says_untouched else after_check if err.report is not None else otherwise
    print(f"disclose {args.command}: {err}{kept}", file=sys.stderr)
    return err.exit_code
