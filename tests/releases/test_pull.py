"""The app's side: the newest release pulled into the local cache with the build's own atomic swap, and
what it does when the bucket is away, a release is unfinished or a pulled package fails its check."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from pathlib import Path

import pytest

from etl import objectstore
from etl.objectstore import ReleaseError
from etl.publish import publish_release
from tests.releases.conftest import closed_endpoint, files_of, objects, put
from tracker import releases


def _mirror(url: str, tmp_path: Path, clock=None) -> releases.Mirror:
    return releases.Mirror(url, tmp_path / "cache", **({"clock": clock} if clock else {}))


def _serving(mirror: releases.Mirror) -> str | None:
    """The build the mirror serves once a look at the pointer (in the background if it serves one) is over."""
    mirror.refresh(0)
    mirror.wait()
    found = mirror.current()
    return None if found is None else json.loads((found / "manifest.json").read_text())["build_id"]


def _cache_versions(mirror: releases.Mirror) -> list[str]:
    """The version folders of the cache, and no staging leftovers beside them."""
    entries = sorted(p.name for p in (mirror.link.parent / ".current.versions").iterdir())
    assert not [n for n in entries if n.startswith(".")], entries  # staging, locks, swap links: all gone
    return entries


def test_publish_then_pull_gives_a_byte_identical_package(package_dir, release_url, tmp_path):
    build_id = publish_release(package_dir, release_url).build_id
    mirror = _mirror(release_url, tmp_path)
    assert _serving(mirror) == build_id
    assert mirror.link.is_symlink() and mirror.link.resolve().name == build_id  # the build's layout: link -> version
    assert files_of(mirror.link) == files_of(package_dir)
    assert _cache_versions(mirror) == [build_id]


def test_a_new_release_is_pulled_and_swapped_in(package_dir, honest_package, release_url, tmp_path):
    mirror = _mirror(release_url, tmp_path)
    first = publish_release(package_dir, release_url).build_id
    assert _serving(mirror) == first
    old_version = mirror.link.resolve()
    second = publish_release(honest_package, release_url).build_id
    assert _serving(mirror) == second
    assert files_of(mirror.link) == files_of(honest_package)
    assert old_version.is_dir()  # a session still reading the previous version keeps it (the last three are kept)
    assert sorted(_cache_versions(mirror)) == sorted([first, second])


def test_the_pointer_is_read_at_most_every_n_seconds(package_dir, honest_package, release_url, tmp_path):
    """A clock of the test's own: the pointer is looked at again once the interval has passed, not before."""
    now = [1000.0]
    mirror = _mirror(release_url, tmp_path, clock=lambda: now[0])
    first = publish_release(package_dir, release_url).build_id
    assert mirror.refresh(30) == mirror.link and _serving_id(mirror) == first  # the first pull: in this run
    second = publish_release(honest_package, release_url).build_id
    now[0] += 29
    mirror.refresh(30)
    mirror.wait()
    assert _serving_id(mirror) == first
    now[0] += 1
    assert mirror.refresh(30) == mirror.link  # the look runs in the background; this run reads what is there
    mirror.wait()
    assert _serving_id(mirror) == second


def _serving_id(mirror: releases.Mirror) -> str:
    return json.loads((mirror.link / "manifest.json").read_text())["build_id"]


def test_an_unreachable_bucket_keeps_the_last_release(package_dir, release_url, tmp_path, monkeypatch, caplog):
    mirror = _mirror(release_url, tmp_path)
    build_id = publish_release(package_dir, release_url).build_id
    assert _serving(mirror) == build_id
    monkeypatch.setenv("TRACKER_S3_ENDPOINT", closed_endpoint())
    with caplog.at_level(logging.WARNING, logger="tracker.releases"):
        assert _serving(mirror) == build_id
        with pytest.raises(OSError):
            mirror.pull()  # the bucket really is away
    assert f"serving build {build_id} pulled before" in caplog.text
    assert files_of(mirror.link) == files_of(package_dir)


