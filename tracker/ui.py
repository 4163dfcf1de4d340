"""Shared page furniture: the filter sidebar, tables with citations, CSV download, charts.

The sidebar's filters and every page's own choices live in session state and in the URL
(tracker/url_state.py), so a copied link reopens the same view and the filters survive moving
between pages. Pages call everything through this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any, NamedTuple, TypeVar

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from tracker import data, download
from tracker.cite import view_citation
from tracker.filters import DATE_MAX, DATE_MIN, Filters, as_code, parse_query_params  # noqa: F401  (as_code: fact_view)
from tracker.links import FACT_PAGE, fact_link, view_link
from tracker.memo import Memo
from tracker.read import Reader, Rows
from tracker.url_state import (  # noqa: F401  (pages call the page-state functions through ui)
    brushed_period,
    finish,
    linked,
    open_fact,
    page_choice,
    page_filters,
    page_multi,
    page_number,
    period_param,
    remember,
    restore,
    seed_from_url,
    use_params,
)

MAX_ENTITY_OPTIONS = 1000
MIN_DATE, MAX_DATE = DATE_MIN, DATE_MAX  # the date pickers' range (tracker.filters checks URL dates against it)
DATE_HELP = "As the text gives it: a day, a month (Nov 2025), a quarter (Q3 2025) or a year, with its hedge (late 2025, by 2027)"
CITATION_COLUMNS = {
    "date_label": st.column_config.TextColumn("Date", width=112, help=DATE_HELP),  # "around Feb 2026" fits
    "date_precision": st.column_config.TextColumn("Precision", width="small"),
    "title": st.column_config.TextColumn("Fact", width="large"),
    "value_label": st.column_config.TextColumn(
        "Value", width=100, help="As the text gives it, with its hedge (over, about, up to)"
    ),
    "source_title": st.column_config.TextColumn("Source", width="medium"),
    "source_line": st.column_config.NumberColumn("Line", format="%d", width="small"),
    "evidence": st.column_config.TextColumn("Evidence (literal)", width="medium"),
    "is_disputed": st.column_config.CheckboxColumn("Disputed", width="small"),
    "amount_usd_label": st.column_config.TextColumn(
        "USD", width=105, help="Converted at the cited rate; keeps the amount's hedge"
    ),
    "amount_label": st.column_config.TextColumn(
        "Amount", width=105, help="In the original currency, as the text gives it"
    ),
    "date_basis": st.column_config.TextColumn(
        "Date basis", width="small", help="stated in the text, from the document's date (dateline), or inferred"
    ),
    "kind": st.column_config.TextColumn("Kind", width="small"),
    "status": st.column_config.TextColumn("Status", width="small", help="enacted, proposed, suggested, claimed, ..."),
    "claim_label": st.column_config.TextColumn(
        "Claim",
        width="medium",
        help="Facts stating the same real-world thing are linked as one claim: do the sources agree? "
        "Open a fact to see every statement of its claim",
    ),
    "claim_values": st.column_config.TextColumn("Disputed: competing values", width="medium"),
    "claim_subject": st.column_config.TextColumn(
        "Claim (its first statement)", width="medium", help="Open the row to see every statement of the claim"
    ),
    "claim_sources": st.column_config.NumberColumn("Sources", format="%d", width="small"),
    "claim_facts": st.column_config.NumberColumn("Statements", format="%d", width="small"),
    "lane_authority": st.column_config.TextColumn("Who acted"),
    "source_publisher": st.column_config.TextColumn("Publisher"),
    "company_name": st.column_config.TextColumn("Company"),
    "funder_name": st.column_config.TextColumn("Funder", width="medium"),
    "recipient_name": st.column_config.TextColumn("Recipient"),
    "funding_type": st.column_config.TextColumn("Type", width="small"),
    "vehicle": st.column_config.TextColumn("Vehicle"),
    "product": st.column_config.TextColumn("Product"),
    "metric": st.column_config.TextColumn("Metric", width="small"),
    "lithography": st.column_config.TextColumn("Litho", width="small"),
    "fact_id": st.column_config.TextColumn("Fact id", width="small"),
    "published_label": st.column_config.TextColumn("Published", width="small"),
    "published_basis": st.column_config.TextColumn("Date basis", width="small"),
    "publisher": st.column_config.TextColumn("Publisher"),
    "doc_type": st.column_config.TextColumn("Type", width="small"),
    "fact_count": st.column_config.NumberColumn("Facts", width="small"),
    "facts_in_view": st.column_config.NumberColumn("Facts in view", width="small"),
    "roles": st.column_config.TextColumn("Named as", width="small"),
    "corpus_file": st.column_config.TextColumn("Corpus file", width="small"),
    "line_start": st.column_config.NumberColumn("First line", format="%d", width="small"),
    "line_end": st.column_config.NumberColumn("Last line", format="%d", width="small"),
    "source_id": st.column_config.TextColumn("Source id", width="small"),
    "url": st.column_config.LinkColumn("Original", display_text="open ↗", width="small"),
    "authors": st.column_config.ListColumn("Authors"),
}
# What a CSV carries beyond the columns shown: the date and value as data, with precision and hedge.
CSV_EXTRA = [
    "fact_date",
    "date_end",
    "date_precision",
    "date_qualifier",
    "date_basis",
    "value",
    "value_high",
    "value_qualifier",
    "unit",
    "amount",
    "amount_high",
    "currency",
    "amount_usd",
    "amount_usd_high",
    "published_date",
    "published_precision",
]
PLURALS = {
    "rows": "row",
    "matches": "match",
    "amounts": "amount",
    "gaps": "gap",
    "facts": "fact",
    "sources": "source",
    "developments": "development",
    "entities": "entity",
}


def count_of(n: int, what: str) -> str:
    """ "1 fact", "2 facts", "1 chip-node fact citing ..."."""
    if n == 1:
        what = " ".join(PLURALS.get(word, word) for word in what.split(" "))
    return f"{n:,} {what}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")


def md(text) -> str:
    """Text from the data, safe inside Markdown: every markup character escaped; missing is empty."""
    return "" if text is None or (isinstance(text, float) and pd.isna(text)) else _MARKDOWN.sub(r"\\\1", str(text))


def for_display(df: pd.DataFrame) -> pd.DataFrame:
    """Empty cells shown empty, never as None or NaN. Text columns keep their type (filling an Arrow
    string column in place costs a fifth of turning it into Python objects), and only columns with a
    gap are touched: this runs on every table of every rerun."""
    out = df.copy(deep=False)
    for column in out.columns:
        values = out[column]
        if values.dtype == object:
            missing = values.isna()
            if missing.any():
                out[column] = values.where(~missing, "")
        elif pd.api.types.is_string_dtype(values.dtype) and values.hasnans:
            out[column] = values.fillna("")
    return out


def _first_run_from_url(known: set[str], countries: list[str], merged: Callable[[], dict[str, str]]) -> None:
    """Seed the filters from the URL once per session; note what was dropped."""
    if st.session_state.get("_filters_seeded"):
        return
    st.session_state["_filters_seeded"] = True
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    st.session_state["_url_params"] = {k: v[0] for k, v in raw.items() if v}
    filters, notices = parse_query_params(raw, known, set(countries), merged())
    st.session_state["_saved_filters_entity"] = list(filters.entity_ids)
    st.session_state["_saved_filters_from"] = filters.date_from
    st.session_state["_saved_filters_to"] = filters.date_to
    st.session_state["_saved_filters_q"] = filters.search or ""
    st.session_state["_url_filters"] = filters
    st.session_state["_notices"] = notices
    st.session_state["_check_unused"] = True  # write_url lists the parameters the first page did not use
    st.session_state["_fact_redirect"] = "fact" in raw


MAX_NOTICES = 20  # a hostile link cannot stack hundreds of notices
SIDEBAR_WIDGETS: dict[str, Any] = {"filters_entity": [], "filters_from": None, "filters_to": None, "filters_q": ""}


class View(NamedTuple):
    """What a page reads: the package, the read API over it, and the sidebar's filters."""

    pkg: data.Package
    read: Reader
    filters: Filters


