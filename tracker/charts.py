"""Charts as pure functions: a DataFrame in, an Altair chart out (tested via .to_dict())."""
from __future__ import annotations

import altair as alt
import pandas as pd

KIND_COLORS = {
    "rule": "#1f77b4", "entity_action": "#d62728", "event": "#7f7f7f", "threshold": "#9467bd",
    "chip_node": "#2ca02c", "funding": "#ff7f0e", "statistic": "#8c564b",
}
STATUS_SHAPES = {
    "enacted": "circle", "proposed": "triangle-up", "suggested": "diamond", "rescinded": "cross",
    "mass_production": "circle", "prototype": "triangle-up", "planned": "square", "claimed": "diamond",
    "reported": "circle", "estimated": "square",
}
BRUSH = "period"


def _status_shape(data: pd.DataFrame) -> alt.Shape:
    present = set(data["status_label"])
    domain = [s for s in [*STATUS_SHAPES, "unstated"] if s in present]
    shapes = {**STATUS_SHAPES, "unstated": "triangle-down"}
    return alt.Shape("status_label:N", title="Status",
                     scale=alt.Scale(domain=domain, range=[shapes[s] for s in domain]))


def _labels(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["status_label"] = out["status"].fillna("unstated") if "status" in out else "unstated"
    if "date_basis" in out:
        out["date_label"] = out["fact_date"].dt.strftime("%Y-%m-%d") + out["date_basis"].map(
            lambda b: " (inferred)" if b == "inferred" else "").fillna("")
    return out


def timeline(df: pd.DataFrame, lane: str) -> alt.Chart:
    """One point per fact and lane; brushing the x axis selects a period."""
    data = _labels(df[df["fact_date"].notna()])
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    return (
        alt.Chart(data)
        .mark_point(filled=True, size=90, opacity=0.85)
        .encode(
            x=alt.X("fact_date:T", title=None, axis=alt.Axis(format="%Y", labelOverlap=True, tickCount="year"),
                  scale=alt.Scale(nice="year")),  # room for a mark on the last day
            y=alt.Y(f"{lane}:N", title=None, axis=alt.Axis(labelLimit=200),
                    sort=alt.EncodingSortField(field="fact_id", op="count", order="descending")),
            color=alt.Color("kind:N", title="Kind", scale=alt.Scale(domain=list(KIND_COLORS), range=list(KIND_COLORS.values()))),
            shape=_status_shape(data),
            tooltip=[alt.Tooltip("title:N", title="Fact"), alt.Tooltip("date_label:N", title="Date"),
                     alt.Tooltip("kind:N"), alt.Tooltip("status_label:N", title="Status"),
                     alt.Tooltip("source_title:N", title="Source"), alt.Tooltip("source_line:Q", title="Line")],
        )
        .add_params(brush)
        .properties(height=alt.Step(30), width="container")
        .configure_legend(orient="bottom", direction="horizontal", columns=4)  # room for the axis on a phone
    )


def timeline_density(df: pd.DataFrame, lane: str, bin: str) -> alt.Chart:
    """A heat map of facts per period and lane, for views too large to draw one mark per fact;
    brushing the x axis selects a period, as on the per-fact chart."""
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    period = {"month": "%Y-%m", "quarter": "%Y-%m", "year": "%Y"}[bin]
    return (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("fact_date:T", title=None, axis=alt.Axis(format="%Y", labelOverlap=True, tickCount="year"),
                  scale=alt.Scale(nice="year")),  # room for a mark on the last day
            x2="period_end:T",
            y=alt.Y("lane:N", title=None, axis=alt.Axis(labelLimit=200),
                    sort=alt.EncodingSortField(field="fact_count", op="sum", order="descending")),
            color=alt.Color("fact_count:Q", title=f"Facts per {bin}", scale=alt.Scale(scheme="blues")),
            tooltip=[alt.Tooltip("lane:N", title=lane.capitalize()),
                     alt.Tooltip("fact_date:T", title=bin.capitalize(), format=period),
                     alt.Tooltip("fact_count:Q", title="Facts", format=","),
                     alt.Tooltip("rules:Q", title="of which rules", format=",")],
        )
        .add_params(brush)
        .properties(height=alt.Step(20), width="container")
        .configure_legend(orient="bottom", direction="horizontal")
    )