def test_a_half_uploaded_release_is_never_served(package_dir, honest_package, release_url, s3, tmp_path):
    mirror = _mirror(release_url, tmp_path)
    first = publish_release(package_dir, release_url).build_id
    assert _serving(mirror) == first
    # a second release whose data files are up but not its manifest, the pointer not yet moved
    second = json.loads((honest_package / "manifest.json").read_text())["build_id"]
    for name, body in files_of(honest_package).items():
        if name != "manifest.json":
            put(s3, release_url, f"releases/{second}/{name}", body)
    assert _serving(mirror) == first
    # a pointer that names it anyway (written by hand, or by a tool that does not wait): still not served
    pointer = json.loads(objects(s3, release_url)["latest.json"])
    digests = {name: objectstore.file_digest(iter([body])) for name, body in files_of(honest_package).items()}
    put(s3, release_url, "latest.json", objectstore.pointer_body(second, digests))
    assert _serving(mirror) == first
    with pytest.raises(FileNotFoundError):
        mirror.pull()
    assert _cache_versions(mirror) == [first]
    # once its manifest is up, it is complete and pulled
    put(s3, release_url, f"releases/{second}/manifest.json", files_of(honest_package)["manifest.json"])
    assert _serving(mirror) == second
    assert pointer["build_id"] == first


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda body: body[:-1] + bytes([body[-1] ^ 1]), r"tracker\.duckdb does not match"),  # one bit
        (lambda body: body + b"\0" * 4096, r"tracker\.duckdb is larger than its pointer says"),  # cut short
    ],
    ids=["a-bit-flipped", "grown"],
)
def test_a_pulled_package_with_a_damaged_file_is_not_swapped_in(
    package_dir, honest_package, release_url, s3, tmp_path, damage, why
):
    mirror = _mirror(release_url, tmp_path)
    first = publish_release(package_dir, release_url).build_id
    assert _serving(mirror) == first
    second = publish_release(honest_package, release_url).build_id
    put(s3, release_url, f"releases/{second}/tracker.duckdb", damage(files_of(honest_package)["tracker.duckdb"]))
    assert _serving(mirror) == first
    with pytest.raises(ReleaseError, match=why):
        mirror.pull()
    assert _cache_versions(mirror) == [first]


def _republished(package: Path, target: Path, edit) -> Path:
    copy = shutil.copytree(package.resolve(), target)
    manifest = json.loads((copy / "manifest.json").read_text())
    edit(manifest)
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return copy


def test_a_pulled_package_the_app_cannot_read_is_not_swapped_in(package_dir, release_url, tmp_path):
    """Digests that match but a package of another layout (other code built it), or files that do not match
    the digests its own manifest lists: checked like any package before the swap, and refused."""
    mirror = _mirror(release_url, tmp_path)
    first = publish_release(package_dir, release_url).build_id
    assert _serving(mirror) == first

    def other_layout(m):
        m.update(build_id="otherlayout", layout=999)

    publish_release(_republished(package_dir, tmp_path / "other", other_layout), release_url)
    assert _serving(mirror) == first
    with pytest.raises(ReleaseError, match="another version of the code"):
        mirror.pull()

    def wrong_digest(m):
        m.update(build_id="wrongdigest", files={"facts.parquet": {"sha256": "0" * 64}})

    publish_release(_republished(package_dir, tmp_path / "wrong", wrong_digest), release_url)
    with pytest.raises(ReleaseError, match=r"facts\.parquet does not match the digest its manifest gives"):
        mirror.pull()
    assert _serving(mirror) == first

    def right_digest(m):
        digest = objectstore.file_digest(objectstore.local_chunks(package_dir / "facts.parquet"))["sha256"]
        m.update(build_id="rightdigest", files={"facts.parquet": digest})

    publish_release(_republished(package_dir, tmp_path / "right", right_digest), release_url)
    assert _serving(mirror) == "rightdigest"
    assert sorted(_cache_versions(mirror)) == sorted([first, "rightdigest"])


@pytest.mark.parametrize(
    "files",
    [
        {"../escape": {}, "manifest.json": {}, "tracker.duckdb": {}},
        {"manifest.json": {}},
        {"manifest.json": {"bytes": 1, "sha256": "x"}, "tracker.duckdb": {"bytes": 1, "sha256": "0" * 64}},
    ],
)
def test_a_pointer_that_is_not_one_is_refused(release_url, s3, tmp_path, files):
    """Names from the bucket become paths on the reader's disk: only plain file names, with their digests."""
    put(s3, release_url, "latest.json", json.dumps({"build_id": "b1", "files": files}).encode())
    mirror = _mirror(release_url, tmp_path)
    with pytest.raises(ReleaseError):
        mirror.pull()
    assert mirror.refresh(0) is None
    assert not (tmp_path / "escape").exists()


def test_no_release_yet(release_url, tmp_path):
    mirror = _mirror(release_url, tmp_path)
    with pytest.raises(ReleaseError, match="no release published yet"):
        mirror.pull()
    assert mirror.refresh(0) is None


def test_a_page_serving_a_release_never_waits_on_the_bucket(package_dir, release_url, tmp_path):
    """Once a release is served, the look at the pointer runs beside the page: a look that hangs (held
    here on an event) leaves refresh() answering with the release it has, and later looks are not piled up."""
    mirror = _mirror(release_url, tmp_path)
    first = publish_release(package_dir, release_url).build_id
    assert _serving(mirror) == first
    release, looks = threading.Event(), []

    def hanging_pull():
        looks.append(1)
        release.wait()

    mirror.pull = hanging_pull  # type: ignore[method-assign]
    try:
        assert mirror.refresh(0) == mirror.link
        assert mirror.refresh(0) == mirror.link  # while the first look hangs: no second one
        assert _serving_id(mirror) == first
    finally:
        release.set()
    mirror.wait()
    assert looks == [1]
