"""Normalise validated annotations into the rows of each table of the package."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from etl.dates import parse_date
from etl.load import Annotations
from etl.models import Entity, Fact, Rate, Source


def _date(text: str | None):
    return parse_date(text) if text else (None, None)


def _disputed_claims(facts: list[Fact]) -> set[str]:
    """Claims whose facts differ in value, range, unit or date."""
    seen: dict[str, set] = defaultdict(set)
    for f in facts:
        if f.claim:
            seen[f.claim].add((f.value, f.value_high, f.unit, f.date))
    return {claim for claim, variants in seen.items() if len(variants) > 1}


def build_rows(ann: Annotations) -> dict[str, list[dict]]:
    facts: list[Fact] = sorted((f.model for f in ann.facts), key=lambda f: f.id)
    sources: list[Source] = sorted((s.model for s in ann.sources), key=lambda s: s.id)
    entities: list[Entity] = sorted((e.model for e in ann.entities), key=lambda e: e.id)
    rates: list[Rate] = sorted((r.model for r in ann.rates), key=lambda r: r.currency)
    usd = {r.currency: r.usd_per_unit for r in rates} | {"USD": 1.0}
    disputed = _disputed_claims(facts)

    rows: dict[str, list[dict]] = defaultdict(list)
    per_source = Counter(f.source for f in facts)
    per_entity: Counter = Counter()

    country_of = {e.id: e.country for e in entities}
    dates = {f.id: _date(f.date) for f in facts}
    newest_first = sorted(facts, key=lambda f: f.id)
    newest_first.sort(key=lambda f: dates[f.id][0] or dt.date.min, reverse=True)  # stable: ties stay by id
    number = {f.id: n for n, f in enumerate(sorted(newest_first, key=lambda f: dates[f.id][0] is None), 1)}
    for f in facts:
        fact_date, precision = dates[f.id]
        actor = (f.rule.authority if f.rule else None) or (f.entity_action.actor if f.entity_action else None)
        rate = usd.get(f.unit) if f.unit in ann.money_units else None
        named = sorted(set(f.entity_refs()), key=lambda r: (r[0] != "entities", r))
        entity_ids = list(dict.fromkeys(e for _, e in named))
        per_entity.update(entity_ids)
        rows["facts"].append({
            "fact_id": f.id, "fact_no": number[f.id], "kind": f.kind, "topic": f.topic, "title": f.title,
            "fact_date": fact_date, "date_precision": precision,
            "date_basis": f.date_basis, "date_note": f.date_note,
            "value": f.value, "value_high": f.value_high, "unit": f.unit,
            "amount_usd": f.value * rate if rate is not None and f.value is not None else None,
            "amount_usd_high": f.value_high * rate if rate is not None and f.value_high is not None else None,
            "status": f.status, "source_id": f.source, "source_line": f.line, "evidence": f.evidence,
            "entity_ids": entity_ids, "countries": sorted(set(f.countries)),
            "claim_id": f.claim, "is_disputed": f.claim in disputed, "note": f.note,
            "lane_entity_id": actor or (entity_ids[0] if entity_ids else None),
            "lane_country": country_of.get(actor) or (sorted(set(f.countries))[0] if f.countries else None),
        })
        for role, entity_id in dict.fromkeys(named):
            rows["fact_entities"].append({"fact_id": f.id, "fact_no": number[f.id], "entity_id": entity_id, "role": role})
        if f.rule:
            r = f.rule
            rows["rules"].append({
                "fact_id": f.id, "authority_id": r.authority, "rule_name": r.name,
                "announced_date": _date(r.announced)[0], "effective_date": _date(r.effective)[0],
                "controls": r.controls,
            })
        if f.threshold:
            t = f.threshold
            rows["thresholds"].append({
                "fact_id": f.id, "parameter": t.parameter, "comparator": t.comparator,
                "applies_to": t.applies_to, "rule_fact_id": t.rule_fact,
            })
        if f.chip_node:
            c = f.chip_node
            rows["chip_nodes"].append({
                "fact_id": f.id, "company_id": c.company, "product": c.product,
                "metric": c.metric, "lithography": c.lithography,
            })
        if f.funding:
            g = f.funding
            rows["funding"].append({
                "fact_id": f.id, "funder_id": g.funder, "recipient_id": g.recipient,
                "vehicle": g.vehicle, "funding_type": g.funding_type,
            })
        if f.entity_action:
            a = f.entity_action
            rows["entity_actions"].append({
                "fact_id": f.id, "action": a.action, "actor_id": a.actor, "target_id": a.target,
            })

    for s in sources:
        published, precision = _date(s.published)
        rows["sources"].append({
            "source_id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url,
            "published_date": published, "published_precision": precision,
            "published_basis": s.published_basis, "published_note": s.published_note,
            "authors": s.authors, "doc_type": s.doc_type, "corpus_file": s.corpus_file,
            "line_start": s.line_start, "line_end": s.line_end, "fact_count": per_source[s.id],
        })
    for e in entities:
        rows["entities"].append({
            "entity_id": e.id, "name": e.name, "entity_type": e.type, "country": e.country,
            "aliases": e.aliases, "parent_id": e.parent, "fact_count": per_entity[e.id],
        })
        for name, canonical in [(e.name, True), *((a, False) for a in e.aliases)]:
            rows["entity_names"].append({
                "entity_id": e.id, "name": name, "name_folded": name.casefold(), "is_canonical": canonical,
            })
    for r in rates:
        rows["rates"].append({
            "currency": r.currency, "usd_per_unit": r.usd_per_unit, "source_id": r.source,
            "source_line": r.line, "evidence": r.evidence, "note": r.note,
        })
    return rows
