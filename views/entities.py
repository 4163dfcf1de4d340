"""Entities: look up a company or agency under any of its names and see what is known about it."""
import streamlit as st

from tracker import charts, data, ui

pkg, filters = ui.sidebar()
st.title("Entities")
search = st.text_input("Find by any name, alias or ticker", key="entities_search", max_chars=200,
                       placeholder="e.g. SMIC, 中芯国际, Big Fund, BIS")
found = data.entities_matching(pkg, search.strip() or None)
if found.empty:
    st.info("No entity has that name or alias. Try a shorter part of the name.", icon="🔎")
    ui.write_url(filters)
    st.stop()
names = dict(zip(found["entity_id"], found["name"]))
entity_id = ui.page_choice("entities", "id", list(names), f"{len(found)} match(es)", widget="select",
                           format_func=lambda i: names.get(i, i))
ui.write_url(filters)
card = found.set_index("entity_id").loc[entity_id]
st.header(card["name"])
aliases = ", ".join(card["aliases"]) if len(card["aliases"]) else "none recorded"
st.markdown(f"**Type:** {card['entity_type']} · **Country:** {card['country'] or '—'} · "
            f"**Parent:** {card['parent_name'] or '—'} · **Facts:** {card['fact_count']}")
st.caption(f"Also known as: {aliases}")
facts = data.facts_of_entity(pkg, entity_id)
if facts["fact_date"].notna().any():
    st.altair_chart(charts.entity_timeline(facts), width="stretch")
ui.table_with_download("entities", facts, pkg, filters,
                       ["fact_date", "date_basis", "kind", "status", "title", "roles", "source_title", "source_line",
                        "evidence", "fact_id"])
related = data.related_entities(pkg, entity_id)
if not related.empty:
    st.subheader("Related entities")
    st.dataframe(related, hide_index=True, width="stretch", key="entities_related")
