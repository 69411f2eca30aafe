"""Workers: runs a stage's tasks in forked processes, one per core.

Two kinds: forked from the build itself (`pool`, `fork_map`), inheriting its inputs rather than unpickling
them, where they are the build's forms (check, render, search); or forked from a fork server (`fresh_pool`,
`fork_map(fresh=True)`), a small process of its own that holds the libraries and nothing of the build, where
the inputs are few or cheap to pickle (MkDocs builds, downloads, the leak scan; a rebuild starts no server,
and these fork from the build as well). A worker forked from the build begins as large as the build (at
N = 10,000: 350 MiB, every page of it counted in its RSS) and copies whatever of it it writes to, refcounts
and freed slots its own allocations reuse included."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

X = TypeVar("X")
T = TypeVar("T")
_INPUTS: list[Any] = []  # a forked worker finds its inputs here (pickling documents costs more than the work)


_PR_SET_PDEATHSIG = 1  # prctl option (Linux): a signal for this process when its parent dies


def _die_with(parent: int) -> None:
    """Each forked worker's first act: die when the build that forked it dies.

    A worker waits on a pipe the parent feeds, and holds that pipe's other end itself (fork), so a killed
    build (SIGKILL, OOM, a closed terminal's shell) would leave its workers waiting forever, holding memory
    and the project's lock. On Linux the kernel kills them (PR_SET_PDEATHSIG); elsewhere a thread watches.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):
        armed = False
    if not armed:
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the above was in place
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pool(max_workers: int) -> ProcessPoolExecutor:
    """A pool of forked workers (inheriting the loaded modules and the `shared` inputs) that end with the
    process creating it (create it in a thread that outlives the pool: the main thread, say)."""
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with, initargs=(os.getpid(),))


# What the fork server imports before it forks anyone (an import it cannot make is skipped): the libraries
# the fresh workers' tasks run, so that each worker starts in a few milliseconds.
FRESH_PRELOAD = ("generator.site", "generator.published_downloads", "generator.leaks", "mkdocs.commands.build",
                 "mkdocs.config", "material.plugins.search.plugin", "jieba")


def start_fork_server(extra: tuple[str, ...] = ()) -> None:
    """Start the fork server, which imports the libraries (and the `extra` modules) beside the build's other
    work. Once started it serves every later fresh pool of this process as it is, until stopped."""
    from multiprocessing import forkserver

    if not _server_runs():
        forkserver.set_forkserver_preload([*FRESH_PRELOAD, *extra])
    forkserver.ensure_running()


def _server_runs() -> bool:
    from multiprocessing import forkserver

    return getattr(forkserver._forkserver, "_forkserver_pid", None) is not None


def stop_fork_server() -> None:
    """Stop the fork server, if one runs, and wait for it: no process outlives the command, and what the server
    and its workers used counts in the command's own resource use (wait4), as a forked worker's does.
    (CPython has no public call for this; without one the server ends when the command's pipe closes.)"""
    from multiprocessing import forkserver, resource_tracker

    for helper in (forkserver._forkserver, resource_tracker._resource_tracker):  # (the server started both)
        stop = getattr(helper, "_stop", None)
        if stop is not None:
            stop()


def fresh_pool(max_workers: int, initializer: Callable[..., None] | None = None,
               initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of workers forked from the fork server if one runs (see above), else from this process: its
    tasks and their inputs are pickled either way. `initializer(*initargs)` runs in each worker first.
    (A build that makes few pages, a rebuild, starts no server: its imports, ~1.4 s of CPU, would cost
    more than forking from a build that holds little saves.)"""
    context = multiprocessing.get_context("forkserver" if _server_runs() else "fork")
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=context,
                               initializer=_fresh_start, initargs=(os.getpid(), initializer, initargs))


def _fresh_start(build: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A fresh worker's first act: die when the build dies. Its parent is the fork server (or the build),
    which outlives a killed build while any of its workers lives (each holds the server's "alive" pipe): so
    the worker watches the build itself."""
    threading.Thread(target=_watch_build, args=(build,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _watch_build(build: int) -> None:
    try:
        handle = os.pidfd_open(build)  # (Linux: readable once the build has ended, whoever takes its pid next)
    except (AttributeError, OSError):  # (elsewhere, or the build already gone)
        while _exists(build):
            time.sleep(0.5)
    else:
        select.select([handle], [], [])
    os._exit(1)


def _call(fn: Callable[[Any], T], index: int) -> T:
    return fn(_INPUTS[index])


@contextlib.contextmanager
def shared(inputs: Sequence[Any]) -> Iterator[None]:
    """Make inputs visible to the processes forked inside the block (see fork_map)."""
    global _INPUTS
    _INPUTS = list(inputs)
    gc.freeze()  # a child's collector would otherwise touch, and so copy, every object it inherited
    try:
        yield
    finally:
        _INPUTS = []


def fork_map(fn: Callable[[X], T], inputs: Sequence[X], parallel: bool = True, fresh: bool = False) -> list[T]:
    """[fn(x) for x in inputs], in forked processes when there are several inputs and cores.

    `fn` is pickled (a module-level function, or a functools.partial of one); results come back in order.
    The inputs are inherited, or with `fresh` pickled to workers of the fork server.
    """
    cores = os.cpu_count() or 1
    if not parallel or cores == 1 or len(inputs) < 2:
        return [fn(x) for x in inputs]
    if fresh:
        with fresh_pool(min(cores, len(inputs))) as workers:
            return list(workers.map(fn, inputs))
    with shared(inputs), pool(min(cores, len(inputs))) as workers:
        return list(workers.map(functools.partial(_call, fn), range(len(inputs))))
