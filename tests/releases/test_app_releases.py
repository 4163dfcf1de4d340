"""The app reading releases (TRACKER_DATA_URL): a new release on the next rerun of a running app, the
last one kept while the bucket is away, and a clear message when there is none."""

from __future__ import annotations

import json
import logging

from etl.publish import publish_release
from tests.app.conftest import app_test
from tests.conftest import ROOT
from tests.releases.conftest import closed_endpoint
from tracker import releases


def _shown(at) -> str:
    """The text of every element on the page (its protobuf), sidebar and main."""
    return "\n".join(str(getattr(node, "proto", "")) for node in at._tree)


def _looked(url: str) -> None:
    """Wait for the look at the pointer a page run started in the background (a served release is
    never held up by the bucket) to be over."""
    releases.mirror(url, releases.cache_dir()).wait()


def _build_shown(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = _shown(at)
    return text.split("Build `", 1)[1].split("`", 1)[0]


def test_a_running_app_picks_up_a_new_release_without_a_restart(package_dir, honest_package, release_url):
    first = publish_release(package_dir, release_url).build_id
    at = app_test()
    at.run()
    assert _build_shown(at) == first
    second = publish_release(honest_package, release_url).build_id
    at.run()  # the same session's next rerun looks at the pointer, in the background
    _looked(release_url)
    at.run()  # and the one after reads the new release: no restart, no new AppTest
    assert _build_shown(at) == second
    at.switch_page("views/timeline.py").run()
    assert not at.exception and not at.error
    assert second in _shown(at)  # the sidebar's caption names the build the page reads


def test_an_unreachable_bucket_keeps_serving_the_last_release(package_dir, release_url, monkeypatch, caplog):
    build_id = publish_release(package_dir, release_url).build_id
    at = app_test()
    at.run()
    assert _build_shown(at) == build_id
    monkeypatch.setenv("TRACKER_S3_ENDPOINT", closed_endpoint())
    with caplog.at_level(logging.WARNING, logger="tracker.releases"):
        at.run()
        _looked(release_url)
        at.run()
    assert _build_shown(at) == build_id
    assert "No new release from" in caplog.text and "pulled before" in caplog.text


def _says_what_to_do(at, *hidden: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    message = " ".join(e.value for e in at.error)
    assert "TRACKER_DATA_URL" in message and "python -m etl publish --to s3://BUCKET/PREFIX" in message
    shown = _shown(at)
    for secret in (*hidden, str(ROOT), "Traceback"):
        assert secret not in shown


def test_with_no_release_the_app_says_what_to_set_and_run(release_url, tmp_path, monkeypatch):
    at = app_test()
    at.run()  # an empty bucket
    _says_what_to_do(at, release_url.removeprefix("s3://").split("/")[0], str(tmp_path))
    monkeypatch.setenv("TRACKER_S3_ENDPOINT", closed_endpoint())
    at.run()  # a bucket that cannot be reached, nothing pulled before
    _says_what_to_do(at, str(tmp_path))


def test_a_malformed_data_url_is_a_message(release_url, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA_URL", "https://example.org/releases")
    at = app_test()
    at.run()
    assert not at.exception
    assert "TRACKER_DATA_URL is not an s3://BUCKET/PREFIX address" in " ".join(e.value for e in at.error)


def test_the_local_package_stays_the_default(package_dir, release_url, tmp_path, monkeypatch):
    """Without TRACKER_DATA_URL the app reads TRACKER_DATA_DIR and never looks at a bucket or the cache."""
    publish_release(package_dir, release_url)
    monkeypatch.delenv("TRACKER_DATA_URL")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(package_dir))
    at = app_test()
    at.run()
    assert _build_shown(at) == json.loads((package_dir / "manifest.json").read_text())["build_id"]
    assert not (tmp_path / "cache").exists()
