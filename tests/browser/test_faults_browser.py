"""Faults of the running app that only a served app shows (issue #12): a CSV button in a tab older
than several rebuilds, and requests that leave the machine (the app must work offline)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import threading
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, _free_port, new_context, streamlit_server, wait_for_app
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA
from tests.timing import guard_ms

pytestmark = pytest.mark.browser

PAGES = ["/", "/timeline", "/chip_nodes", "/funding", "/entities", "/sources", "/fact?fact=fx-december-rules-01"]
LOCAL = {"127.0.0.1", "localhost", "::1"}


def test_pages_fetch_nothing_from_outside_the_server(server, page):
    """Every request the browser makes while each page loads goes to the app's own server (a
    `:material/...:` page icon had the browser fetch it from fonts.gstatic.com)."""
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("data:", "blob:")) and urlsplit(r.url).hostname not in LOCAL
            else None
        ),
    )
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
    env = dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"), f"http://127.0.0.1:{proxy.port}")
    try:
        with (
            open(tmp_path / "server.log", "w") as log,
            streamlit_server(
                tmp_path / "none", log=log, address=None, env=env | {"NO_PROXY": "", "no_proxy": ""}
            ) as url,
        ):
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url + "/", timeout=10) as r:
                assert r.status == 200
            time.sleep(1.5)  # the banner is printed after the server is up
    finally:
        proxy.close()
    assert proxy.connections == 0, (tmp_path / "server.log").read_text()


@pytest.fixture
def rebuilt(tmp_path):
    """A package built from a writable copy of the fixture annotations, and a rebuild that makes a new
    version each time (a comment in rates.yml changes the build id)."""
    from etl.build import build

    data, out = tmp_path / "data", tmp_path / "build"
    shutil.copytree(FIXTURE_DATA, data)

    def rebuild(n: int) -> str:
        with open(data / "rates.yml", "a") as f:
            f.write(f"\n# rebuild {n}\n")
        return build(data, out, FIXTURE_CORPUS)["build_id"]

    return out, rebuild


def _download(pg, label: str) -> tuple[bytes, str]:
    with pg.expect_download(timeout=guard_ms(15)) as info:
        pg.get_by_role("button", name=label).first.click()
    return open(info.value.path(), "rb").read(), info.value.suggested_filename


def test_a_tab_older_than_four_rebuilds_downloads_the_rows_it_shows(rebuilt, browser):
    """The CSV is made on the click from the version the tab was drawn from. After four rebuilds (each
    visited, so the app's connection cache no longer holds the first) that version is gone from disk;
    the click used to fail server side (MediaFileStorageError) and no file came. Now the file holds the
    rows the tab showed, and the click's rerun says the table now shows the latest build."""
    out, rebuild = rebuilt
    first = rebuild(0)
    with streamlit_server(out, "streamlit-faults.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        old = context.new_page()
        old.goto(f"{url}/timeline")
        wait_for_app(old)
        old.get_by_role("button", name="Download all 4 rows as CSV").wait_for()
        for n in range(1, 5):
            latest = rebuild(n)
            other = context.new_page()  # someone else reads the new version
            other.goto(f"{url}/timeline")
            wait_for_app(other)
            other.close()
        assert not (out.parent / ".build.versions" / first).exists()

        body, name = _download(old, "Download all 4 rows as CSV")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        assert first in name and len(rows) == 4 and not body.startswith(b"\xef\xbb\xbf")
        # the click reran the tab: it now shows the current build and says which one the file holds
        notice = old.get_by_text("The data was rebuilt after this table was drawn")
        notice.wait_for()
        assert first in notice.inner_text() and latest in notice.inner_text()
        old.screenshot(path=str(ARTIFACTS / "old_tab_download.png"))
        excel, excel_name = _download(old, "CSV for Excel")
        assert excel_name == name.replace(first, latest).replace(".csv", "_excel.csv")
        assert excel == b"\xef\xbb\xbf" + body  # the same fixture rows in every build
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


def test_a_click_in_a_tab_the_restarted_server_does_not_know_says_to_click_again(package_dir, tmp_path, page):
    """After a server restart the tab reconnects but keeps its page (Streamlit does not rerun it), and its
    buttons' downloads belong to a session that is gone: Streamlit rejects the click ("Invalid session ID")
    and no file came. The click now reruns the page on the new session, which says so and draws fresh
    buttons; the next click downloads."""
    port, app = _free_port(), "[data-testid='stApp']"
    with open(tmp_path / "server.log", "w") as log:
        with streamlit_server(package_dir, port=port, log=log) as url:
            page.goto(f"{url}/timeline")
            wait_for_app(page)
            page.get_by_role("button", name="Download all 4 rows as CSV").wait_for()
        page.wait_for_selector(f"{app}:not([data-test-connection-state='CONNECTED'])")
        with streamlit_server(package_dir, port=port, log=log):
            page.wait_for_selector(f"{app}[data-test-connection-state='CONNECTED']", timeout=guard_ms(60))
            page.get_by_role("button", name="Download all 4 rows as CSV").click()
            page.get_by_text("This tab had lost its place on the server").wait_for()
            wait_for_app(page)
            body, name = _download(page, "Download all 4 rows as CSV")
            assert name.endswith(".csv") and len(list(csv.DictReader(io.StringIO(body.decode("utf-8"))))) == 4


def test_every_download_arrives_while_another_reader_browses(server, browser):
    """Each click reruns its page, and another reader's runs end meanwhile. Streamlit 1.67 lost about one
    such download in ten, silently (the button spun): the rerun's start dropped the reply with the file's
    URL, or two orphan passes deleted the file before the browser fetched it (tracker/download_guard.py).
    Twelve clicks, each with the other reader opening a page at the same moment: every file arrives."""
    reader = new_context(browser, accept_downloads=True).new_page()
    other = new_context(browser)
    reader.goto(f"{server}/chip_nodes")
    wait_for_app(reader)
    for n in range(12):
        wait_for_app(reader)
        visitor = other.new_page()
        visitor.goto(f"{server}/timeline", wait_until="commit")
        with reader.expect_download(timeout=guard_ms(15)) as info:
            reader.get_by_role("button", name="Download all 3 rows as CSV").click()
        rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
        assert len(rows) == 3, f"click {n + 1}"
        visitor.close()
    assert reader.locator("[data-testid='stDownloadButtonError']").count() == 0
