"""Browser layer: a real `streamlit run` on a free port, driven by Playwright in Debian's Chromium.

In CI (CI=true) these tests must run: a missing browser is a failure, not a skip.

Waiting (issue #12): a test waits on the app's own state, never on a sleep: the number of script runs
the page has seen finish (RUNS_FINISHED, read from Streamlit's React state), stApp's
`data-test-script-state`, and no element still stale or a lazy-loading skeleton. Every timeout is a
hang guard scaled to the machine (tests/timing.py): a context's default for every Playwright call
is `guard(30)`, so a slow-but-correct run on a loaded machine still passes and a hang still fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.timing import guard, guard_ms

CHROMIUM = os.environ.get("TRACKER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# headless Chromium offline: no sandbox (root in CI), no GPU, no calls home
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "tests" / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def streamlit_server(
    data_dir: Path,
    log_name: str = "streamlit.log",
    *,
    port: int | None = None,
    address: str | None = "127.0.0.1",
    env: dict | None = None,
    log=None,
):
    """`streamlit run app.py` reading the package at `data_dir`; yields its base URL once healthy.

    On a free port unless `port` is given (a restart on the same port); bound to `address` (None: as
    scripts/run.sh serves it, on every interface); `env` adds to the environment. The server's output
    goes to `log` (an open file) or tests/artifacts/<log_name>. The health check goes through no proxy."""
    port = port or _free_port()
    if log is None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        log_path = ARTIFACTS / log_name
        log = stack_log = open(log_path, "w")
    else:
        log_path, stack_log = Path(getattr(log, "name", "the server log")), None
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    command += ["--server.headless", "true"] + (["--server.address", address] if address else [])
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "TRACKER_DATA_DIR": str(data_dir), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + guard(60)
        while True:
            try:
                with direct.open(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy; see {log_path}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if stack_log is not None:
            stack_log.close()


@pytest.fixture(scope="session")
def server(package_dir):
    with streamlit_server(package_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield b
        b.close()


# Playwright's default for a call that waits (a click, a goto, a locator read); tests pass no timeouts.
ACTION_GUARD_S = 30

# How many script runs this document has seen finish: `window.__stFinished()` gives {n, mode}, n being -1
# while a run is going. Read from the App component's React state (`scriptRunFinishedSequence`, committed
# with the DOM); the fallback counts running -> notRunning flips of stApp's attribute, which React can batch
# away when a fast rerun's start and end arrive together, so it is used only if that state cannot be found.
INIT_SCRIPT = """
(() => {
  let flips = 0;
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.target.getAttribute('data-test-script-state') === 'notRunning' && m.oldValue !== 'notRunning') flips += 1;
    }
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
  window.__stFinished = () => {
    const el = document.querySelector('[data-testid="stApp"]');
    const key = el && Object.keys(el).find((k) => k.startsWith('__reactFiber$'));
    for (let f = key && el[key]; f; f = f.return) {
      const st = f.stateNode && f.stateNode.state;
      if (st && typeof st.scriptRunFinishedSequence === 'number') {
        return {n: st.scriptRunState === 'notRunning' ? st.scriptRunFinishedSequence : -1, mode: 'react-state'};
      }
    }
    return {n: flips, mode: 'attribute-flips'};
  };
})();
"""

# true once the app is idle after more than `after` finished runs: stApp says notRunning, no element is
# stale (`data-stale`) or a lazy-loading placeholder (`stSkeleton`: a run is marked over before lazily
# loaded elements such as st.metric are drawn), and the main area is there
APP_IDLE = """
(arg) => {
  const after = window.__stToken === arg.token ? arg.after : 0;  // a new document counts from zero
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (window.__stFinished && window.__stFinished().n <= after) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  return document.querySelector('[data-testid="stMain"]') !== null;
}
"""


def new_context(browser, **options):
    """A browser context whose pages count finished runs and whose every wait is a scaled hang guard."""
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, **options})
    context.set_default_timeout(guard_ms(ACTION_GUARD_S))
    context.set_default_navigation_timeout(guard_ms(2 * ACTION_GUARD_S))
    context.add_init_script(INIT_SCRIPT)
    return context


@pytest.fixture
def page(browser):
    context = new_context(browser, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()


def finished_runs(pg) -> int:
    """Script runs this document has seen finish (-1 while one is going)."""
    return pg.evaluate("window.__stFinished ? window.__stFinished().n : 0")


def wait_for_app(pg, after: int = 0, token: str | None = None) -> None:
    """Wait until this document has seen more than `after` script runs finish and the page is drawn.

    After a goto the default (0) waits for the first run; `rerun` passes the count it read before its
    action (and a token it left in the document: if the action opened a new document, that one counts
    from zero). Never a sleep: a slow run is waited for, up to a scaled hang guard."""
    pg.wait_for_function(APP_IDLE, arg={"after": after, "token": token}, polling=100, timeout=guard_ms(ACTION_GUARD_S))


def rerun(pg, action) -> None:
    """Do `action()` (a click, typing, a key) once the app is idle, and wait for the run it causes to be over."""
    wait_for_app(pg)
    before = finished_runs(pg)
    token = uuid.uuid4().hex
    pg.evaluate("(t) => { window.__stToken = t; }", token)
    action()
    wait_for_app(pg, after=before, token=token)
