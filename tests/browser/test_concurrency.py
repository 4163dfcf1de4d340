"""Concurrency (issue #5): many browser sessions at once while the package is rebuilt under them.

SESSIONS Chromium tabs (one Streamlit session each) browse one `streamlit run` of a package of the
test's own, each with its own filters (URL parameters and the sidebar search box), while the
annotations gain a fact and the real CLI rebuilds the package twice, swapping the package link under
them. The run is paced by work, not by the clock (issue #12): a rebuild starts once every session has
finished ACTIONS_BETWEEN actions since it opened or since the previous rebuild, its reopening of the
overview included (a session that has waits for the others); all of them browse on while it runs,
each then reopens the overview, and a session is done when it has reopened after the last rebuild.
A slow machine makes the test longer, never red.

Checked:

* errors: no session ever shows an exception or an error alert, the browser logs no page error and
  the server no traceback;
* consistency: every view is of one version: the overview's "Facts in view" (no filters) equals the
  fact count in the manifest of the build id the same view's sidebar names, and an action started
  after a rebuild finished shows that build id (or a later one);
* completion: every action finishes, every session did its actions in every phase and saw every
  build, ending on the last, and each rebuild ran while sessions were busy.

Timings (action -> run over and drawn) are reported, never asserted: printed, and written with every
action to tests/artifacts/concurrency.json. An action that never finishes still fails the test, after
a hang guard of ACTION_GUARD_S seconds scaled to the machine (tests/timing.py).

End of a run (Streamlit 1.67): the number of finished runs the page has seen went up since the
action (read from the App component's React state `scriptRunFinishedSequence`, see INIT_SCRIPT in
tests/browser/conftest.py: stApp's `data-test-script-state` alone is not enough, as typing happens
while it already says `notRunning` and React may batch a fast rerun's running -> notRunning into no
DOM change at all), stApp says `notRunning`, no element is still stale (`data-stale="true"`) or a
lazy-loading placeholder (`stSkeleton`: the run is marked over before lazily loaded elements such as
st.metric are drawn), and the sidebar's build caption (plus, on the overview, the metric) is there.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests import timing
from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, INIT_SCRIPT, _unavailable, streamlit_server
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA, ROOT
from tests.timing import guard, guard_ms

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = int(os.environ.get("TRACKER_CONCURRENCY_SESSIONS") or 10)
# actions each session finishes before the next rebuild starts: after opening, then since the previous
# rebuild, its reopening of the overview included (raise it for a longer soak)
ACTIONS_BETWEEN = int(os.environ.get("TRACKER_CONCURRENCY_ACTIONS") or 1)
REBUILDS = 2
# Hang guards (seconds on an idle 2-core machine, times tests/timing.py's scale). Not speed checks: an
# action queues behind the other sessions' runs (max 23 s seen here with 10 sessions, machine idle).
ACTION_GUARD_S = 90
OPEN_GUARD_S = 120  # opening a session: cold browser cache, cold server
BUILD_GUARD_S = 120  # one `python -m etl build` of the fixture (2 s alone, 12 s beside 10 sessions)
SEARCHES = ("SMIC", "nm", "Big Fund", "Entity List", "TSMC", "billion")
SEARCH_LABEL = "Search titles, evidence and names"
STAGGER_S = 0.5  # sessions open this far apart, not as one thundering herd of cold page loads
THINK_S = 0.5  # a reader's pause between two actions of a session (not timed)

# true once the run that followed the action is over and drawn (or shows an exception / error)
RUN_OVER = """
(arg) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!window.__stFinished || window.__stFinished().n <= arg.finished) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stException"], [data-testid="stAlertContentError"]')) return true;
  const caption = [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]')]
    .some((e) => /Build\\s+\\S+/.test(e.innerText));
  if (!caption) return false;
  if (!arg.overview) return true;
  return [...document.querySelectorAll('[data-testid="stMetric"]')]
    .some((m) => (m.querySelector('[data-testid="stMetricLabel"]') || {}).innerText?.trim() === 'Facts in view'
                 && /\\d/.test((m.querySelector('[data-testid="stMetricValue"]') || {}).innerText || ''));
}
"""

# one snapshot of what the view shows
SNAPSHOT = """
() => {
  const text = (e) => (e ? e.innerText.trim() : null);
  const caption = [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]')]
    .map(text).find((t) => /Build\\s+\\S+/.test(t)) || null;
  const metric = [...document.querySelectorAll('[data-testid="stMetric"]')]
    .find((m) => text(m.querySelector('[data-testid="stMetricLabel"]')) === 'Facts in view');
  return {
    caption,
    facts: metric ? text(metric.querySelector('[data-testid="stMetricValue"]')) : null,
    exceptions: [...document.querySelectorAll('[data-testid="stException"]')].map(text),
    errors: [...document.querySelectorAll('[data-testid="stAlertContentError"]')].map(text),
    connection: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-connection-state'),
    mode: window.__stFinished().mode,
    url: location.href,
  };
}
"""

# what a page looked like when an action did not finish
DIAGNOSIS = """
(label) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const input = [...document.querySelectorAll('[data-testid="stSidebar"] input')]
    .find((i) => i.getAttribute('aria-label') === label);
  return JSON.stringify({
    finished: window.__stFinished && window.__stFinished(), state: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'), search: input ? input.value : null,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    exceptions: document.querySelectorAll('[data-testid="stException"]').length,
    caption: !![...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]')]
      .find((e) => /Build\\s+\\S+/.test(e.innerText)),
    metric: !![...document.querySelectorAll('[data-testid="stMetricLabel"]')]
      .find((e) => e.innerText.trim() === 'Facts in view'),
    url: location.href,
  });
}
"""


@dataclass
class Action:
    session: int
    kind: str  # "goto" or "search"
    target: str  # path with query, or the search text
    started: float  # seconds since the test's start
    phase: int = 0  # rebuilds the session has reopened the overview for (a reopening counts in the phase it opens)
    reopen: bool = False  # the overview reopened because a rebuild was published
    seconds: float | None = None
    build_id: str | None = None
    facts: int | None = None
    overview_unfiltered: bool = False
    mode: str | None = None  # how the end of the run was recognised (see INIT_SCRIPT)
    failure: str | None = None


@dataclass
class Rebuild:
    started: float
    finished: float
    build_id: str
    facts: int
    returncode: int
    output: str = ""


@dataclass
class Run:
    t0: float
    actions: list[Action] = field(default_factory=list)
    rebuilds: list[Rebuild] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    openings: list[Action] = field(default_factory=list)
    reload_due: set[int] = field(default_factory=set)  # sessions that have not reopened the overview since a rebuild
    phase: dict[int, int] = field(default_factory=dict)  # session -> rebuilds it has reopened the overview for
    since: dict[int, int] = field(default_factory=dict)  # session -> actions finished in that phase (its reopening too)
    begun: int = 0  # rebuilds started so far
    aborted: str | None = None  # why the run stopped early (an action or a rebuild failed)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def ready_for_rebuild(self, n: int) -> bool:
        """Every session has reopened the overview for the n previous rebuilds and finished its actions since."""
        return all(self.phase.get(i) == n and self.since.get(i, 0) >= ACTIONS_BETWEEN for i in range(SESSIONS))


# ---------------------------------------------------------------- the package under the test


def _manifest(versions: Path, build_id: str) -> dict:
    return json.loads((versions / build_id / "manifest.json").read_text())


def _build(data: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "--data", str(data), "--corpus", str(FIXTURE_CORPUS), "build", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=guard(BUILD_GUARD_S),
    )


NEW_FACTS = [  # valid facts on lines of fx-later-report (lines 7-10), appended one per rebuild
    ("fx-later-report-91", 7, "Fixture news: a later report", "A later report covered the fund again"),
    ("fx-later-report-92", 8, "Another outlet put Big Fund III", "Another outlet sized Big Fund III"),
    ("fx-later-report-93", 9, "a report claimed", "A report made a claim about SMIC"),
]


def _append_fact(data: Path, n: int) -> None:
    fact_id, line, evidence, title = NEW_FACTS[n]
    with open(data / "sources" / "fx-later-report.yml", "a", encoding="utf-8") as f:  # its facts: list comes last
        f.write(
            f"- id: {fact_id}\n  kind: event\n  topic: other_policy\n  title: {title}\n"
            f'  line: {line}\n  evidence: "{evidence}"\n'
        )


@pytest.fixture
def own_package(tmp_path):
    """A package of our own (the session package_dir is shared with other tests): (data, build link)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    out = tmp_path / "build"
    done = _build(data, out)
    assert done.returncode == 0, done.stderr
    assert out.is_symlink()
    return data, out


