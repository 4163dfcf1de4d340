"""The Arrow schemas of the data package, declared once.

The columns marked public in the README's data dictionary are a contract: add columns
freely, never rename or drop them. `tests/etl/test_readme.py` keeps the README in sync.
"""

from __future__ import annotations

import pyarrow as pa

from contract import SCHEMA_VERSION  # noqa: F401  (SCHEMA_VERSION: re-exported)
from contract import TABLES as TABLE_NAMES

S = pa.string()
LIST_S = pa.list_(S)


def _schema(*fields: tuple[str, pa.DataType, bool, str]) -> pa.Schema:
    return pa.schema(
        [pa.field(name, typ, nullable=nullable, metadata={"doc": doc}) for name, typ, nullable, doc in fields]
    )


FACTS = _schema(
    ("fact_id", S, False, "stable id of the fact"),
    (
        "fact_no",
        pa.int32(),
        False,
        "position in the default order (newest first, undated last, then by id); changes between builds",
    ),
    ("kind", S, False, "rule, event, threshold, chip_node, funding, entity_action, statistic"),
    ("topic", S, False, "export_controls, chips, funding, ai, industrial_policy, other_policy"),
    ("title", S, False, "short statement of the fact in the annotator's words"),
    ("fact_date", pa.date32(), True, "the date the fact refers to (start of the period)"),
    ("date_precision", S, True, "day, month, quarter or year"),
    ("date_basis", S, True, "stated, dateline or inferred"),
    ("date_note", S, True, "how an inferred date was worked out"),
    ("value", pa.float64(), True, "the key number"),
    ("value_high", pa.float64(), True, "upper end of a range"),
    ("unit", S, True, "unit of value: nm, layers, USD, CNY, percent, ..."),
    ("amount_usd", pa.float64(), True, "money normalised to USD (value times the cited rate)"),
    ("amount_usd_high", pa.float64(), True, "value_high normalised to USD"),
    ("status", S, True, "enacted, proposed, suggested, mass_production, prototype, planned, claimed, ..."),
    ("source_id", S, False, "the source document"),
    ("source_line", pa.int32(), False, "1-based line in the source's corpus file"),
    ("evidence", S, False, "the literal span from that line"),
    ("entity_ids", LIST_S, False, "entities the fact concerns"),
    ("countries", LIST_S, False, "country codes: US, CN, NL, JP, TW, KR, ..."),
    ("claim_id", S, True, "facts stating the same real-world quantity or event share it"),
    (
        "is_disputed",
        pa.bool_(),
        False,
        "true when facts of the same claim give different amounts, or dates whose periods do not meet",
    ),
    ("note", S, True, "annotator's note"),
    (
        "lane_entity_id",
        S,
        True,
        "who acted, for the timeline's lanes: the kind's acting entity (rule authority, action actor, funder, chip company, a threshold's rule authority), else the first entity listed",
    ),
    ("lane_country", S, True, "country of the lane entity; without one, the fact's country when it names only one"),
    ("date_qualifier", S, True, "how the text hedges the date: early, mid, late, by, before, after, around"),
    ("date_end", pa.date32(), True, "the last day of the period fact_date starts (fact_date itself for a day)"),
    ("date_label", S, True, "the date as the text gives it: 2024-12-02, Nov 2025, Q3 2025, 2025, late 2025, by 2027"),
    ("value_qualifier", S, True, "how the text hedges the value: about, over, under, at_least, up_to"),
    (
        "value_label",
        S,
        True,
        "the value as the text gives it, with unit and hedge: over $47.0 B, about 30%, 5–7 nm, HBM3E",
    ),
    ("amount_usd_label", S, True, "amount_usd (to amount_usd_high) with the value's hedge: over $6.61 B"),
)

SOURCES = _schema(
    ("source_id", S, False, "stable id of the document"),
    ("title", S, False, "the document's title"),
    ("publisher", S, False, "who published it"),
    ("url", S, True, "link to the document (http or https)"),
    ("published_date", pa.date32(), True, "publication date (start of the period)"),
    ("published_precision", S, True, "day, month, quarter or year"),
    ("published_label", S, True, "the publication date at its precision: 2024-12-02, Nov 2025, 2025"),
    ("published_basis", S, True, "stated or inferred"),
    ("published_note", S, True, "how an inferred date was worked out"),
    ("authors", LIST_S, False, "authors where given"),
    ("doc_type", S, False, "newsletter_post, interview_transcript, report, news_article, other"),
    ("corpus_file", S, False, "the corpus file holding the document"),
    ("line_start", pa.int32(), False, "first line of the document in its corpus file"),
    ("line_end", pa.int32(), False, "last line of the document"),
    ("fact_count", pa.int32(), False, "facts citing the document"),
)

