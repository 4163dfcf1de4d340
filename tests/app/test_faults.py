"""Faults of the running app end in a clear message or heal themselves (issue #12): a store file
replaced in place, a connection that fails, a damaged manifest or store, a missing package.

Each test works on its own copy of a package (a directory of its own, so a key of its own in the
process-wide connection and result caches)."""

from __future__ import annotations

import json
import logging
import random
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app
from tests.conftest import ROOT

REBUILD_HINTS = ("python -m etl build", "bash scripts/run.sh")


def _copy(package: Path, target: Path) -> Path:
    shutil.copytree(package.resolve(), target)
    return target


def _label(at: AppTest) -> str:
    return at.get("download_button")[0].proto.label


def _everything_shown(at: AppTest) -> str:
    """The text of every element on the page (its protobuf), sidebar and main."""
    return "\n".join(str(getattr(node, "proto", "")) for node in at._tree)


def _assert_no_path(at: AppTest, *paths: Path) -> None:
    shown = _everything_shown(at)
    for path in paths:
        assert str(path) not in shown and str(path.resolve()) not in shown, f"{path} is shown to visitors"
    assert str(ROOT) not in shown


def _run(page: str = "overview", params: dict | None = None) -> AppTest:
    """Like open_app, without its check that there is no exception (the tests check that themselves)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview" and not at.exception:
        at.switch_page(f"views/{page}.py").run()
    return at


# --- fault 1: a store file replaced in place ------------------------------------------------------


def test_a_store_copied_over_in_place_is_read_again_without_a_restart(
    package_dir, honest_package, tmp_path, monkeypatch
):
    """`cp other/tracker.duckdb live/tracker.duckdb` (and its manifest) writes into the files the app
    has open: the cached connection read the new file's blocks as its own (FatalException, every page
    down until a restart). The connection is keyed on the file's identity and opened again."""
    monkeypatch.setenv("TRACKER_DATA_DIR", str(honest_package))
    expected = _label(open_app("timeline"))
    live = _copy(package_dir, tmp_path / "live")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(live))
    before = _label(open_app("timeline"))
    assert before != expected
    inode = (live / "tracker.duckdb").stat().st_ino
    for name in ("tracker.duckdb", "manifest.json"):
        shutil.copyfile(honest_package.resolve() / name, live / name)
    assert (live / "tracker.duckdb").stat().st_ino == inode  # the same file, overwritten
    for page in ("timeline", "overview", "chip_nodes", "funding", "entities", "sources"):
        at = _run(page)
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
    assert _label(open_app("timeline")) == expected


def test_a_connection_that_fails_is_dropped_and_the_query_tried_again(package_dir, tmp_path, monkeypatch):
    """A cached connection that DuckDB can no longer use (here: closed under the app) is dropped on the
    first error and the query runs again on a fresh one."""
    from tracker import data

    live = _copy(package_dir, tmp_path / "live")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(live))
    assert _label(open_app("timeline")) == "Download all 4 rows as CSV"
    data._connection(str(live.resolve())).close()
    at = open_app("timeline", {"entity": "us-bis"})  # a view not cached yet: it needs the connection
    assert _label(at) == "Download all 3 rows as CSV"
    assert not at.error