def _filters_from(package: Path) -> dict:
    entities = pq.read_table(package / "entities.parquet", columns=["entity_id"]).column("entity_id").to_pylist()
    nodes = pq.read_table(package / "chip_nodes.parquet", columns=["fact_id", "metric"]).to_pylist()
    units = dict(zip(*pq.read_table(package / "facts.parquet", columns=["fact_id", "unit"]).to_pydict().values()))
    metrics = sorted({f"{n['metric']}|{units.get(n['fact_id'])}" for n in nodes if units.get(n["fact_id"])})
    assert entities and metrics
    return {"entities": sorted(entities), "metrics": metrics}


# ---------------------------------------------------------------- what each session does


def _plan(i: int, filters: dict) -> list[tuple[str, str]]:
    """Session i's actions, repeated: its own entity, metric, dates and searches, starting at its own point."""
    ents, metrics = filters["entities"], filters["metrics"]
    e1, e2 = ents[i % len(ents)], ents[(i + 1) % len(ents)]
    metric = metrics[i % len(metrics)].replace("|", "%7C")
    year = 2018 + i % 4
    actions = [
        ("goto", "/"),
        ("search", SEARCHES[i % len(SEARCHES)]),
        ("search", ""),  # cleared again: the overview is unfiltered once more
        ("goto", f"/timeline?from={year}-01-01&to=2024-12-31"),
        ("goto", f"/?entity={e1}"),
        ("search", SEARCHES[(i + 1) % len(SEARCHES)]),
        ("goto", f"/funding?entity={e2}"),
        ("search", SEARCHES[(i + 2) % len(SEARCHES)]),
        ("goto", f"/chip_nodes?metric={metric}"),
        ("goto", f"/entities?id={e1}"),
        ("goto", "/sources"),
        ("search", SEARCHES[(i + 3) % len(SEARCHES)]),
    ]
    k = i % len(actions)
    return actions[k:] + actions[:k]


