"""The read API: every question the pages ask, declared once and typed.

A question is a method of `Reader` marked `@question`: its SQL is `sql/<its name>.sql` (or the
file it names), its parameters are the `$names` that SQL uses, bound from the call's filters and
arguments (a name the SQL uses and the call lacks is an error; values reach SQL only as bound
parameters). A table people page through is a `Listing`: `sql/<name>_rows.sql` picks its rows
(fact_no and a sort key `ord`) on narrow columns, `sql/<name>.sql` shows them; paging, counting
and the CSV are derived from those two files, so no filter is written twice.

    reader = Reader(duckdb_connection)          # tests and the benchmark: asks DuckDB directly
    reader = tracker.data.reader(package)       # pages: the same, answers cached per build
    reader.facts_summary(filters)               # a DataFrame
    rows = reader.facts(filters, dated_only=True).sorted_by("oldest")
    rows.count(); rows.page(200, 0); rows.arrow()   # the count, one page, every row (CSV)
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from etl.labels import money
from tracker.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
GROUPS = ("funder", "country", "year")
LANES = ("country", "authority")
BINS = ("month", "quarter", "year")
RELATED_WINDOW = 20_000
LISTED = "listed_rows($fact_nos)"  # the macro in _macros.sql each picked listing's main query starts from
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")

P = ParamSpec("P")
R = TypeVar("R")
# (question, args, kwargs) of every question asked while a list is set here, and (listing.count or
# listing.page, (rows, ...), {}) of every count and page: the benchmark runs the real pages, then
# times exactly what they asked.
RECORDING: list[tuple[str, tuple, dict]] | None = None
Cache = Callable[[tuple, Callable[[], Any]], Any]


@functools.cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def bind(text: str, available: dict[str, Any]) -> dict[str, Any]:
    """The parameters `text` uses, from `available`; DuckDB refuses unused ones and so do we missing ones."""
    names = set(_PARAMETER.findall(_COMMENT.sub("", text)))
    missing = sorted(names - set(available))
    if missing:
        raise TypeError(f"the query needs ${', $'.join(missing)}")
    return {name: available[name] for name in names}


def execute(con: duckdb.DuckDBPyConnection, text: str, available: dict[str, Any], *, arrow: bool = False):
    """One statement on its own cursor: a DataFrame, or an Arrow table when arrow=True."""
    cursor = con.cursor()
    try:
        params = bind(text, available)
        return cursor.sql(text, params=params).to_arrow_table() if arrow else cursor.execute(text, params).df()
    finally:
        cursor.close()


@dataclass(frozen=True)
class Listing:
    """A table people page through. `picked`: sql/<name>_rows.sql picks (fact_no, ord) and sql/<name>.sql
    shows them (a page in two statements: as one, DuckDB would join the wide tables before it knew which
    few rows it needs); otherwise sql/<name>.sql is one small statement with $limit and $offset. `sorts`:
    the orders it offers, key and label, the first the default, applied over every row before paging."""

    name: str
    picked: bool = True
    sorts: tuple[tuple[str, str], ...] = ()

    def count_sql(self) -> str:
        return f"select count(*) as row_count from ({sql(self.name + '_rows') if self.picked else sql(self.name)}) as r"

    def pick_sql(self) -> str:
        return f"select fact_no from ({sql(self.name + '_rows')}) as r order by ord limit $limit offset $offset"

    def all_sql(self) -> str:
        """Every row as one statement (the CSV): the pick inlined, since binding a list of hundreds of
        thousands of fact_no values costs more than the join it saves."""
        if not self.picked:
            return sql(self.name)
        shown = sql(self.name)
        assert LISTED in shown, f"{self.name}.sql must take its rows from: {LISTED}"
        return shown.replace(LISTED, f"({sql(self.name + '_rows')})")


BY_DATE = (("newest", "Newest first"), ("oldest", "Oldest first (undated last)"))
FACTS = Listing("facts", sorts=BY_DATE)
CHIP_NODES = Listing("chip_nodes", sorts=(("oldest", "Oldest first (undated last)"), ("newest", "Newest first")))
FUNDING = Listing(
    "funding",
    sorts=(("amount_desc", "Largest USD amount first"), ("amount_asc", "Smallest USD amount first"), *BY_DATE),
)
FACTS_OF_ENTITY = Listing("facts_of_entity", sorts=BY_DATE)
SOURCES = Listing("sources", picked=False)
FACTS_OF_SOURCE = Listing("facts_of_source", picked=False)
CLAIMS = Listing("claims", picked=False, sorts=(("disputed", "Disagreements first"), ("sources", "Most sources first")))


@dataclass(frozen=True)
class Rows:
    """One view of a listing (its filters and arguments, its order): what a paged table counts, pages
    through and downloads. Equal views compare equal, whatever reader they came from."""

    listing: Listing
    filters: Filters
    params: tuple[tuple[str, Any], ...] = ()
    sort: str | None = None
    reader: Reader | None = field(default=None, compare=False, repr=False)

    @property
    def sorts(self) -> dict[str, str]:
        return dict(self.listing.sorts)

    def sorted_by(self, sort: str | None) -> Rows:
        return replace(self, sort=sort if sort in self.sorts else None)

    def _available(self) -> dict[str, Any]:
        order = {"sort": self.sort or (self.listing.sorts[0][0] if self.listing.sorts else None)}
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params}
        return self.filters.sql_params() | params | order

    def _ask(self, what: str, compute: Callable[[], R], *extra: Any) -> R:
        assert self.reader is not None, "Rows come from a Reader"
        return self.reader.ask((f"{self.listing.name}.{what}", self.filters, self.params, self.sort, *extra), compute)

    def count(self) -> int:
        _record(f"{self.listing.name}.count", (self,), {})
        every = {"limit": None, "offset": 0}  # a one-statement listing counts all its rows
        return self._ask(
            "count", lambda: int(execute(self._con(), self.listing.count_sql(), self._available() | every).iloc[0, 0])
        )

    def page(self, limit: int, offset: int = 0) -> pd.DataFrame:
        """One page of rows, in the view's order."""
        _record(f"{self.listing.name}.page", (self, limit, offset), {})
        return self._ask("page", lambda: self._page(limit, offset), limit, offset)

    def _page(self, limit: int, offset: int) -> pd.DataFrame:
        paging = {"limit": limit, "offset": max(0, int(offset))}
        if not self.listing.picked:
            return execute(self._con(), sql(self.listing.name), self._available() | paging)
        picked = execute(self._con(), self.listing.pick_sql(), self._available() | paging)
        return execute(
            self._con(), sql(self.listing.name), self._available() | {"fact_nos": picked["fact_no"].tolist()}
        )

    def arrow(self) -> pa.Table:
        """Every row as Arrow, in the view's order: the CSV, run when asked for and never cached."""
        return execute(
            self._con(), self.listing.all_sql(), self._available() | {"limit": None, "offset": 0}, arrow=True
        )

    def frame(self) -> pd.DataFrame:
        """Every row as a DataFrame, typed as a page is (small views only: the chip comparison, tests)."""
        return execute(self._con(), self.listing.all_sql(), self._available() | {"limit": None, "offset": 0})

    def _con(self) -> duckdb.DuckDBPyConnection:
        assert self.reader is not None, "Rows come from a Reader"
        return self.reader.con