def chip_nodes(nodes: pd.DataFrame, thresholds: pd.DataFrame, unit: str) -> alt.LayerChart:
    """Company against year on one metric, with the control thresholds drawn as lines."""
    data = _labels(nodes[nodes["fact_date"].notna() & nodes["value"].notna()])
    scale = alt.Scale(reverse=unit == "nm", zero=False, nice=True)
    if "fact_count" in data:  # one mark per company, status and year (see chip_best.sql)
        tooltip = [alt.Tooltip("company_name:N", title="Company"), alt.Tooltip("value:Q", title="Best value"),
                   alt.Tooltip("status_label:N", title="Status"), alt.Tooltip("year(fact_date):T", title="Year"),
                   alt.Tooltip("fact_count:Q", title="Facts")]
    else:
        tooltip = [alt.Tooltip("company_name:N", title="Company"), alt.Tooltip("product:N"),
                   alt.Tooltip("value:Q"), alt.Tooltip("status_label:N", title="Status"),
                   alt.Tooltip("date_label:N", title="Date"), alt.Tooltip("title:N", title="Fact"),
                   alt.Tooltip("source_title:N", title="Source"), alt.Tooltip("source_line:Q", title="Line")]
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=140, opacity=0.9)
        .encode(
            x=alt.X("fact_date:T", title="Date", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("value:Q", title=f"{unit} (better ↑)" if unit == "nm" else unit, scale=scale),
            color=alt.Color("company_name:N", title="Company", legend=alt.Legend(labelLimit=220)),
            shape=_status_shape(data),
            tooltip=tooltip,
        )
    )
    layers = [points]
    if not thresholds.empty:
        lines = thresholds.assign(label=thresholds["comparator"] + " " + thresholds["value"].map("{:g}".format)
                                  + " " + thresholds["unit"].fillna("") + ": " + thresholds["applies_to"].fillna(""))
        rule = alt.Chart(lines).mark_rule(strokeDash=[6, 4], color="#b22222").encode(
            y="value:Q", tooltip=[alt.Tooltip("label:N", title="Control threshold"), alt.Tooltip("title:N", title="Fact"),
                                  alt.Tooltip("source_title:N", title="Source")])
        text = alt.Chart(lines).mark_text(align="left", dx=4, dy=-6, color="#b22222", fontSize=11).encode(
            y="value:Q", x=alt.value(0), text="label:N")
        layers += [rule, text]
    return (alt.layer(*layers).properties(height=380, width="container")
            .configure_legend(orient="bottom", direction="horizontal", columns=3, labelLimit=160))


def funding_totals(totals: pd.DataFrame, group: str) -> alt.Chart:
    """Bars of USD totals per group (funder, country or year)."""
    return (
        alt.Chart(totals)
        .mark_bar()
        .encode(
            x=alt.X("total_usd:Q", title="USD billions (linked claims counted once)",
                    axis=alt.Axis(labelExpr="format(datum.value / 1e9, ',.0f') + ' B'")),
            y=alt.Y("group_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=240)),
            tooltip=[alt.Tooltip("group_label:N", title=group.capitalize()),
                     alt.Tooltip("total_usd:Q", title="Total USD", format=",.0f"),
                     alt.Tooltip("fact_count:Q", title="Facts")],
        )
        .properties(height=alt.Step(22), width="container")
    )


def entity_timeline(density: pd.DataFrame) -> alt.Chart:
    """A small strip of an entity's dated facts per month, coloured by kind."""
    return (
        alt.Chart(density)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(fact_date):T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("sum(fact_count):Q", title="Facts", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("kind:N", title="Kind", scale=alt.Scale(domain=list(KIND_COLORS), range=list(KIND_COLORS.values()))),
            tooltip=[alt.Tooltip("yearmonth(fact_date):T", title="Month", format="%Y-%m"), alt.Tooltip("kind:N"),
                     alt.Tooltip("sum(fact_count):Q", title="Facts")],
        )
        .properties(height=90, width="container")
    )
