"""Overview: headline counts, the latest dated developments, what the data covers."""
import streamlit as st

from tracker import data, ui

pkg, filters = ui.sidebar()
ui.write_url(filters)
st.title("US–China technology policy tracker")
st.caption("Export controls, chip nodes and funding, every number cited to the line of the document it came from.")

counts = data.counts_by_kind(pkg, filters)
manifest = pkg.manifest
cols = st.columns(4)
cols[0].metric("Facts in view", int(counts["fact_count"].sum()) if not counts.empty else 0)
cols[1].metric("Sources", manifest["row_counts"]["sources"])
cols[2].metric("Entities", manifest["row_counts"]["entities"])
cols[3].metric("Disputed claims", manifest.get("disputed_claims", 0))
if not manifest["corpus"]["verified"]:
    st.warning("This package was built without the corpus: evidence spans were not verified.")

st.subheader("Latest dated developments")
facts = data.facts(pkg, filters)
latest = facts[facts["fact_date"].notna()].head(15)
ui.table_with_download("overview", latest, pkg, filters,
                       ["fact_date", "date_precision", "kind", "title", "source_title", "source_line", "evidence", "fact_id"])
