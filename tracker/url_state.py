"""The state of a view that lives in its URL: the page's own choices and filters, seeded once from
the link that opened the session, kept across page switches, and written back on every run.

Streamlit forgets a widget's state when a run does not draw it (as on another page), so every
widget here keeps a shadow copy (`_saved_<key>`) that survives page switches. URL values are
untrusted: each is checked against what the page offers and dropped with a notice.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from tracker.filters import (
    DATE_MAX,
    DATE_MIN,
    KINDS,
    MAX_LIST,
    PARAM_NAMES,
    PARAM_OF,
    STATUSES,
    TOPICS,
    Filters,
    as_code,
)

_PAGE_FIELDS = {"kinds": list(KINDS), "topics": list(TOPICS), "statuses": list(STATUSES)}  # countries: from the data


def restore(key: str, default) -> None:
    """Give a widget its last value before it is drawn.

    Streamlit forgets a widget's state when a run does not draw it (as on another page),
    so every filter widget keeps a shadow copy that survives page switches.
    """
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_saved_{key}", default)


def remember(*keys: str) -> None:
    for key in keys:
        st.session_state[f"_saved_{key}"] = st.session_state.get(key)


QUIET_PARAMS = {"embed", "embed_options", "fbclid", "gclid"}  # Streamlit's own, and link trackers: not ours to judge

PAGE_PARAMS = {"lane", "metric", "group", "id", "source", "types", "compare", "period", "sort", "page", "fact"}

MAX_NAMES = 10


def page_filters(page: str, filters: Filters, *fields: str) -> Filters:
    """A page's own multiselect filters (kinds, topics, statuses, countries), kept across page switches."""
    url = st.session_state.get("_url_filters", Filters())
    cols = st.columns(len(fields)) if fields else []
    values: dict[str, Any] = {}
    for col, name in zip(cols, fields):
        key = f"{page}_{name}"
        restore(key, list(getattr(url, name)))
        col.multiselect(
            {"statuses": "Status", "countries": "Country"}.get(name, name.rstrip("s").capitalize()),
            _PAGE_FIELDS.get(name) or st.session_state["_countries"],
            key=key,
            format_func=lambda v: v.replace("_", " "),
        )
        remember(key)
        values[name] = tuple(st.session_state[key])
        st.session_state["_params_used"].add(PARAM_OF[name])
    filters = replace(filters, **values)
    st.session_state["_view_filters"] = filters  # what finish() writes into the URL
    return filters


def page_choice(
    page: str,
    name: str,
    options: list[str],
    label: str,
    *,
    widget: str = "radio",
    format_func=str,
    renamed: dict[str, str] | None = None,
) -> str:
    """A page's own single choice (lane, metric, group...), seeded from the URL once and kept.

    An unknown value in the URL is dropped with a notice; the choice is written back by write_url.
    `renamed`: old value -> current one (an entity merged into another), so an old link still works.
    """
    renamed = renamed or {}
    key = f"{page}_{name}"
    seeded = f"_seeded_{key}"
    if not st.session_state.get(seeded):
        st.session_state[seeded] = True
        wanted = st.session_state.get("_url_params", {}).get(name)
        wanted = renamed.get(wanted, wanted) if wanted is not None else None
        if wanted is not None and wanted in options:
            st.session_state[f"_saved_{key}"] = wanted
        elif wanted is not None:
            st.warning(
                f"Ignored URL parameter {name}={as_code(wanted)}: not one of the choices on this page.", icon="⚠️"
            )
    restore(key, options[0] if options else None)
    linked = st.query_params.get(name)  # a link followed within the session (a related entity, a fact's entity)
    linked = renamed.get(linked, linked) if linked is not None else None
    if linked in options and linked not in (st.session_state[key], st.session_state.get(f"_wrote_{key}")):
        st.session_state[key] = linked
    if st.session_state[key] not in options and options:
        st.session_state[key] = options[0]
    if widget == "radio":
        st.radio(label, options, key=key, horizontal=True, format_func=format_func)
    else:
        st.selectbox(label, options, key=key, format_func=format_func)
    remember(key)
    st.session_state.setdefault("_page_params", {})[name] = st.session_state[f"_wrote_{key}"] = st.session_state[key]
    st.session_state["_params_used"].add(name)
    return st.session_state[key]


def page_multi(
    page: str,
    name: str,
    options: list[str],
    label: str,
    default: list[str],
    *,
    format_func=str,
    help: str | None = None,
) -> list[str]:
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
                st.warning(
                    f"Ignored URL parameter {name}={as_code(','.join(bad))}: not one of the choices on this page.",
                    icon="⚠️",
                )
            st.session_state[f"_saved_{key}"] = [i for i in dict.fromkeys(items) if i in options]
    restore(key, [d for d in default if d in options])
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    st.multiselect(
        label, options, key=key, format_func=format_func, help=help, select_all=False, filter_mode="contains"
    )
    remember(key)
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

    def to_date(v):
        return pd.to_datetime(v, unit="ms") if isinstance(v, (int, float)) else pd.to_datetime(v)

    return to_date(start).date(), to_date(end).date()


def _unused_notice() -> None:
    """Once, for the link that opened the session: the parameters this page did not use, in one
    notice (misspellings get a suggestion)."""
    if not st.session_state.pop("_check_unused", False):
        return
    used = st.session_state.get("_params_used", set())
    unused = [
        name
        for name in st.session_state.get("_url_params", {})
        if name not in used and name not in QUIET_PARAMS and not name.startswith("utm_")
    ]
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
    slot.warning(
        f"Ignored URL parameter{'s' if len(unused) > 1 else ''} this page does not use: {', '.join(named)}{more}.",
        icon="⚠️",
    )


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
                if not DATE_MIN <= start <= end <= DATE_MAX:
                    raise ValueError
                st.session_state["_period"] = (start, end)
            except ValueError:
                st.warning(
                    f"Ignored URL parameter period={as_code(wanted)}: write it as YYYY-MM-DD..YYYY-MM-DD.", icon="⚠️"
                )
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


def linked(name: str) -> str | None:
    """The value of a page's own parameter in the link that opened the session (None when absent)."""
    use_params(name)
    return st.session_state.get("_url_params", {}).get(name)


def finish() -> None:
    """Once a page has run (app.py calls it, also after st.stop): put the filters in view and the page's
    own choices (its table's sort and page on the way) into the URL, replacing what was there; and name
    the link's parameters the page did not use."""
    if "_view_filters" not in st.session_state:
        return  # the page stopped before its sidebar (no package): nothing to write
    _write_url(st.session_state["_view_filters"])


def _write_url(filters: Filters) -> None:
    _unused_notice()
    wanted = filters.to_query_params() | st.session_state.pop("_page_params", {})
    # written every run: after a link to the page itself (a related entity) the server already holds the
    # new parameters while the browser still shows the old address
    st.query_params.from_dict(wanted)


def seed_from_url(key: str, name: str, parse) -> None:
    """Once per session: a table's page or sort from the link that opened it."""
    seeded = f"_seeded_{key}"
    if st.session_state.get(seeded):
        return
    st.session_state[seeded] = True
    wanted = st.session_state.get("_url_params", {}).get(name)
    if wanted is not None:
        value = parse(wanted)
        if value is None:
            st.warning(
                f"Ignored URL parameter {name}={as_code(wanted)}: not one of the choices for this table.", icon="⚠️"
            )
        else:
            st.session_state[key] = value
            st.session_state[f"_from_url_{key}"] = True


def page_number(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) < 10**7 else None
