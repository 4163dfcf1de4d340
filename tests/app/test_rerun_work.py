"""A cached rerun (a click that does not change what is asked) does no work it did before: no query of
the store, no table made ready for display, no chart spec built, no pandas frame turned into Arrow by
Streamlit. Issue #14 item 1: the work per page run is what every click of every reader costs."""

from __future__ import annotations

import threading
from collections import Counter

import altair as alt
import pandas as pd
import pytest
from streamlit import dataframe_util

from tests.app.conftest import open_app
from tracker import data, db, read, ui
from tracker.filters import Filters
from tracker.memo import Memo

PAGES = ["overview", "timeline", "chip_nodes", "funding", "entities", "sources"]


@pytest.fixture
def counted(monkeypatch):
    """Calls of the steps a cached rerun must not repeat, counted once `counting` is set."""
    calls: Counter[str] = Counter()
    counting = threading.Event()

    def count(owner, name, label):
        real = getattr(owner, name)

        def wrapper(*args, **kwargs):
            if counting.is_set():
                calls[label] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    count(read, "execute", "store queries")
    count(dataframe_util, "convert_pandas_df_to_arrow_table", "tables made ready")
    count(alt.TopLevelMixin, "to_dict", "chart specs built")
    count(dataframe_util, "convert_pandas_df_to_arrow_bytes", "pandas frames turned into Arrow")
    return calls, counting


@pytest.mark.parametrize("page", PAGES)
def test_a_cached_rerun_asks_and_converts_nothing(package_dir, monkeypatch, counted, page):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(package_dir))
    calls, counting = counted
    at = open_app(page)
    at.run()  # the first rerun may still fill what the first visit did not
    assert at.dataframe, "the page shows a table"
    counting.set()
    at.run()
    assert not at.exception
    assert dict(calls) == {}, f"{page}: a cached rerun repeated work: {dict(calls)}"


def _frames(value) -> list[pd.DataFrame]:
    return [v for v in (value if type(value) is tuple else (value,)) if isinstance(v, pd.DataFrame)]


def test_no_page_changes_a_kept_answer_in_place(package_dir, monkeypatch):
    """Answers are handed to every session as the very objects kept (no copy per call): a page that set
    a column or sorted in place would change what every other reader sees. Each frame is copied the
    moment it is kept, and compared after every page has run twice."""
    monkeypatch.setenv("TRACKER_DATA_DIR", str(package_dir))
    kept: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}

    class Recording(Memo):
        def get(self, key, compute):
            def recorded():
                value = compute()
                kept.update({id(f): (f, f.copy(deep=True)) for f in _frames(value)})
                return value

            return super().get(key, recorded)

    monkeypatch.setattr(data, "ANSWERS", Recording(max_entries=512))
    opened = [open_app(page) for page in PAGES] + [open_app("fact", {"fact": "fx-december-rules-06"})]
    for at in opened:
        at.run()
        assert not at.exception
    assert len(kept) > 20
    changed = [frame.columns.tolist() for frame, at_first in kept.values() if not frame.equals(at_first)]
    assert changed == []


def test_the_fact_page_rerun_asks_and_converts_nothing(package_dir, monkeypatch, counted):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(package_dir))
    calls, counting = counted
    at = open_app("fact", {"fact": "fx-december-rules-06"})
    at.run()
    counting.set()
    at.run()
    assert not at.exception
    assert dict(calls) == {}


def test_only_a_frame_straight_from_the_reader_is_kept_by_its_question(package_dir):
    """A frame the page derived from an answer (a head, a filter) must never be shown from the answer's
    entry: it is drawn anew."""
    read = data.reader(db.current_package(package_dir))
    frame = read.sources(Filters()).page(50)
    key = ui._answer_key(frame)
    assert key is not None and key[0] == "answer"
    assert ui._answer_key(read.sources(Filters()).page(50)) == key  # asked again: the same question
    assert ui._answer_key(read.sources(Filters()).page(10)) != key
    assert ui._answer_key(frame.head(1)) is None
    assert ui._answer_key(frame[frame["fact_count"] > 0]) is None
    assert ui._answer_key("nm") == "nm"
    assert ui._answer_key(["a"]) is None


def test_memo_keeps_the_newest_entries_and_computes_each_once():
    memo = Memo(max_entries=2)
    computed: list[str] = []

    def value(key: str):
        return lambda: computed.append(key) or key.upper()

    assert memo.get("a", value("a")) == "A"
    assert memo.get("a", value("a")) == "A"
    memo.get("b", value("b"))
    memo.get("a", value("a"))  # a is now the most recently used
    memo.get("c", value("c"))  # b goes
    assert memo.get("a", value("a")) == "A"
    assert memo.get("b", value("b")) == "B"
    assert computed == ["a", "b", "c", "b"]
    assert len(memo) == 2


def test_memo_does_not_keep_a_failure_and_refuses_an_unhashable_key():
    memo = Memo(max_entries=4)

    def fail():
        raise RuntimeError("store gone")

    with pytest.raises(RuntimeError):
        memo.get("k", fail)
    assert memo.get("k", lambda: 1) == 1
    with pytest.raises(TypeError):
        memo.get(("k", ["a list"]), lambda: 2)


def test_memo_computes_once_for_readers_asking_at_the_same_time():
    memo = Memo(max_entries=4)
    started, release = threading.Event(), threading.Event()
    computed: list[int] = []

    def slow():
        computed.append(1)
        started.set()
        release.wait(10)
        return "answer"

    answers: list[str] = []
    first = threading.Thread(target=lambda: answers.append(memo.get("q", slow)))
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=lambda: answers.append(memo.get("q", slow))) for _ in range(4)]
    for t in others:
        t.start()
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert answers == ["answer"] * 5
    assert computed == [1]
