"""Sources: every document with its date and fact count; a document's facts and cited lines."""

import pandas as pd
import streamlit as st

from tracker import ui

pkg, read, filters = ui.sidebar()
st.title("Sources")
st.caption(
    "Every document is listed; 'Facts in view' counts its facts that pass the sidebar's filters. "
    "'Original' links to the document where the corpus gives its address."
)
ui.paged_table(
    "sources",
    pkg,
    filters,
    read.sources(filters),
    [
        "published_label",
        "source_title",
        "publisher",
        "url",
        "authors",
        "fact_count",
        "facts_in_view",
        "doc_type",
        "published_basis",
        "corpus_file",
        "line_start",
        "line_end",
        "source_id",
    ],
    what="sources",
    in_url=True,
    title="Sources",
)
everything = read.source_titles()
if everything.empty:
    st.stop()
titles = dict(zip(everything["source_id"], everything["source_title"]))
source_id = ui.page_choice(
    "sources", "source", list(titles), "Open a document", widget="select", format_func=lambda i: titles.get(i, i)
)
doc = read.source_by_id(source_id).iloc[0]
basis = " (inferred)" if doc["published_basis"] == "inferred" else ""
st.subheader(doc["source_title"])
published = "undated" if pd.isna(doc["published_label"]) else doc["published_label"]
original = (
    f" · [open the original]({doc['url']})"
    if isinstance(doc["url"], str) and doc["url"].startswith(("http://", "https://"))
    else ""
)
st.caption(
    f"{ui.md(doc['publisher'])} · {published}{basis} · "
    f"{doc['corpus_file']} lines {doc['line_start']}–{doc['line_end']}{original}. All facts citing this document are "
    "listed, whatever the sidebar's filters."
)
facts = ui.paged_table(
    "sources_facts",
    pkg,
    filters,
    read.facts_of_source(source_id),
    [
        "source_line",
        "kind",
        "status",
        "title",
        "date_label",
        "date_basis",
        "value_label",
        "is_disputed",
        "evidence",
        "fact_id",
    ],
    what="facts citing this document",
)
if facts.empty:
    st.stop()
by_id = facts.set_index("fact_id")
fact_id = st.selectbox(
    "Show the cited line of (a fact on this page of the table)",
    by_id.index.tolist(),
    key="sources_fact",
    format_func=lambda i: f"{i}: {by_id.loc[i, 'title']}",
)
fact = by_id.loc[fact_id]
ui.cited_line(doc["corpus_file"], int(fact["source_line"]), fact["evidence"])
