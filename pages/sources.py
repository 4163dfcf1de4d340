"""Sources: every document with its fact count and date."""
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
st.title("Sources")
ui.write_url(filters)
rows = data.sources(pkg, filters)
ui.table_with_download("sources", rows, pkg, filters,
                       ["published_date", "published_basis", "title", "publisher", "doc_type", "fact_count",
                        "facts_in_view", "corpus_file", "line_start", "line_end", "source_id"], what="sources")
