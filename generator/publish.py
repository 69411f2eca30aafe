"""Publish stage: swaps a finished build into place atomically, so readers never see half a site."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
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


def swap_in(staging: Path, target: Path, trash: Path | None = None) -> None:
    """Make staging the target in one step; the previous target is removed afterwards (with `trash`, a
    folder on the same filesystem, by a process of its own: see remove_later).

    A failure to swap (a read-only mount, say) raises PublishRefused with the target as it was.
    """
    try:
        if not target.exists():
            staging.rename(target)
            return
        if _exchange(staging, target):
            if trash is None or not remove_later(staging, trash):
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


def remove_later(tree: Path, trash: Path) -> bool:
    """Move a tree into `trash` and remove everything there in a detached process; False if it cannot move.

    Removing the previous site's ≈ 2,000 folders costs little CPU but seconds of wall time on a busy disk
    (each rmdir waits for the filesystem), and nobody waits for it: the site is already published. The
    process holds no file of the build's (close_fds: not the project's lock, which the next build takes);
    whatever it leaves (killed, say) the next one removes, since it empties the whole trash folder.
    """
    try:
        trash.mkdir(parents=True, exist_ok=True)
        tree.rename(Path(tempfile.mkdtemp(prefix="old-", dir=trash)) / tree.name)
        subprocess.Popen([sys.executable, "-I", "-S", "-c", _REMOVE, str(trash)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:  # (another filesystem: the rename fails, and the caller removes the tree itself)
        return False
    return True


_REMOVE = "import os, shutil, sys\nfor e in os.scandir(sys.argv[1]): shutil.rmtree(e.path, ignore_errors=True)"
