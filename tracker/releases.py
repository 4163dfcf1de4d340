"""The app's package from object storage: with TRACKER_DATA_URL=s3://BUCKET/PREFIX, the newest release
(`python -m etl publish`, layout in etl/objectstore.py) is pulled into a local cache folder and read
there exactly like a local package.

A pull is the build's own atomic swap (etl/versions.py): the release's files are downloaded into a
locked staging folder beside the cache's versions, each checked against the size and sha256 the
pointer gives (and the manifest's own digests when it lists them), the package checked as the app
checks any package (tracker/db.py: manifest, store, layout), and only then is the `current` link
swapped to it. A release that fails any of that is never swapped in; one without its manifest (still
being uploaded) fails it. The pointer is read at most every TRACKER_RELEASE_CHECK_SECONDS (30), started
by a page run and done in the background while a release is being served (only the very first pull
holds a page); when the bucket cannot be reached or the pull fails, the app keeps serving what it
pulled before and logs why. Per-build caches (tracker/data.py) key on the version folder and the build id, so
a new release shows on the next rerun without a restart.

No Streamlit here: page runs call local_release() through tracker.data.package().
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from contract import MANIFEST
from etl import objectstore
from etl.objectstore import ReleaseError
from etl.staging import stage
from etl.versions import swap_in, versions_of
from tracker import db

log = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = db.PROJECT / ".cache" / "releases"
DEFAULT_CHECK_SECONDS = 30.0

NO_RELEASE = (
    "There is no data release to show yet: none has been published where the app is set to read releases "
    "(TRACKER_DATA_URL), or that bucket cannot be reached. Publish one with "
    "`python -m etl publish --to s3://BUCKET/PREFIX`, check TRACKER_DATA_URL, TRACKER_S3_ENDPOINT and the AWS "
    "credentials, then reload this page. To read a locally built package instead, unset TRACKER_DATA_URL "
    "and run `python -m etl build`."
)
BAD_URL = (
    "TRACKER_DATA_URL is not an s3://BUCKET/PREFIX address, so no release can be read. Fix it (or unset it to "
    "read a locally built package), then restart the app."
)


def configured() -> str | None:
    """The s3:// URL releases are read from, or None: the local package (TRACKER_DATA_DIR) is read."""
    return os.environ.get("TRACKER_DATA_URL", "").strip() or None


def cache_dir() -> Path:
    return Path(os.environ.get("TRACKER_CACHE_DIR") or DEFAULT_CACHE_DIR)


