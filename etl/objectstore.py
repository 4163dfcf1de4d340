"""Releases in object storage: where they live and how the pointer to the newest one reads.

Layout under `s3://BUCKET/PREFIX`:

    PREFIX/releases/<build id>/<file>   a package, byte for byte as built; manifest.json uploaded last
    PREFIX/latest.json                  the pointer: which release is the newest, and each of its files'
                                        size and sha256 (written once the release is complete)

A release without its manifest is unfinished and is never served; one with it is never written
again. etl/publish.py writes releases, tracker/releases.py pulls them. Both reach the bucket through
pyarrow's S3 filesystem (a runtime dependency already: no boto3), with the standard AWS variables
for credentials and region, and TRACKER_S3_ENDPOINT for a server of one's own (MinIO, moto).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pyarrow import fs as pafs

from contract import MANIFEST, STORE

RELEASES = "releases"
POINTER = "latest.json"
CHUNK = 1 << 20
# a build id names a folder here and on the reader's disk: plain characters only (tracker/db.py Manifest)
BUILD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]{0,63}")
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# a request that hangs must not hold a page for long: the reader keeps serving what it has
CONNECT_TIMEOUT_S = 5
REQUEST_TIMEOUT_S = 30
ATTEMPTS = 3


class ReleaseError(Exception):
    """The bucket cannot be reached or holds no usable release; str() says what, in words."""


@dataclass(frozen=True)
class Location:
    """`s3://bucket/prefix` as paths of pyarrow's S3 filesystem ("bucket/prefix/...")."""

    bucket: str
    prefix: str  # without leading or trailing slashes; may be empty

    def path(self, *parts: str) -> str:
        return "/".join([self.bucket, *([self.prefix] if self.prefix else []), *parts])

    def pointer(self) -> str:
        return self.path(POINTER)

    def release(self, build_id: str, name: str | None = None) -> str:
        return self.path(RELEASES, build_id, *([name] if name else []))

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")


def parse_url(url: str) -> Location:
    """s3://BUCKET/PREFIX; ValueError says what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme != "s3" or parts.query or parts.fragment:
        raise ValueError(f"{url!r} is not an s3://BUCKET/PREFIX URL")
    if not BUCKET.fullmatch(parts.netloc):
        raise ValueError(f"{url!r} does not name a bucket (lowercase letters, digits, dots and dashes)")
    prefix = parts.path.strip("/")
    if prefix and any(p in ("", ".", "..") for p in prefix.split("/")):
        raise ValueError(f"{url!r} has an empty, '.' or '..' part in its prefix")
    return Location(parts.netloc, prefix)


def filesystem() -> pafs.S3FileSystem:
    """pyarrow's S3 filesystem from the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
    AWS_SESSION_TOKEN (else AWS's own chain: ~/.aws, an instance role), AWS_REGION or
    AWS_DEFAULT_REGION, and TRACKER_S3_ENDPOINT (`http://127.0.0.1:9000`) for a local server."""
    options: dict = {
        "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        "connect_timeout": CONNECT_TIMEOUT_S,
        "request_timeout": REQUEST_TIMEOUT_S,
        "retry_strategy": pafs.AwsStandardS3RetryStrategy(max_attempts=ATTEMPTS),
    }
    if os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        options["access_key"] = os.environ["AWS_ACCESS_KEY_ID"]
        options["secret_key"] = os.environ["AWS_SECRET_ACCESS_KEY"]
        options["session_token"] = os.environ.get("AWS_SESSION_TOKEN") or None
    endpoint = os.environ.get("TRACKER_S3_ENDPOINT", "").strip()
    if endpoint:
        split = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options["scheme"] = split.scheme
        options["endpoint_override"] = split.netloc
    return pafs.S3FileSystem(**options)


def exists(s3: pafs.FileSystem, path: str) -> bool:
    return s3.get_file_info(path).type == pafs.FileType.File


def file_digest(chunks: Iterator[bytes]) -> dict:
    """{"bytes": size, "sha256": hex} of a file read in chunks."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


def local_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def remote_chunks(s3: pafs.FileSystem, path: str) -> Iterator[bytes]:
    with s3.open_input_stream(path) as f:
        while chunk := f.read(CHUNK):
            yield chunk


def pointer_body(build_id: str, files: dict[str, dict]) -> bytes:
    body = {
        "build_id": build_id,
        "release": f"{RELEASES}/{build_id}/",
        "files": dict(sorted(files.items())),
        "published_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


def parse_pointer(raw: bytes) -> tuple[str, dict[str, dict]]:
    """The build id and files a pointer names, checked: ReleaseError when it is not one (names from the
    bucket become paths on the reader's disk, so only plain file names pass)."""
    try:
        found = json.loads(raw)
        build_id, files = found["build_id"], found["files"]
    except (ValueError, TypeError, KeyError) as exc:
        raise ReleaseError(f"{POINTER} is not a release pointer ({type(exc).__name__})") from None
    if not isinstance(build_id, str) or not BUILD_ID.fullmatch(build_id):
        raise ReleaseError(f"{POINTER} names no valid build id")
    if not isinstance(files, dict) or MANIFEST not in files or STORE not in files:
        raise ReleaseError(f"{POINTER} does not list the release's {MANIFEST} and {STORE}")
    for name, entry in files.items():
        if not (isinstance(name, str) and FILE_NAME.fullmatch(name) and name not in (".", "..")):
            raise ReleaseError(f"{POINTER} lists a file name that is not a plain name")
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("bytes"), int)
            and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        ):
            raise ReleaseError(f"{POINTER} gives no size and sha256 for {name}")
    return build_id, files
