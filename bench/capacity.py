"""python -m bench capacity: how many readers 1 and 2 replicas serve, through a release switch (issue #14).

For each replica count the real deployment runs on this machine: `scripts/serve.sh --replicas N` (nginx
in front, sticky by cookie) with every replica reading releases from an S3 bucket (moto's server on
loopback, as the release tests use) through TRACKER_DATA_URL. Then SESSIONS simulated readers speak
Streamlit's own websocket protocol through nginx for SECONDS: each opens one session (a random route
cookie, as a browser gets from nginx) and asks for the six pages in turn, one run after another, as
fast as the server answers (no think time: this measures the ceiling, not a typical reader). Halfway
through, a second release (the same base with one fact's title changed, so another build id) is
published; the replicas pull it in the background and pages switch to it on their next run.

Per run a reader records: the time from its request to the first table (a `dataframe` element) and to
the run's end; an error for an exception or st.error element, a run that does not end within the hang
guard, or a dropped connection; and the build id the page names in the sidebar. Reported per replica
count: page runs per second, p50/p95 table-visible and run-complete time, errors, and when the last
reader first saw the new release after it was published.

Needs nginx (Debian's package) and moto (requirements-dev.txt); writes bench/results/<date>-capacity.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.loopback_s3 import KEY, admin, moto_server

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "timeline", "chip_nodes", "funding", "entities", "sources"]  # "" is Overview, at /
BUILD = re.compile(r"Build `([0-9a-f]{8,})`")
RUN_GUARD_S = 120.0  # a run not over after this long is an error (a hang guard, not a budget)


@dataclass
class Run:
    page: str
    started: float  # time.monotonic() when the request was sent
    table_s: float | None = None
    complete_s: float | None = None
    build: str | None = None
    error: str | None = None


@dataclass
class Reader:
    index: int
    runs: list[Run] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def second_release(package: Path, work: Path) -> Path:
    """The same base with one fact's title changed: another build id, the same size."""
    from etl.build import build

    data = work / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("build", ".build.versions", "drafts"))
    facts = sorted((data / "sources").rglob("*.yml"))
    for path in facts:
        text = path.read_text(encoding="utf-8")
        if "\n  title: " in text:  # a fact's title (a source's own title is not indented)
            path.write_text(text.replace("\n  title: ", "\n  title: Bench release two. ", 1), encoding="utf-8")
            break
    out = work / "release-b"
    build(data, out, None)
    return out


def _env(endpoint: str, url: str, cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        **KEY,
        "TRACKER_DATA_URL": url,
        "TRACKER_S3_ENDPOINT": endpoint,
        "TRACKER_CACHE_DIR": str(cache),
        "TRACKER_RELEASE_CHECK_SECONDS": "5",
    }


