"""Funding: state funds, subsidies, rounds and capex, normalised to USD."""
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
st.title("Funding")
ui.write_url(filters)
rows = data.funding(pkg, filters)
ui.table_with_download("funding", rows, pkg, filters,
                       ["fact_date", "funder_name", "recipient_name", "vehicle", "funding_type", "amount", "currency",
                        "amount_usd", "is_disputed", "title", "source_title", "source_line", "evidence", "fact_id"],
                       what="funding facts")
