"""Faults of the running app that only a served app shows (issue #12): a CSV button in a tab older
than several rebuilds, and requests that leave the machine (the app must work offline)."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, _free_port, streamlit_server, wait_for_app
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA, ROOT

pytestmark = pytest.mark.browser

PAGES = ["/", "/timeline", "/chip_nodes", "/funding", "/entities", "/sources", "/fact?fact=fx-december-rules-01"]
LOCAL = {"127.0.0.1", "localhost", "::1"}


def test_pages_fetch_nothing_from_outside_the_server(server, page):
    """Every request the browser makes while each page loads goes to the app's own server (a
    `:material/...:` page icon had the browser fetch it from fonts.gstatic.com)."""
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("data:", "blob:")) and urlsplit(r.url).hostname not in LOCAL else None)
    for path in PAGES:
        page.goto(server + path)
        wait_for_app(page)
        page.locator("[data-testid='stMain']").first.wait_for()
        page.wait_for_load_state("networkidle")
    assert outside == []
    assert page.errors == []


class _Proxy:
    """A listener that only counts the connections made to it (it answers none)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


def test_the_server_asks_nothing_of_the_internet_when_it_starts(tmp_path):
    """Served as scripts/run.sh serves it (no --server.address), Streamlit in headless mode looked up the
    machine's external IP at checkip.amazonaws.com for its start banner. Every HTTP(S) request from the
    server is routed to a local listener here, which must see none by the time the app has served a page."""
    proxy = _Proxy()
    port = _free_port()
    env = {**os.environ, "TRACKER_DATA_DIR": str(tmp_path / "none"), "NO_PROXY": "", "no_proxy": ""}
    env.update({k: f"http://127.0.0.1:{proxy.port}" for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")})
    with open(tmp_path / "server.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                            f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
            time.sleep(1.5)  # the banner is printed after the server is up
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            proxy.close()
    assert proxy.connections == 0, (tmp_path / "server.log").read_text()


@pytest.fixture
def rebuilt(tmp_path):
    """A package built from a writable copy of the fixture annotations, and a rebuild that makes a new
    version each time (a comment in sources.yml changes the build id)."""
    from etl.build import build
    data, out = tmp_path / "data", tmp_path / "build"
    shutil.copytree(FIXTURE_DATA, data)

    def rebuild(n: int) -> str:
        with open(data / "sources.yml", "a") as f:
            f.write(f"\n# rebuild {n}\n")
        return build(data, out, FIXTURE_CORPUS)["build_id"]
    return out, rebuild


def _download(pg, label: str) -> tuple[bytes, str]:
    with pg.expect_download(timeout=15000) as info:
        pg.get_by_role("button", name=label).first.click()
    return open(info.value.path(), "rb").read(), info.value.suggested_filename


def test_a_tab_older_than_four_rebuilds_downloads_the_rows_it_shows(rebuilt, browser):
    """The CSV is made on the click from the version the tab was drawn from. After four rebuilds (each
    visited, so the app's connection cache no longer holds the first) that version is gone from disk;
    the click used to fail server side (MediaFileStorageError) and no file came."""
    out, rebuild = rebuilt
    first = rebuild(0)
    with streamlit_server(out, "streamlit-faults.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        old = context.new_page()
        old.goto(f"{url}/timeline")
        wait_for_app(old)
        old.get_by_role("button", name="Download all 4 rows as CSV").wait_for()
        for n in range(1, 5):
            rebuild(n)
            other = context.new_page()  # someone else reads the new version
            other.goto(f"{url}/timeline")
            wait_for_app(other)
            other.close()
        assert not (out.parent / ".build.versions" / first).exists()

        body, name = _download(old, "Download all 4 rows as CSV")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        assert first in name and len(rows) == 4 and not body.startswith(b"\xef\xbb\xbf")
        excel, excel_name = _download(old, "CSV for Excel")
        assert excel_name == name.replace(".csv", "_excel.csv") and excel == b"\xef\xbb\xbf" + body
        old.screenshot(path=str(ARTIFACTS / "old_tab_download.png"))
        context.close()


def test_a_store_copied_over_in_place_shows_the_new_rows_after_a_reload(package_dir, honest_package, tmp_path, page):
    """The served app (one process, its connection cached) after `cp other/tracker.duckdb live/`: the
    next page load reads the new file instead of failing until a restart."""
    live = tmp_path / "live"
    shutil.copytree(package_dir.resolve(), live)
    with streamlit_server(live, "streamlit-replaced.log") as url:
        page.goto(f"{url}/timeline")
        wait_for_app(page)
        page.get_by_role("button", name="Download all 4 rows as CSV").wait_for()
        for name in ("tracker.duckdb", "manifest.json"):
            shutil.copyfile(honest_package.resolve() / name, live / name)
        for path in ("/timeline", "/funding", "/"):
            page.goto(url + path)
            wait_for_app(page)
            page.locator("[data-testid='stDownloadButton'], [data-testid='stException']").first.wait_for()
            assert page.locator("[data-testid='stException']").count() == 0, path
        build = json.loads((live / "manifest.json").read_text())["build_id"]
        assert build in page.locator("[data-testid='stSidebar']").inner_text()
    assert page.errors == []
