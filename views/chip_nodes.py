"""Chip nodes: company against year on one technology track, next to the control thresholds."""
import streamlit as st

from tracker import charts, data, ui
from tracker.compare import gaps

pkg, filters = ui.sidebar()
st.title("Chip nodes")
st.caption("How far each company has come on a technology track, by status, with the export-control thresholds "
           "that apply drawn as dashed lines.")
metrics = data.chip_metrics(pkg)
labels = {f"{r.metric}|{r.unit}": f"{r.metric.replace('_', ' ')} ({r.unit}, {r.fact_count} facts)" for r in metrics.itertuples()}
choice = ui.page_choice("chips", "metric", list(labels) or ["logic_node|nm"], "Technology track", widget="select",
                        format_func=lambda k: labels.get(k, k))
metric, unit = choice.split("|")
filters = ui.page_filters("chips", filters, "statuses")
ui.write_url(filters)

nodes = data.chip_nodes(pkg, filters)
track = nodes[(nodes["metric"] == metric) & (nodes["unit"] == unit)]
thresholds = data.thresholds(pkg, metric)
if track.empty:
    ui.empty_state(f"{metric.replace('_', ' ')} facts", filters)
else:
    st.altair_chart(charts.chip_nodes(track, thresholds[thresholds["unit"] == unit], unit), width="stretch")
    companies = sorted(track["company_name"].dropna().unique())
    st.subheader("Compare companies")
    picked = st.multiselect("Companies", companies, default=companies[:2] if len(companies) >= 2 else companies,
                            key="chips_compare")
    gap = gaps(track, metric, picked)
    if len(picked) < 2:
        st.info("Pick two or more companies to compare.")
    elif gap.empty:
        st.info("The data has no dated mass-production points at a level both companies reached, so no gap in years "
                "can be computed. Their facts are in the table below.")
    else:
        st.dataframe(gap, hide_index=True, width="stretch", key="chips_gap",
                     column_config={"gap_years": st.column_config.NumberColumn("Years behind", format="%.1f")})
        st.caption("Gap = first dated mass-production fact at that level or better, company against company.")
    track = track[track["company_name"].isin(picked)] if picked else track
ui.table_with_download("chip_nodes", track, pkg, filters,
                       ["fact_date", "date_basis", "company_name", "product", "metric", "value", "unit", "status",
                        "lithography", "title", "claim_values", "source_title", "source_line", "evidence", "fact_id"],
                       what="chip-node facts")
if not thresholds.empty:
    with st.expander(f"Control thresholds on this track ({len(thresholds)})"):
        st.dataframe(thresholds, hide_index=True, width="stretch", key="chips_thresholds")
