"""Timeline: rules, events and entity actions over time, one lane per country or authority."""

import datetime as dt
from dataclasses import replace

import streamlit as st

from tracker import charts, ui

ACTION_KINDS = ("rule", "event", "entity_action", "threshold")  # by default the timeline is about actions
CHART_START = dt.date(2000, 1, 1)  # a few 1880s or 1960s facts would squeeze two decades into a sliver
MAX_POINTS = 2000  # beyond this the chart shows facts per month instead of one mark per fact

pkg, read, filters = ui.sidebar()
st.title("Timeline")
st.caption(
    "Rules, events and entity actions on a time axis, in the lane of the country or authority that acted. "
    "A fact dated only to a month, quarter or year is drawn as a bar across that period, its mark in the "
    "middle. Solid marks were done (enacted); hollow ones were proposed, suggested, planned or claimed. "
    "Drag across the chart to zoom the table to a period."
)
filters = ui.page_filters("timeline", filters, "kinds", "topics", "countries", "statuses")
lane = ui.page_choice("timeline", "lane", ["country", "authority"], "One lane per")

in_view = replace(filters, kinds=filters.kinds or ACTION_KINDS)
charted = in_view if filters.date_from else replace(in_view, date_from=CHART_START)
n_charted = read.facts(charted, True).count()
older = (
    0
    if filters.date_from
    else read.facts(
        replace(in_view, date_to=min(filters.date_to or CHART_START, CHART_START - dt.timedelta(days=1))), True
    ).count()
)
period = None
if n_charted == 0:
    ui.empty_state("dated rules, events or actions", filters)
else:
    if n_charted <= MAX_POINTS:
        event = ui.chart(
            charts.timeline,
            read.timeline_points(charted, MAX_POINTS),
            f"lane_{lane}",
            on_select="rerun",
            key="timeline_chart",
        )
    else:
        span = ((charted.date_to or dt.date.today()) - charted.date_from).days / 365.25
        bin = "month" if span <= 3 else "quarter" if span <= 10 else "year"
        st.caption(
            f"{n_charted:,} dated facts: each cell counts the facts of one {bin} in one lane (the 30 busiest "
            "lanes; the rest pooled). Narrow the filters or the dates to see single facts."
        )
        event = ui.chart(
            charts.timeline_density,
            read.timeline_density(charted, lane, bin=bin),
            lane,
            bin,
            on_select="rerun",
            key="timeline_chart",
        )
    period = ui.period_param(ui.brushed_period(event))
    if period:
        in_view = replace(
            in_view,
            date_from=max(period[0], in_view.date_from or period[0]),
            date_to=min(period[1], in_view.date_to or period[1]),
        )
        st.caption(
            f"Table follows the period {period[0]} – {period[1]} (brushed on the chart, or from the link: "
            "`period` in the URL). Click the chart outside the band to clear."
        )
total = read.facts(in_view, False).count()
undated = 0 if period else total - read.facts(in_view, True).count()
if n_charted and (undated or older):
    st.caption(
        f"In the table but not on the chart: {ui.count_of(undated, 'undated facts')}"
        + (f", {older:,} before 2000 (set a 'From' date to chart them)" if older else "")
        + "."
    )
ui.paged_table(
    "timeline",
    pkg,
    filters,
    read.facts(in_view, False),
    [
        "date_label",
        "title",
        "value_label",
        "source_title",
        "source_line",
        "lane_authority",
        "kind",
        "status",
        "date_basis",
        "claim_label",
        "claim_values",
        "evidence",
        "fact_id",
    ],
    in_url=True,
    title="Timeline",
)
