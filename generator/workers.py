"""Workers: runs a stage's tasks in forked processes, one per core, the inputs inherited rather than pickled."""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

X = TypeVar("X")
T = TypeVar("T")
_INPUTS: list[Any] = []  # a forked worker finds its inputs here (pickling documents costs more than the work)


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
    with shared(inputs), ProcessPoolExecutor(max_workers=min(cores, len(inputs)),
                                             mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(functools.partial(_call, fn), range(len(inputs))))
