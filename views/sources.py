"""Sources: every document with its date and fact count; a document's facts and cited lines."""
import pandas as pd
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
st.title("Sources")
ui.paged_table("sources", pkg, filters, data.table("sources", filters),
               ["published_label", "published_basis", "source_title", "publisher", "doc_type", "fact_count",
                "facts_in_view", "corpus_file", "line_start", "line_end", "source_id"], what="sources")
everything = data.get(pkg, "source_titles")
if everything.empty:
    ui.write_url(filters)
    st.stop()
titles = dict(zip(everything["source_id"], everything["source_title"]))
source_id = ui.page_choice("sources", "source", list(titles), "Open a document", widget="select",
                           format_func=lambda i: titles.get(i, i))
ui.write_url(filters)
doc = data.get(pkg, "source_by_id", source_id).iloc[0]
basis = " (inferred)" if doc["published_basis"] == "inferred" else ""
st.subheader(doc["source_title"])
published = "undated" if pd.isna(doc["published_label"]) else doc["published_label"]
st.caption(f"{doc['publisher']} · {published}{basis} · "
           f"{doc['corpus_file']} lines {doc['line_start']}–{doc['line_end']}")
facts = ui.paged_table("sources_facts", pkg, filters, data.table("facts_of_source", source_id),
                       ["source_line", "kind", "status", "title", "date_label", "date_basis", "value_label",
                        "is_disputed", "evidence", "fact_id"], what="facts citing this document")
if facts.empty:
    st.stop()
by_id = facts.set_index("fact_id")
fact_id = st.selectbox("Show the cited line of (a fact on this page of the table)", by_id.index.tolist(),
                       key="sources_fact", format_func=lambda i: f"{i}: {by_id.loc[i, 'title']}")
fact = by_id.loc[fact_id]
marked = data.cited_line_html(doc["corpus_file"], int(fact["source_line"]), fact["evidence"])
if marked is None:
    st.info("The corpus is not available here, so only the evidence span is shown: " + repr(fact["evidence"]))
else:
    st.markdown(f"<div style='padding:0.75em;border-left:4px solid #b22222;background:#fafafa'>"
                f"<small>line {int(fact['source_line'])}</small><br>{marked}</div>", unsafe_allow_html=True)
