"""Fresh workers (issue 18, memory): the MkDocs builds, the downloads and the leak scan run in workers forked
from a fork server, which holds the libraries and nothing of the build. A worker forked from the build began
as large as the build (at N = 10,000: 350 MiB in every worker's RSS) and copied what of it it wrote to."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from multiprocessing import forkserver
from pathlib import Path

import pytest
from conftest import copy_project

from generator import workers
from generator.synth import synthesize

HELD = 200 << 20  # bytes the parent holds (written, so resident) while its workers start


def _rss_mib(_: object) -> float:
    """This process's resident set (MiB), as /proc counts it: inherited pages included."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="workers run only with two cores or more")
def test_a_fresh_worker_does_not_start_as_large_as_the_build() -> None:
    held = b"x" * HELD  # (the build's forms, say)
    workers.start_fork_server()
    inherited = workers.fork_map(_rss_mib, [0, 1])
    fresh = workers.fork_map(_rss_mib, [0, 1], fresh=True)
    assert min(inherited) > HELD / 2**20, inherited  # (the test can tell the two apart)
    assert max(fresh) < HELD / 2**20 / 2, fresh
    assert len(held) == HELD


def _pid(_: object) -> tuple[int, int]:
    return os.getpid(), os.getppid()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="workers run only with two cores or more")
def test_fresh_workers_are_the_fork_servers_children_and_it_is_stopped_and_reaped() -> None:
    workers.start_fork_server()
    server = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    assert server is not None
    seen = workers.fork_map(_pid, [0, 1, 2, 3], fresh=True)
    assert {parent for _, parent in seen} == {server} and os.getpid() not in {pid for pid, _ in seen}
    workers.stop_fork_server()
    with pytest.raises(ChildProcessError):  # (reaped: no longer this process's child, not a zombie)
        os.waitpid(server, os.WNOHANG)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="workers run only with two cores or more")
def test_without_a_fork_server_fresh_workers_are_forked_from_this_process() -> None:
    """A rebuild starts no server (build.check_all): its few pages are made by workers of the build itself."""
    workers.stop_fork_server()
    assert {parent for _, parent in workers.fork_map(_pid, [0, 1], fresh=True)} == {os.getpid()}
    assert workers.fork_map(functools.partial(divmod, 7), [2, 3], fresh=True) == [(3, 1), (2, 1)]


def test_no_process_outlives_a_build_command(tmp_path: Path) -> None:
    """The command stops its fork server: wait4 on it then counts the server's and its workers' memory and CPU
    (the benchmark's largest process and CPU seconds), and nothing is left running."""
    project = copy_project(tmp_path / "p", content=False)
    synthesize(project / "content", 3, years=1)
    process = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project), "build", "-q"],
                               stderr=subprocess.PIPE, start_new_session=True)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    assert in_session(process.pid) == []  # (the session the command led: no process of it remains)


def in_session(session: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session:  # (after the name: state, ppid, pgrp, session)
            pids.append(int(entry.name))
    return pids
