"""Publish stage: swaps a finished build into place atomically, so readers never see half a site."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DiscloseError

_RENAME_EXCHANGE = 2  # renameat2 flag (Linux ≥ 3.15)
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def staging_dir(target: Path) -> Path:
    """A fresh folder beside the target (same filesystem, so the final rename is atomic).

    It records the building process, so a later build can tell a killed build's leftovers.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    (staging / ".pid").write_text(str(os.getpid()))
    return staging


def clear_stale(target: Path) -> None:
    """Remove staging folders left behind by a build that was killed."""
    for stale in target.parent.glob(f".{target.name}.new-*"):
        if stale.is_dir() and not _alive(stale):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(stale: Path) -> bool:
    pid_file = stale / ".pid"
    try:
        os.kill(int(pid_file.read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


class PublishRefused(DiscloseError):
    """The target cannot be replaced as a whole; it was left as it was."""


def refuse_read_only(target: Path) -> None:
    """Refuse, before any work, to replace a target that is read-only anywhere (itself, a folder inside
    it, or the folder holding it): the swap would put the new site in and then fail to remove the old
    one, half-way. A folder without any write permission bit counts as read-only even for root, who
    could write it: someone made it read-only on purpose."""
    folders = [target.parent]
    if target.is_dir() and not target.is_symlink():
        folders += [Path(top) for top, _, _ in os.walk(target)]  # (os.walk does not follow linked folders)
    for folder in folders:
        if not (os.access(folder, os.W_OK | os.X_OK) and folder.stat().st_mode & 0o222):
            raise PublishRefused(f"{folder} 是只读的，无法替换 {target}（恢复写权限后再试）")


def swap_in(staging: Path, target: Path, aside: Path | None = None) -> None:
    """Make staging the target in one step; the previous target is removed afterwards (with `aside`, moved
    into that folder for the next build to remove while it works: see set_aside).

    A failure to swap (a read-only mount, say) raises PublishRefused with the target as it was.
    """
    try:
        if not target.exists():
            staging.rename(target)
            return
        if _exchange(staging, target):
            if not (aside and set_aside(staging, aside)):
                shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site (else clear_stale will)
            return
        _two_renames(staging, target)
    except OSError as err:
        raise PublishRefused(f"无法替换 {target}：{err.strerror or err}") from err


def _two_renames(staging: Path, target: Path) -> None:
    """Where renameat2 is missing: two renames, a moment without a site; the old one back on failure."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def set_aside(tree: Path, folder: Path) -> bool:
    """Move the previous site into `folder` (under build/); False if it cannot be moved (another filesystem).

    Removing its ≈ 2,000 folders costs little CPU but seconds of wall time on a busy disk (each rmdir waits
    for the filesystem), after the site is published: the next build removes it beside its own work
    (`removing`). Its files are mostly hard links to the published site's, so it holds little disk meanwhile.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tree.rename(Path(tempfile.mkdtemp(prefix="old-", dir=folder)) / tree.name)
    except OSError:
        return False
    return True


class Removal:
    """Old sites being removed beside a build: by `rm -rf` in a child process, which waits on the disk and
    never takes this process's interpreter lock (a thread removing a 100,000-file site took it from the build
    between every two calls: the check ran ~40 % slower beside it at N = 10,000); by a thread where there
    is no `rm`."""

    def __init__(self, paths: list[Path]):
        self.process: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None
        rm = shutil.which("rm")
        if paths and rm:
            self.process = subprocess.Popen([rm, "-rf", "--", *map(str, paths)], stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elif paths:
            self.thread = threading.Thread(target=_remove_all, args=(paths,), daemon=True)
            self.thread.start()

    def join(self) -> None:
        if self.process is not None:
            self.process.wait()  # (what it could not remove stays: the next build tries again)
        if self.thread is not None:
            self.thread.join()


@contextmanager
def removing(folder: Path) -> Iterator[Removal]:
    """Remove what `folder` holds beside the block (Removal); the block may join the removal itself (to time
    the wait), else it is joined when the block ends."""
    removal = Removal(sorted(folder.iterdir()) if folder.is_dir() else [])
    try:
        yield removal
    finally:
        removal.join()


def _remove_all(paths: list[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