@contextlib.contextmanager
def served(replicas: int, env: dict[str, str], run_dir: Path) -> Iterator[str]:
    """`scripts/serve.sh --replicas N` on a free port; yields its base URL once nginx answers."""
    port = _free_port()
    log = open(run_dir / "serve.log", "w")
    proc = subprocess.Popen(
        ["bash", "scripts/serve.sh", "--replicas", str(replicas), "--port", str(port), "--run-dir", str(run_dir)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 300
        while True:
            with contextlib.suppress(OSError), direct.open(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200 and _replicas_up(run_dir) >= replicas:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve.sh did not come up; see {run_dir / 'serve.log'}")
            time.sleep(0.5)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _replicas_up(run_dir: Path) -> int:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    up = 0
    for port_file in run_dir.glob("replica-*.port"):
        health = f"http://127.0.0.1:{port_file.read_text().strip()}/_stcore/health"
        with contextlib.suppress(OSError, ValueError), direct.open(health, timeout=2) as r:
            up += r.status == 200
    return up


def read_pages(base: str, reader: Reader, until: float) -> None:
    """One reader: a websocket session through nginx asking for page after page until `until`."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    cookie = f"tracker_route={random.getrandbits(64):016x}"
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    n = reader.index
    while time.monotonic() < until:
        try:
            with connect(
                ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie}, max_size=None
            ) as ws:  # type: ignore[list-item]
                while time.monotonic() < until:
                    page = PAGES[n % len(PAGES)]
                    n += 1
                    msg = BackMsg()
                    msg.rerun_script.query_string = ""
                    msg.rerun_script.page_name = page
                    run = Run(page or "overview", time.monotonic())
                    reader.runs.append(run)
                    ws.send(msg.SerializeToString())
                    while run.complete_s is None:
                        fwd = ForwardMsg()
                        fwd.ParseFromString(ws.recv(timeout=max(1.0, run.started + RUN_GUARD_S - time.monotonic())))
                        _note(fwd, run)
        except Exception as exc:  # a dropped connection or a hang: the run in flight is an error, then reconnect
            if reader.runs and reader.runs[-1].complete_s is None:
                reader.runs[-1].error = reader.runs[-1].error or f"{type(exc).__name__}: {exc}"[:200]
            time.sleep(0.5)


def _note(fwd, run: Run) -> None:
    kind = fwd.WhichOneof("type")
    now = time.monotonic() - run.started
    if kind == "script_finished":
        run.complete_s = now
        if run.table_s is None and run.error is None:
            run.error = "the run ended without a table"
        return
    if kind != "delta" or fwd.delta.WhichOneof("type") != "new_element":
        return
    element = fwd.delta.new_element
    what = element.WhichOneof("type")
    if what == "dataframe" and run.table_s is None:
        run.table_s = now
    elif what == "markdown" and run.build is None:
        found = BUILD.search(element.markdown.body)
        if found:
            run.build = found.group(1)
    elif what == "exception":
        run.error = run.error or f"exception: {element.exception.message[:150]}"
    elif what == "alert" and element.alert.format == element.alert.ERROR:
        run.error = run.error or f"st.error: {element.alert.body[:150]}"


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def measure(
    replicas: int, sessions: int, seconds: float, endpoint: str, s3, releases: tuple[Path, Path], work: Path
) -> dict:
    from etl.publish import publish_release

    url = f"s3://bench/n{replicas}"
    first = publish_release(releases[0], url, s3)
    run_dir = work / f"serve-{replicas}"
    run_dir.mkdir()
    with served(replicas, _env(endpoint, url, work / f"cache-{replicas}"), run_dir) as base:
        readers = [Reader(i) for i in range(sessions)]
        start = time.monotonic()
        until = start + seconds
        threads = [threading.Thread(target=read_pages, args=(base, r, until), daemon=True) for r in readers]
        for t in threads:
            t.start()
        time.sleep(seconds / 2)
        switch_at = time.monotonic()
        second = publish_release(releases[1], url, s3)
        for t in threads:
            t.join(timeout=RUN_GUARD_S + 30)
    runs = [run for r in readers for run in r.runs]
    done = [run for run in runs if run.complete_s is not None and run.error is None]
    errors = [run for run in runs if run.error is not None]
    elapsed = max(seconds, max((run.started + (run.complete_s or 0) for run in runs), default=start) - start)
    switched = []
    for r in readers:
        after = [run for run in r.runs if run.started >= switch_at and run.build == second.build_id]
        if after:
            switched.append(after[0].started + (after[0].table_s or 0) - switch_at)
    stale = sum(1 for r in readers for run in r.runs if run.started >= switch_at + 60 and run.build == first.build_id)
    return {
        "replicas": replicas,
        "sessions": sessions,
        "runs": len(done),
        "runs_per_s": len(done) / elapsed,
        "table_p50": _pct([run.table_s for run in done if run.table_s is not None], 0.5),
        "table_p95": _pct([run.table_s for run in done if run.table_s is not None], 0.95),
        "complete_p50": _pct([run.complete_s for run in done if run.complete_s is not None], 0.5),
        "complete_p95": _pct([run.complete_s for run in done if run.complete_s is not None], 0.95),
        "errors": len(errors),
        "error_examples": sorted({e.error or "" for e in errors})[:5],
        "builds": sorted({run.build for run in runs if run.build}),
        "release_a": first.build_id,
        "release_b": second.build_id,
        "readers_switched": len(switched),
        "switch_last_s": max(switched) if switched else float("nan"),
        "stale_runs_after_60s": stale,
        "per_page_table_p50": {
            page or "overview": statistics.median(
                [r.table_s for r in done if r.page == (page or "overview") and r.table_s]
            )
            for page in PAGES
            if any(r.page == (page or "overview") and r.table_s for r in done)
        },
    }


def report(results: list[dict], args, load: tuple[float, float, float]) -> str:
    lines = [
        f"# Capacity: {args.sessions} readers against 1 and 2 replicas, through a release switch ({dt.date.today()})",
        "",
        f"`python -m bench capacity --replicas {args.replicas} --sessions {args.sessions} --seconds {args.seconds}` on "
        f"this machine ({os.cpu_count()} cores; load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}). "
        "Readers speak Streamlit's websocket protocol through nginx (serve.sh), each asking for the six pages in "
        "turn with no think time; the replicas read releases from a loopback S3 (moto) and a second release is "
        "published halfway through. Table visible: request sent → first table element received.",
        "",
        "| replicas | readers | page runs | runs/s | table visible p50 / p95 (s) | run complete p50 / p95 (s) | errors | readers on the new release | last switch after publish (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['replicas']} | {r['sessions']} | {r['runs']} | {r['runs_per_s']:.2f} | {r['table_p50']:.2f} / {r['table_p95']:.2f} | "
            f"{r['complete_p50']:.2f} / {r['complete_p95']:.2f} | {r['errors']} | {r['readers_switched']} of {r['sessions']} | "
            f"{r['switch_last_s']:.1f} |"
        )
    by_count = sorted(results, key=lambda r: r["replicas"])
    if len(by_count) >= 2 and by_count[0]["runs_per_s"]:
        most, fewest = by_count[-1], by_count[0]
        gain = most["runs_per_s"] / fewest["runs_per_s"]
        lines += [
            "",
            f"Gain from {fewest['replicas']} to {most['replicas']} replicas: {gain:.2f}× page runs per second.",
        ]
    lines += [
        "",
        "Table-visible p50 per page (s):",
        "",
        "| replicas | " + " | ".join(p or "overview" for p in PAGES) + " |",
        "|---" * (len(PAGES) + 1) + "|",
    ]
    for r in results:
        lines.append(
            f"| {r['replicas']} | "
            + " | ".join(f"{r['per_page_table_p50'].get(p or 'overview', float('nan')):.2f}" for p in PAGES)
            + " |"
        )
    for r in results:
        lines += [
            "",
            f"- {r['replicas']} replica(s): releases `{r['release_a']}` → `{r['release_b']}`; builds seen {r['builds']}; runs still on the old release 60 s after the publish: {r['stale_runs_after_60s']}.",
        ]
        for e in r["error_examples"]:
            lines.append(f"  - error: {e}")
    return "\n".join(lines) + "\n"


def main(args) -> int:
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        print("nginx is not installed (scripts/serve.sh installs it when run as root)", file=sys.stderr)
    load = os.getloadavg()
    package = (ROOT / "data" / "build").resolve()
    results = []
    with tempfile.TemporaryDirectory(prefix="capacity-") as tmp, moto_server() as endpoint:
        work = Path(tmp)
        s3 = admin(endpoint)
        s3.create_dir("bench")
        releases = (package, second_release(package, work))
        for n in [int(x) for x in args.replicas.split(",")]:
            print(f"==> {n} replica(s), {args.sessions} readers, {args.seconds} s", flush=True)
            result = measure(n, args.sessions, args.seconds, endpoint, s3, releases, work)
            print(
                f"    {result['runs']} runs, {result['runs_per_s']:.2f}/s, table p50 {result['table_p50']:.2f} s, "
                f"p95 {result['table_p95']:.2f} s, errors {result['errors']}, switched {result['readers_switched']}",
                flush=True,
            )
            results.append(result)
    text = report(results, args, load)
    out = args.out or ROOT / "bench" / "results" / f"{dt.date.today()}-capacity.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {out}")
    return 0 if all(r["errors"] == 0 for r in results) else 1
