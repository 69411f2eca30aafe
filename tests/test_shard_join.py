"""`disclose build --shard K/N` + `--join`: shards built as separate processes, each in its own copy of the
project (as on separate machines), joined into the site a single cold `disclose build` makes, byte for byte;
a missing, failed or foreign shard is refused before anything is written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

pytestmark = pytest.mark.slow
N = 3
# 30 forms over 2 years (15 units), 4 pages per MkDocs build: the portal and 3 parts of its unit pages, 2 year
# sites and 6 parts (12 builds)
ENV = {**os.environ, "DISCLOSE_PART_PAGES": "4"}
ENV.pop("SOURCE_DATE_EPOCH", None)  # taken from the content


def command(project: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "generator", "-C", str(project), *argv]


def run(project: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(project, *argv), capture_output=True, text=True, check=False, env=ENV)


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def shard_dir(root: Path, k: int) -> Path:
    return root / f"s{k}" / "build" / "shards" / f"{k}-of-{N}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    base = copy_project(root / "base", content=False)
    assert run(base, "synth", "30", "--years", "2", "--seed", "4").returncode == 0
    for name in ("single", "join", *(f"s{k}" for k in range(N))):
        shutil.copytree(base, root / name)
    single = run(root / "single", "build", "-q")
    assert single.returncode == 0, single.stderr
    shards = [subprocess.Popen(command(root / f"s{k}", "build", "-q", "--shard", f"{k}/{N}"), env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(N)]
    for k, process in enumerate(shards):
        _, err = process.communicate()
        assert process.returncode == 0, f"shard {k}: {err}"
    joined = run(root / "join", "build", "-q", "--join", *(str(shard_dir(root, k)) for k in range(N)))
    assert joined.returncode == 0, joined.stderr
    return root


def manifest(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "shard.json").read_text("utf-8"))
    return data


def test_the_joined_site_is_byte_identical_to_a_single_cold_build(built: Path) -> None:
    single, joined = files(built / "single" / "site"), files(built / "join" / "site")
    assert sorted(joined) == sorted(single)
    assert [name for name in single if joined[name] != single[name]] == []
    assert any(name.endswith(".xlsx") for name in single) and "search/search_index.json" in single


def test_each_shard_builds_every_nth_build_and_download_job(built: Path) -> None:
    manifests = [manifest(shard_dir(built, k)) for k in range(N)]
    layout = manifests[0]["layout"]
    assert isinstance(layout, dict)
    folders, jobs = layout["folders"], manifests[0]["jobs"]
    assert len(folders) == 12 and jobs == 30 and all(m["layout"] == layout for m in manifests)
    for k, m in enumerate(manifests):
        assert m["builds"] == folders[k::N]
        assert sorted(map(int, m["made"])) == list(range(k, 30, N))  # type: ignore[call-overload]
        assert sorted(p.name for p in shard_dir(built, k).iterdir()) == sorted([*folders[k::N], "downloads",
                                                                                "shard.json"])


def refused(built: Path, *folders: Path) -> str:
    """Join these folders into the published join project: refused, and site/ as it was."""
    before = files(built / "join" / "site")
    result = run(built / "join", "build", "-q", "--join", *map(str, folders))
    assert result.returncode == 1, result.stderr
    assert files(built / "join" / "site") == before
    assert "现有网站保持不变" in result.stderr
    return result.stderr


def test_a_missing_shard_is_refused_and_site_kept(built: Path) -> None:
    err = refused(built, shard_dir(built, 0), shard_dir(built, 1))
    assert f"缺少分片 2/{N}" in err and f"缺少分片 1/{N}" not in err


def test_a_shard_given_twice_or_a_folder_that_is_no_shard_is_refused(built: Path) -> None:
    err = refused(built, *(shard_dir(built, k) for k in (0, 1, 1, 2)), built / "base", built / "nowhere")
    assert f"分片 1/{N} 给了 2 次" in err
    assert f"{built / 'base'}：不是完整的分片目录" in err and f"{built / 'nowhere'}：分片目录不存在" in err


def test_a_shard_of_other_inputs_is_refused_naming_it(built: Path) -> None:
    """Shard 1 built from a checkout whose theme differs (another commit, say): its key differs."""
    other = built / "other-theme"
    shutil.copytree(built / "base", other)
    css = next((other / "theme").rglob("*.css"))
    css.write_text(css.read_text("utf-8") + "\n/* another commit */\n", encoding="utf-8")
    out = built / "foreign-1"
    assert run(other, "build", "-q", "--shard", f"1/{N}", "--shard-dir", str(out)).returncode == 0
    err = refused(built, shard_dir(built, 0), out, shard_dir(built, 2))
    assert f"分片 1/{N}（{out}）：不是由与本次合并相同的输入构建的" in err
    assert f"分片 0/{N}" not in err and "缺少分片" not in err


def test_a_join_of_other_content_refuses_every_shard(built: Path) -> None:
    project = built / "edited"
    shutil.copytree(built / "base", project)
    form = sorted((project / "content").rglob("*.yaml"))[0]
    form.write_text(form.read_text("utf-8").replace("unit_name: ", "unit_name: 改", 1), encoding="utf-8")
    result = run(project, "build", "-q", "--join", *(str(shard_dir(built, k)) for k in range(N)))
    assert result.returncode == 1
    assert all(f"分片 {k}/{N}（{shard_dir(built, k)}）：不是由与本次合并相同的输入构建的" in result.stderr
               for k in range(N))
    assert not (project / "site").exists()


def test_a_failed_shard_replaces_its_folder_and_the_join_refuses_it(built: Path) -> None:
    project = built / "broken"
    shutil.copytree(built / "base", project)
    form = sorted((project / "content").rglob("*.yaml"))[0]
    form.write_text(form.read_text("utf-8").replace("unit_name: ", "unit_nam: ", 1), encoding="utf-8")
    out = built / "failed-1"
    shutil.copytree(shard_dir(built, 1), out)  # an older run's success, there before
    result = run(project, "build", "-q", "--shard", f"1/{N}", "--shard-dir", str(out))
    assert result.returncode == 1 and "检查发现" in result.stderr
    assert [p.name for p in out.iterdir()] == ["shard.json"] and "failed" in manifest(out)
    err = refused(built, shard_dir(built, 0), out, shard_dir(built, 2))
    assert f"分片 1/{N}（{out}）：该分片构建失败：检查发现" in err and "缺少分片" not in err


@pytest.mark.parametrize("argv, says", [
    (["--shard", "3/3"], "--shard 应为 K/N"),
    (["--shard", "x"], "--shard 应为 K/N"),
    (["--shard", "0/2", "--year", "2024"], "--year、--shard 不能同时使用"),
    (["--join", "a", "--preview"], "--preview、--join 不能同时使用"),
    (["--shard-dir", "out"], "--shard-dir 只能与 --shard 一起使用"),
    (["--join"], "--join 需要给出各分片目录"),
])
def test_wrong_shard_options_are_refused(tmp_path: Path, argv: list[str], says: str) -> None:
    result = run(tmp_path, "build", *argv)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert not (tmp_path / "site").exists()


def test_a_shard_folder_copied_in_part_is_refused_naming_what_it_lacks(built: Path) -> None:
    out = built / "partial-2"
    shutil.copytree(shard_dir(built, 2), out)
    shutil.rmtree(out / "downloads")
    shutil.rmtree(out / str(manifest(out)["builds"][0]))  # type: ignore[index]
    err = refused(built, shard_dir(built, 0), shard_dir(built, 1), out)
    assert f"分片 2/{N}（{out}）：分片目录不完整：缺少 " in err and "downloads/" in err


def test_an_archived_year_is_served_from_its_snapshot_by_the_join_as_by_a_single_build(tmp_path: Path) -> None:
    """The shards skip an archived year (its snapshot is copied in at the join); its manifest is in the key."""
    base = copy_project(tmp_path / "base", content=False)
    assert run(base, "synth", "8", "--years", "2", "--seed", "2").returncode == 0
    older = min(p.name for p in (base / "content").iterdir())
    archived = run(base, "archive", older, "--note", "年度结束归档", "-q")
    assert archived.returncode == 0, archived.stderr
    for name in ("single", "s0", "s1", "join"):
        shutil.copytree(base, tmp_path / name)
    assert run(tmp_path / "single", "build", "-q").returncode == 0
    shards = [tmp_path / f"s{k}" / "out" for k in range(2)]
    for k, out in enumerate(shards):
        result = run(tmp_path / f"s{k}", "build", "-q", "--shard", f"{k}/2", "--shard-dir", str(out))
        assert result.returncode == 0, result.stderr
    assert all(older not in manifest(out)["builds"] for out in shards)  # type: ignore[operator]
    assert run(tmp_path / "join", "build", "-q", "--join", *map(str, shards)).returncode == 0
    assert files(tmp_path / "join" / "site") == files(tmp_path / "single" / "site")
    assert f"{older}/index.html" in files(tmp_path / "join" / "site")


def test_the_join_runs_the_leak_scan_on_what_the_shards_made(built: Path) -> None:
    """A shard's output is not trusted: a whole mobile number in a built page refuses the join, site/ kept."""
    out = built / "leaky-0"
    shutil.copytree(shard_dir(built, 0), out)
    page = out / "portal" / "index.html"
    page.write_text(page.read_text("utf-8").replace("</body>", "<p>13912345678</p></body>"), encoding="utf-8")
    err = refused(built, out, shard_dir(built, 1), shard_dir(built, 2))
    assert "PUBLIC_LEAK" in err and "index.html:" in err and "13912345678" not in err