def question(fn: Callable[Concatenate[Reader, P], R]) -> Callable[Concatenate[Reader, P], R]:
    """Declare a question: its answer is cached per build by the pages' reader, keyed by its name
    and arguments, and the call is recorded for the benchmark."""

    @functools.wraps(fn)
    def ask(self: Reader, *args: P.args, **kwargs: P.kwargs) -> R:
        _record(fn.__name__, args, kwargs)

        def compute() -> R:
            _inside.depth = getattr(_inside, "depth", 0) + 1  # what a question asks on its way is its own cost
            try:
                return fn(self, *args, **kwargs)
            finally:
                _inside.depth -= 1

        return self.ask((fn.__name__, args, tuple(sorted(kwargs.items()))), compute)

    QUESTIONS[fn.__name__] = ask
    return ask


def listing(fn: Callable[Concatenate[Reader, P], Rows]) -> Callable[Concatenate[Reader, P], Rows]:
    """Declare a table people page through: the call makes a view (no query); its count and pages are
    the cached answers. Recorded for the benchmark like a question."""

    @functools.wraps(fn)
    def view(self: Reader, *args: P.args, **kwargs: P.kwargs) -> Rows:
        _record(fn.__name__, args, kwargs)
        return fn(self, *args, **kwargs)

    QUESTIONS[fn.__name__] = view
    return view


_inside = threading.local()


def _record(name: str, args: tuple, kwargs: dict) -> None:
    if RECORDING is not None and not getattr(_inside, "depth", 0):
        RECORDING.append((name, args, kwargs))