def check_seconds() -> float:
    raw = os.environ.get("TRACKER_RELEASE_CHECK_SECONDS", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else DEFAULT_CHECK_SECONDS
    except ValueError:
        log.warning("TRACKER_RELEASE_CHECK_SECONDS=%r is not a number; checking every %s s", raw, DEFAULT_CHECK_SECONDS)
        return DEFAULT_CHECK_SECONDS


def _build_id(directory: Path) -> str | None:
    try:
        found = json.loads((directory / MANIFEST).read_text(encoding="utf-8")).get("build_id")
    except (OSError, ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def _manifest_digests(manifest: dict) -> dict[str, str]:
    """File name -> sha256 from a manifest that lists its files' digests (`files`: name -> sha256, or
    name -> {"sha256": ...}); empty when it lists none."""
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        return {}
    digests = {}
    for name, entry in listed.items():
        value = entry.get("sha256") if isinstance(entry, dict) else entry
        if isinstance(value, str):
            digests[str(name)] = value.lower()
    return digests


def check_pulled(directory: Path, build_id: str, sha256: dict[str, str]) -> None:
    """A downloaded release is the package the pointer names and one this app can read; ReleaseError
    says why not. `sha256`: each downloaded file's digest."""
    try:
        pkg = db.current_package(directory)
    except db.PackageMissing as exc:
        raise ReleaseError(f"release {build_id} is not a package this app can read: {exc}") from None
    if pkg.build_id != build_id:
        raise ReleaseError(f"release {build_id} holds the manifest of build {pkg.build_id}")
    for name, expected in _manifest_digests(pkg.manifest).items():
        if sha256.get(name) != expected:
            raise ReleaseError(f"release {build_id}: {name} does not match the digest its manifest gives")


class Mirror:
    """One s3:// location kept in one local folder: `<cache>/<hash of the URL>/current`."""

    def __init__(self, url: str, cache: Path, clock: Callable[[], float] = time.monotonic):
        self.url = url
        self.location = objectstore.parse_url(url)  # ValueError for a malformed URL
        # s3://b/p and s3://b/p/ are one place, so one cache folder
        self.link = cache / hashlib.sha256(str(self.location).encode()).hexdigest()[:16] / "current"
        self._clock = clock
        self._lock = threading.Lock()
        self._checked_at: float | None = None

    def current(self) -> Path | None:
        """The release pulled last, or None before the first."""
        return self.link if (self.link / MANIFEST).is_file() else None

    def _due(self, every: float) -> bool:
        return self._checked_at is None or self._clock() - self._checked_at >= every

    def refresh(self, every: float) -> Path | None:
        """The release to read now. If no look at the pointer was taken in the last `every` seconds, one
        is: in the background while a release is being served (a page never waits on the bucket), in
        this run when there is none yet. Never raises for the bucket: a failed look is logged, and what
        was pulled before stays. One look at a time; wait() waits for it."""
        have = self.current()
        if self._due(every) and self._lock.acquire(blocking=False):
            if not self._due(every):  # another thread looked while this one was getting here
                self._lock.release()
            elif have is None:
                self._checked_at = self._clock()
                try:
                    self._pull_logged()
                finally:
                    self._lock.release()
            else:
                self._checked_at = self._clock()
                try:
                    threading.Thread(target=self._pull_and_release, name="release-pull", daemon=True).start()
                except RuntimeError:  # no thread to be had: look again next time
                    self._lock.release()
        elif have is None:
            self.wait()  # another thread is pulling the first release: read it when it is there
        return self.current()

    def wait(self, timeout: float | None = None) -> None:
        """Wait until no look at the pointer is under way (at most `timeout` seconds)."""
        if self._lock.acquire(timeout=-1 if timeout is None else timeout):
            self._lock.release()

    def _pull_and_release(self) -> None:
        try:
            self._pull_logged()
        finally:
            self._lock.release()  # acquired by the page run that started this thread

    def _pull_logged(self) -> None:
        try:
            pulled = self.pull()
        except Exception as exc:  # whatever fails, the release served before stays (and the log says why)
            if not isinstance(exc, (ReleaseError, OSError)):
                log.exception("Pulling a release from %s failed unexpectedly", self.location)
            have = self.current()
            log.warning(
                "No new release from %s (%s: %s); %s",
                self.location,
                type(exc).__name__,
                exc,
                f"serving build {_build_id(have)} pulled before" if have else "no release pulled yet",
            )
            return
        if pulled:
            log.info("Pulled release %s from %s into %s", pulled, self.location, self.link)

    def pull(self) -> str | None:
        """Pull the release the pointer names unless it is the one here: its build id, or None when
        nothing changed. Raises ReleaseError or OSError (unreachable, missing or damaged objects)."""
        s3 = objectstore.filesystem()
        try:
            with s3.open_input_stream(self.location.pointer()) as f:
                raw = f.read()
        except FileNotFoundError:
            raise ReleaseError(f"no release published yet (no {objectstore.POINTER})") from None
        build_id, files = objectstore.parse_pointer(raw)
        have = self.current()
        if have is not None and _build_id(have) == build_id:
            return None
        versions = versions_of(self.link)
        versions.mkdir(parents=True, exist_ok=True)
        held = stage(versions)  # removes what pulls that died left behind (etl/staging.py)
        try:
            sha256 = {}
            for name, expected in files.items():
                got = _download(s3, self.location.release(build_id, name), held.path / name, expected["bytes"])
                if got != {"bytes": expected["bytes"], "sha256": expected["sha256"]}:
                    raise ReleaseError(f"release {build_id}: {name} does not match the size and digest of its pointer")
                sha256[name] = got["sha256"]
            check_pulled(held.path, build_id, sha256)
            swap_in(held.path, self.link, build_id)
        finally:
            held.release()
        return build_id


def _download(s3, source: str, target: Path, expected_bytes: int) -> dict:
    """Copy one object to `target`: its size and sha256. One larger than its pointer says is cut short."""
    with open(target, "wb") as out:

        def received():
            size = 0
            for chunk in objectstore.remote_chunks(s3, source):
                size += len(chunk)
                if size > expected_bytes:
                    raise ReleaseError(f"{source.rsplit('/', 1)[-1]} is larger than its pointer says")
                out.write(chunk)
                yield chunk

        return objectstore.file_digest(received())


_mirrors: dict[tuple[str, Path], Mirror] = {}
_mirrors_lock = threading.Lock()


@atexit.register
def _wait_for_pulls() -> None:
    """A pull still under way at exit finishes first: pyarrow's S3 is shut down by its own atexit hook,
    registered when pyarrow.fs is imported (before this one, so run after it)."""
    for found in list(_mirrors.values()):
        found.wait(objectstore.REQUEST_TIMEOUT_S)


def mirror(url: str, cache: Path) -> Mirror:
    """The one Mirror of this URL and cache folder in this process (its clock and lock are shared by
    every session)."""
    with _mirrors_lock:
        key = (url, cache.absolute())
        if key not in _mirrors:
            _mirrors[key] = Mirror(url, key[1])
        return _mirrors[key]


def local_release() -> Path:
    """The folder of the release to read now (a link: tracker/db.py resolves it). PackageMissing, with a
    message for visitors (no bucket, no path), when no release has been pulled."""
    url = configured()
    if url is None:
        raise db.PackageMissing(NO_RELEASE)
    try:
        found = mirror(url, cache_dir()).refresh(check_seconds())
    except ValueError as exc:
        log.error("TRACKER_DATA_URL: %s", exc)
        raise db.PackageMissing(BAD_URL) from None
    if found is None:
        raise db.PackageMissing(NO_RELEASE)
    return found
