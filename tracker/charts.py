"""Charts as pure functions: a DataFrame in, an Altair chart out (tested via .to_dict())."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from etl.labels import HBM_NAMES

KIND_COLORS = {
    "rule": "#1f77b4",
    "entity_action": "#d62728",
    "event": "#7f7f7f",
    "threshold": "#9467bd",
    "chip_node": "#2ca02c",
    "funding": "#ff7f0e",
    "statistic": "#8c564b",
}
# One mark per status, all distinct: what was done (enacted, in mass production) is drawn solid,
# what was only said, planned or estimated is drawn hollow, so a claim never looks like a fact.
HEXAGON = "M-1,0L-0.5,-0.87L0.5,-0.87L1,0L0.5,0.87L-0.5,0.87Z"
STAR = "M0,-1L0.24,-0.31L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.38L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.31Z"
STATUS_SHAPES = {
    "enacted": "square",
    "proposed": "triangle-up",
    "suggested": "triangle-left",
    "rescinded": "cross",
    "mass_production": "diamond",
    "prototype": "triangle-down",
    "planned": "triangle-right",
    "claimed": STAR,
    "reported": HEXAGON,
    "estimated": "wedge",
    "unstated": "circle",
}
SOLID = {"enacted", "mass_production", "rescinded", "unstated"}
BRUSH = "period"
WORDS = "replace(datum.label, '_', ' ')"  # mass_production -> mass production in legends
SPAN_OPACITY = 0.25
# Legends below the chart, each a column: side by side they fit an 800 px screen, where rows of
# entries ran past the chart's edge and lost statuses.
LEGENDS: dict[str, Any] = {"orient": "bottom", "direction": "vertical", "labelLimit": 180}


def _status_shape(data: pd.DataFrame) -> alt.Shape:
    present = set(data["status_label"])
    domain = [s for s in STATUS_SHAPES if s in present]
    return alt.Shape(
        "status_label:N",
        title="Status",
        legend=alt.Legend(labelExpr=WORDS),
        scale=alt.Scale(domain=domain, range=[STATUS_SHAPES[s] for s in domain]),
    )


def _marks(data: pd.DataFrame, size: int, **encodings) -> list[alt.Chart]:
    """Two layers of the same marks over the layer's one dataset: solid for what was done (enacted,
    in mass production), hollow for what was only said, planned or estimated."""
    shape = _status_shape(data)
    return [
        alt.Chart()
        .transform_filter("datum.is_solid")
        .mark_point(filled=True, size=size, opacity=0.9)
        .encode(shape=shape, **encodings),
        alt.Chart()
        .transform_filter("!datum.is_solid")
        .mark_point(filled=False, size=size, strokeWidth=2, opacity=0.95)
        .encode(shape=shape, **encodings),
    ]


def _labels(df: pd.DataFrame) -> pd.DataFrame:
    """Chart columns: the status in words, the date as the text gives it, and for a date of month,
    quarter or year precision its whole period (`span_start`–`span_end`) with the mark at its middle
    (`when`), so "2025" is drawn across 2025 and never as a point on 1 January."""
    out = df.copy()
    out["status_label"] = out["status"].fillna("unstated") if "status" in out else "unstated"
    out["is_solid"] = out["status_label"].isin(SOLID)
    out["span_start"] = pd.to_datetime(out["fact_date"])
    out["span_end"] = pd.to_datetime(out["date_end"]) if "date_end" in out else out["span_start"]
    out["when"] = out["span_start"] + (out["span_end"] - out["span_start"]) / 2
    out["is_period"] = out["span_end"] > out["span_start"]
    if "date_label" in out:
        basis = (
            out["date_basis"]
            .map(lambda b: " (inferred)" if b == "inferred" else " (article date)" if b == "dateline" else "")
            .fillna("")
            if "date_basis" in out
            else ""
        )
        out["date_label"] = out["date_label"].fillna("undated") + basis
    return out


def _time_axis(title: str | None = None) -> alt.X:
    return alt.X(
        "when:T",
        title=title,
        axis=alt.Axis(format="%Y", labelOverlap=True, tickCount="year"),
        scale=alt.Scale(nice="year"),
    )  # room for a mark on the last day


def _spans(y: alt.Y, color: alt.Color) -> alt.Chart:
    """A translucent bar across the period of each fact dated to a month, quarter or year."""
    return (
        alt.Chart()
        .transform_filter("datum.is_period")
        .mark_rule(strokeWidth=9, opacity=SPAN_OPACITY, strokeCap="round")
        .encode(x=alt.X("span_start:T"), x2="span_end:T", y=y, color=color)
    )


def timeline(df: pd.DataFrame, lane: str) -> alt.LayerChart:
    """One mark per fact and lane, a bar across the period of a fact dated to a month, quarter or
    year; brushing the x axis selects a period."""
    data = _labels(df[df["fact_date"].notna()])
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    y = alt.Y(
        f"{lane}:N",
        title=None,
        axis=alt.Axis(labelLimit=200),
        sort=alt.EncodingSortField(field="fact_id", op="count", order="descending"),
    )
    present = [k for k in KIND_COLORS if k in set(data["kind"])]  # the legend lists what is drawn
    kinds = alt.Scale(domain=present, range=[KIND_COLORS[k] for k in present])
    color = alt.Color("kind:N", title="Kind", scale=kinds, legend=alt.Legend(symbolOpacity=1, labelExpr=WORDS))
    solid, hollow = _marks(
        data,
        90,
        x=_time_axis(),
        y=y,
        color=color,
        tooltip=[
            alt.Tooltip("title:N", title="Fact"),
            alt.Tooltip("date_label:N", title="Date"),
            alt.Tooltip("value_label:N", title="Value"),
            alt.Tooltip("kind:N", title="Kind"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("source_title:N", title="Source"),
            alt.Tooltip("source_line:Q", title="Line"),
        ],
    )
    return (
        alt.layer(_spans(y, color), solid.add_params(brush), hollow, data=data)
        .properties(height=alt.Step(30), width="container")
        .configure_legend(**LEGENDS)
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
            x=alt.X(
                "fact_date:T",
                title=None,
                axis=alt.Axis(format="%Y", labelOverlap=True, tickCount="year"),
                scale=alt.Scale(nice="year"),
            ),  # room for a mark on the last day
            x2="period_end:T",
            y=alt.Y(
                "lane:N",
                title=None,
                axis=alt.Axis(labelLimit=200),
                sort=alt.EncodingSortField(field="fact_count", op="sum", order="descending"),
            ),
            color=alt.Color("fact_count:Q", title=f"Facts per {bin}", scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("lane:N", title=lane.capitalize()),
                alt.Tooltip("fact_date:T", title=bin.capitalize(), format=period),
                alt.Tooltip("fact_count:Q", title="Facts", format=","),
                alt.Tooltip("rules:Q", title="of which rules", format=","),
            ],
        )
        .add_params(brush)
        .properties(height=alt.Step(20), width="container")
        .configure_legend(orient="bottom", direction="horizontal")
    )


LOG_UNITS = {"nm"}  # nodes and half-pitches shrink by halves: 28, 14, 7, 5, 3 nm spread out on a log axis


def _value_axis(unit: str, values: pd.Series) -> alt.Y:
    if unit == "hbm_gen":
        ticks = sorted(HBM_NAMES)
        names = " : ".join(f"datum.value == {v} ? '{HBM_NAMES[v]}'" for v in ticks)
        return alt.Y(
            "value:Q",
            title="HBM generation",
            scale=alt.Scale(zero=False),
            axis=alt.Axis(values=ticks, labelExpr=f"{names} : ''"),
        )
    if unit in LOG_UNITS:
        return alt.Y(
            "value:Q",
            title=f"{unit}, log scale (better ↑)",
            scale=alt.Scale(type="log", reverse=True),
            axis=alt.Axis(
                labelOverlap=False,
                values=[
                    v
                    for v in (1, 2, 3, 5, 7, 14, 28, 65, 130, 250)
                    if values.empty or values.min() / 2 <= v <= values.max() * 2
                ],
            ),
        )
    return alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False, nice=True))


def chip_nodes(nodes: pd.DataFrame, thresholds: pd.DataFrame, unit: str) -> alt.LayerChart:
    """Company against year on one metric, with the control thresholds drawn as lines."""
    data = _labels(nodes[nodes["fact_date"].notna() & nodes["value"].notna()])
    y = _value_axis(unit, data["value"])
    color = alt.Color(
        "company_name:N",
        title="Company",
        scale=alt.Scale(scheme="tableau10"),
        legend=alt.Legend(labelLimit=220, symbolOpacity=1),
    )
    if "fact_count" in data:  # one mark per company, status and year (see chip_best.sql)
        tooltip = [
            alt.Tooltip("company_name:N", title="Company"),
            alt.Tooltip("value:Q", title="Best value"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("year(fact_date):T", title="Year"),
            alt.Tooltip("fact_count:Q", title="Facts"),
        ]
    else:
        tooltip = [
            alt.Tooltip("company_name:N", title="Company"),
            alt.Tooltip("product:N", title="Product"),
            alt.Tooltip("value_label:N", title="Value"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("date_label:N", title="Date"),
            alt.Tooltip("title:N", title="Fact"),
            alt.Tooltip("source_title:N", title="Source"),
            alt.Tooltip("source_line:Q", title="Line"),
        ]
    layers = [_spans(y, color), *_marks(data, 140, x=_time_axis("Date"), y=y, color=color, tooltip=tooltip)]
    if not thresholds.empty:
        lines = thresholds.assign(
            label=thresholds["comparator"]
            + " "
            + thresholds["value_label"].fillna("")
            + ": "
            + thresholds["applies_to"].fillna("")
        )
        rule = (
            alt.Chart(lines)
            .mark_rule(strokeDash=[6, 4], color="#b22222")
            .encode(
                y=alt.Y("value:Q"),
                tooltip=[
                    alt.Tooltip("label:N", title="Control threshold"),
                    alt.Tooltip("title:N", title="Fact"),
                    alt.Tooltip("source_title:N", title="Source"),
                ],
            )
        )
        text = (
            alt.Chart(lines)
            .mark_text(align="left", dx=4, dy=-6, color="#b22222", fontSize=11)
            .encode(y=alt.Y("value:Q"), x=alt.value(0), text="label:N")
        )
        layers += [rule, text]
    return alt.layer(*layers, data=data).properties(height=380, width="container").configure_legend(**LEGENDS)


def funding_totals(totals: pd.DataFrame, group: str, most: int | None = None) -> alt.Chart:
    """Bars of USD totals per group (funder, country or year); with `most`, the first `most` groups."""
    return (
        alt.Chart(totals.head(most) if most else totals)
        .mark_bar()
        .encode(
            x=alt.X(
                "total_usd:Q",
                title=["USD billions", "(linked claims counted once)"],  # two lines: one is cut at 800 px
                axis=alt.Axis(labelExpr="format(datum.value / 1e9, ',.0f') + ' B'"),
            ),
            y=alt.Y("group_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=240)),
            tooltip=[
                alt.Tooltip("group_label:N", title=group.capitalize()),
                alt.Tooltip("total_label:N", title="Total USD"),
                alt.Tooltip("fact_count:Q", title="Facts"),
                alt.Tooltip("floors:Q", title="of which floors (over, at least, low end of a range)"),
                alt.Tooltip("ceilings:Q", title="of which ceilings (under, up to)"),
                alt.Tooltip("approximate:Q", title="of which approximate"),
            ],
        )
        .properties(height=alt.Step(22), width="container")
    )


# The legend beside the strip lists every kind, 18-20 px a line under its title: at 90 px it showed
# three of the six kinds and cut the rest.
STRIP_HEIGHT = 20 * (len(KIND_COLORS) + 1)


def entity_timeline(density: pd.DataFrame) -> alt.Chart:
    """A small strip of an entity's dated facts per year, coloured by kind."""
    return (
        alt.Chart(density)
        .mark_bar()
        .encode(
            x=alt.X("year(fact_date):O", title=None),
            y=alt.Y("sum(fact_count):Q", title="Facts", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "kind:N",
                title="Kind",
                scale=alt.Scale(domain=list(KIND_COLORS), range=list(KIND_COLORS.values())),
                legend=alt.Legend(labelExpr=WORDS),
            ),
            tooltip=[
                alt.Tooltip("year(fact_date):O", title="Year"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("sum(fact_count):Q", title="Facts"),
            ],
        )
        .properties(height=STRIP_HEIGHT, width="container")
    )
