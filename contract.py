"""The data contract's words and names, declared once: the ETL writes them, the app reads them.

Dependency-free on purpose: etl/ and tracker/ both import it, and neither imports the other's
internals for these. A vocabulary is a Literal type (what annotations may say, checked by
pydantic and mypy) with its values as a tuple beside it (what pages offer and checks accept).
CHANGELOG.md records every change to what is declared here.
"""

from __future__ import annotations

from typing import Literal, get_args

# The public tables' version (the README's data dictionary): add columns freely, never rename or
# drop one without raising it.
SCHEMA_VERSION = 4
# The app's read layout: the tables and columns of the DuckDB store the app queries (etl/store.py).
# Raise it with any change to them; tests/etl/test_layout.py compares the store with its golden copy
# and says so. A running app refuses a package of another layout and says what to run.
LAYOUT_VERSION = 6

STORE = "tracker.duckdb"  # the store beside the Parquet files
MANIFEST = "manifest.json"
# The Parquet tables of a package (the contract) and the store's summaries of them.
TABLES = (
    "facts",
    "sources",
    "entities",
    "entity_names",
    "fact_entities",
    "rules",
    "thresholds",
    "chip_nodes",
    "funding",
    "entity_actions",
    "rates",
    "entity_replacements",
)
SUMMARIES = ("country_counts", "chip_metric_counts", "claims")

Kind = Literal["rule", "event", "threshold", "chip_node", "funding", "entity_action", "statistic"]
Topic = Literal["export_controls", "chips", "funding", "ai", "industrial_policy", "other_policy"]
Status = Literal[
    "enacted",
    "proposed",
    "suggested",
    "rescinded",
    "mass_production",
    "prototype",
    "planned",
    "claimed",
    "reported",
    "estimated",
]
Metric = Literal[
    "logic_node",
    "dram_half_pitch",
    "nand_layers",
    "hbm_generation",
    "transistor_density",
    "memory_bandwidth",
    "io_speed",
    "total_processing_performance",
    "performance_density",
    "accelerator_count",
    "cluster_size",
    "lithography_resolution",
    "wafer_capacity",
    "other",
]
FundingType = Literal["committed", "raised", "subsidy", "plan", "capex", "loan", "valuation", "revenue", "other"]
EntityType = Literal["company", "agency", "government", "fund", "person", "university", "lab", "industry_body", "other"]
DocType = Literal["newsletter_post", "interview_transcript", "report", "news_article", "other"]
Action = Literal[
    "added_to_entity_list",
    "removed_from_entity_list",
    "sanctioned",
    "export_ban",
    "listed",
    "delisted",
    "investigated",
    "stockpiled",
    "acquired",
    "other",
]
Comparator = Literal["<", "<=", ">", ">=", "="]
Lithography = Literal["DUV", "EUV", "other"]
DatePrecision = Literal["day", "month", "quarter", "year"]
DateBasis = Literal["stated", "dateline", "inferred"]
PublishedBasis = Literal["stated", "inferred"]
# How the text hedges a date or a value; kept as data so pages never show more certainty than the source.
DateQualifier = Literal["early", "mid", "late", "by", "before", "after", "around"]
ValueQualifier = Literal["about", "over", "under", "at_least", "up_to"]

KINDS: tuple[str, ...] = get_args(Kind)
TOPICS: tuple[str, ...] = get_args(Topic)
STATUSES: tuple[str, ...] = get_args(Status)
METRICS: tuple[str, ...] = get_args(Metric)
FUNDING_TYPES: tuple[str, ...] = get_args(FundingType)
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)
DOC_TYPES: tuple[str, ...] = get_args(DocType)
ACTIONS: tuple[str, ...] = get_args(Action)
DATE_PRECISIONS: tuple[str, ...] = get_args(DatePrecision)
DATE_BASES: tuple[str, ...] = get_args(DateBasis)
DATE_QUALIFIERS: tuple[str, ...] = get_args(DateQualifier)
VALUE_QUALIFIERS: tuple[str, ...] = get_args(ValueQualifier)

# The statuses a kind may take (kinds not listed take any).
STATUS_BY_KIND: dict[str, frozenset[str]] = {
    "rule": frozenset({"enacted", "proposed", "suggested", "rescinded"}),
    "chip_node": frozenset({"mass_production", "prototype", "planned", "claimed"}),
}
# Funding that is money put in, what the Funding page totals by default (valuations and revenue are not).
MONEY_IN: tuple[str, ...] = ("committed", "raised", "subsidy")