def test_a_damaged_store_says_so_and_heals_once_repaired(package_dir, tmp_path, monkeypatch, caplog):
    live = _copy(package_dir, tmp_path / "live")
    store = live / "tracker.duckdb"
    good = store.read_bytes()
    store.write_bytes(good[: len(good) // 2])
    monkeypatch.setenv("TRACKER_DATA_DIR", str(live))
    with caplog.at_level(logging.WARNING, logger="tracker"):
        at = _run("timeline")
    assert not at.exception, [e.value for e in at.exception]
    message = at.error[0].value
    assert "damaged" in message and "data store (tracker.duckdb) cannot be read" in message
    assert all(hint in message for hint in REBUILD_HINTS)
    _assert_no_path(at, live)
    assert str(live.resolve()) in caplog.text  # the server log says where
    store.write_bytes(good)
    assert _label(open_app("timeline")) == "Download all 4 rows as CSV"


# --- fault 2: a damaged manifest or store, a missing package ---------------------------------------


def _manifest(package_dir: Path) -> dict:
    return json.loads((package_dir.resolve() / "manifest.json").read_text())


def _without(key: str):
    return lambda m: {k: v for k, v in m.items() if k != key}


MANIFESTS = {  # name -> (what to write, words the message must hold)
    "not JSON": (lambda m: "{build_id: 1", "is not valid JSON"),
    "not UTF-8": (lambda m: b"\xff\xfe\x00\x80garbage", "cannot be read"),
    "empty file": (lambda m: "", "is not valid JSON"),
    "a list": (lambda m: [m], "is not a JSON object"),
    "null": (lambda m: None, "is not a JSON object"),
    "an empty object": (lambda m: {}, "lacks `build_id`, `built_at`, `layout`, `row_counts` and `corpus`"),
    "no build_id": (_without("build_id"), "lacks `build_id`"),
    "no layout": (_without("layout"), "lacks `layout`"),
    "no row_counts": (_without("row_counts"), "lacks `row_counts`"),
    "no corpus": (_without("corpus"), "lacks `corpus`"),
    "no built_at": (_without("built_at"), "lacks `built_at`"),
    "build_id a number": (lambda m: m | {"build_id": 42}, "has a wrong `build_id`"),
    "build_id with markup": (lambda m: m | {"build_id": "<b>x</b>"}, "has a wrong `build_id`"),
    "layout null": (lambda m: m | {"layout": None}, "has a wrong `layout`"),
    "row_counts a string": (lambda m: m | {"row_counts": "many"}, "has a wrong `row_counts`"),
    "a count as text": (
        lambda m: m | {"row_counts": m["row_counts"] | {"sources": "2"}},
        "has a wrong `row_counts.sources`",
    ),
    "a table without a count": (lambda m: m | {"row_counts": {"facts": 9}}, "has a wrong `row_counts`"),
    "verified as text": (lambda m: m | {"corpus": {"verified": "yes"}}, "has a wrong `corpus.verified`"),
    "corpus a list": (lambda m: m | {"corpus": []}, "has a wrong `corpus`"),
    "built_at not a time": (lambda m: m | {"built_at": "yesterday"}, "has a wrong `built_at`"),
}


@pytest.mark.parametrize("case", MANIFESTS)
def test_a_damaged_manifest_says_what_is_wrong_and_what_to_run(case, package_dir, tmp_path, monkeypatch, caplog):
    live = _copy(package_dir, tmp_path / "live")
    make, words = MANIFESTS[case]
    written = make(_manifest(package_dir))
    path = live / "manifest.json"
    if isinstance(written, bytes):
        path.write_bytes(written)
    elif isinstance(written, str):
        path.write_text(written)
    else:
        path.write_text(json.dumps(written))
    monkeypatch.setenv("TRACKER_DATA_DIR", str(live))
    with caplog.at_level(logging.WARNING, logger="tracker"):
        at = _run("overview")  # the page that reads the most of the manifest
    assert not at.exception, [e.value for e in at.exception]
    message = at.error[0].value
    assert message.startswith("The data package is damaged: its manifest (manifest.json) ")
    assert words in message, message
    assert all(hint in message for hint in REBUILD_HINTS)
    assert not at.dataframe
    _assert_no_path(at, live)
    assert str(path) in caplog.text


def _garbage(good: bytes) -> bytes:
    return random.Random(12).randbytes(len(good))


STORES = {
    "truncated to half": lambda good: good[: len(good) // 2],
    "truncated to its header": lambda good: good[:5000],
    "empty": lambda good: b"",
    "random bytes": _garbage,
    "text": lambda good: b"not a database\n" * 100,
    "blocks overwritten after the header": lambda good: good[:12288] + _garbage(good)[12288:],
}


@pytest.mark.parametrize("case", STORES)
@pytest.mark.parametrize("page", ["overview", "timeline"])
def test_a_damaged_store_says_so_on_any_page(case, page, package_dir, tmp_path, monkeypatch):
    live = _copy(package_dir, tmp_path / "live")
    store = live / "tracker.duckdb"
    store.write_bytes(STORES[case](store.read_bytes()))
    monkeypatch.setenv("TRACKER_DATA_DIR", str(live))
    at = _run(page)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        (
            "The data package is damaged: its data store (tracker.duckdb) cannot be read. Rebuild it with "
            "`python -m etl build` (or restart the app with `bash scripts/run.sh`, which rebuilds it), then reload "
            "this page."
        )
    ]
    _assert_no_path(at, live)


def test_no_package_says_what_to_run_without_the_servers_path(tmp_path, monkeypatch, caplog):
    nowhere = tmp_path / "nothing" / "build"
    monkeypatch.setenv("TRACKER_DATA_DIR", str(nowhere))
    with caplog.at_level(logging.WARNING, logger="tracker"):
        at = _run("overview")
    assert not at.exception
    assert at.error[0].value == (
        "There is no data package to show yet. Build it with `python -m etl build` (or start "
        "the app with `bash scripts/run.sh`, which builds it), then reload this page."
    )
    _assert_no_path(at, nowhere)
    assert str(nowhere) in caplog.text


def test_a_package_of_other_code_names_no_path(package_dir, tmp_path, monkeypatch):
    live = _copy(package_dir, tmp_path / "live")
    (live / "tracker.duckdb").unlink()
    monkeypatch.setenv("TRACKER_DATA_DIR", str(live))
    at = _run("overview")
    assert "built by another version of the code" in at.error[0].value
    _assert_no_path(at, live)


def test_the_manifest_is_checked_in_one_place(package_dir):
    """tracker.db.Manifest takes what the ETL writes; the messages name fields, never values."""
    from tracker.db import Manifest, current_package

    assert Manifest.model_validate(_manifest(package_dir)).build_id == current_package(package_dir).build_id
    assert re.fullmatch(r"[0-9a-f]{16}", current_package(package_dir).build_id)


# --- fault 4: a CSV for Excel beside the plain one --------------------------------------------------


def test_each_table_offers_the_same_rows_as_a_csv_for_excel(package_dir, monkeypatch):
    from tracker import data, download
    from tracker.filters import Filters

    monkeypatch.setenv("TRACKER_DATA_DIR", str(package_dir))
    at = open_app("timeline")
    assert [b.proto.label for b in at.get("download_button")] == ["Download all 4 rows as CSV", "CSV for Excel"]
    pkg, columns = data.package(), ["fact_id", "title", "evidence"]
    source = data.reader(pkg).facts(Filters())
    plain = download.csv_maker(pkg, source, columns)()
    excel = download.csv_maker(pkg, source, columns, excel=True)()
    assert excel == b"\xef\xbb\xbf" + plain and plain.startswith(b'"fact_id",')
    assert excel.decode("utf-8-sig").count("\n") == 10  # the header and the fixture's 9 facts
