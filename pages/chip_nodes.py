"""Chip nodes: company products and processes by metric, next to control thresholds."""
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
st.title("Chip nodes")
filters = ui.page_filters("chips", filters, "statuses")
ui.write_url(filters)
nodes = data.chip_nodes(pkg, filters)
ui.table_with_download("chip_nodes", nodes, pkg, filters,
                       ["fact_date", "company_name", "product", "metric", "value", "unit", "status", "lithography",
                        "title", "source_title", "source_line", "evidence", "fact_id"], what="chip-node facts")
