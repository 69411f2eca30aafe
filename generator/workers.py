"""Workers: runs a stage's tasks in forked processes, one per core, the inputs inherited rather than pickled."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import multiprocessing
import os
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


def pool(max_workers: int) -> ProcessPoolExecutor:
    """A pool of forked workers (inheriting the loaded modules and the `shared` inputs) that end with the
    process creating it (create it in a thread that outlives the pool: the main thread, say)."""
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with, initargs=(os.getpid(),))


def _call(fn: Callable[[Any], T], index: int) -> T:
    return fn(_INPUTS[index])


def _call_range(fn: Callable[[Any], T], start: int, stop: int) -> list[T]:
    return [fn(x) for x in _INPUTS[start:stop]]


@contextlib.contextmanager
def shared(inputs: Sequence[Any]) -> Iterator[None]:
    """Make inputs visible to the processes forked inside the block (see chunks and fork_map)."""
    global _INPUTS
    _INPUTS = list(inputs)
    gc.freeze()  # a child's collector would otherwise touch, and so copy, every object it inherited
    try:
        yield
    finally:
        _INPUTS = []


def chunks(fn: Callable[[X], T], count: int, size: int = 16) -> list[Callable[[], list[T]]]:
    """Picklable tasks applying fn to the shared inputs, `size` at a time (for any pool forked in `shared`)."""
    return [functools.partial(_call_range, fn, start, start + size) for start in range(0, count, size)]


def fork_map(fn: Callable[[X], T], inputs: Sequence[X], parallel: bool = True) -> list[T]:
    """[fn(x) for x in inputs], in forked processes when there are several inputs and cores.

    `fn` is pickled (a module-level function, or a functools.partial of one); results come back in order.
    """
    cores = os.cpu_count() or 1
    if not parallel or cores == 1 or len(inputs) < 2:
        return [fn(x) for x in inputs]
    with shared(inputs), pool(min(cores, len(inputs))) as workers:
        return list(workers.map(functools.partial(_call, fn), range(len(inputs))))
