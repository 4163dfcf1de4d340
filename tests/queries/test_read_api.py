"""The read API itself (tracker/read.py): binding, declarations, views, recording and the cached reader."""

from __future__ import annotations

import datetime as dt
import inspect
import re

import pandas as pd
import pytest

from tracker import data, db, read
from tracker.filters import Filters
from tracker.read import LISTED, QUESTIONS, SQL_DIR, Listing, Reader, bind


@pytest.fixture(scope="module")
def pkg(package_dir):
    return db.current_package(package_dir)


@pytest.fixture(scope="module")
def reader(pkg):
    return Reader(db.connect(pkg.directory))


# --- bind: the parameters are the $names the SQL uses --------------------------------------


def test_bind_takes_only_the_names_the_sql_uses():
    text = "select $a, $b_2 from t -- not $c\nwhere x = $a -- nor $d"
    assert bind(text, {"a": 1, "b_2": None, "c": 3, "d": 4, "e": 5}) == {"a": 1, "b_2": None}
    assert bind("select 1 -- $only_in_a_comment", {}) == {}


def test_bind_refuses_a_missing_parameter_naming_it():
    with pytest.raises(TypeError, match=r"needs \$b, \$c$"):
        bind("select $a, $c, $b", {"a": 1})
    with pytest.raises(TypeError, match=r"needs \$entity_id"):
        bind(read.sql("entity_density"), {"fact_id": "x"})


def test_a_question_missing_a_parameter_is_refused_not_run_with_null(reader):
    with pytest.raises(TypeError, match=r"\$entity_id"):
        read.execute(reader.con, read.sql("entity_density"), {})


# --- declarations: every question and listing has its SQL ----------------------------------

LISTINGS = {v.name: v for v in vars(read).values() if isinstance(v, Listing)}


def _uses(name: str) -> tuple[list[str], list[str], list[str]]:
    """(the SQL files a declared method runs by name, the listings it views, the declared methods it asks)."""
    source = inspect.getsource(inspect.unwrap(QUESTIONS[name]))
    files = re.findall(r"_frame\(\s*\"(\w+)\"", source)
    listings = [getattr(read, c).name for c in re.findall(r"_rows\(\s*([A-Z_]+)\s*,", source)]
    asked = [m for m in re.findall(r"self\.(\w+)\(", source) if m in QUESTIONS]
    return files, listings, asked


def test_every_question_and_listing_has_its_sql_files():
    assert len(QUESTIONS) > 20 and {
        "facts",
        "chip_nodes",
        "funding",
        "facts_of_entity",
        "sources",
        "facts_of_source",
        "facts_summary",
        "chip_comparison",
    } <= set(QUESTIONS)
    for name in QUESTIONS:
        files, listings, asked = _uses(name)
        assert files or listings or asked, f"{name} declares no SQL and asks nothing declared"
        for file in files:
            assert (SQL_DIR / f"{file}.sql").is_file(), f"{name}: sql/{file}.sql is missing"
        for listing in listings:
            assert (SQL_DIR / f"{listing}.sql").is_file(), f"{name}: sql/{listing}.sql is missing"
            if LISTINGS[listing].picked:
                assert (SQL_DIR / f"{listing}_rows.sql").is_file(), f"{name}: sql/{listing}_rows.sql is missing"
                assert LISTED in read.sql(listing), f"sql/{listing}.sql does not take its rows from {LISTED}"


def test_every_sql_file_is_some_questions():
    used = {"_macros"}
    for name in QUESTIONS:
        files, listings, _ = _uses(name)
        used |= set(files) | set(listings) | {f"{n}_rows" for n in listings if LISTINGS[n].picked}
    assert {p.stem for p in SQL_DIR.glob("*.sql")} == used  # no file left behind by a rename


def test_a_listings_rows_file_neither_orders_nor_cuts():
    """Order and page are the read API's (over `ord`): a rows file that cut would count a page."""
    for listing in LISTINGS.values():
        if listing.picked:
            text = read._COMMENT.sub("", read.sql(f"{listing.name}_rows")).lower()
            assert not re.search(r"\border\s+by\b|\blimit\b|\boffset\b", text), listing.name
            assert re.search(r"\bas ord\b", text), listing.name


# --- Rows: a view, equal across readers -------------------------------------------------------


