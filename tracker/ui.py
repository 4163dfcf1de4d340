"""Shared page furniture: the filter sidebar, URL sync, tables with citations, CSV download.

Filters live in session state and are written back to the URL on every run, so a copied
link reopens the same view and the filters survive moving between pages (navigation
clears the URL; the next run writes it again).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from tracker import charts, data
from tracker.cite import view_citation
from tracker.export import file_name
from tracker.links import FACT_PAGE, fact_link, view_link
from tracker.filters import KINDS, MAX_LIST, PARAM_NAMES, PARAM_OF, STATUSES, TOPICS, Filters, as_code, parse_query_params

MAX_ENTITY_OPTIONS = 1000
MIN_DATE = dt.date(1940, 1, 1)
MAX_DATE = dt.date(2040, 12, 31)
DATE_HELP = "As the text gives it: a day, a month (Nov 2025), a quarter (Q3 2025) or a year, with its hedge (late 2025, by 2027)"
CITATION_COLUMNS = {
    "date_label": st.column_config.TextColumn("Date", width=112, help=DATE_HELP),  # "around Feb 2026" fits
    "date_precision": st.column_config.TextColumn("Precision", width="small"),
    "title": st.column_config.TextColumn("Fact", width="large"),
    "value_label": st.column_config.TextColumn("Value", width=100, help="As the text gives it, with its hedge (over, about, up to)"),
    "source_title": st.column_config.TextColumn("Source", width="medium"),
    "source_line": st.column_config.NumberColumn("Line", format="%d", width="small"),
    "evidence": st.column_config.TextColumn("Evidence (literal)", width="medium"),
    "is_disputed": st.column_config.CheckboxColumn("Disputed", width="small"),
    "amount_usd_label": st.column_config.TextColumn("USD", width=105, help="Converted at the cited rate; keeps the amount's hedge"),
    "amount_label": st.column_config.TextColumn("Amount", width=105, help="In the original currency, as the text gives it"),
    "date_basis": st.column_config.TextColumn("Date basis", width="small",
                                              help="stated in the text, from the document's date (dateline), or inferred"),
    "kind": st.column_config.TextColumn("Kind", width="small"),
    "status": st.column_config.TextColumn("Status", width="small", help="enacted, proposed, suggested, claimed, ..."),
    "claim_values": st.column_config.TextColumn("Disputed: competing values", width="medium"),
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
CSV_EXTRA = ["fact_date", "date_end", "date_precision", "date_qualifier", "date_basis", "value", "value_high",
             "value_qualifier", "unit", "amount", "amount_high", "currency", "amount_usd", "amount_usd_high",
             "published_date", "published_precision"]
PLURALS = {"rows": "row", "matches": "match", "amounts": "amount", "gaps": "gap", "facts": "fact", "sources": "source", "developments": "development", "entities": "entity"}


def count_of(n: int, what: str) -> str:
    """"1 fact", "2 facts", "1 chip-node fact citing ..."."""
    if n == 1:
        what = " ".join(PLURALS.get(word, word) for word in what.split(" "))
    return f"{n:,} {what}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")


def md(text) -> str:
    """Text from the data, safe inside Markdown: every markup character escaped; missing is empty."""
    return "" if text is None or (isinstance(text, float) and pd.isna(text)) else _MARKDOWN.sub(r"\\\1", str(text))


def for_display(df: pd.DataFrame) -> pd.DataFrame:
    """Empty cells shown empty, never as None or NaN."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


_PAGE_FIELDS = {"kinds": list(KINDS), "topics": list(TOPICS), "statuses": list(STATUSES)}  # countries: from the data


def _entity_label(options: pd.DataFrame):
    labels = {}
    for row in options.itertuples():
        aliases = [a for a in (row.aliases if row.aliases is not None else []) if a != row.name]
        extra = f" ({', '.join(aliases[:6])})" if aliases else ""
        labels[row.entity_id] = f"{row.name}{extra}"
    return lambda entity_id: labels.get(entity_id, entity_id)


def _restore(key: str, default) -> None:
    """Give a widget its last value before it is drawn.

    Streamlit forgets a widget's state when a run does not draw it (as on another page),
    so every filter widget keeps a shadow copy that survives page switches.
    """
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_saved_{key}", default)


