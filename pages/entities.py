"""Entities: look up a company or agency under any of its names."""
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
st.title("Entities")
ui.write_url(filters)
search = st.text_input("Find by any name, alias or ticker", key="entities_search", max_chars=200)
found = data.entities_matching(pkg, search.strip() or None)
ui.table_with_download("entities", found, pkg, filters,
                       ["name", "entity_type", "country", "aliases", "parent_name", "fact_count", "entity_id"],
                       what="entities")