def _build_of(caption: str | None) -> str | None:
    m = re.search(r"Build\s+(\S+)", caption or "")
    return m.group(1) if m else None


async def _act(
    run: Run,
    page,
    base: str,
    i: int,
    kind: str,
    target: str,
    state: dict,
    guard_s: float = ACTION_GUARD_S,
    reopen: bool = False,
) -> Action:
    action = Action(i, kind, target, run.now(), phase=run.phase.get(i, 0) + reopen, reopen=reopen)
    timeout_ms = guard_ms(guard_s)
    if kind == "search" and state["q"] == target:  # the same text again would not rerun
        target = action.target = "" if target else SEARCHES[i % len(SEARCHES)]
    overview = (kind == "goto" and target.split("?")[0] == "/") or (kind == "search" and state["page"] == "/")
    started = time.monotonic()
    try:
        if kind == "goto":
            before = 0  # a new document counts from zero
            await page.goto(base + target, wait_until="commit", timeout=timeout_ms)
        else:
            before = (await page.evaluate("window.__stFinished()"))["n"]
            if before < 0:
                raise AssertionError("the previous run was not over before typing")
            box = page.get_by_label(SEARCH_LABEL, exact=True)
            await box.fill(target, timeout=timeout_ms)
            await box.press("Enter", timeout=timeout_ms)
        remaining = max(1000, timeout_ms - (time.monotonic() - started) * 1000)
        await page.wait_for_function(
            RUN_OVER, arg={"finished": before, "overview": overview}, polling=50, timeout=remaining
        )
        action.seconds = time.monotonic() - started
        snap = await page.evaluate(SNAPSHOT)
    except Exception as exc:  # a hang (past the scaled guard) is a failure like any other
        action.seconds = time.monotonic() - started
        action.failure = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
        try:
            action.failure += f" (page then: {await page.evaluate(DIAGNOSIS, SEARCH_LABEL)})"
        except Exception as again:
            action.failure += f" (page not readable: {str(again).splitlines()[0][:200]})"
        state.update(page=None, q=None, filtered=None)
        return action
    if kind == "goto":
        state.update(page=target.split("?")[0], q="", filtered="?" in target)
    else:
        state["q"] = target
    action.build_id = _build_of(snap["caption"])
    action.mode = snap["mode"]
    problems = [f"exception: {t}" for t in snap["exceptions"]] + [f"error alert: {t}" for t in snap["errors"]]
    if snap["connection"] != "CONNECTED":
        problems.append(f"connection state {snap['connection']}")
    if action.build_id is None:
        problems.append(f"no build caption in the sidebar ({snap['caption']!r})")
    if overview:
        action.overview_unfiltered = not state["filtered"] and state["q"] == ""
        try:
            action.facts = int(re.sub(r"[,\s\u202f]", "", snap["facts"]))  # "1,234"
        except (TypeError, ValueError):
            problems.append(f"no 'Facts in view' metric ({snap['facts']!r})")
    if problems:
        action.failure = "; ".join(problems) + f" at {snap['url']}"
        state.update(page=None, q=None, filtered=None)  # no search box to type in: navigate next
    return action