def _remember(*keys: str) -> None:
    for key in keys:
        st.session_state[f"_saved_{key}"] = st.session_state.get(key)


def _first_run_from_url(options: pd.DataFrame, countries: list[str]) -> None:
    """Seed the filters from the URL once per session; note what was dropped."""
    if st.session_state.get("_filters_seeded"):
        return
    st.session_state["_filters_seeded"] = True
    raw = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    st.session_state["_url_params"] = {k: v[0] for k, v in raw.items() if v}
    filters, notices = parse_query_params(raw, set(options["entity_id"]), set(countries))
    st.session_state["_saved_filters_entity"] = list(filters.entity_ids)
    st.session_state["_saved_filters_from"] = filters.date_from
    st.session_state["_saved_filters_to"] = filters.date_to
    st.session_state["_saved_filters_q"] = filters.search or ""
    st.session_state["_url_filters"] = filters
    st.session_state["_notices"] = notices
    st.session_state["_check_unused"] = True  # write_url lists the parameters the first page did not use
    st.session_state["_fact_redirect"] = "fact" in raw

QUIET_PARAMS = {"embed", "embed_options", "fbclid", "gclid"}  # Streamlit's own, and link trackers: not ours to judge
PAGE_PARAMS = {"lane", "metric", "group", "id", "source", "types", "compare", "period", "sort", "page", "fact"}
MAX_NOTICES = 20  # a hostile link cannot stack hundreds of notices
MAX_NAMES = 10
SIDEBAR_WIDGETS = {"filters_entity": [], "filters_from": None, "filters_to": None, "filters_q": ""}


