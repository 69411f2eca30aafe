"""The preview server and the preview build: a real `disclose serve` process, polled like a browser."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_project

pytestmark = pytest.mark.slow
PAGE = "/2021/guangshui-ldbxj/"
SEED_REL = Path("content/2021/guangshui-ldbxj.yaml")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def poll(url: str, wanted: str, server: subprocess.Popen[bytes], timeout: float = 30.0) -> str:
    """Fetch until the page contains `wanted`, failing at once if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "the preview server exited"
        body = fetch(url)
        if body is not None and wanted in body:
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} never showed {wanted!r}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[bytes]]]:
    project = copy_project(tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "-C", str(project), "serve", "--port", str(port), "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        poll(base + PAGE, "广水市劳动保险事业管理局", server, timeout=60)
        yield project, base, server
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_edit_break_and_fix_a_declaration_while_serving(served: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    project, base, server = served
    seed = project / SEED_REL
    good = seed.read_text(encoding="utf-8")
    page = poll(base + PAGE, "预览", server)
    assert "15997856299" in page, "the preview shows personal data unmasked"
    assert "VALUE_QUALITATIVE" in page, "the preview lists the declaration's problems on its page"

    seed.write_text(good.replace("宣传养老、工伤保险政策", "宣传养老、工伤保险政策和预览测试"), encoding="utf-8")
    poll(base + PAGE, "宣传养老、工伤保险政策和预览测试", server)

    seed.write_text(good + "  broken: [\n", encoding="utf-8")
    broken = poll(base + PAGE, "无法读取的申报表", server)
    assert "YAML_SYNTAX" in broken
    assert "YAML_SYNTAX" in poll(base + "/problems/", "YAML_SYNTAX", server)

    seed.write_text(good, encoding="utf-8")
    fixed = poll(base + PAGE, "部门总体资金情况", server)
    assert "无法读取的申报表" not in fixed
    assert server.poll() is None


def test_a_failing_rule_shows_on_the_page_and_goes_away(served: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    project, base, server = served
    seed = project / SEED_REL
    good = seed.read_text(encoding="utf-8")
    seed.write_text(good.replace("share: 97.27%", "share: 98.27%"), encoding="utf-8")
    assert "SHARE_MISMATCH" in poll(base + PAGE, "SHARE_MISMATCH", server)
    seed.write_text(good, encoding="utf-8")
    deadline = time.monotonic() + 30
    while "SHARE_MISMATCH" in (fetch(base + PAGE) or "SHARE_MISMATCH"):
        assert time.monotonic() < deadline and server.poll() is None
        time.sleep(0.2)


def test_live_reload_is_injected_when_served_never_written(served: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    project, base, _ = served
    assert "/__disclose/wait" in (fetch(base + PAGE) or "")
    written = (project / "build" / "serve" / "site" / "2021" / "guangshui-ldbxj" / "index.html").read_text("utf-8")
    assert "/__disclose/wait" not in written


def non_loopback_addresses() -> list[str]:
    out = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True, check=False).stdout
    return [a for a in re.findall(r"inet (\d+\.\d+\.\d+\.\d+)", out) if not a.startswith("127.")]


def test_not_reachable_on_a_non_loopback_address(served: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    _, base, _ = served
    addresses = non_loopback_addresses() if shutil.which("ip") else []
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    port = int(base.rsplit(":", 1)[1])
    for address in addresses:  # this machine's own addresses only
        with socket.socket() as s, pytest.raises(OSError):
            s.settimeout(2)
            s.connect((address, port))


def test_binding_elsewhere_needs_an_explicit_flag(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(project), "serve", "--host", "0.0.0.0", "--port", "1"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "--expose" in result.stderr


def test_preview_build_has_its_own_folder_and_public_has_no_preview(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    draft = project / "content" / "2022" / "draft-unit.yaml"
    draft.parent.mkdir(exist_ok=True)  # the editions' examples (drafts) may be there already
    text = (project / SEED_REL).read_text(encoding="utf-8")
    draft.write_text(text.replace("year: 2021", "year: 2022").replace("unit_id: guangshui-ldbxj", "unit_id: draft-unit")
                     .replace("status: published", "status: draft").replace("[2019, 2020]", "[2020, 2021]")
                     .replace("广水市劳动保险事业管理局", "草稿测试单位"), encoding="utf-8")
    run = [sys.executable, "-m", "generator", "-C", str(project), "build", "-q"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1600000000"}
    assert subprocess.run(run, env=env, check=False).returncode == 0
    public = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert subprocess.run([*run, "--preview"], env=env, check=False).returncode == 0
    assert {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == public, "site/ untouched"

    preview_page = (project / "preview-site" / "2022" / "draft-unit" / "index.html").read_text("utf-8")
    assert "草稿" in preview_page and "预览" in preview_page and "15997856299" in preview_page
    assert (project / "preview-site" / "problems" / "index.html").exists()

    everything = b"".join(public.values()).decode("utf-8", "replace")
    assert "草稿测试单位" not in everything, "a draft leaked into the public site"
    assert "15997856299" not in everything, "a full mobile number leaked into the public site"
    pages = b"".join(v for p, v in public.items() if p.suffix == ".html").decode("utf-8")
    assert "dc-banner--preview" not in pages and "预览（未公开）" not in pages
    assert "dc-banner--draft" not in pages
