"""`python -m etl publish`: a built package becomes an immutable release, manifest last, then the pointer."""

from __future__ import annotations

import json
import shutil

import pytest

from etl.cli import main
from etl.objectstore import ReleaseError, parse_url
from etl.publish import publish_release
from tests.releases.conftest import files_of, objects


class Recording:
    """The S3 filesystem, with every object it writes recorded in order (and one write that fails)."""

    def __init__(self, s3, fail_on: str | None = None):
        self._s3, self.fail_on, self.written = s3, fail_on, []

    def open_output_stream(self, path, *args, **kwargs):
        if self.fail_on and path.endswith("/" + self.fail_on):
            raise OSError(f"connection lost while uploading {self.fail_on}")
        self.written.append(path.rsplit("/", 1)[-1])
        return self._s3.open_output_stream(path, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._s3, name)


def _pointer(s3, url) -> dict:
    return json.loads(objects(s3, url)["latest.json"])


def test_publish_uploads_every_file_then_the_manifest_then_the_pointer(package_dir, release_url, s3):
    recording = Recording(s3)
    published = publish_release(package_dir, release_url, recording)
    package = files_of(package_dir)
    build_id = published.build_id
    assert published.uploaded == len(package) and published.pointer_moved
    # the release is the package byte for byte, and nothing else is in the bucket but the pointer
    stored = objects(s3, release_url)
    assert stored.keys() == {f"releases/{build_id}/{name}" for name in package} | {"latest.json"}
    assert all(stored[f"releases/{build_id}/{name}"] == body for name, body in package.items())
    # every data file first, the manifest last of the release, the pointer after it
    assert recording.written[-2:] == ["manifest.json", "latest.json"]
    assert sorted(recording.written[:-2]) == sorted(n for n in package if n != "manifest.json")
    pointer = _pointer(s3, release_url)
    assert pointer["build_id"] == build_id and pointer["release"] == f"releases/{build_id}/"
    assert set(pointer["files"]) == set(package)
    with s3.open_input_stream(release_url.removeprefix("s3://") + "/latest.json") as f:
        headers = f.metadata()
    assert headers["Content-Type"] == b"application/json" and headers["Cache-Control"] == b"no-cache"


def test_publishing_the_same_build_twice_is_a_no_op(package_dir, release_url, s3):
    publish_release(package_dir, release_url)
    before = objects(s3, release_url)
    recording = Recording(s3)
    again = publish_release(package_dir, release_url, recording)
    assert (again.uploaded, again.pointer_moved) == (0, False)
    assert recording.written == []  # not one object written, the pointer included
    assert objects(s3, release_url) == before
    assert "nothing to do" in again.summary()


def test_a_release_is_never_overwritten(package_dir, honest_package, release_url, s3, tmp_path):
    """A package of the same build id with other bytes (rebuilt at another time) uploads nothing; publishing
    an older build again points latest.json back at it (a rollback) and leaves its files as they were."""
    first = publish_release(package_dir, release_url)
    released = objects(s3, release_url)
    rebuilt = shutil.copytree(package_dir.resolve(), tmp_path / "rebuilt")
    manifest = json.loads((rebuilt / "manifest.json").read_text())
    manifest["built_at"] = "2030-01-01T00:00:00+00:00"
    (rebuilt / "manifest.json").write_text(json.dumps(manifest))
    (rebuilt / "facts.parquet").write_bytes(b"other bytes")
    assert publish_release(rebuilt, release_url).uploaded == 0
    assert objects(s3, release_url) == released

    second = publish_release(honest_package, release_url)
    assert second.build_id != first.build_id and _pointer(s3, release_url)["build_id"] == second.build_id
    recording = Recording(s3)
    back = publish_release(rebuilt, release_url, recording)
    assert (back.uploaded, back.pointer_moved) == (0, True) and recording.written == ["latest.json"]
    after = objects(s3, release_url)
    assert {k: v for k, v in after.items() if k.startswith(f"releases/{first.build_id}/")} == {
        k: v for k, v in released.items() if k != "latest.json"
    }
    pointer = _pointer(s3, release_url)
    assert pointer["build_id"] == first.build_id
    # the pointer describes the release in the bucket (the original manifest), not the local rebuild
    assert pointer["files"] == json.loads(released["latest.json"])["files"]


def test_a_publish_that_dies_before_the_manifest_leaves_the_pointer_and_the_next_one_finishes(
    package_dir, honest_package, release_url, s3
):
    first = publish_release(package_dir, release_url)
    with pytest.raises(ReleaseError, match="cannot publish"):
        publish_release(honest_package, release_url, Recording(s3, fail_on="manifest.json"))
    stored = objects(s3, release_url)
    unfinished = [k for k in stored if k.startswith("releases/") and not k.startswith(f"releases/{first.build_id}/")]
    assert unfinished and not any(k.endswith("manifest.json") for k in unfinished)  # data files, no manifest
    assert _pointer(s3, release_url)["build_id"] == first.build_id  # the pointer never moved

    finished = publish_release(honest_package, release_url)
    assert finished.uploaded == len(files_of(honest_package))
    assert _pointer(s3, release_url)["build_id"] == finished.build_id


def test_the_publish_command(package_dir, release_url, s3, tmp_path, capsys):
    assert main(["publish", "--to", release_url, "--package", str(package_dir)]) == 0
    out = capsys.readouterr().out
    build_id = _pointer(s3, release_url)["build_id"]
    assert f"published build {build_id}" in out and "latest.json names it" in out
    assert main(["publish", "--to", release_url, "--package", str(package_dir)]) == 0
    assert "nothing to do" in capsys.readouterr().out

    assert main(["publish", "--to", "https://example.org/x", "--package", str(package_dir)]) == 1
    assert "is not an s3://BUCKET/PREFIX URL" in capsys.readouterr().err
    assert main(["publish", "--to", release_url, "--package", str(tmp_path / "none")]) == 1
    assert "holds no built package" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "bucket", "prefix"),
    [("s3://bkt/a/b/", "bkt", "a/b"), ("s3://bkt", "bkt", ""), ("s3://my.bucket-1/p", "my.bucket-1", "p")],
)
def test_release_urls(url, bucket, prefix):
    location = parse_url(url)
    assert (location.bucket, location.prefix) == (bucket, prefix)
    assert location.release("b1", "manifest.json") == "/".join(
        filter(None, [bucket, prefix, "releases/b1/manifest.json"])
    )


@pytest.mark.parametrize("url", ["s3://", "s3://B/x", "s3://bkt/a/../b", "file:///tmp/x", "s3://bkt/x?y=1"])
def test_release_urls_refused(url):
    with pytest.raises(ValueError):
        parse_url(url)