def sidebar() -> tuple[data.Package, Filters]:
    """Render the shared filters (called by app.py on every run). Stops the run if no package."""
    try:
        pkg = data.package()
    except data.PackageMissing as exc:
        st.error(str(exc))
        st.stop()
    st.session_state["_page_params"] = {}
    st.session_state["_params_used"] = {"entity", "from", "to", "q"}
    everyone = data.get(pkg, "entities_matching", None)  # every entity, most-cited first
    st.session_state["_countries"] = data.get(pkg, "country_options")["country"].tolist()
    _first_run_from_url(everyone, st.session_state["_countries"])
    switched = st.session_state.get("_page_before") != st.session_state.get("_page_now")
    st.session_state["_page_before"] = st.session_state.get("_page_now")
    for key, default in SIDEBAR_WIDGETS.items():
        if switched and f"_saved_{key}" in st.session_state:  # on a new page Streamlit may hand a widget an
            st.session_state[key] = st.session_state[f"_saved_{key}"]  # empty value (the search box did)
        _restore(key, default)
    known = set(everyone["entity_id"])
    chosen = [e for e in st.session_state["filters_entity"] if e in known]
    st.session_state["filters_entity"] = chosen
    # the list a browser can hold: the most-cited entities, plus any chosen further down
    options = everyone.head(MAX_ENTITY_OPTIONS)
    options = pd.concat([options, everyone[everyone["entity_id"].isin(set(chosen) - set(options["entity_id"]))]])
    with st.sidebar:
        st.subheader("Filters")
        st.multiselect(
            "Company or agency", options["entity_id"].tolist(), key="filters_entity",
            format_func=_entity_label(options), placeholder="Type any name, alias or ticker",
            # Enter picks the first match only (Streamlit's default "select all matches" would add every
            # fuzzy hit: "BIS" took Biden, Baidu, Alibaba...); matches contain what was typed
            select_all=False, filter_mode="contains",
            help="Facts that concern any of the chosen entities. Search matches Chinese names and tickers too. "
                 + (f"The {MAX_ENTITY_OPTIONS:,} most-cited of {len(everyone):,} entities are listed; find any other "
                    "on the Entities page." if len(everyone) > MAX_ENTITY_OPTIONS else ""),
        )
        c1, c2 = st.columns(2)
        c1.date_input("From", key="filters_from", min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD")
        c2.date_input("To", key="filters_to", min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD")
        st.text_input("Search titles, evidence and names", key="filters_q", max_chars=200,
                      help="Matches the fact's title, its evidence, and every name and alias of the entities it "
                           "concerns (华为 finds Huawei's facts).")
        st.caption(f"Build `{pkg.build_id}` · built {pkg.manifest.get('built_at', '?')}")
    _remember("filters_entity", "filters_from", "filters_to", "filters_q")
    date_from, date_to = st.session_state.get("filters_from"), st.session_state.get("filters_to")
    filters = Filters(
        entity_ids=tuple(st.session_state.get("filters_entity") or ()),
        date_from=date_from, date_to=date_to,
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
    return pkg, filters


def page_filters(page: str, filters: Filters, *fields: str) -> Filters:
    """A page's own multiselect filters (kinds, topics, statuses, countries), kept across page switches."""
    url = st.session_state.get("_url_filters", Filters())
    cols = st.columns(len(fields)) if fields else []
    values = {}
    for col, name in zip(cols, fields):
        key = f"{page}_{name}"
        _restore(key, list(getattr(url, name)))
        col.multiselect({"statuses": "Status", "countries": "Country"}.get(name, name.rstrip("s").capitalize()),
                        _PAGE_FIELDS.get(name) or st.session_state["_countries"], key=key,
                        format_func=lambda v: v.replace("_", " "))
        _remember(key)
        values[name] = tuple(st.session_state[key])
        st.session_state["_params_used"].add(PARAM_OF[name])
    return replace(filters, **values)


def page_choice(page: str, name: str, options: list[str], label: str, *, widget: str = "radio",
                format_func=str) -> str:
    """A page's own single choice (lane, metric, group...), seeded from the URL once and kept.

    An unknown value in the URL is dropped with a notice; the choice is written back by write_url.
    """
    key = f"{page}_{name}"
    seeded = f"_seeded_{key}"
    if not st.session_state.get(seeded):
        st.session_state[seeded] = True
        wanted = st.session_state.get("_url_params", {}).get(name)
        if wanted is not None and wanted in options:
            st.session_state[f"_saved_{key}"] = wanted
        elif wanted is not None:
            st.warning(f"Ignored URL parameter {name}={as_code(wanted)}: not one of the choices on this page.", icon="⚠️")
    _restore(key, options[0] if options else None)
    linked = st.query_params.get(name)  # a link followed within the session (a related entity, a fact's entity)
    if linked in options and linked not in (st.session_state[key], st.session_state.get(f"_wrote_{key}")):
        st.session_state[key] = linked
    if st.session_state[key] not in options and options:
        st.session_state[key] = options[0]
    if widget == "radio":
        st.radio(label, options, key=key, horizontal=True, format_func=format_func)
    else:
        st.selectbox(label, options, key=key, format_func=format_func)
    _remember(key)
    st.session_state.setdefault("_page_params", {})[name] = st.session_state[f"_wrote_{key}"] = st.session_state[key]
    st.session_state["_params_used"].add(name)
    return st.session_state[key]


def page_multi(page: str, name: str, options: list[str], label: str, default: list[str], *, format_func=str,
               help: str | None = None) -> list[str]:
    """A page's own multiple choice (funding kinds, compared companies), seeded once from the URL
    parameter `name` (comma-separated; unknown values dropped with a notice), kept across page
    switches, and written back to the URL when it differs from the default."""
    key = f"{page}_{name}"
    seeded = f"_seeded_{key}"
    if not st.session_state.get(seeded):
        st.session_state[seeded] = True
        wanted = st.session_state.get("_url_params", {}).get(name)
        if wanted is not None:
            items = [i.strip() for i in wanted.split(",") if i.strip()][:MAX_LIST]
            bad = [i for i in items if i not in options]
            if bad:
                st.warning(f"Ignored URL parameter {name}={as_code(','.join(bad))}: not one of the choices on this "
                           "page.", icon="⚠️")
            st.session_state[f"_saved_{key}"] = [i for i in dict.fromkeys(items) if i in options]
    _restore(key, [d for d in default if d in options])
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    st.multiselect(label, options, key=key, format_func=format_func, help=help, select_all=False,
                   filter_mode="contains")
    _remember(key)
    chosen = list(st.session_state[key])
    if chosen != [d for d in default if d in options]:
        st.session_state.setdefault("_page_params", {})[name] = ",".join(chosen)
    st.session_state["_params_used"].add(name)
    return chosen


def use_params(*names: str) -> None:
    """Parameters a page reads itself (its table's sort and page, an open fact, a period)."""
    st.session_state.setdefault("_params_used", set()).update(names)


def open_fact() -> str | None:
    """The fact the link names (`fact`), kept in the URL; None (with a notice) when malformed."""
    use_params("fact")
    wanted = st.query_params.get("fact") or st.session_state.get("_url_params", {}).get("fact")
    if not wanted:
        return None
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", wanted):
        st.warning(f"Ignored URL parameter fact={as_code(wanted)}: not a fact id.", icon="⚠️")
        return None
    st.session_state.setdefault("_page_params", {})["fact"] = wanted
    return wanted


def brushed_period(event) -> tuple[dt.date, dt.date] | None:
    """The x-range brushed on a chart made by tracker.charts (None when nothing is brushed)."""
    try:
        selection = event.selection.get("period") or {}
        start, end = next(iter(selection.values()), None) or [None, None]  # the x field: when or fact_date
    except (AttributeError, TypeError, ValueError):
        return None
    if start is None or end is None:
        return None
    to_date = (lambda v: pd.to_datetime(v, unit="ms") if isinstance(v, (int, float)) else pd.to_datetime(v))
    return to_date(start).date(), to_date(end).date()


def _unused_notice() -> None:
    """Once, for the link that opened the session: the parameters this page did not use, in one
    notice (misspellings get a suggestion)."""
    if not st.session_state.pop("_check_unused", False):
        return
    used = st.session_state.get("_params_used", set())
    unused = [name for name in st.session_state.get("_url_params", {})
              if name not in used and name not in QUIET_PARAMS and not name.startswith("utm_")]
    if not unused:
        return
    known = sorted(set(PARAM_NAMES) | used | PAGE_PARAMS)
    named = []
    for name in unused[:MAX_NAMES]:
        if name in known:
            named.append(f"{as_code(name, 30)} (not on this page)")
            continue
        close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
        named.append(as_code(name, 30) + (f" (did you mean {close[0]}?)" if close else ""))
    more = f" and {len(unused) - MAX_NAMES} more" if len(unused) > MAX_NAMES else ""
    slot = st.session_state.get("_notice_slot") or st
    slot.warning(f"Ignored URL parameter{'s' if len(unused) > 1 else ''} this page does not use: "
                 f"{', '.join(named)}{more}.", icon="⚠️")


def period_param(brushed: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | None:
    """The period the timeline's table follows: brushed on the chart, or from the link
    (`period=YYYY-MM-DD..YYYY-MM-DD`) until the chart is brushed or the period cleared; kept in the URL."""
    use_params("period")
    if not st.session_state.get("_seeded_period"):
        st.session_state["_seeded_period"] = True
        wanted = st.session_state.get("_url_params", {}).get("period")
        if wanted is not None:
            try:
                start, end = (dt.date.fromisoformat(part) for part in wanted.split(".."))
                if not MIN_DATE <= start <= end <= MAX_DATE:
                    raise ValueError
                st.session_state["_period"] = (start, end)
            except ValueError:
                st.warning(f"Ignored URL parameter period={as_code(wanted)}: write it as YYYY-MM-DD..YYYY-MM-DD.",
                           icon="⚠️")
    if brushed:
        st.session_state["_period"], st.session_state["_brushed"] = brushed, True
    elif st.session_state.get("_brushed"):  # the brush was cleared on the chart
        st.session_state["_period"] = st.session_state["_brushed"] = None
    period = st.session_state.get("_period")
    if period and not brushed and st.button("Clear the period", key="timeline_clear_period"):
        st.session_state["_period"] = period = None
    if period:
        st.session_state.setdefault("_page_params", {})["period"] = f"{period[0]}..{period[1]}"
    return period


@st.cache_data(max_entries=256, show_spinner=False)
def _vega_spec(builder: str, args: tuple) -> dict:
    return getattr(charts, builder)(*args).to_dict(validate=False)


def chart(builder: str, *args, **kwargs):
    """Draw tracker.charts.<builder>(*args). The Vega-Lite spec is built once per input (Altair's
    building cost a layered chart 150-250 ms a run) and not validated again: the chart tests
    validate every builder's spec."""
    return st.vega_lite_chart(_vega_spec(builder, args), width="stretch", **kwargs)


def write_url(filters: Filters) -> None:
    """Put the filters in view (and the page's own choices) into the URL, replacing what was there.
    Call it last: the page's table adds its sort and page on the way."""
    _unused_notice()
    wanted = filters.to_query_params() | st.session_state.pop("_page_params", {})
    # written every run: after a link to the page itself (a related entity) the server already holds the
    # new parameters while the browser still shows the old address
    st.query_params.from_dict(wanted)


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


def _seed_from_url(key: str, name: str, parse) -> None:
    """Once per session: a table's page or sort from the link that opened it."""
    seeded = f"_seeded_{key}"
    if st.session_state.get(seeded):
        return
    st.session_state[seeded] = True
    wanted = st.session_state.get("_url_params", {}).get(name)
    if wanted is not None:
        value = parse(wanted)
        if value is None:
            st.warning(f"Ignored URL parameter {name}={as_code(wanted)}: not one of the choices for this table.", icon="⚠️")
        else:
            st.session_state[key] = value
            st.session_state[f"_from_url_{key}"] = True


def _page_number(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) < 10**7 else None


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


def paged_table(page: str, pkg: data.Package, filters: Filters, source: data.Table, columns: list[str],
                what: str = "facts", *, in_url: bool = False, title: str | None = None) -> pd.DataFrame:
    """Show the rows behind the view a page at a time, with their citations, and offer all of
    them as CSV. The count, the page and the CSV are each one query in DuckDB, sorted there over
    every row before the page is cut; only the page shown is ever a DataFrame. A click on a row
    opens its fact. With `in_url`, the table's sort and page are in the link (`sort`, `page`), and
    `title` names the view in its citation. Returns the rows shown."""
    if in_url:
        use_params("sort", "page")
    total = source.count(pkg)
    if total == 0:
        empty_state(what, filters)
        return pd.DataFrame(columns=columns)
    pages = -(-total // PAGE_SIZE)
    key, sort_key = f"{page}_page", f"{page}_sort"
    sorts = source.sorts
    if in_url:
        _seed_from_url(sort_key, "sort", lambda v: v if v in sorts else None)
        _seed_from_url(key, "page", _page_number)
    left, middle, right = st.columns([3, 2, 1]) if (pages > 1 or sorts) else (st, None, None)
    if sorts:
        _restore(sort_key, next(iter(sorts)))
        middle.selectbox("Sort all rows by", list(sorts), key=sort_key, format_func=sorts.get)
        _remember(sort_key)
        source = source.sorted_by(st.session_state[sort_key])
    view = (source, total)
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
    rows = source.page(pkg, PAGE_SIZE, first)
    shown = rows[columns]
    caption = count_of(total, what) if pages == 1 else f"{what.capitalize()} {first + 1:,}–{first + len(shown):,} of {total:,}"
    if pages > 1:
        caption += ". A click on a column header sorts only this page; 'Sort all rows by' orders them all"
    left.caption(caption + "." + (" Click a row to open the fact in full." if "fact_id" in columns else ""))
    event = st.dataframe(for_display(shown), hide_index=True, width="stretch", column_config=CITATION_COLUMNS,
                         key=f"{page}_table", on_select="rerun" if "fact_id" in columns else "ignore",
                         selection_mode="single-row")
    _open_row(f"{page}_table", shown, event)
    name = file_name(page, filters.describe(), pkg.build_id)
    if total > MAX_CSV_ROWS:
        st.button(f"Download all {count_of(total, 'rows')} as CSV", disabled=True, key=f"{page}_download",
                  help=f"Downloads are limited to {MAX_CSV_ROWS:,} rows. Narrow the filters to download this view.")
    else:
        csv_columns = columns + [c for c in CSV_EXTRA if c in rows.columns and c not in columns]
        st.download_button(f"Download all {count_of(total, 'rows')} as CSV",
                           lambda: source.csv(pkg, csv_columns, link=fact_link), file_name=name,
                           mime="text/csv", key=f"{page}_download", on_click="ignore")
    if title:
        cite_view(title, filters.describe(), total, pkg)
    return shown


def cite_view(page_title: str, description: str, rows: int, pkg: data.Package) -> None:
    """A citation of the whole view, copyable in one click (the code block's copy button)."""
    with st.expander("Cite this view"):
        st.code(view_citation(page_title, description, rows, pkg.build_id, view_link(), dt.date.today()),
                language=None, wrap_lines=True)