QUESTIONS: dict[str, Callable[..., Any]] = {}


class Reader:
    """Every question the pages ask of one package, as typed methods."""

    def __init__(self, con: duckdb.DuckDBPyConnection, cache: Cache | None = None):
        self.con = con
        self._cache = cache

    def ask(self, key: tuple, compute: Callable[[], R]) -> R:
        return compute() if self._cache is None else self._cache(key, compute)

    def _frame(self, name: str, filters: Filters | None = None, **params: Any) -> pd.DataFrame:
        return execute(self.con, sql(name), (filters.sql_params() if filters else {}) | params)

    def _rows(self, listing: Listing, filters: Filters, **params: Any) -> Rows:
        frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
        return Rows(listing, filters, frozen, reader=self)

    # Tables people page through

    @listing
    def facts(self, filters: Filters, dated_only: bool = False, starts_after: dt.date | None = None) -> Rows:
        """Facts in view, newest first (or oldest first); `dated_only`: without undated facts; `starts_after`:
        only those whose period begins after that day (the plans and targets still ahead)."""
        return self._rows(FACTS, filters, dated_only=dated_only, starts_after=starts_after)

    @listing
    def chip_nodes(self, filters: Filters, metric: str, unit: str | None, company_ids: tuple[str, ...] = ()) -> Rows:
        """The chip_node facts on one track (metric and unit), of these companies (all when empty)."""
        return self._rows(CHIP_NODES, filters, metric=metric, unit=unit, company_ids=list(company_ids) or None)

    @listing
    def funding(self, filters: Filters, funding_types: tuple[str, ...] = ()) -> Rows:
        return self._rows(FUNDING, filters, funding_types=list(funding_types) or None)

    @listing
    def facts_of_entity(self, entity_id: str, filters: Filters = Filters()) -> Rows:
        """The entity's facts (in any role) that pass the shared date and search filters."""
        return self._rows(FACTS_OF_ENTITY, filters, entity_id=entity_id)

    @listing
    def sources(self, filters: Filters) -> Rows:
        """Every source, newest first, with how many of its facts are in view."""
        return self._rows(SOURCES, filters)

    @listing
    def claims(self, filters: Filters) -> Rows:
        """Claims that facts in view state twice or more: do their sources agree, and if not, on what."""
        return self._rows(CLAIMS, filters)

    @listing
    def facts_of_source(self, source_id: str) -> Rows:
        return self._rows(FACTS_OF_SOURCE, Filters(), source_id=source_id)

    # Summaries and chart data: small results whatever the size of the package

    @question
    def facts_summary(self, filters: Filters) -> pd.DataFrame:
        return self._frame("facts_summary", filters)

    @question
    def counts_by_kind(self, filters: Filters) -> pd.DataFrame:
        return self._frame("counts_by_kind", filters)

    @question
    def timeline_points(self, filters: Filters, limit: int) -> pd.DataFrame:
        return self._frame("timeline_points", filters, limit=limit)

    @question
    def timeline_density(self, filters: Filters, lane: str, top_lanes: int = 30, bin: str = "month") -> pd.DataFrame:
        if lane not in LANES or bin not in BINS:
            raise ValueError(f"lane must be one of {LANES} and bin one of {BINS}")
        return self._frame("timeline_density", filters, lane=lane, top_lanes=top_lanes, bin=bin)

    @question
    def chip_metrics(self) -> pd.DataFrame:
        return self._frame("chip_metrics")

    @question
    def chip_companies(self, filters: Filters, metric: str, unit: str | None, limit: int = 200) -> pd.DataFrame:
        return self._frame("chip_companies", filters, metric=metric, unit=unit, limit=limit)

    @question
    def chip_best(
        self,
        filters: Filters,
        metric: str,
        unit: str | None,
        company_ids: tuple[str, ...] = (),
        smaller_is_better: bool = False,
        limit: int = 15,
    ) -> pd.DataFrame:
        return self._frame(
            "chip_best",
            filters,
            metric=metric,
            unit=unit,
            company_ids=list(company_ids) or None,
            smaller_is_better=smaller_is_better,
            limit=limit,
        )

    @question
    def chip_gap_facts(
        self, filters: Filters, metric: str, unit: str | None, company_ids: tuple[str, ...]
    ) -> pd.DataFrame:
        """The mass-production facts of the compared companies on a track, every row (tracker/compare.py
        decides which of them a gap may rest on)."""
        if not company_ids or (filters.statuses and "mass_production" not in filters.statuses):
            return self.chip_nodes(filters, metric, unit, ("",)).page(0)
        return self.chip_nodes(replace(filters, statuses=("mass_production",)), metric, unit, company_ids).frame()

    @question
    def chip_comparison(
        self,
        filters: Filters,
        metric: str,
        unit: str | None,
        company_ids: tuple[str, ...],
        company_names: tuple[str, ...],
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(the compared companies' mass-production facts, those a gap cannot rest on with the reason,
        the gaps, each side with the count of left-out facts at its level): tracker/compare.py over
        chip_gap_facts."""
        from tracker.compare import gaps, usable, with_left_out

        facts = self.chip_gap_facts(filters, metric, unit, company_ids)
        _, left_out = usable(facts)
        return facts, left_out, with_left_out(gaps(facts, metric, list(company_names)), left_out, metric)

    @question
    def thresholds(self, parameter: str | None = None) -> pd.DataFrame:
        """Export-control thresholds, of one metric when given."""
        return self._frame("thresholds", parameter=parameter)

    @question
    def threshold_lines(self, parameter: str, unit: str | None, most: int = 6) -> pd.DataFrame:
        """The thresholds a chip chart draws as lines: one per comparator and value in the chart's unit."""
        found = self.thresholds(parameter)
        return found[found["unit"] == unit].drop_duplicates(["comparator", "value"]).head(most).reset_index(drop=True)

    @question
    def funding_totals(self, filters: Filters, group_by: str, funding_types: tuple[str, ...] = ()) -> pd.DataFrame:
        if group_by not in GROUPS:
            raise ValueError(f"group_by must be one of {GROUPS}")
        totals = self._frame("funding_totals", filters, funding_types=list(funding_types) or None, group_by=group_by)
        return totals.assign(
            total_label=[
                total_label(*r)
                for r in zip(totals["total_usd"], totals["floors"], totals["ceilings"], totals["approximate"])
            ]
        )

    @question
    def entity_replacements(self) -> dict[str, str]:
        """Old entity id -> the entity it was merged into: links that name an old id keep working."""
        rows = self._frame("entity_replacements")
        return dict(zip(rows["old_id"], rows["entity_id"]))

    @question
    def country_options(self) -> pd.DataFrame:
        return self._frame("country_options")

    @question
    def entities_matching(self, search: str | None, limit: int | None = None) -> pd.DataFrame:
        """Entities whose name or alias contains `search` (all when None), most-cited first."""
        return self._frame("entities_matching", search=search or None, limit=limit)

    @question
    def entity_choices(self) -> tuple[list[str], dict[str, str]]:
        """Every entity id, most-cited first, and its label in a list of choices: the name, then up to six
        other names it goes by ("Huawei Technologies (Huawei, 华为)"), so typing any of them finds it."""
        everyone = self._frame("entity_choices")
        ids = everyone["entity_id"].tolist()
        return ids, dict(zip(ids, everyone["label"].tolist()))

    @question
    def entity_density(self, entity_id: str) -> pd.DataFrame:
        return self._frame("entity_density", entity_id=entity_id)

    @question
    def related_entities(self, entity_id: str, window: int = RELATED_WINDOW) -> pd.DataFrame:
        """Entities sharing facts with this one, counted among its `window` newest facts."""
        return self._frame("related_entities", entity_id=entity_id, window=window)

    @question
    def fact_by_id(self, fact_id: str) -> pd.DataFrame:
        """One row (or none): the fact in full, its kind's fields, its source and its rate."""
        return self._frame("fact_by_id", fact_id=fact_id)

    @question
    def entities_of_fact(self, fact_id: str) -> pd.DataFrame:
        return self._frame("entities_of_fact", fact_id=fact_id)

    @question
    def facts_of_claim(self, claim_id: str) -> pd.DataFrame:
        return self._frame("facts_of_claim", claim_id=claim_id)

    @question
    def source_titles(self) -> pd.DataFrame:
        return self._frame("source_titles")

    @question
    def source_by_id(self, source_id: str) -> pd.DataFrame:
        return self._frame("source_by_id", source_id=source_id)


def total_label(total: float, floors: int, ceilings: int, approximate: int) -> str:
    """A sum as honest as its parts: "at least $47.5 B" when it adds floors, "about ..." when it adds
    approximate amounts or ceilings (which could be less), plain when every part is exact."""
    text = money(total, "USD")
    if ceilings or approximate:
        return f"about {text}"
    return f"at least {text}" if floors else text
