"""scripts/serve.sh (issue #14): N Streamlit replicas behind nginx, used through nginx by Chromium.

Each test starts its own `serve.sh --replicas 2` on a free port with its own run folder, over the
fixture package. They need nginx: serve.sh installs Debian's package when it is missing and we are
root; where it cannot, they skip (in CI they must run). Every wait is a hang guard (tests/timing.py):
the tests assert what happens, never how fast.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, _free_port, _unavailable, finished_runs, new_context, wait_for_app
from tests.browser.test_pages_browser import download_rows, pick_entity, rows_in_view
from tests.conftest import ROOT
from tests.timing import guard
from tracker.download import LOST_SESSION

pytestmark = pytest.mark.browser

SERVE = ROOT / "scripts" / "serve.sh"
# what a user must never see: Streamlit's connection-error dialog, an exception, nginx's error pages
ERROR_TEXTS = ("Connection error", "Is Streamlit still running", "Bad Gateway", "502", "504", "Traceback")


def _nginx_installed() -> bool:
    return bool(shutil.which("nginx")) or Path("/usr/sbin/nginx").exists()


def _running(pid: int) -> bool:
    """A live process (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _tree(root: int) -> set[int]:
    """`root` and every live process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if _running(pid) and pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """A second command beside a running start (--stop, another start): its output and exit code."""
    return subprocess.run(["bash", str(SERVE), *args], cwd=ROOT, capture_output=True, text=True, timeout=guard(timeout))


@dataclass
class Served:
    url: str
    port: int
    run_dir: Path
    proc: subprocess.Popen
    log_path: Path
    pids: set[int] = field(default_factory=set)  # every process the start ran, as last seen
    ports: set[int] = field(default_factory=set)  # nginx's and every replica's

    def snapshot(self) -> set[int]:
        """Add the start's live process tree (serve.sh, nginx and its workers, the replicas) to `pids`."""
        if self.proc.poll() is None:
            self.pids |= _tree(self.proc.pid)
            self.ports |= {self.port, *self.replicas()}
        return set(self.pids)

    def replicas(self) -> dict[int, int]:
        """port -> pid of each replica, from the run folder."""
        return {
            int(port_file.read_text()): int(port_file.with_suffix(".pid").read_text())
            for port_file in sorted(self.run_dir.glob("replica-*.port"))
            if port_file.with_suffix(".pid").exists()
        }

    def routed(self, route: str) -> list[tuple[str, int]]:
        """(upstreams tried, status) of every request nginx logged for this session's cookie, in order."""
        log = (self.run_dir / "nginx-access.log").read_text()
        return [
            (m.group(1), int(m.group(2)))
            for m in re.finditer(rf"route={re.escape(route)} upstream=(.*?) status=(\d+) ", log)
        ]

    def routed_when_logged(self, routes: list[str]) -> dict[str, list[tuple[str, int]]]:
        """`routed` for each session, once nginx has logged a request of every one. nginx writes a line in
        its log phase, after the response has gone out: a client can read its answer before the line is
        there (a check made right after the last answer failed once; the log, read later, held all 8 lines)."""
        deadline = time.monotonic() + guard(30)
        while True:
            found = {route: self.routed(route) for route in routes}
            if all(found.values()):
                return found
            assert time.monotonic() < deadline, f"nginx never logged {[r for r, seen in found.items() if not seen]}"
            time.sleep(0.1)

    def wait_for_log(self, text: str) -> None:
        """Wait (a hang guard) until serve.sh has printed `text`."""
        deadline = time.monotonic() + guard(60)
        while text not in self.log_path.read_text():
            assert self.proc.poll() is None, f"serve.sh exited; see {self.log_path}"
            assert time.monotonic() < deadline, f"serve.sh never said {text!r}; see {self.log_path}"
            time.sleep(0.2)

    def wait_for_request(self, route: str, after: int, path: str) -> None:
        """Wait (a hang guard) until nginx has logged a GET of `path` for this session after its first `after`
        requests."""
        deadline = time.monotonic() + guard(60)
        while not any(request == f"GET {path}" for request in self.requests(route)[after:]):
            assert time.monotonic() < deadline, f"no {path} of this session reached nginx"
            time.sleep(0.2)

    def requests(self, route: str) -> list[str]:
        """The requests ("GET /path") nginx logged for this session's cookie, in order."""
        log = (self.run_dir / "nginx-access.log").read_text()
        return re.findall(rf'route={re.escape(route)} .*? "([^"]*)"', log)

    def assert_nothing_left(self) -> None:
        left = sorted(pid for pid in self.pids if _running(pid))
        open_ports = [p for p in sorted(self.ports) if _listening(p)]
        for pid in left:  # never leave them to the next test
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        assert not left, f"processes left behind: {left}"
        assert not open_ports, f"ports still open: {open_ports}"


@contextlib.contextmanager
def serve(package_dir: Path, run_dir: Path):
    """`serve.sh --replicas 2` in the foreground on a free port, as a terminal would run it (its own
    process group); yields a Served once it says it is serving. Teardown: `--stop` if it still runs,
    then every process it ran must be gone and every port closed."""
    if not _nginx_installed() and not (os.geteuid() == 0 and shutil.which("apt-get")):
        _unavailable("nginx is missing and cannot be installed here (as root: apt-get install nginx)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log_path = ARTIFACTS / f"serve-{uuid.uuid4().hex[:8]}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            ["bash", str(SERVE), "--replicas", "2", "--port", str(port), "--run-dir", str(run_dir)],
            cwd=ROOT,
            env={**os.environ, "TRACKER_DATA_DIR": str(package_dir)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(f"http://127.0.0.1:{port}", port, run_dir, proc, log_path)
    try:
        deadline = time.monotonic() + guard(300)  # a first start may install nginx
        while "==> serving" not in log_path.read_text():
            served.snapshot()
            if proc.poll() is not None:
                if not _nginx_installed():
                    _unavailable(f"nginx could not be installed: {log_path.read_text()[-500:]}")
                pytest.fail(f"serve.sh exited ({proc.returncode}) before serving; see {log_path}")
            if time.monotonic() > deadline:
                pytest.fail(f"serve.sh did not say it was serving; see {log_path}")
            time.sleep(0.2)
        served.snapshot()
        yield served
    finally:
        served.snapshot()
        if proc.poll() is None:
            _serve("--stop", "--run-dir", str(run_dir))
        try:
            proc.wait(timeout=guard(60))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"serve.sh did not end after --stop; see {log_path}")
        served.assert_nothing_left()


def _text_shows_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    body = page.locator("body").inner_text()
    for text in ERROR_TEXTS:
        assert text not in body, text


def test_a_killed_replica_costs_a_reconnect_not_an_error(package_dir, tmp_path, browser):
    with serve(package_dir, tmp_path / "run") as served:
        context = new_context(browser, accept_downloads=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(served.url + "/timeline")
        wait_for_app(page)
        assert rows_in_view(page) == 4
        pick_entity(page, "BIS")  # a widget changes the view; the app writes it into the URL
        assert rows_in_view(page) == 3 and "entity=us-bis" in page.url
        view = page.url

        # sticky: every request of this browser so far (page, assets, health, host-config) reached one replica
        route = next(c["value"] for c in context.cookies() if c["name"] == "tracker_route")
        before_kill = served.routed(route)
        assert before_kill and {upstream for upstream, _ in before_kill} == {before_kill[0][0]}
        replicas = served.replicas()
        assert len(replicas) == 2
        victim_port = int(before_kill[0][0].rsplit(":", 1)[1])
        survivor_port = next(p for p in replicas if p != victim_port)

        # the replica holding the session dies; the front end reconnects its websocket through nginx
        app = "[data-testid='stApp']"
        os.kill(replicas[victim_port], signal.SIGKILL)
        # a reconnect asks for /_stcore/host-config before it opens the new websocket
        served.wait_for_request(route, len(before_kill), "/_stcore/host-config")
        page.wait_for_selector(f"{app}[data-test-connection-state='CONNECTED']")
        _text_shows_no_error(page)  # the tab keeps its page meanwhile (Streamlit does not rerun on a reconnect)

        # the first click runs the page again on the survivor, from the URL: the same view and table. A CSV
        # click is the hardest case: its file belonged to the dead session, so the page says to click again
        runs = finished_runs(page)
        token = uuid.uuid4().hex
        page.evaluate("(t) => { window.__stToken = t; }", token)
        page.locator("[data-testid='stDownloadButton'] button").first.click()
        page.get_by_text(LOST_SESSION.split(" (")[0]).wait_for()
        wait_for_app(page, after=runs, token=token)
        assert page.url == view
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        assert rows_in_view(page) == 3
        _text_shows_no_error(page)
        rows, _ = download_rows(page)  # the file now comes from the survivor, which holds the session
        assert len(rows) == 3

        # nginx: the session's first websocket was on the victim too (nginx logs one when it closes), and
        # every request after the kill reached the survivor (some after trying the victim), none failed
        after_kill = served.routed(route)[len(before_kill) :]
        first_socket = (f"127.0.0.1:{victim_port}", 101)
        assert first_socket in after_kill, after_kill
        after_kill.remove(first_socket)
        assert after_kill, "no request of this session reached nginx after the kill"
        assert all(upstream.endswith(f":{survivor_port}") for upstream, _ in after_kill), after_kill
        assert all(status < 500 for _, status in after_kill), after_kill
        assert errors == []
        page.screenshot(path=str(ARTIFACTS / "replicas_after_failover.png"), full_page=True)
        context.close()
        assert _running(replicas[survivor_port]) and not _running(replicas[victim_port])

        # the stop command ends nginx and every replica it started
        pids = served.snapshot()
        assert len(pids) >= 4  # serve.sh, nginx's master and worker, the surviving replica
        stop = _serve("--stop", "--run-dir", str(served.run_dir))
        assert stop.returncode == 0, stop.stderr
        assert "stopped" in stop.stdout
        served.proc.wait(timeout=guard(60))
        served.assert_nothing_left()
        assert not list(served.run_dir.glob("*.pid"))


def test_stop_second_start_health_and_ctrl_c(package_dir, tmp_path):
    run_dir = tmp_path / "run"
    idle = _serve("--stop", "--run-dir", str(run_dir))
    assert idle.returncode == 0, idle.stderr
    assert "nothing is running" in idle.stdout

    with serve(package_dir, run_dir) as served:
        served.snapshot()
        main = {served.proc.pid, int((run_dir / "nginx.pid").read_text()), *served.replicas().values()}
        second = _serve("--replicas", "2", "--port", str(_free_port()), "--run-dir", str(run_dir))
        assert second.returncode == 1
        assert "already running" in second.stderr and "--stop" in second.stderr
        assert len(main) == 4 and all(_running(pid) for pid in main)  # the first start is untouched
        with urllib.request.urlopen(served.url + "/_stcore/health", timeout=guard(10)) as r:
            assert r.status == 200

        # health: a replica that stops answering (SIGSTOP: it still accepts connections, so nginx's passive
        # check would wait for a timeout) is marked down, and new sessions go only to the other one
        (hung_port, hung_pid), (live_port, _) = sorted(served.replicas().items())
        os.kill(hung_pid, signal.SIGSTOP)
        try:
            served.wait_for_log(f"(port {hung_port}) does not answer /_stcore/health: marked down")
            assert f"127.0.0.1:{hung_port} max_fails=1 fail_timeout=10s down;" in (run_dir / "nginx.conf").read_text()
            sessions = [f"new-session-{i}" for i in range(8)]  # about half of them would hash to the hung one
            for route in sessions:
                request = urllib.request.Request(served.url + "/", headers={"Cookie": f"tracker_route={route}"})
                with urllib.request.urlopen(request, timeout=guard(30)) as r:
                    assert r.status == 200
            routed = served.routed_when_logged(sessions)
            assert all(seen == [(f"127.0.0.1:{live_port}", 200)] for seen in routed.values()), routed
        finally:
            os.kill(hung_pid, signal.SIGCONT)
        served.wait_for_log(f"(port {hung_port}) answers again: back in")
        assert " down;" not in (run_dir / "nginx.conf").read_text()

        # Ctrl-C: a terminal sends SIGINT to its foreground process group
        os.killpg(served.proc.pid, signal.SIGINT)
        assert served.proc.wait(timeout=guard(60)) == 130
        served.assert_nothing_left()

    again = _serve("--stop", "--run-dir", str(run_dir))
    assert again.returncode == 0 and "nothing is running" in again.stdout