def test_equal_views_compare_equal_across_readers(pkg, reader):
    other = Reader(db.connect(pkg.directory))
    f = Filters(entity_ids=("smic",), date_from=dt.date(2020, 1, 1))
    assert reader.facts(f, True) == other.facts(f, True)
    assert hash(reader.facts(f, True)) == hash(other.facts(f, True))
    assert reader.chip_nodes(f, "logic_node", "nm", ("smic", "tsmc")) == other.chip_nodes(
        f, "logic_node", "nm", ("smic", "tsmc")
    )
    assert reader.facts(f).sorted_by("oldest") == other.facts(f).sorted_by("oldest")
    assert reader.facts_of_source("fx-later-report") == other.facts_of_source("fx-later-report")
    # and different views differ
    assert reader.facts(f) != other.facts(f, True)
    assert reader.facts(f) != other.facts(Filters())
    assert reader.facts(f) != other.facts(f).sorted_by("oldest")
    assert reader.facts(f) != other.facts_of_entity("smic", f)
    assert reader.facts(f).sorted_by("sideways") == other.facts(f)  # an order it does not offer: the default
    assert reader.facts(f).sorts == dict(read.FACTS.sorts) and next(iter(reader.facts(f).sorts)) == "newest"


# --- RECORDING: what the benchmark replays ---------------------------------------------------


def test_recording_holds_questions_views_counts_and_pages(reader, monkeypatch):
    assert read.RECORDING is None
    reader.facts_summary(Filters())  # not recorded: nothing is listening
    recorded: list = []
    monkeypatch.setattr(read, "RECORDING", recorded)
    f = Filters(kinds=("rule",))
    reader.facts_summary(f)
    reader.timeline_density(f, "country", bin="year")
    rows = reader.facts(f, True).sorted_by("oldest")
    rows.count()
    rows.page(5, 2)
    reader.chip_comparison(Filters(), "logic_node", "nm", ("smic", "tsmc"), ("SMIC", "TSMC"))
    assert recorded[:5] == [
        ("facts_summary", (f,), {}),
        ("timeline_density", (f, "country"), {"bin": "year"}),
        ("facts", (f, True), {}),
        ("facts.count", (rows,), {}),
        ("facts.page", (rows, 5, 2), {}),
    ]
    # a question asked on the way (chip_gap_facts, its chip_nodes view and frame) is the outer one's cost
    assert recorded[5:] == [
        ("chip_comparison", (Filters(), "logic_node", "nm", ("smic", "tsmc"), ("SMIC", "TSMC")), {})
    ]
    # what was recorded replays to the same answers
    name, args, kwargs = recorded[1]
    pd.testing.assert_frame_equal(
        getattr(reader, name)(*args, **kwargs), reader.timeline_density(f, "country", bin="year")
    )
    assert recorded[3][1][0].count() == rows.count()


# --- the pages' reader: cached, and the same answers -------------------------------------------


def test_the_cached_reader_answers_as_a_direct_one(pkg, reader):
    cached = data.reader(pkg)  # outside Streamlit: st.cache_data keeps answers in memory
    f = Filters(entity_ids=("smic", "tsmc"))
    for _ in range(2):  # asked, then answered from the cache
        pd.testing.assert_frame_equal(cached.facts_summary(f), reader.facts_summary(f))
        pd.testing.assert_frame_equal(
            cached.funding_totals(Filters(), "year"), reader.funding_totals(Filters(), "year")
        )
        pd.testing.assert_frame_equal(cached.entities_matching("smic"), reader.entities_matching("smic"))
        assert cached.facts(f).count() == reader.facts(f).count() == 3
        pd.testing.assert_frame_equal(
            cached.facts(f).sorted_by("oldest").page(2, 1), reader.facts(f).sorted_by("oldest").page(2, 1)
        )
        assert cached.facts_of_source("fx-later-report").count() == reader.facts_of_source("fx-later-report").count()
        gap = [
            x.reset_index(drop=True)
            for x in cached.chip_comparison(Filters(), "logic_node", "nm", ("smic", "tsmc"), ("SMIC", "TSMC"))
        ]
        direct = reader.chip_comparison(Filters(), "logic_node", "nm", ("smic", "tsmc"), ("SMIC", "TSMC"))
        for a, b in zip(gap, direct, strict=True):
            pd.testing.assert_frame_equal(a, b.reset_index(drop=True))
    assert cached.facts(f) == reader.facts(f)
    assert data.csv_bytes(cached.facts(f), ["fact_id", "title"]) == data.csv_bytes(
        reader.facts(f), ["fact_id", "title"]
    )


def test_the_cached_reader_asks_duckdb_once_per_answer(pkg, monkeypatch):
    runs: list[str] = []
    execute = read.execute

    def counted(con, text, available, **kw):
        runs.append(text)
        return execute(con, text, available, **kw)

    monkeypatch.setattr(read, "execute", counted)
    cached = data.reader(pkg)
    f = Filters(search="cached-reader-test")  # a view no other test asks, so the first ask runs
    first = cached.facts_summary(f), cached.facts(f).count()
    asked = len(runs)
    assert asked == 2
    again = data.reader(pkg)
    second = again.facts_summary(f), again.facts(f).count()
    assert len(runs) == asked  # answered from the cache
    pd.testing.assert_frame_equal(first[0], second[0])
    assert first[1] == second[1] == 0
