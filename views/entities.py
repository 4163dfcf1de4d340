"""Entities: look up a company or agency under any of its names and see what is known about it."""

import pandas as pd
import streamlit as st

from tracker import charts, ui
from tracker.read import RELATED_WINDOW

MAX_MATCHES = 500


def cards_of(found: pd.DataFrame) -> dict[str, dict]:
    """Each matching entity's card by id, most-cited first."""
    return {r["entity_id"]: r for r in found.to_dict("records")}


def related_labels(related: pd.DataFrame) -> list[tuple[str, str]]:
    """Each related entity's link label ("Huawei Technologies (2 shared facts)", "SMIC South (part of it)")
    and id."""
    labels = []
    for r in related.itertuples():
        kin = "" if r.relation == "named in the same facts" else r.relation
        shared = ui.count_of(int(r.shared_facts), "shared facts") if r.shared_facts else ""
        detail = ", ".join(filter(None, [kin, shared]))
        labels.append((f"{r.name} ({detail})" if detail else r.name, r.entity_id))
    return labels


pkg, read, filters = ui.sidebar()
st.title("Entities")
search = st.text_input(
    "Find by any name, alias or ticker",
    key="entities_search",
    max_chars=200,
    placeholder="e.g. SMIC, 中芯国际, Big Fund, BIS",
)
found = read.entities_matching(search.strip() or None)
if found.empty:
    st.info("No entity has that name or alias. Try a shorter part of the name.", icon="🔎")
    st.stop()
merged = read.entity_replacements()  # a link made before two entities were merged names the old id
wanted = ui.linked("id")
wanted = merged.get(wanted, wanted) if wanted else wanted
cards = ui.derived(cards_of, found)
listed = list(cards)[:MAX_MATCHES]
if wanted in cards and wanted not in listed:
    listed.append(wanted)
names = {i: cards[i]["name"] for i in listed}
more = f" (the {MAX_MATCHES} most-cited are listed; type more of a name)" if len(found) > MAX_MATCHES else ""
entity_id = ui.page_choice(
    "entities",
    "id",
    list(names),
    f"{ui.count_of(len(found), 'matches')}{more}",
    widget="select",
    format_func=lambda i: names.get(i, i),
    renamed=merged,
)
card = cards[entity_id]
st.header(card["name"])
aliases = ", ".join(card["aliases"]) if len(card["aliases"]) else "none recorded"
st.markdown(
    f"**Type:** {card['entity_type']} · **Country:** {'—' if pd.isna(card['country']) else card['country']} · "
    f"**Parent:** {'—' if pd.isna(card['parent_name']) else card['parent_name']} · **Facts:** {card['fact_count']:,}"
)
st.caption(f"Also known as: {aliases}")
ui.entity_filter_button(entity_id)
density = read.entity_density(entity_id)
if not density.empty:
    ui.chart(charts.entity_timeline, density)
shared = [
    text
    for text, on in (
        (f"from {filters.date_from}", filters.date_from),
        (f"to {filters.date_to}", filters.date_to),
        (f"search '{filters.search}'", filters.search),
    )
    if on
]
st.caption(
    f"{card['name']}'s facts"
    + (f", filtered by the sidebar's {', '.join(ui.md(s) for s in shared)}" if shared else "")
    + ". The sidebar's company filter does not apply here: this page is about the entity chosen above."
)
ui.paged_table(
    "entities",
    pkg,
    filters,
    read.facts_of_entity(entity_id, filters),
    [
        "date_label",
        "title",
        "value_label",
        "source_title",
        "source_line",
        "kind",
        "status",
        "roles",
        "date_basis",
        "evidence",
        "fact_id",
    ],
    in_url=True,
    title=f"Entities: {card['name']}",
)
related = read.related_entities(entity_id)
if not related.empty:
    st.subheader("Related entities")
    st.caption(
        "Its parent and its parts, then the entities named in the same facts, most shared facts first"
        + (f" (counted among its {RELATED_WINDOW:,} newest facts)." if card["fact_count"] > RELATED_WINDOW else ".")
    )
    here = st.query_params.to_dict()
    links = [(label, here | {"id": entity_id}) for label, entity_id in ui.derived(related_labels, related)]
    ui.page_links([st.container(horizontal=True, gap="small")], "views/entities.py", links)  # wraps, never cut
