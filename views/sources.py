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


def titles_of(sources: pd.DataFrame) -> dict[str, str]:
    return dict(zip(sources["source_id"], sources["source_title"]))


def cited_of(facts: pd.DataFrame) -> dict[str, dict]:
    """Each fact on the table's page by id: its title, cited line and evidence."""
    return {r["fact_id"]: r for r in facts[["fact_id", "title", "source_line", "evidence"]].to_dict("records")}


titles = ui.derived(titles_of, read.source_titles())
if not titles:
    st.stop()
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
cited = ui.derived(cited_of, facts)
fact_id = st.selectbox(
    "Show the cited line of (a fact on this page of the table)",
    list(cited),
    key="sources_fact",
    format_func=lambda i: f"{i}: {cited[i]['title']}",
)
ui.cited_line(doc["corpus_file"], int(cited[fact_id]["source_line"]), cited[fact_id]["evidence"])