ENTITIES = _schema(
    ("entity_id", S, False, "stable id"),
    ("name", S, False, "canonical name"),
    ("entity_type", S, False, "company, agency, government, fund, person, university, lab, industry_body, other"),
    ("country", S, True, "country code"),
    ("aliases", LIST_S, False, "other names used in the corpus: Chinese names, tickers, old names"),
    ("parent_id", S, True, "parent entity where known"),
    ("fact_count", pa.int32(), False, "facts naming the entity"),
)

ENTITY_NAMES = _schema(
    ("entity_id", S, False, "the entity"),
    ("name", S, False, "one of its names (canonical or alias)"),
    ("name_folded", S, False, "the name case-folded, for search"),
    ("is_canonical", pa.bool_(), False, "true for the canonical name"),
)

ENTITY_REPLACEMENTS = _schema(
    (
        "old_id",
        S,
        False,
        "an entity id merged into another (the annotations' `replaces:`); never an entity_id of entities",
    ),
    ("entity_id", S, False, "the entity it resolves to: facts, links and searches naming old_id mean this entity"),
)

FACT_ENTITIES = _schema(
    ("fact_id", S, False, "the fact"),
    ("fact_no", pa.int32(), False, "the fact's fact_no"),
    ("entity_id", S, False, "an entity it names"),
    ("role", S, False, "where the fact names it: entities, rule.authority, chip_node.company, funding.funder, ..."),
)

RULES = _schema(
    ("fact_id", S, False, "the rule fact"),
    ("authority_id", S, True, "the issuing entity"),
    ("rule_name", S, True, "name of the rule"),
    ("announced_date", pa.date32(), True, "when it was announced"),
    ("effective_date", pa.date32(), True, "when it takes effect"),
    ("controls", S, True, "what it controls"),
    ("announced_label", S, True, "announced_date at its precision: 2024-12-02, Dec 2024, 2024"),
    ("effective_label", S, True, "effective_date at its precision"),
)

THRESHOLDS = _schema(
    ("fact_id", S, False, "the threshold fact"),
    ("parameter", S, False, "logic_node, dram_half_pitch, nand_layers, hbm_generation, ..."),
    ("comparator", S, False, "<, <=, >, >=, ="),
    ("applies_to", S, True, "what the threshold applies to"),
    ("rule_fact_id", S, True, "the rule that set it"),
)

CHIP_NODES = _schema(
    ("fact_id", S, False, "the chip_node fact"),
    ("company_id", S, True, "the company; empty for a national effort no single company is named for"),
    ("product", S, True, "product or process name"),
    ("metric", S, False, "logic_node, dram_half_pitch, nand_layers, hbm_generation, ..."),
    ("lithography", S, True, "DUV, EUV or other"),
)

FUNDING = _schema(
    ("fact_id", S, False, "the funding fact"),
    ("funder_id", S, True, "who pays"),
    ("recipient_id", S, True, "who receives"),
    ("vehicle", S, True, "fund, programme or round"),
    ("funding_type", S, False, "committed, raised, valuation, plan, subsidy, capex, revenue, loan, other"),
)

ENTITY_ACTIONS = _schema(
    ("fact_id", S, False, "the entity_action fact"),
    ("action", S, False, "added_to_entity_list, sanctioned, listed, stockpiled, ..."),
    ("actor_id", S, True, "who acted"),
    ("target_id", S, True, "who was acted on"),
)

RATES = _schema(
    ("currency", S, False, "ISO 4217 code"),
    ("usd_per_unit", pa.float64(), False, "US dollars per unit of the currency"),
    ("source_id", S, True, "the source stating the rate"),
    ("source_line", pa.int32(), True, "line of the source"),
    ("evidence", S, True, "the literal span"),
    ("note", S, True, "where a rate without a corpus citation comes from"),
)

TABLES: dict[str, pa.Schema] = {
    "facts": FACTS,
    "sources": SOURCES,
    "entities": ENTITIES,
    "entity_names": ENTITY_NAMES,
    "entity_replacements": ENTITY_REPLACEMENTS,
    "fact_entities": FACT_ENTITIES,
    "rules": RULES,
    "thresholds": THRESHOLDS,
    "chip_nodes": CHIP_NODES,
    "funding": FUNDING,
    "entity_actions": ENTITY_ACTIONS,
    "rates": RATES,
}

assert set(TABLES) == set(TABLE_NAMES), "contract.TABLES names the package's tables"
