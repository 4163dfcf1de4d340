"""Chip nodes: company against year on one technology track, next to the control thresholds."""
import streamlit as st

from tracker import charts, data, ui
from tracker.compare import SMALLER_IS_BETTER, gaps

MAX_POINTS = 2000  # beyond this the chart shows each company's best value per year and status

pkg, filters = ui.sidebar()
st.title("Chip nodes")
st.caption("How far each company has come on a technology track, by status, with the export-control thresholds "
           "that apply drawn as dashed lines.")
metrics = data.get(pkg, "chip_metrics")
labels = {f"{r.metric}|{r.unit}": f"{r.metric.replace('_', ' ')} ({r.unit}, {r.fact_count:,} facts)" for r in metrics.itertuples()}
choice = ui.page_choice("chips", "metric", list(labels) or ["logic_node|nm"], "Technology track", widget="select",
                        format_func=lambda k: labels.get(k, k))
metric, unit = choice.split("|")
filters = ui.page_filters("chips", filters, "statuses")
ui.write_url(filters)

thresholds = data.get(pkg, "thresholds", metric)
on_track = data.get(pkg, "chip_nodes_count", filters, metric, unit)
picked: list[str] = []
if on_track == 0:
    ui.empty_state(f"{metric.replace('_', ' ')} facts", filters)
else:
    companies = data.get(pkg, "chip_companies", filters, metric, unit)
    names = dict(zip(companies["company_id"].dropna(), companies["company_name"]))
    if on_track <= MAX_POINTS:
        points = data.get(pkg, "chip_nodes", filters, metric, unit, limit=MAX_POINTS)
    else:
        points = data.get(pkg, "chip_best", filters, metric, unit, smaller_is_better=metric in SMALLER_IS_BETTER)
        st.caption(f"{on_track:,} facts on this track: each mark is a company's best value in a year at one status, "
                   "for the 15 companies with most facts. Narrow the filters to see single facts.")
    lines = thresholds[thresholds["unit"] == unit].drop_duplicates(["comparator", "value"]).head(6)
    st.altair_chart(charts.chip_nodes(points, lines, unit), width="stretch")
    st.subheader("Compare companies")
    ids = list(names)
    picked = st.multiselect("Companies", ids, default=ids[:2], key="chips_compare", format_func=lambda i: names.get(i, i),
                            help="The companies with most facts on this track" + (" (the first 200)." if len(ids) >= 200 else "."))
    if len(picked) < 2:
        st.info("Pick two or more companies to compare.")
    else:
        firsts = data.get(pkg, "chip_firsts", filters, metric, unit, tuple(picked))
        gap = gaps(firsts, metric, [names[i] for i in picked])
        if gap.empty:
            st.info("The data has no dated mass-production points at a level both companies reached, so no gap in "
                    "years can be computed. Their facts are in the table below.")
        else:
            st.dataframe(gap, hide_index=True, width="stretch", key="chips_gap",
                         column_config={"gap_years": st.column_config.NumberColumn("Years behind", format="%.1f")})
            st.caption("Gap = first dated mass-production fact at that level or better, company against company.")
ui.paged_table("chip_nodes", pkg, filters, data.table("chip_nodes", filters, metric, unit, tuple(picked)),
               ["fact_date", "date_basis", "company_name", "product", "metric", "value", "unit", "status",
                "lithography", "title", "claim_values", "source_title", "source_line", "evidence", "fact_id"],
               what="chip-node facts")
if not thresholds.empty:
    with st.expander(f"Control thresholds on this track ({len(thresholds)})"):
        st.dataframe(thresholds, hide_index=True, width="stretch", key="chips_thresholds")
