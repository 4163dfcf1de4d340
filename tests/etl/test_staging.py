"""Issue #12: a killed build's staging directory is removed by the next build; a running one's is kept.

A real build runs in a subprocess and pauses once its staging directory holds the tables (it
waits for a "go" file); the test then kills it with SIGKILL, or builds beside it and lets it go on.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from etl.build import build
from etl.checks import check_package
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA, ROOT

TIMEOUT = 60

PAUSED_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import etl.build

    real = etl.build.write_store
    def paused(staging):
        real(staging)
        print(staging, flush=True)
        go, deadline = Path(sys.argv[4]), time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    etl.build.write_store = paused
    etl.build.build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
""")


class PausedBuild:
    """A build in a subprocess, stopped inside its staging directory until `go()`."""

    def __init__(self, data: Path, out: Path, tmp: Path):
        self.go_file = tmp / "go"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PAUSED_BUILD, str(data), str(out), str(FIXTURE_CORPUS), str(self.go_file)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        line = self.proc.stdout.readline().strip() if ready else ""
        if not line:
            self.kill()
            pytest.fail(f"the paused build did not reach its staging directory: {self.proc.stderr.read()[-2000:]}")
        self.staging = Path(line)
        assert (self.staging / "facts.parquet").is_file()

    def go(self) -> int:
        self.go_file.touch()
        return self.proc.wait(TIMEOUT)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(TIMEOUT)


def _leftovers(versions: Path) -> list[str]:
    return sorted(p.name for p in versions.iterdir() if p.name.startswith((".staging-", ".link-", ".trash-")))


def test_the_next_build_removes_what_a_killed_build_left(tmp_path):
    out = tmp_path / "build"
    killed = PausedBuild(FIXTURE_DATA, out, tmp_path)
    killed.kill()
    assert killed.staging.is_dir()  # what a killed build leaves behind
    build(FIXTURE_DATA, out, FIXTURE_CORPUS)
    assert not killed.staging.exists()
    assert _leftovers(tmp_path / ".build.versions") == []
    assert check_package(out) == []


def test_a_running_builds_staging_is_kept(tmp_path, data_dir):
    out = tmp_path / "build"
    running = PausedBuild(FIXTURE_DATA, out, tmp_path)
    try:
        facts = data_dir / "sources" / "fx-december-rules.yml"  # another build id: both publish
        facts.write_text(facts.read_text().replace("title: TSMC in mass production at 3nm", "title: TSMC makes 3nm"))
        build(data_dir, out, FIXTURE_CORPUS)
        assert running.staging.is_dir() and (running.staging / "facts.parquet").is_file()
        assert running.go() == 0, running.proc.stderr.read()[-2000:]
    finally:
        if running.proc.poll() is None:
            running.kill()
    assert check_package(out) == []
    assert _leftovers(tmp_path / ".build.versions") == []


def test_leftovers_from_before_the_locks_are_removed_once_old(tmp_path):
    """A staging directory or swap link with no lock file (an older build's) goes after an hour."""
    from etl.staging import UNLOCKED_STALE_AFTER

    versions = tmp_path / ".build.versions"
    versions.mkdir()
    old_dir, old_link, fresh = versions / ".staging-k2jd9x", versions / ".link-4242", versions / ".staging-fresh1"
    old_dir.mkdir()
    (old_dir / "facts.parquet").write_bytes(b"half written")
    old_link.symlink_to("nowhere")
    fresh.mkdir()
    long_ago = time.time() - UNLOCKED_STALE_AFTER - 60
    os.utime(old_dir, (long_ago, long_ago))
    os.utime(old_link, (long_ago, long_ago), follow_symlinks=False)
    build(FIXTURE_DATA, tmp_path / "build", FIXTURE_CORPUS)
    assert _leftovers(versions) == [".staging-fresh1"]  # it may belong to an older build still running


def test_a_stale_lock_file_alone_is_removed(tmp_path):
    """Killed between taking the lock and making the directory: only the lock file is left."""
    versions = tmp_path / ".build.versions"
    versions.mkdir()
    (versions / ".staging-99-0badf00d.lock").touch()
    build(FIXTURE_DATA, tmp_path / "build", FIXTURE_CORPUS)
    assert _leftovers(versions) == []
