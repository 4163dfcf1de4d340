"""Timeline: rules, events and entity actions over time, one lane per country or authority."""
import streamlit as st

from tracker import charts, data, ui

pkg, filters = ui.sidebar()
st.title("Timeline")
st.caption("Rules, events and entity actions on a time axis. Drag across the chart to zoom the table to a period. "
           "Shapes mark status: ● enacted, ▲ proposed, ◆ suggested or claimed.")
filters = ui.page_filters("timeline", filters, "kinds", "topics", "countries", "statuses")
lane = ui.page_choice("timeline", "lane", ["country", "authority"], "One lane per")
ui.write_url(filters)

facts = data.facts(pkg, filters)
if filters.kinds:
    shown = facts
else:  # by default the timeline is about actions, not every statistic
    shown = facts[facts["kind"].isin(["rule", "event", "entity_action", "threshold"])]
dated = shown[shown["fact_date"].notna()]
CHART_START = "2000-01-01"
older = 0 if filters.date_from else int((dated["fact_date"] < CHART_START).sum())
if older:  # a handful of historical facts (1880s, 1960s) would squeeze two decades into a sliver
    dated = dated[dated["fact_date"] >= CHART_START]
if dated.empty:
    ui.empty_state("dated rules, events or actions", filters)
else:
    event = st.altair_chart(charts.timeline(dated, f"lane_{lane}"), on_select="rerun", key="timeline_chart",
                            width="stretch")
    period = ui.brushed_period(event)
    if period:
        shown = shown[shown["fact_date"].notna() & (shown["fact_date"].dt.date >= period[0])
                      & (shown["fact_date"].dt.date <= period[1])]
        st.caption(f"Table follows the brushed period {period[0]} – {period[1]}. Click the chart outside the band to clear.")
    undated = int(shown["fact_date"].isna().sum())
    if undated or older:
        st.caption(f"In the table but not on the chart: {undated} undated fact(s)"
                   + (f", {older} before 2000 (set a 'From' date to chart them)" if older else "") + ".")
ui.table_with_download("timeline", shown, pkg, filters,
                       ["fact_date", "date_basis", "kind", "status", "title", "lane_authority", "claim_values",
                        "source_title", "source_publisher", "source_line", "evidence", "fact_id"])
