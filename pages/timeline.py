"""Timeline: rules, events and entity actions over time."""
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
st.title("Timeline")
filters = ui.page_filters("timeline", filters, "kinds", "topics", "statuses")
ui.write_url(filters)
facts = data.facts(pkg, filters)
ui.table_with_download("timeline", facts, pkg, filters,
                       ["fact_date", "date_precision", "kind", "topic", "status", "title", "is_disputed",
                        "source_title", "source_line", "evidence", "fact_id"])