async def _session(
    run: Run, context, base: str, i: int, plan, opened: asyncio.Queue, go: asyncio.Event, stop: asyncio.Event
):
    await asyncio.sleep(i * STAGGER_S)
    state = {"page": None, "q": None, "filtered": None}
    announced, page = False, None
    try:
        page = await context.new_page()  # its own tab: its own websocket, so its own Streamlit session
        page.on("pageerror", lambda exc: run.page_errors.append(f"session {i}: {exc}"))
        # opening the session (cold browser cache and code cache, first imports on the server) is not reported
        opening = await _act(run, page, base, i, "goto", "/", state, guard_s=OPEN_GUARD_S)
        run.openings.append(opening)
        if opening.failure:
            run.aborted = run.aborted or f"session {i} did not open: {opening.failure}"
            stop.set()
        await opened.put(i)
        announced = True
        await go.wait()
        run.phase[i], run.since[i] = 0, 0
        n = 0
        while not stop.is_set():
            if i in run.reload_due:  # a rebuild was published: like a reader told to reload, open the overview
                run.reload_due.discard(i)
                action = await _act(run, page, base, i, "goto", "/", state, reopen=True)
                run.phase[i], run.since[i] = run.phase[i] + 1, 1
            elif run.phase[i] == REBUILDS:
                break  # reopened after the last rebuild: this session is done
            elif run.since[i] >= ACTIONS_BETWEEN and run.begun <= run.phase[i]:
                # ready for the next rebuild: wait for it to start, then browse on while it runs, so that the
                # swap lands among every session's runs (and the sessions still in the phase go faster)
                await asyncio.sleep(0.1)
                continue
            else:
                kind, target = plan[n % len(plan)]
                n += 1
                if kind == "search" and state["page"] is None:
                    kind, target = "goto", "/"
                action = await _act(run, page, base, i, kind, target, state)
                run.since[i] += 1
            run.actions.append(action)
            if action.failure:  # the test fails on it: stop everyone instead of browsing on
                run.aborted = run.aborted or f"session {i}: {action.failure}"
                stop.set()
                break
            await asyncio.sleep(THINK_S)
    finally:
        if not announced:  # failed before its opening was counted: let the run go on (and stop)
            run.aborted = run.aborted or f"session {i} failed while opening"
            stop.set()
            await opened.put(i)
        if page is not None:
            await page.close()


async def _rebuilds(run: Run, data: Path, out: Path, sessions: list[asyncio.Task], stop: asyncio.Event) -> None:
    """Change the annotations and rebuild with the real CLI each time every session is ready for it."""
    versions = out.parent / f".{out.name}.versions"
    for n in range(REBUILDS):
        while not run.ready_for_rebuild(n):
            if stop.is_set() or any(t.done() for t in sessions):  # a session failed or ended early
                return
            await asyncio.sleep(0.1)
        started = run.now()
        run.begun = n + 1
        _append_fact(data, n)
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "etl",
            "--data",
            str(data),
            "--corpus",
            str(FIXTURE_CORPUS),
            "build",
            "--out",
            str(out),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            output = (await asyncio.wait_for(proc.communicate(), guard(BUILD_GUARD_S)))[0].decode(errors="replace")
        except TimeoutError:
            proc.kill()
            await proc.wait()
            run.aborted = f"rebuild {n + 1} did not finish within {guard(BUILD_GUARD_S):.0f} s"
            return
        build_id = os.readlink(out).rsplit("/", 1)[-1]
        run.rebuilds.append(
            Rebuild(
                started,
                run.now(),
                build_id,
                _manifest(versions, build_id)["row_counts"]["facts"],
                proc.returncode,
                output.strip(),
            )
        )
        if proc.returncode != 0:
            run.aborted = f"rebuild {n + 1} failed"
            return
        run.reload_due.update(range(SESSIONS))


