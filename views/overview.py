"""Overview: headline counts, the latest dated developments, what the data covers."""

from dataclasses import replace

import streamlit as st

from tracker import ui

LATEST_KINDS = ("rule", "event", "entity_action", "threshold", "funding", "chip_node")

pkg, read, filters = ui.sidebar()
st.title("US–China technology policy tracker")
st.caption("Export controls, chip nodes and funding: every number cited to the line of the document it came from.")

summary = read.facts_summary(filters).iloc[0]
counts = read.counts_by_kind(filters)
manifest = pkg.manifest
by_kind = dict(zip(counts["kind"], counts["fact_count"]))
metrics = st.container(horizontal=True, gap="medium")  # wraps on a narrow screen instead of cutting labels
metrics.metric("Facts in view", f"{int(summary['fact_count']):,}", width="content")
metrics.metric("Rules", f"{by_kind.get('rule', 0):,}", width="content")
metrics.metric("Chip-node facts", f"{by_kind.get('chip_node', 0):,}", width="content")
metrics.metric("Funding facts", f"{by_kind.get('funding', 0):,}", width="content")
metrics.metric(
    "Disputed claims",
    f"{int(summary['disputed_claims']):,}",
    help="Facts stating the same real-world thing are linked as one claim; disputed, its sources give different "
    f"values or dates. {int(summary['corroborated_claims']):,} more claims in view are stated alike by two "
    "statements or more. Both are listed at the foot of this page.",
    width="content",
)
if not manifest["corpus"]["verified"]:
    st.warning("This package was built without the corpus: evidence spans were not verified.")

span = f"{summary['first_date']:%Y} – {summary['last_date']:%Y}" if summary["dated_count"] else "no dated facts"
st.markdown(
    f"**Coverage:** {manifest['row_counts']['sources']:,} source documents, "
    f"{manifest['row_counts']['entities']:,} entities, dated facts spanning {span}. "
    f"Build `{pkg.build_id}`, built {manifest.get('built_at', '?')}."
)
links = st.container(horizontal=True)  # wraps like the metrics
for path, label in [
    ("views/timeline.py", "Timeline of rules"),
    ("views/chip_nodes.py", "Chip nodes"),
    ("views/funding.py", "Funding tables"),
    ("views/entities.py", "Entity browser"),
    ("views/sources.py", "Sources"),
]:
    ui.page_links([links], path, [(label, filters.to_query_params())])

COLUMNS = [
    "date_label",
    "title",
    "value_label",
    "source_title",
    "source_line",
    "kind",
    "status",
    "date_basis",
    "claim_label",
    "claim_values",
    "evidence",
    "fact_id",
]
built = pkg.built_on
st.subheader("Latest dated developments")
st.caption(
    f"Facts whose date has begun by the build date ({built:%Y-%m-%d}), newest first. A date is shown as "
    'precisely as the text gives it: a year-only fact reads "2025", not a day.'
)
latest = replace(
    filters, kinds=filters.kinds or LATEST_KINDS, date_to=min(filters.date_to, built) if filters.date_to else built
)
if filters.date_from and filters.date_from > built:
    st.info("The date range starts after the build date; see the plans and targets below.", icon="🔎")
else:
    ui.paged_table(
        "overview",
        pkg,
        filters,
        read.facts(latest, True),
        COLUMNS,
        what="dated developments",
        in_url=True,
        title="Overview: latest dated developments",
    )
st.subheader("Plans, targets and forecasts still ahead")
st.caption(
    f"Facts dated after the build date ({built:%Y-%m-%d}): what someone plans, aims for or forecasts, "
    "not what has happened."
)
ahead = replace(filters, kinds=filters.kinds or LATEST_KINDS)
if read.facts(ahead, True, built).count():
    ui.paged_table("overview_ahead", pkg, filters, read.facts(ahead, True, built), COLUMNS, what="facts dated ahead")
else:
    st.caption("No fact in view is dated after the build date.")

st.subheader("Where sources agree, and where they disagree")
st.caption(
    "Facts stating the same real-world quantity, date or event are linked as one claim. Disputed claims come "
    "first, with the values each source gives; a claim two sources state alike is corroborated. Click a row "
    "to see every statement of the claim with its citation."
)
ui.paged_table(
    "overview_claims",
    pkg,
    filters,
    read.claims(filters),
    ["claim_label", "claim_subject", "claim_values", "claim_sources", "claim_facts", "fact_id"],
    what="claims stated more than once",
)
