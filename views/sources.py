"""Sources: every document with its date and fact count; a document's facts and cited lines."""
import pandas as pd
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
st.title("Sources")
rows = data.sources(pkg, filters)
ui.table_with_download("sources", rows, pkg, filters,
                       ["published_date", "published_basis", "source_title", "publisher", "doc_type", "fact_count",
                        "facts_in_view", "corpus_file", "line_start", "line_end", "source_id"], what="sources")
if rows.empty:
    ui.write_url(filters)
    st.stop()
titles = dict(zip(rows["source_id"], rows["source_title"]))
source_id = ui.page_choice("sources", "source", list(titles), "Open a document", widget="select",
                           format_func=lambda i: titles.get(i, i))
ui.write_url(filters)
doc = rows.set_index("source_id").loc[source_id]
basis = " (inferred)" if doc["published_basis"] == "inferred" else ""
st.subheader(doc["source_title"])
published = "undated" if pd.isna(doc["published_date"]) else f"{doc['published_date']:%Y-%m-%d} ({doc['published_precision']})"
st.caption(f"{doc['publisher']} · {published}{basis} · "
           f"{doc['corpus_file']} lines {doc['line_start']}–{doc['line_end']}")
facts = data.facts_of_source(pkg, source_id)
if facts.empty:
    st.info("No facts cite this document (it was registered but carries no policy facts).")
    st.stop()
st.dataframe(facts, hide_index=True, width="stretch", key="sources_facts", column_config=ui.CITATION_COLUMNS)
fact_id = st.selectbox("Show the cited line of", facts["fact_id"].tolist(), key="sources_fact",
                       format_func=lambda i: f"{i}: {facts.set_index('fact_id').loc[i, 'title']}")
fact = facts.set_index("fact_id").loc[fact_id]
marked = data.cited_line_html(doc["corpus_file"], int(fact["source_line"]), fact["evidence"])
if marked is None:
    st.info("The corpus is not available here, so only the evidence span is shown: " + repr(fact["evidence"]))
else:
    st.markdown(f"<div style='padding:0.75em;border-left:4px solid #b22222;background:#fafafa'>"
                f"<small>line {int(fact['source_line'])}</small><br>{marked}</div>", unsafe_allow_html=True)
