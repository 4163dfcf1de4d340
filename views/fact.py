"""Fact: one fact in full, opened from a table row or its own link (/fact?fact=<id>)."""

import streamlit as st

from tracker import fact_view, ui

pkg, read, filters = ui.sidebar()
fact_id = ui.open_fact()
if not fact_id:
    st.title("Fact")
    st.info("No fact is open. Click a row in any table, or open a link of the form /fact?fact=<fact id>.", icon="🔎")
else:
    fact_view.show(pkg, read, fact_id)
