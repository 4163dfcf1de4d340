"""An S3 server of our own for the release tests: moto's server mode on 127.0.0.1, a free port, started
and stopped here (moto is pinned in requirements-dev.txt; without it these tests skip, but fail in CI).

Each test gets a bucket of its own, its own release cache and a pointer checked on every page run
(TRACKER_RELEASE_CHECK_SECONDS=0), so nothing waits on a clock."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest
from pyarrow import fs as pafs

from bench.loopback_s3 import KEY, admin, moto_server


@pytest.fixture(scope="session")
def s3_endpoint():
    """http://127.0.0.1:<port> of a moto server running for the session. Without moto these tests skip,
    except in CI (CI=true), where requirements-dev.txt is installed and a missing moto is a failure."""
    try:
        import moto.server  # noqa: F401
    except ImportError as exc:
        reason = f"moto[server] is not installed (requirements-dev.txt): {exc}"
        if os.environ.get("CI"):
            pytest.fail(f"the release tests must run in CI: {reason}")
        pytest.skip(reason)
    with moto_server() as endpoint:
        yield endpoint


def closed_endpoint() -> str:
    """A loopback address where nothing listens: a bucket that cannot be reached."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def s3(s3_endpoint) -> pafs.S3FileSystem:
    return admin(s3_endpoint)


@pytest.fixture
def release_url(s3_endpoint, s3, monkeypatch, tmp_path: Path):
    """s3://<a new bucket>/tracker, with the environment the app and `etl publish` read set to it."""
    for name, value in KEY.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask for an instance role
    monkeypatch.setenv("TRACKER_S3_ENDPOINT", s3_endpoint)
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRACKER_RELEASE_CHECK_SECONDS", "0")
    monkeypatch.delenv("TRACKER_DATA_DIR", raising=False)
    bucket = f"releases-{uuid.uuid4().hex[:12]}"
    s3.create_dir(bucket)
    url = f"s3://{bucket}/tracker"
    monkeypatch.setenv("TRACKER_DATA_URL", url)
    yield url
    from tracker import releases

    for mirror in list(releases._mirrors.values()):
        mirror.wait()  # no pull of this test's left running into the next


def files_of(directory: Path) -> dict[str, bytes]:
    """Every file of a package folder, by name."""
    return {p.name: p.read_bytes() for p in sorted(directory.resolve().iterdir()) if p.is_file()}


def objects(s3: pafs.S3FileSystem, url: str) -> dict[str, bytes]:
    """Every object under an s3:// URL, by key below it."""
    base = url.removeprefix("s3://").rstrip("/")
    found = {}
    for info in s3.get_file_info(pafs.FileSelector(base, recursive=True)):
        if info.type == pafs.FileType.File:
            with s3.open_input_stream(info.path) as f:
                found[info.path.removeprefix(base + "/")] = f.read()
    return found


def put(s3: pafs.S3FileSystem, url: str, key: str, body: bytes) -> None:
    with s3.open_output_stream(url.removeprefix("s3://").rstrip("/") + "/" + key) as f:
        f.write(body)
