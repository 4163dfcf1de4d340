"""Chip nodes: company against year on one technology track, next to the control thresholds."""

import streamlit as st

from tracker import charts, ui
from tracker.compare import SMALLER_IS_BETTER, years_text

MAX_POINTS = 2000  # beyond this the chart shows each company's best value per year and status
MAX_GAPS = 12  # gap cards shown; the rest are counted

pkg, read, filters = ui.sidebar()
st.title("Chip nodes")
st.caption(
    "How far each company has come on a technology track, by status, with the export-control thresholds "
    "that apply drawn as dashed lines. Solid marks are in mass production (or enacted); hollow ones are "
    "prototypes, plans or claims. A fact dated only to a year is drawn across that year."
)


def track_labels(metrics) -> dict[str, str]:
    """Each technology track ("metric|unit") and its label: "logic node (nm, 40 facts)"."""
    return {
        f"{r.metric}|{r.unit}": f"{r.metric.replace('_', ' ')} ({r.unit}, {ui.count_of(r.fact_count, 'facts')})"
        for r in metrics.itertuples()
    }


def company_names(companies) -> dict[str, str]:
    return dict(zip(companies["company_id"].dropna(), companies["company_name"]))


def gap_cards(facts, gap) -> list[dict]:
    """The first MAX_GAPS gaps, each with its two facts (`behind`, `ahead`) as plain dicts."""
    by_id = facts.set_index("fact_id")
    return [
        row
        | {
            "behind": by_id.loc[row["fact_id"]].to_dict() | {"fact_id": row["fact_id"]},
            "ahead": by_id.loc[row["ahead_fact_id"]].to_dict() | {"fact_id": row["ahead_fact_id"]},
        }
        for row in gap.head(MAX_GAPS).to_dict("records")
    ]


labels = ui.derived(track_labels, read.chip_metrics())
choice = ui.page_choice(
    "chips",
    "metric",
    list(labels) or ["logic_node|nm"],
    "Technology track",
    widget="select",
    format_func=lambda k: labels.get(k, k),
)
metric, unit = choice.split("|")
filters = ui.page_filters("chips", filters, "statuses")


def show_fact(col, fact, role: str) -> None:
    """One side of a gap: the fact, its date and basis, and its citation."""
    basis = {"stated": "date stated in the text", "inferred": "date inferred"}.get(
        fact["date_basis"], fact["date_basis"]
    )
    col.markdown(
        f"**{role}** · {ui.md(fact['company_name'])} reached **{ui.md(fact['value_label'])}** "
        f"in **{ui.md(fact['date_label'])}** ({basis})"
    )
    if fact["date_basis"] == "inferred" and fact["date_note"]:
        col.caption(f"How the date was inferred: {ui.md(fact['date_note'])}")
    col.caption(
        f"“{ui.md(fact['evidence'])}” — {ui.md(fact['source_title'])}, line {int(fact['source_line'])} "
        f"· fact `{fact['fact_id']}`"
    )


def compare(picked: list[str], names: dict[str, str]) -> None:
    """Company gaps in years, each with the two facts it rests on, or why none can be computed."""
    facts, left_out, gap = read.chip_comparison(filters, metric, unit, tuple(picked), tuple(names[i] for i in picked))
    if gap.empty:
        st.info(
            "The evidence is too thin to compute a gap in years: no level that one company demonstrably reached "
            "in mass production before the other, on dates the text gives. Their facts are in the table below.",
            icon="🔎",
        )
    else:
        st.markdown(
            f"**{ui.count_of(len(gap), 'gaps')}** on the first dated evidence of each company. A year-only "
            "date could be any day of that year, so a gap is the range the two dates allow; a range of nodes "
            "counts at its less advanced end."
        )
        for card in ui.derived(gap_cards, facts, gap):
            with st.container(border=True):
                st.markdown(
                    f"#### {ui.md(card['company'])} reached {ui.md(card['level_label'])} or better "
                    f"{years_text(card['years_low'], card['years_high'])} after {ui.md(card['ahead_company'])}"
                )
                for company, n, sooner in (
                    (card["company"], card["behind_left_out"], "the gap may be smaller"),
                    (card["ahead_company"], card["ahead_left_out"], "the gap may be larger"),
                ):
                    if n:
                        st.caption(
                            f"⚠ {ui.count_of(n, 'more facts')} {'says' if n == 1 else 'say'} {ui.md(company)} "
                            "reached this level, without a "
                            f"date the text gives (listed below): {sooner}."
                        )
                left, right = st.columns(2)
                show_fact(left, card["behind"], "Behind")
                show_fact(right, card["ahead"], "Ahead")
        if len(gap) > MAX_GAPS:
            st.caption(f"The first {MAX_GAPS} of {len(gap)} gaps are shown.")
    if not left_out.empty:
        with st.expander(f"{ui.count_of(len(left_out), 'mass-production facts')} left out of the comparison, and why"):
            ui.table(
                left_out,
                [
                    "company_name",
                    "value_label",
                    "date_label",
                    "reason",
                    "title",
                    "source_title",
                    "source_line",
                    "fact_id",
                ],
                "chips_left_out",
                {"reason": st.column_config.TextColumn("Why left out")},
            )
    st.caption(
        f"{ui.count_of(len(facts) - len(left_out), 'mass-production facts')} with dates the text gives can carry a gap."
    )


thresholds = read.thresholds(metric)
on_track = read.chip_nodes(filters, metric, unit).count()
picked: list[str] = []
if on_track == 0:
    ui.empty_state(f"{metric.replace('_', ' ')} facts", filters)
else:
    companies = read.chip_companies(filters, metric, unit)
    names = ui.derived(company_names, companies)
    if on_track <= MAX_POINTS:
        points = read.chip_nodes(filters, metric, unit).page(MAX_POINTS)
    else:
        points = read.chip_best(filters, metric, unit, smaller_is_better=metric in SMALLER_IS_BETTER)
        st.caption(
            f"{on_track:,} facts on this track: each mark is a company's best value in a year at one status, "
            "for the 15 companies with most facts. Narrow the filters to see single facts."
        )
    ui.chart(charts.chip_nodes, points, read.threshold_lines(metric, unit), unit)
    st.subheader("Compare companies")
    ids = list(names)
    picked = ui.page_multi(
        "chips",
        "compare",
        ids,
        "Companies",
        ids[:2],
        format_func=lambda i: names.get(i, i),
        help="The companies with most facts on this track" + (" (the first 200)." if len(ids) >= 200 else "."),
    )
    if len(picked) < 2:
        st.info("Pick two or more companies to compare.")
    else:
        compare(picked, names)
ui.paged_table(
    "chip_nodes",
    pkg,
    filters,
    read.chip_nodes(filters, metric, unit, tuple(picked)),
    [
        "date_label",
        "company_name",
        "value_label",
        "source_title",
        "source_line",
        "status",
        "product",
        "date_basis",
        "lithography",
        "title",
        "claim_label",
        "claim_values",
        "evidence",
        "fact_id",
    ],
    what="chip-node facts",
    in_url=True,
    title="Chip nodes",
)
if not thresholds.empty:
    with st.expander(f"Control thresholds on this track ({len(thresholds)})"):
        ui.table(
            thresholds,
            [
                "date_label",
                "comparator",
                "value_label",
                "applies_to",
                "status",
                "title",
                "source_title",
                "source_line",
                "evidence",
                "fact_id",
            ],
            "chips_thresholds",
            {
                "comparator": st.column_config.TextColumn("Comparator", width="small"),
                "applies_to": st.column_config.TextColumn("Applies to"),
            },
        )