def sidebar() -> View:
    """Render the shared filters (every page calls it first). Stops the run if no package. The filters
    in view go into the URL when the page is over (app.py calls url_state.finish)."""
    st.session_state.pop("_view_filters", None)  # set below once this run's filters are known
    try:
        pkg = data.package()
    except data.PackageMissing as exc:
        st.error(str(exc))
        st.stop()
    st.session_state["_page_params"] = {}
    st.session_state["_params_used"] = {"entity", "from", "to", "q"}
    read = data.reader(pkg)
    everyone, labels = read.entity_choices()  # every entity, most-cited first, and its label
    st.session_state["_countries"] = read.country_options()["country"].tolist()
    _first_run_from_url(set(labels), st.session_state["_countries"], read.entity_replacements)
    switched = st.session_state.get("_page_before") != st.session_state.get("_page_now")
    st.session_state["_page_before"] = st.session_state.get("_page_now")
    for key, default in SIDEBAR_WIDGETS.items():
        if switched and f"_saved_{key}" in st.session_state:  # on a new page Streamlit may hand a widget an
            st.session_state[key] = st.session_state[f"_saved_{key}"]  # empty value (the search box did)
        restore(key, default)
    chosen = [e for e in st.session_state["filters_entity"] if e in labels]
    st.session_state["filters_entity"] = chosen
    # the list a browser can hold: the most-cited entities, plus any chosen further down
    options = everyone[:MAX_ENTITY_OPTIONS]
    listed = set(options)
    options += [e for e in chosen if e not in listed]
    with st.sidebar:
        st.subheader("Filters")
        st.multiselect(
            "Company or agency",
            options,
            key="filters_entity",
            format_func=lambda entity_id: labels.get(entity_id, entity_id),
            placeholder="Type any name, alias or ticker",
            # Enter picks the first match only (Streamlit's default "select all matches" would add every
            # fuzzy hit: "BIS" took Biden, Baidu, Alibaba...); matches contain what was typed
            select_all=False,
            filter_mode="contains",
            help="Facts that concern any of the chosen entities. Search matches Chinese names and tickers too. "
            + (
                f"The {MAX_ENTITY_OPTIONS:,} most-cited of {len(everyone):,} entities are listed; find any other "
                "on the Entities page."
                if len(everyone) > MAX_ENTITY_OPTIONS
                else ""
            ),
        )
        c1, c2 = st.columns(2)
        c1.date_input("From", key="filters_from", min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD")
        c2.date_input("To", key="filters_to", min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD")
        st.text_input(
            "Search titles, evidence and names",
            key="filters_q",
            max_chars=200,
            help="Matches the fact's title, its evidence, and every name and alias of the entities it "
            "concerns (华为 finds Huawei's facts).",
        )
        st.caption(f"Build `{pkg.build_id}` · built {pkg.manifest.get('built_at', '?')}")
    remember("filters_entity", "filters_from", "filters_to", "filters_q")
    date_from, date_to = st.session_state.get("filters_from"), st.session_state.get("filters_to")
    filters = Filters(
        entity_ids=tuple(st.session_state.get("filters_entity") or ()),
        date_from=date_from,
        date_to=date_to,
        search=(st.session_state.get("filters_q") or "").strip() or None,
    )
    if st.session_state.pop("_fact_redirect", False) and st.session_state.get("_page_now") != "fact":
        st.switch_page(FACT_PAGE, query_params=st.query_params.to_dict())  # ?fact=<id> on any page opens it
    notices = st.session_state.pop("_notices", [])
    for notice in notices[:MAX_NOTICES]:
        st.warning(notice, icon="⚠️")
    if len(notices) > MAX_NOTICES:
        st.warning(f"…and {len(notices) - MAX_NOTICES} more URL parameters were ignored.", icon="⚠️")
    st.session_state["_notice_slot"] = st.empty()  # write_url names parameters this page does not use
    if date_from and date_to and date_from > date_to:
        st.warning("The 'From' date is after the 'To' date; the date range is ignored.")
        filters = replace(filters, date_from=None, date_to=None)
    st.session_state["_view_filters"] = filters
    return View(pkg, read, filters)


R = TypeVar("R")
SHOWN = Memo(max_entries=512)  # what the pages draw from the reader's answers: tables as Arrow, chart specs


def _answer_key(value: Any) -> Hashable | None:
    """The key of a value a page draws: a frame straight from the reader by the question it answers, any
    other hashable value by itself; None for a frame made on the page (drawn without the memo)."""
    if (question := data.question_of(value)) is not None:
        return ("answer", *question)
    if type(value) is tuple:
        keys = tuple(_answer_key(part) for part in value)
        return None if any(k is None for k in keys) else ("tuple", *keys)
    if isinstance(value, (pd.DataFrame, pd.Series, list, dict, set)):
        return None
    return value if isinstance(value, Hashable) else None


def _vega_spec(builder: Callable[..., alt.TopLevelMixin], args: tuple) -> dict:
    """The chart's Vega-Lite spec with each dataset already Arrow IPC bytes, as st.altair_chart makes
    them: Streamlit passes bytes through (vega_charts._marshall_chart_data) instead of turning a list of
    records into a DataFrame and that into Arrow on every rerun."""
    spec = builder(*args).to_dict(validate=False)
    if "datasets" in spec:
        spec["datasets"] = {
            name: dataframe_util.convert_anything_to_arrow_bytes(records) for name, records in spec["datasets"].items()
        }
    return spec


def derived(fn: Callable[..., R], *args: Any) -> R:
    """fn(*args), kept while its arguments are the same: a frame straight from the reader counts by the
    question it answers, any other argument by its value. A frame made on the page (filtered, a head)
    cannot be told apart from another, so fn runs on every call then. `fn` is a function of its
    arguments alone, defined at module level (not a lambda or a closure, whose other inputs the key
    would miss); callers must not change what it returns. Keyed by fn's file and name."""
    if fn.__name__ == "<lambda>" or fn.__closure__ or "<locals>" in fn.__qualname__:
        raise ValueError(f"derived() needs a module-level function of its arguments alone, not {fn.__qualname__}")
    keys = tuple(_answer_key(a) for a in args)
    if any(k is None for k in keys):
        return fn(*args)
    return SHOWN.get(("derived", fn.__code__.co_filename, fn.__qualname__, keys), lambda: fn(*args))


def chart(builder: Callable[..., alt.TopLevelMixin], *args, **kwargs):
    """Draw builder(*args), a chart function of tracker.charts. The spec is built once per input
    (Altair's building cost a layered chart 150-250 ms a run) and not validated again: the chart tests
    validate every builder's spec. A frame straight from the reader is keyed by the question it answers
    (data.question_of); a frame made on the page is drawn without the memo."""
    spec = derived(_vega_spec, builder, args)
    return st.vega_lite_chart(spec, width="stretch", **kwargs)


def _arrow_of(frame: pd.DataFrame, columns: tuple[str, ...]) -> pa.Table:
    return dataframe_util.convert_pandas_df_to_arrow_table(for_display(frame[list(columns)]))


def table(frame: pd.DataFrame, columns: list[str], key: str, column_config: dict | None = None, **kwargs):
    """st.dataframe of these columns of `frame`, with their citation column settings (and any given). A
    frame straight from the reader is handed over as the Arrow table made once per question (derived),
    its empty cells shown empty (for_display); any other frame is made ready on every run."""
    shown = derived(_arrow_of, frame, tuple(columns))
    config = {c: CITATION_COLUMNS[c] for c in columns if c in CITATION_COLUMNS} | (column_config or {})
    return st.dataframe(shown, hide_index=True, width="stretch", column_config=config, key=key, **kwargs)


def page_links(columns: list, path: str, links: list[tuple[str, dict[str, str]]]) -> None:
    """Links to one of the app's pages (`views/<name>.py`), each (label, query parameters), laid out
    across `columns` in turn. Each names the page object app.py registered this
    run: given a path, Streamlit resolves it on disk for every link (a realpath each: a tenth of the
    Entities page's run with its 20 related entities)."""
    target = st.session_state.get("_pages", {}).get(path, path)
    for i, (label, params) in enumerate(links):
        columns[i % len(columns)].page_link(target, label=label, icon="", query_params=params)


def empty_state(what: str, filters: Filters) -> None:
    hints = []
    if filters.entity_ids:
        hints.append("remove a company")
    if filters.date_from or filters.date_to:
        hints.append("widen the date range (undated facts are hidden while a date range is set)")
    if filters.search:
        hints.append("clear the search text")
    if filters.kinds or filters.topics or filters.statuses or filters.countries:
        hints.append("clear the page's kind, topic or status filters")
    tip = f" Try to {', or '.join(hints)}." if hints else ""
    st.info(f"No {what} match these filters.{tip}", icon="🔎")


PAGE_SIZE = 200
MAX_CSV_ROWS = 250_000  # a bigger CSV would hold hundreds of MB in the server per download


def _open_row(key: str, shown: pd.DataFrame, event) -> None:
    """A click on a row opens its fact (once per click: the selection outlives the visit)."""
    try:
        rows = event.selection.rows
    except AttributeError:
        return
    if not rows or "fact_id" not in shown:
        st.session_state.pop(f"_opened_{key}", None)
        return
    fact_id = shown.iloc[rows[0]]["fact_id"]
    if st.session_state.get(f"_opened_{key}") == fact_id:
        return
    st.session_state[f"_opened_{key}"] = fact_id
    st.switch_page(FACT_PAGE, query_params=st.query_params.to_dict() | {"fact": fact_id})


def paged_table(
    page: str,
    pkg: data.Package,
    filters: Filters,
    source: Rows,
    columns: list[str],
    what: str = "facts",
    *,
    in_url: bool = False,
    title: str | None = None,
) -> pd.DataFrame:
    """Show the rows behind the view a page at a time, with their citations, and offer all of
    them as CSV. The count, the page and the CSV are each one query in DuckDB, sorted there over
    every row before the page is cut; only the page shown is ever a DataFrame. A click on a row
    opens its fact. With `in_url`, the table's sort and page are in the link (`sort`, `page`), and
    `title` names the view in its citation. Returns the page of rows shown, with every column the
    listing gives."""
    if in_url:
        use_params("sort", "page")
    total = source.count()
    if total == 0:
        empty_state(what, filters)
        return pd.DataFrame(columns=columns)
    pages = -(-total // PAGE_SIZE)
    key, sort_key = f"{page}_page", f"{page}_sort"
    sorts = source.sorts
    if in_url:
        seed_from_url(sort_key, "sort", lambda v: v if v in sorts else None)
        seed_from_url(key, "page", page_number)
    slot = st.container()  # the count alone, when there is neither a sort nor a second page
    left, middle, right = st.columns([3, 2, 1]) if (pages > 1 or sorts) else (slot, slot, slot)
    if sorts:
        restore(sort_key, next(iter(sorts)))
        middle.selectbox("Sort all rows by", list(sorts), key=sort_key, format_func=lambda k: sorts[k])
        remember(sort_key)
        source = source.sorted_by(st.session_state[sort_key])
    view = (replace(source, reader=None), total)  # what the table shows, not the connection it came from
    if st.session_state.get(f"_{key}_of") != view:  # a new view starts at its first page, unless a link says
        if not st.session_state.pop(f"_from_url_{key}", False):
            st.session_state[key] = 1
        st.session_state[f"_{key}_of"] = view
    number = 1
    if pages > 1:
        st.session_state[key] = min(max(1, int(st.session_state.get(key) or 1)), pages)
        number = right.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=key)
    if in_url:
        chosen = st.session_state.setdefault("_page_params", {})
        if sorts and st.session_state[sort_key] != next(iter(sorts)):
            chosen["sort"] = st.session_state[sort_key]
        if number > 1:
            chosen["page"] = str(number)
    first = (number - 1) * PAGE_SIZE
    rows = source.page(PAGE_SIZE, first)
    caption = (
        count_of(total, what) if pages == 1 else f"{what.capitalize()} {first + 1:,}–{first + len(rows):,} of {total:,}"
    )
    if pages > 1:
        caption += ". A click on a column header sorts only this page; 'Sort all rows by' orders them all"
    left.caption(caption + "." + (" Click a row to open the fact in full." if "fact_id" in columns else ""))
    event = table(
        rows,
        columns,
        f"{page}_table",
        on_select="rerun" if "fact_id" in columns else "ignore",
        selection_mode="single-row",
    )
    _open_row(f"{page}_table", rows, event)
    if total > MAX_CSV_ROWS:
        st.button(
            f"Download all {count_of(total, 'rows')} as CSV",
            disabled=True,
            key=f"{page}_download",
            help=f"Downloads are limited to {MAX_CSV_ROWS:,} rows. Narrow the filters to download this view.",
        )
    else:  # the plain CSV and one for Excel, made on the click from the version this page shows
        csv_columns = columns + [c for c in CSV_EXTRA if c in rows.columns and c not in columns]
        download.csv_buttons(
            page,
            pkg,
            source,
            csv_columns,
            f"Download all {count_of(total, 'rows')} as CSV",
            filters.describe(),
            link=fact_link,
        )
    if title:
        cite_view(title, filters.describe(), total, pkg)
    return rows


def cited_line(corpus_file: str, line: int, evidence: str) -> None:
    """The cited corpus line with the evidence marked, or the evidence alone without a corpus."""
    marked = data.cited_line_html(corpus_file, line, evidence)
    if marked is None:
        st.info("The corpus is not available here, so only the evidence span is shown: " + repr(evidence))
    else:
        st.markdown(
            f"<div style='padding:0.75em;border-left:4px solid #b22222;background:#fafafa'>"
            f"<small>line {line}</small><br>{marked}</div>",
            unsafe_allow_html=True,
        )


def entity_filter_button(entity_id: str) -> None:
    """Offer to add the entity to the sidebar's company filter (unless it is there already)."""
    if entity_id in st.session_state.get("filters_entity", []):
        return
    if st.button("Filter every page by this entity", key="entities_use_filter"):
        st.session_state["_saved_filters_entity"] = [*st.session_state.get("filters_entity", []), entity_id]
        st.session_state.pop("filters_entity", None)
        st.rerun()


def cite_view(page_title: str, description: str, rows: int, pkg: data.Package) -> None:
    """A citation of the whole view, copyable in one click (the code block's copy button)."""
    with st.expander("Cite this view"):
        st.code(
            view_citation(page_title, description, rows, pkg.build_id, view_link(), dt.date.today()),
            language=None,
            wrap_lines=True,
        )
