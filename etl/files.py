"""Open annotation files safely: regular files inside the data folder, of a bounded size.

Anything else under `data/` would hurt the build: a named pipe (FIFO) blocks `open()` forever,
a link to `/dev/zero` reads until memory runs out, a dangling link is a traceback. So a path is
looked at with `lstat` before it is opened, and then opened without blocking and looked at
again through its descriptor (`fstat`), so a file swapped in between is caught as well.

A symlink is followed only when its target is a regular file inside the data folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from etl.problems import Problem

# One annotation file may hold at most this many bytes. The largest real file is ~60 KB and a
# synthetic 2,000-fact file (bench/synth.py) ~1.1 MB; beyond this a file is a mistake (or not
# an annotation file at all) and reading it would only cost memory. Split big files instead.
MAX_FILE_BYTES = 16 * 1024 * 1024

_WHAT = [  # (test, what the thing is), for the message
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]
_ADVICE = "annotations are read only from regular files inside the data folder"


class UnsafeFile(Exception):
    """A path that is not read: the message says what it is and what to do."""


def _kind(mode: int) -> str:
    return next((what for test, what in _WHAT if test(mode)), "not a regular file")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _too_big(n: int) -> str:
    return (
        f"file is {_size(n)}, over the limit of {_size(MAX_FILE_BYTES)} for one annotation file "
        f"(MAX_FILE_BYTES in etl/files.py); split it into several files"
    )


def check(path: Path, root: Path | None = None) -> Path:
    """The real path to open for `path`, after lstat/stat say it is safe; else UnsafeFile.

    With `root`, the file, links followed (its own or a folder's on the way), must be inside `root`
    (itself resolved, so a data folder reached through a link is fine)."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise UnsafeFile("file is missing") from None
    except OSError as exc:
        raise UnsafeFile(f"cannot read file: {exc.strerror}") from None
    real = path
    if stat.S_ISLNK(st.st_mode):
        target = os.readlink(path)
        try:
            real = path.resolve(strict=True)
            st = os.stat(real)
        except FileNotFoundError:
            raise UnsafeFile(
                f"symlink to {target!r}, which does not exist; {_ADVICE}: put the file itself here or remove the link"
            ) from None
        except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
            raise UnsafeFile(
                f"symlink to {target!r}, which cannot be followed (a loop of links?); {_ADVICE}: "
                "put the file itself here or remove the link"
            ) from None
        if root is not None and not real.is_relative_to(Path(root).resolve()):
            raise UnsafeFile(
                f"symlink to {str(real)!r}, outside the data folder; {_ADVICE}: copy the file in or remove the link"
            )
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFile(f"symlink to {str(real)!r}, which is {_kind(st.st_mode)}; {_ADVICE}: remove the link")
    elif not stat.S_ISREG(st.st_mode):
        raise UnsafeFile(f"this is {_kind(st.st_mode)}, not a regular file; {_ADVICE}: move it out of the data folder")
    elif root is not None:  # a linked folder on the way (data/facts -> elsewhere) leads out as well
        real = path.resolve()
        if not real.is_relative_to(Path(root).resolve()):
            raise UnsafeFile(
                f"reached through a symlinked folder, this is {str(real)!r}, outside the data folder; "
                f"{_ADVICE}: copy the files in or remove the link"
            )
    if st.st_size > MAX_FILE_BYTES:
        raise UnsafeFile(_too_big(st.st_size))
    return real


def readable(paths: list[Path], root: Path, label: Callable[[Path], str]) -> tuple[list[Path], list[Problem]]:
    """The paths that are safe to read, in order, and a problem naming each of the others."""
    ok, problems = [], []
    for path in paths:
        try:
            check(path, root)
            ok.append(path)
        except UnsafeFile as exc:
            problems.append(Problem(label(path), None, None, None, str(exc)))
    return ok, problems


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """The bytes of a checked file. Raises UnsafeFile (never blocks, never reads past the limit)."""
    real = check(path, root)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise UnsafeFile(f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped since the check
            raise UnsafeFile(
                f"this is {_kind(st.st_mode)}, not a regular file; {_ADVICE}: move it out of the data folder"
            )
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # grew since the check
        raise UnsafeFile(_too_big(len(data)))
    return data


def read_text(path: Path, root: Path | None = None) -> str:
    """The UTF-8 text of a checked file, newlines as text mode reads them (CRLF and CR become LF).
    Raises UnsafeFile or UnicodeDecodeError."""
    return read_bytes(path, root).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
