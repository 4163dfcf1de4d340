"""Funding: state funds, subsidies, rounds and capex in original currency and USD."""

import streamlit as st

from contract import FUNDING_TYPES, MONEY_IN
from tracker import charts, ui

CHART_GROUPS = 25

pkg, read, filters = ui.sidebar()
st.title("Funding")
st.caption(
    "Every funding fact with its original amount and currency, normalised to USD with a rate cited from "
    "the corpus. Totals count each linked (possibly disputed) claim once, at its lowest reported amount; "
    'an amount the text gives as a floor ("over $47B") or a range adds its floor, so such a total is '
    '"at least" that much.'
)
types = tuple(
    ui.page_multi(
        "funding",
        "types",
        list(FUNDING_TYPES),
        "Kinds of money",
        list(MONEY_IN),
        help="Valuations and revenue are not money put in; they are off by default.",
    )
)
group = ui.page_choice("funding", "group", ["funder", "country", "year"], "Totals by")

totals = read.funding_totals(filters, group, types)
if not totals.empty:
    ui.chart(charts.funding_totals, totals, group, CHART_GROUPS)
    floors, loose = int(totals["floors"].sum()), int(totals["ceilings"].sum() + totals["approximate"].sum())
    if floors or loose:
        st.caption(
            "How to read these totals: "
            + "; ".join(
                filter(
                    None,
                    [
                        f"{ui.count_of(floors, 'amounts')} {'is a floor' if floors == 1 else 'are floors'} (over, at least, or the "
                        "low end of a range), so a total holding one is at least the bar"
                        if floors
                        else "",
                        f"{ui.count_of(loose, 'amounts')} {'is' if loose == 1 else 'are'} approximate or ceilings (about, up to, "
                        "under)"
                        if loose
                        else "",
                    ],
                )
            )
            + ". Hover a bar for its total in words."
        )
    if len(totals) > CHART_GROUPS:
        st.caption(f"The {CHART_GROUPS} largest of {len(totals):,} groups.")
ui.paged_table(
    "funding",
    pkg,
    filters,
    read.funding(filters, types),
    [
        "date_label",
        "title",
        "amount_usd_label",
        "source_title",
        "source_line",
        "amount_label",
        "funder_name",
        "funding_type",
        "recipient_name",
        "vehicle",
        "status",
        "claim_label",
        "claim_values",
        "evidence",
        "fact_id",
    ],
    what="funding facts",
    in_url=True,
    title="Funding",
)
