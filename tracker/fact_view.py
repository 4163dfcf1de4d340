"""One fact in full: every field the package holds for it, the cited line in context with the
evidence marked, the other facts of its claim, its entities as links, and a citation to copy.

Shown by the Fact page (views/fact.py, `/fact?fact=<id>`); a table row click and `?fact=<id>` on
any page lead there.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from tracker import data, ui
from tracker.cite import fact_citation, given
from tracker.links import fact_link
from tracker.read import Reader

KIND_FIELDS = {  # label -> column of fact_by_id.sql, per kind; empty values are left out
    "rule": [
        ("Rule", "rule_name"),
        ("Authority", "rule_authority"),
        ("Controls", "controls"),
        ("Announced", "announced_label"),
        ("Effective", "effective_label"),
    ],
    "threshold": [
        ("Parameter", "threshold_parameter"),
        ("Comparator", "threshold_comparator"),
        ("Threshold", "value_label"),
        ("Applies to", "threshold_applies_to"),
        ("Set by the rule", "threshold_rule_title"),
    ],
    "chip_node": [
        ("Company", "chip_company"),
        ("Product", "chip_product"),
        ("Metric", "chip_metric"),
        ("Status", "status"),
        ("Lithography", "chip_lithography"),
    ],
    "funding": [
        ("Funder", "funding_funder"),
        ("Recipient", "funding_recipient"),
        ("Vehicle", "funding_vehicle"),
        ("Type", "funding_type"),
        ("Amount as stated", "value_label"),
        ("In USD", "amount_usd_label"),
    ],
    "entity_action": [("Action", "action"), ("Actor", "action_actor"), ("Target", "action_target")],
}
BASIS = {"stated": "stated in the text", "inferred": "inferred", "dateline": "the document's own date (dateline)"}


def _fields(rows: list[tuple[str, str]]) -> None:
    lines = [f"**{ui.md(label)}:** {ui.md(value)}" for label, value in rows]
    st.markdown("  \n".join(lines))


def _rate(f: dict) -> str | None:
    if not given(f.get("rate_usd_per_unit")) or f.get("unit") == "USD":
        return None
    text = f"{f['rate_usd_per_unit']:g} USD per {f['unit']}"
    if given(f.get("rate_source_id")):
        return f"{text}, cited from {f['rate_source_id']} line {int(f['rate_source_line'])}: “{f['rate_evidence']}”"
    return f"{text} ({f['rate_note']})" if given(f.get("rate_note")) else text


def _context(f: dict) -> None:
    lines = data.cited_context(f["corpus_file"], int(f["source_line"]), f["evidence"])
    if not lines:
        st.info(f"The corpus is not available here; the evidence span is: “{f['evidence']}”", icon="📄")
        return
    body = "".join(
        f"<div style='{'background:#fff6d6;' if n == f['source_line'] else 'color:#666;'}padding:2px 6px'>"
        f"<small style='color:#999'>{n}</small> {text}</div>"
        for n, text in lines
    )
    st.markdown(f"<div style='border-left:4px solid #b22222;font-size:0.9em'>{body}</div>", unsafe_allow_html=True)


def show(pkg: data.Package, read: Reader, fact_id: str) -> bool:
    """The fact in full; False (with a notice) when the build has no such fact."""
    found = read.fact_by_id(fact_id)
    if found.empty:
        st.warning(
            f"This build has no fact {ui.as_code(fact_id)}. Its id may be mistyped, or it was removed; "
            "search for it on the Timeline.",
            icon="⚠️",
        )
        return False
    f = found.iloc[0].to_dict()
    st.header(f["title"])
    st.caption(
        " · ".join(
            filter(
                None,
                [
                    f["kind"].replace("_", " "),
                    f["topic"].replace("_", " "),
                    (f["status"] or "").replace("_", " "),
                    f"fact `{f['fact_id']}`",
                ],
            )
        )
    )
    left, right = st.columns(2)
    with left:
        date = (
            f"{f['date_label']} ({BASIS.get(f['date_basis'], f['date_basis'])})"
            if given(f["date_label"])
            else "undated: the text gives no date"
        )
        rows: list[tuple[str, str]] = [("Date", date)]
        if given(f["date_note"]):
            rows.append(("How the date was worked out", f["date_note"]))
        if given(f["value_label"]):
            rows.append(("Value", f["value_label"]))
        if given(f["amount_usd_label"]) and f["unit"] != "USD":
            rows.append(("In USD", f["amount_usd_label"]))
        rate = _rate(f)
        if rate:
            rows.append(("Rate used", rate))
        if given(f["lane_name"]):
            rows.append(("Who acted", f"{f['lane_name']} ({f['lane_country'] or 'no country'})"))
        if given(f["countries"]):
            rows.append(("Countries", ", ".join(f["countries"])))
        _fields(rows)
    with right:
        kind_rows = [(label, f[column]) for label, column in KIND_FIELDS.get(f["kind"], []) if given(f.get(column))]
        if kind_rows:
            _fields(
                [
                    (
                        label,
                        str(value).replace("_", " ")
                        if label in ("Status", "Type", "Metric", "Action", "Parameter")
                        else value,
                    )
                    for label, value in kind_rows
                ]
            )
        if given(f["note"]):
            st.markdown(f"**Annotator's note:** {ui.md(f['note'])}")
    published = f["source_published_label"] if given(f["source_published_label"]) else "undated"
    source = f"**Source:** {ui.md(f['source_title'])}, {ui.md(f['source_publisher'])}, {ui.md(published)}"
    if given(f["source_url"]) and str(f["source_url"]).startswith(("http://", "https://")):
        source += f" · [open the original]({f['source_url']})"
    st.markdown(source + f" · line {int(f['source_line'])}")
    _context(f)
    entities = read.entities_of_fact(fact_id)
    if not entities.empty:
        st.markdown("**Entities**")
        links = []
        for e in entities.itertuples():
            roles = ", ".join(
                dict.fromkeys("named" if r == "entities" else r.split(".")[-1] for r in e.roles.split(", "))
            )
            links.append((f"{e.name} ({roles})", {"id": e.entity_id}))
        ui.page_links(st.columns(min(4, len(entities))), "views/entities.py", links)
    if given(f["claim_id"]):
        claim = read.facts_of_claim(f["claim_id"])
        st.markdown(f"**The same claim in {ui.count_of(len(claim), 'facts')}** · {f['claim_label'].capitalize()}")
        ui.table(
            claim, ["value_label", "date_label", "source_title", "source_line", "evidence", "fact_id"], "fact_claim"
        )
    st.markdown("**Cite this fact**")
    st.code(fact_citation(f, pkg.build_id, fact_link(fact_id), dt.date.today()), language=None, wrap_lines=True)
    return True
