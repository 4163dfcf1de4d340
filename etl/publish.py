"""`python -m etl publish --to s3://BUCKET/PREFIX`: a built package uploaded as an immutable release.

Order is what makes it safe to read while it is written (etl/objectstore.py has the layout):
1. every file of the package but its manifest, to `PREFIX/releases/<build id>/`;
2. the manifest, last: from now on the release is complete and never written again;
3. the pointer `PREFIX/latest.json`, naming the release with each file's size and sha256.
A publish that dies part-way leaves an unfinished release (no manifest) that no reader serves and the
pointer where it was; publishing again finishes it. Publishing a build that is already the latest
does nothing; publishing an older complete build again uploads nothing and points latest.json back at
it (a rollback). One publisher at a time per prefix (a CI job): S3 has no "create only if absent" that
pyarrow offers, so two publishers of the same build could interleave their uploads; a reader would
then find digests that do not match and keep serving what it has.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pyarrow import fs as pafs

from contract import MANIFEST, STORE
from etl import objectstore
from etl.objectstore import Location, ReleaseError

POINTER_METADATA = {"Content-Type": "application/json", "Cache-Control": "no-cache"}


@dataclass(frozen=True)
class Published:
    build_id: str
    location: Location
    uploaded: int  # files uploaded (0: the release was there already)
    uploaded_bytes: int
    pointer_moved: bool  # latest.json names this build now and did not before

    def summary(self) -> str:
        where = f"{self.location}/{objectstore.RELEASES}/{self.build_id}/"
        if self.uploaded:
            return (
                f"published build {self.build_id} to {where} ({self.uploaded} files, "
                f"{self.uploaded_bytes / 1e6:.1f} MB); {objectstore.POINTER} names it"
            )
        if self.pointer_moved:
            return f"build {self.build_id} was published before ({where}): nothing uploaded; {objectstore.POINTER} names it again"
        return f"build {self.build_id} is already the latest release at {self.location}: nothing to do"


def package_files(package: Path) -> tuple[str, list[Path]]:
    """The build id and files of a built package (the manifest last); ReleaseError when it is not one."""
    directory = package.resolve()
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        build_id = manifest["build_id"]
    except (OSError, ValueError, TypeError, KeyError):
        raise ReleaseError(
            f"{package} holds no built package (no readable {MANIFEST}); run python -m etl build"
        ) from None
    if not isinstance(build_id, str) or not objectstore.BUILD_ID.fullmatch(build_id):
        raise ReleaseError(f"{package}/{MANIFEST} has no valid build_id")
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.name != MANIFEST)
    if not (directory / STORE).is_file():
        raise ReleaseError(f"{package} has no {STORE}; run python -m etl build")
    bad = [p.name for p in files if not objectstore.FILE_NAME.fullmatch(p.name)]
    if bad:
        raise ReleaseError(f"{package} holds files a release cannot name: {', '.join(bad)}")
    return build_id, [*files, directory / MANIFEST]


def _upload(s3: pafs.FileSystem, source: Path, target: str) -> dict:
    with s3.open_output_stream(target) as out:

        def sent():
            for chunk in objectstore.local_chunks(source):
                out.write(chunk)
                yield chunk

        return objectstore.file_digest(sent())


def _remote_files(s3: pafs.FileSystem, location: Location, build_id: str) -> dict[str, dict]:
    """Size and sha256 of every file of a complete release, read back from the bucket."""
    listed = s3.get_file_info(pafs.FileSelector(location.release(build_id)))
    return {
        info.base_name: objectstore.file_digest(objectstore.remote_chunks(s3, info.path))
        for info in listed
        if info.type == pafs.FileType.File
    }


def _latest(s3: pafs.FileSystem, location: Location) -> str | None:
    """The build id latest.json names now (None: no pointer, or not one)."""
    if not objectstore.exists(s3, location.pointer()):
        return None
    with s3.open_input_stream(location.pointer()) as f:
        raw = f.read()
    try:
        return objectstore.parse_pointer(raw)[0]
    except ReleaseError:
        return None


def publish_release(package: Path, url: str, s3: pafs.FileSystem | None = None) -> Published:
    """Upload `package` as the release of its build under `url` and point latest.json at it."""
    location = objectstore.parse_url(url)
    build_id, files = package_files(package)
    s3 = s3 or objectstore.filesystem()
    try:
        complete = objectstore.exists(s3, location.release(build_id, MANIFEST))
        if complete and _latest(s3, location) == build_id:
            return Published(build_id, location, 0, 0, False)
        if complete:
            digests = _remote_files(s3, location, build_id)
        else:  # new, or left unfinished by a publish that died: every file again, the manifest last
            digests = {path.name: _upload(s3, path, location.release(build_id, path.name)) for path in files}
        # readers poll it: a cache in front of the bucket must not hold an old one
        with s3.open_output_stream(location.pointer(), metadata=POINTER_METADATA) as out:
            out.write(objectstore.pointer_body(build_id, digests))
    except OSError as exc:
        raise ReleaseError(f"cannot publish to {location}: {exc}") from None
    uploaded = 0 if complete else len(files)
    return Published(build_id, location, uploaded, 0 if complete else sum(d["bytes"] for d in digests.values()), True)
