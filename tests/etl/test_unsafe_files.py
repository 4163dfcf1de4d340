"""Issue #12: only regular files inside the data folder are read, and only up to a size.

A FIFO under data/ used to hang the build, a link to /dev/zero to read until memory ran out, a
dangling link to end in a traceback. Each case runs `python -m etl build` in a subprocess with a
timeout and a memory cap, so a regression fails the test instead of hanging or starving the machine.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from etl.cli import main
from tests.conftest import FIXTURE_CORPUS, ROOT

TIMEOUT = 60  # seconds; a fixture build takes about one
MEMORY = 4 * 1024**3  # address space of the build; a fixture build peaks near 2.2 GB (thread arenas)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def build(data_dir: Path, out: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "etl",
                "--data",
                str(data_dir),
                "--corpus",
                str(FIXTURE_CORPUS),
                "build",
                "--out",
                str(out),
            ],
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=TIMEOUT,
            preexec_fn=_cap_memory,
            env={**os.environ},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not end within {TIMEOUT} s (it blocked on a file it should not open)")


def _dangling(d: Path) -> None:
    (d / "sources" / "zz.yml").symlink_to(d.parent / "nowhere.yml")


def _fifo(d: Path) -> None:
    os.mkfifo(d / "sources" / "zz.yml")


def _dev_zero(d: Path) -> None:
    (d / "sources" / "zz.yml").symlink_to("/dev/zero")


def _outside(d: Path) -> None:
    outside = d.parent / "elsewhere.yml"
    outside.write_text((d / "sources" / "fx-later-report.yml").read_text())
    (d / "sources" / "fx-later-report.yml").unlink()
    (d / "sources" / "zz.yml").symlink_to(outside)


def _folder_outside(d: Path) -> None:
    shutil.move(d / "sources", d.parent / "facts-elsewhere")
    (d / "sources").symlink_to(d.parent / "facts-elsewhere")


def _directory(d: Path) -> None:
    (d / "sources" / "zz.yml").mkdir()


def _socket(d: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(d / "sources" / "zz.yml"))
    except OSError as exc:  # a path too long for a socket address
        pytest.skip(f"cannot make a socket here: {exc}")
    finally:
        s.close()


def _loop(d: Path) -> None:
    (d / "sources" / "zz.yml").symlink_to("zz.yml")


def _rates_fifo(d: Path) -> None:
    (d / "rates.yml").unlink()
    os.mkfifo(d / "rates.yml")


def _units_dev_zero(d: Path) -> None:
    (d / "units.yml").unlink()
    (d / "units.yml").symlink_to("/dev/zero")


CASES = [
    pytest.param(_dangling, "data/sources/zz.yml", "which does not exist", id="dangling-symlink"),
    pytest.param(_fifo, "data/sources/zz.yml", "this is a named pipe (FIFO), not a regular file", id="fifo"),
    pytest.param(_dev_zero, "data/sources/zz.yml", "symlink to '/dev/zero', outside the data folder", id="dev-zero"),
    pytest.param(_outside, "data/sources/zz.yml", "outside the data folder", id="symlink-outside"),
    pytest.param(
        _folder_outside, "data/sources/fx-later-report.yml", "reached through a symlinked folder", id="folder-outside"
    ),
    pytest.param(_directory, "data/sources/zz.yml", "this is a directory, not a regular file", id="directory"),
    pytest.param(_socket, "data/sources/zz.yml", "this is a socket, not a regular file", id="socket"),
    pytest.param(_loop, "data/sources/zz.yml", "cannot be followed", id="symlink-loop"),
    pytest.param(_rates_fifo, "data/rates.yml", "this is a named pipe (FIFO)", id="rates-fifo"),
    pytest.param(_units_dev_zero, "data/units.yml", "symlink to '/dev/zero'", id="units-dev-zero"),
]


@pytest.mark.parametrize("make, where, message", CASES)
def test_a_file_that_is_not_a_regular_file_is_refused_by_name(data_dir, tmp_path, make, where, message):
    out = tmp_path / "build"
    make(data_dir)
    proc = build(data_dir, out)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    said = [line for line in proc.stderr.splitlines() if line.startswith(f"error: {where}: ")]
    assert len(said) == 1 and message in said[0], proc.stderr
    assert "regular files inside the data folder" in said[0]
    assert not out.exists()


def test_a_data_folder_reached_through_a_symlink_is_read(data_dir, tmp_path):
    (tmp_path / "linked").symlink_to(data_dir)
    proc = build(tmp_path / "linked", tmp_path / "build")
    assert proc.returncode == 0, proc.stderr


def test_a_symlink_to_a_file_inside_the_data_folder_is_read(data_dir, tmp_path):
    kept = data_dir / "kept"
    kept.mkdir()
    (data_dir / "sources" / "fx-later-report.yml").rename(kept / "fx-later-report.yml")
    (data_dir / "sources" / "fx-later-report.yml").symlink_to(Path("..") / "kept" / "fx-later-report.yml")
    proc = build(data_dir, tmp_path / "build")
    assert proc.returncode == 0, proc.stderr
    assert "9 facts" in proc.stdout


def test_a_file_over_the_size_limit_is_refused(data_dir, capsys, monkeypatch):
    """In-process with a small limit: a regular file cannot block, only cost memory."""
    import etl.files

    size = (data_dir / "sources" / "fx-later-report.yml").stat().st_size
    monkeypatch.setattr(etl.files, "MAX_FILE_BYTES", size - 1)
    code = main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: data/sources/fx-later-report.yml: file is " in err and "over the limit of" in err
    assert "split it into several files" in err


def test_the_limit_leaves_room_for_real_files():
    import etl.files

    biggest = max(p.stat().st_size for p in (ROOT / "data").rglob("*.yml"))
    assert biggest * 100 < etl.files.MAX_FILE_BYTES