async def _browse(run: Run, base: str, data: Path, out: Path, filters: dict) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *CHROMIUM_ARGS,
                # many tabs at once: a tab in the background must not be slowed
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
            ],
        )
        try:
            # One context, one tab per session: Streamlit keys a session to the tab's websocket, and the tabs
            # sharing one HTTP and code cache halves what 10 cold page loads cost two CPU cores.
            context = await browser.new_context(viewport={"width": 1000, "height": 700})
            await context.add_init_script(INIT_SCRIPT)
            opened, go, stop = asyncio.Queue(), asyncio.Event(), asyncio.Event()
            sessions = [
                asyncio.create_task(_session(run, context, base, i, _plan(i, filters), opened, go, stop))
                for i in range(SESSIONS)
            ]
            try:
                for _ in range(SESSIONS):
                    await opened.get()
                run.t0 = time.monotonic()
                go.set()
                await _rebuilds(run, data, out, sessions, stop)
                if run.aborted:
                    stop.set()
                await asyncio.gather(*sessions)
            finally:
                stop.set()
                go.set()
                await asyncio.gather(*sessions, return_exceptions=True)
        finally:
            await browser.close()


def _in_thread(coro_fn, *args) -> None:
    """Run the asyncio part in its own thread: the sync Playwright of other browser tests may own this one."""
    failure: list[BaseException] = []

    def target():
        try:
            asyncio.run(coro_fn(*args))
        except BaseException as exc:
            failure.append(exc)

    t = threading.Thread(target=target, name="concurrency-browse")
    t.start()
    t.join()
    if failure:
        raise failure[0]


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q * len(ordered)))) - 1]


# ---------------------------------------------------------------- the test


