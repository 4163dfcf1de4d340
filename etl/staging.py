"""Staging directories of builds in progress, and removing those of builds that died.

A build writes its package into `.OUT.versions/.staging-<pid>-<random>/` and renames it into
place (etl/build.py). Beside it sits `<name>.lock`, on which the build holds an exclusive flock
from before the directory exists until after it is gone. The kernel drops the lock when the
process ends in any way, SIGKILL included, and a lock does not care about pid reuse or pid
namespaces; so the next build tells a dead build's leftovers (lock free: removed) from a
running build's staging (lock held: kept). A build killed during the swap leaves its
`.link-<pid>-<random>` beside them; it goes with the rest.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

PREFIX = ".staging-"
LOCK = ".lock"
LINK = ".link-"
# A staging directory or swap link without a lock file is from a build older than the locks;
# such builds took seconds, so one untouched for this long is dead.
UNLOCKED_STALE_AFTER = 3600  # seconds


@dataclass
class Staging:
    """A staging directory this process holds the lock of."""

    path: Path
    fd: int

    @property
    def link(self) -> Path:
        """The temporary symlink of the swap (etl/versions.py `swap_in`)."""
        return link_of(self.path)

    def release(self) -> None:
        """Remove what is left (nothing once published), then the lock file, then drop the lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.link.unlink(missing_ok=True)
        _lock_of(self.path).unlink(missing_ok=True)
        os.close(self.fd)


def _lock_of(path: Path) -> Path:
    return path.with_name(path.name + LOCK)


def link_of(path: Path) -> Path:
    return path.with_name(LINK + path.name.removeprefix(PREFIX))


def stage(versions: Path) -> Staging:
    """A new, empty staging directory in `versions`, locked for as long as this process holds it."""
    remove_dead(versions)
    while True:
        path = versions / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        lock = _lock_of(path)
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        except FileExistsError:
            continue
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            ours = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            ours = False
        if ours:  # else a cleaner took the fresh lock file for a dead build's and removed it: try again
            path.mkdir()
            path.chmod(0o755)
            return Staging(path, fd)
        os.close(fd)


def remove_dead(versions: Path) -> list[Path]:
    """Remove the staging directories (and swap links) of builds that are no longer running."""
    try:
        entries = list(versions.iterdir())
    except FileNotFoundError:
        return []
    names = set()
    for entry in entries:
        if entry.name.startswith(PREFIX):
            names.add(entry.name.removesuffix(LOCK))
        elif entry.name.startswith(LINK):
            names.add(PREFIX + entry.name.removeprefix(LINK))
    removed = []
    for name in sorted(names):
        path = versions / name
        try:
            fd = os.open(_lock_of(path), os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            for leftover in (path, link_of(path)):
                if _age(leftover) > UNLOCKED_STALE_AFTER:
                    _remove(leftover)
                    removed.append(leftover)
            continue
        except OSError:
            continue  # not ours to judge (a lock we may not open, or a lock file that is not a file)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held: the build is running (or locks do not work here: keep it)
                continue
            _remove(path)
            _remove(link_of(path))
            _remove(_lock_of(path))
            removed.append(path)
        finally:
            os.close(fd)
    return removed


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except FileNotFoundError:
        return -1.0


def _remove(path: Path) -> None:
    """Remove a leftover; one we may not remove (another user's) stays, and the build goes on."""
    with contextlib.suppress(OSError):
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)
