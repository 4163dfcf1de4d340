"""bench capacity's reader: what it counts as a table, an error and a release, from Streamlit's own messages
(the benchmark itself needs nginx and minutes; it is not in the test run)."""

from __future__ import annotations

import types

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import capacity


def _element(fill) -> ForwardMsg:
    msg = ForwardMsg()
    fill(msg.delta.new_element)
    return msg


def _finished() -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    return msg


def _markdown(body: str) -> ForwardMsg:
    return _element(lambda e: setattr(e.markdown, "body", body))


def _table() -> ForwardMsg:
    return _element(lambda e: e.dataframe.SetInParent())


def _error(text: str) -> ForwardMsg:
    def fill(e):
        e.alert.body = text
        e.alert.format = Alert.ERROR

    return _element(fill)


def test_a_run_with_a_table_names_its_build_and_has_no_error():
    run = capacity.Run("timeline", 0.0)
    for msg in (_markdown("Build `90660c5372ba816f` · built 2026-12-03"), _table(), _finished()):
        capacity._note(msg, run)
    assert run.build == "90660c5372ba816f"
    assert run.table_s is not None and run.complete_s is not None and run.error is None


def test_an_error_element_or_a_run_without_a_table_is_an_error():
    shown = capacity.Run("overview", 0.0)
    for msg in (_error("The data package could not be read"), _table(), _finished()):
        capacity._note(msg, shown)
    assert shown.error == "st.error: The data package could not be read"
    empty = capacity.Run("sources", 0.0)
    capacity._note(_finished(), empty)
    assert empty.error == "the run ended without a table"


def test_the_report_states_the_gain_whatever_the_order_measured():
    def result(replicas: int, per_s: float) -> dict:
        return {
            "replicas": replicas, "sessions": 15, "runs": 100, "runs_per_s": per_s, "table_p50": 1.0,
            "table_p95": 2.0, "complete_p50": 1.1, "complete_p95": 2.1, "errors": 0, "readers_switched": 15,
            "switch_last_s": 7.0, "per_page_table_p50": {"timeline": 0.9}, "release_a": "a", "release_b": "b",
            "builds": ["a", "b"], "stale_runs_after_60s": 0, "error_examples": [],
        }  # fmt: skip

    args = types.SimpleNamespace(replicas="2,1", sessions=15, seconds=90)
    text = capacity.report([result(2, 12.9), result(1, 6.7)], args, (0.5, 0.5, 0.5))
    assert "Gain from 1 to 2 replicas: 1.93× page runs per second." in text
    assert "| 2 | 15 | 100 | 12.90 | 1.00 / 2.00 |" in text