@pytest.fixture
def chromium() -> str:
    """Chromium and Playwright's async API, or a skip (a failure under CI=true)."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed")
    return CHROMIUM


def test_ten_sessions_browse_through_two_rebuilds(chromium, own_package):
    data, out = own_package
    versions = out.parent / f".{out.name}.versions"
    first_id = os.readlink(out).rsplit("/", 1)[-1]
    facts_of = {first_id: _manifest(versions, first_id)["row_counts"]["facts"]}
    filters = _filters_from(out.resolve())
    load_before = os.getloadavg()
    wall = time.monotonic()

    run = Run(t0=time.monotonic())
    with streamlit_server(out, log_name="streamlit_concurrency.log") as base:
        _in_thread(_browse, run, base, data, out, filters)
    wall = time.monotonic() - wall
    log_text = (ARTIFACTS / "streamlit_concurrency.log").read_text(errors="replace")

    for r in run.rebuilds:
        facts_of[r.build_id] = r.facts
    timings = [a.seconds for a in run.actions if a.failure is None]
    seen = {i: [] for i in range(SESSIONS)}
    for a in sorted(run.actions, key=lambda a: a.started):
        if a.build_id and (not seen[a.session] or seen[a.session][-1] != a.build_id):
            seen[a.session].append(a.build_id)
    overlapping = [
        sum(1 for a in run.actions if a.started < r.finished and a.started + (a.seconds or 0) > r.started)
        for r in run.rebuilds
    ]
    stats = {
        "sessions": SESSIONS,
        "actions_between_rebuilds": ACTIONS_BETWEEN,
        "wall_s": round(wall, 1),
        "browse_s": round(max((a.started + (a.seconds or 0) for a in run.actions), default=0.0), 1),
        "time_scale": round(timing.time_scale(), 2),
        "action_guard_s": round(guard(ACTION_GUARD_S), 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "actions": len(run.actions),
        "count": len(timings),
        "p50_s": round(_percentile(timings, 0.50), 3) if timings else None,
        "p95_s": round(_percentile(timings, 0.95), 3) if timings else None,
        "max_s": round(max(timings), 3) if timings else None,
        "by_kind": {
            k: {
                "count": len(v),
                "p50_s": round(_percentile(v, 0.5), 3),
                "p95_s": round(_percentile(v, 0.95), 3),
                "max_s": round(max(v), 3),
            }
            for k in ("goto", "search")
            if (v := [a.seconds for a in run.actions if a.kind == k and a.failure is None])
        },
        "openings_max_s": round(max((a.seconds or 0 for a in run.openings), default=0.0), 3),
        "builds": [{"build_id": first_id, "facts": facts_of[first_id], "finished_s": 0.0}]
        + [
            {
                "build_id": r.build_id,
                "facts": r.facts,
                "started_s": round(r.started, 2),
                "finished_s": round(r.finished, 2),
                "returncode": r.returncode,
            }
            for r in run.rebuilds
        ],
        "actions_during_each_rebuild": overlapping,
        "build_ids_seen_per_session": seen,
        "end_of_run_modes": sorted({a.mode for a in run.openings + run.actions if a.mode}),
        "overview_checks": sum(a.overview_unfiltered and a.facts is not None for a in run.actions),
        "aborted": run.aborted,
        "openings": [asdict(a) for a in run.openings],
        "failures": [asdict(a) for a in run.openings + run.actions if a.failure],
        "page_errors": run.page_errors,
        "server_log_tracebacks": log_text.count("Traceback"),
        "actions_log": [asdict(a) for a in run.actions],
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "concurrency.json").write_text(json.dumps(stats, indent=2, default=str) + "\n")
    print(
        f"\nconcurrency: {SESSIONS} sessions, wall {wall:.1f}s (browsing {stats['browse_s']}s), load average "
        f"{stats['load_average_before'][0]} -> {stats['load_average_after'][0]} on {os.cpu_count()} cores, "
        f"time scale {stats['time_scale']}: {stats['count']} reruns timed (of {stats['actions']} actions); "
        f"p50 {stats['p50_s']}s, p95 {stats['p95_s']}s, max {stats['max_s']}s (reported, not asserted); "
        f"by kind {stats['by_kind']}"
    )
    print(f"builds: {stats['builds']}; actions in flight during each rebuild: {overlapping}")
    print(f"build ids seen per session: {seen}")
    print(
        f"unfiltered overview checks: {stats['overview_checks']}; failures: {len(stats['failures'])}; "
        f"page errors: {len(run.page_errors)}"
    )

    # errors: no exception, error alert or hang anywhere
    failures = [
        f"{'opening' if any(a is o for o in run.openings) else 'session'} {a.session} {a.kind} "
        f"{a.target!r} at {a.started:.1f}s: {a.failure}"
        for a in run.openings + run.actions
        if a.failure
    ]
    assert not failures, "\n".join(failures[:20])
    assert not run.page_errors, run.page_errors[:10]
    assert "Traceback" not in log_text, log_text[-3000:]

    # the rebuilds worked and changed the fact count
    assert run.aborted is None, run.aborted
    assert len(run.rebuilds) == REBUILDS, stats["builds"]
    for r in run.rebuilds:
        assert r.returncode == 0, r.output
    ids = [first_id] + [r.build_id for r in run.rebuilds]
    assert len(set(ids)) == len(ids), ids
    assert len({facts_of[b] for b in ids}) == len(ids), facts_of

    # completion: every session opened, did its actions in every phase and reopened after every rebuild
    assert len(run.openings) == SESSIONS
    for a in run.openings:
        assert a.build_id == first_id and (not a.overview_unfiltered or a.facts == facts_of[first_id]), a
    for i in range(SESSIONS):
        mine = [a for a in run.actions if a.session == i]
        for phase in range(REBUILDS):
            done = [a for a in mine if a.phase == phase]
            assert len(done) >= ACTIONS_BETWEEN, f"session {i} did {len(done)} actions before rebuild {phase + 1}"
        assert [a.phase for a in mine if a.reopen] == list(range(1, REBUILDS + 1)), f"session {i}'s reopenings"
    assert all(overlapping), f"a rebuild ran while no session was busy: {overlapping}"

    # consistency: each view is of one version, and a version published before an action started is the one it shows
    for a in run.actions:
        assert a.build_id in facts_of, f"unknown build {a.build_id!r} in {a}"
        if a.overview_unfiltered:
            assert a.facts == facts_of[a.build_id], (
                f"build {a.build_id} has {facts_of[a.build_id]} facts, the view showed {a.facts}: {a}"
            )
        published = [r for r in run.rebuilds if r.finished <= a.started]
        if published:
            allowed = {published[-1].build_id} | {r.build_id for r in run.rebuilds if r.finished > a.started}
            assert a.build_id in allowed, (
                f"action started after build {published[-1].build_id} was published but showed {a.build_id}: {a}"
            )
    for r in run.rebuilds:  # every session reopened the overview after each rebuild and saw that build's counts
        for i in range(SESSIONS):
            after = [a for a in run.actions if a.session == i and a.overview_unfiltered and a.started >= r.finished]
            assert after, f"session {i} never reopened the overview after build {r.build_id}"
    for i in range(SESSIONS):
        assert seen[i] and seen[i][-1] == ids[-1], f"session {i} saw {seen[i]}, last build {ids[-1]}"
    assert {b for s in seen.values() for b in s} == set(ids), seen
