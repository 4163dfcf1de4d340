"""Normalise validated annotations into the rows of each table of the package."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from etl.dates import parse_date
from etl.labels import date_label, period_end, value_label
from etl.load import Annotations
from etl.models import ENTITY_FIELDS, KIND_BLOCKS, Entity, Fact, Rate, Source


def _date(text: str | None):
    return parse_date(text) if text else (None, None)


def _amount(f: Fact, usd: dict[str, float]) -> tuple | None:
    """What a fact says a quantity is, comparable across facts: money in USD to three significant
    figures (so CNY 344 B at the cited rate and $47.5 B are one amount), other units as written."""
    if f.value is None:
        return None
    high = f.value_high if f.value_high is not None else f.value
    if f.unit in usd:
        return ("money", *(float(f"{v * usd[f.unit]:.3g}") for v in (f.value, high)))
    return (f.unit, f.value, high)


def _period(f: Fact) -> tuple[dt.date, dt.date] | None:
    if not f.date:
        return None
    start, precision = parse_date(f.date)
    return start, period_end(start, precision)


def _disputed_claims(facts: list[Fact], usd: dict[str, float]) -> set[str]:
    """Claims whose facts disagree: two different amounts, or two dates whose periods do not meet.
    A fact that gives no value or no date disagrees with nothing; "2024-02" and "2024-02-28" agree
    (the month holds the day); a hedge ("over", "about") on the same number is no disagreement."""
    by_claim: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.claim:
            by_claim[f.claim].append(f)
    disputed = set()
    for claim, members in by_claim.items():
        amounts = {a for a in (_amount(f, usd) for f in members) if a is not None}
        periods = [p for p in (_period(f) for f in members) if p is not None]
        apart = any(a[1] < b[0] or b[1] < a[0] for i, a in enumerate(periods) for b in periods[i + 1 :])
        if len(amounts) > 1 or apart:
            disputed.add(claim)
    return disputed


def _usd(value: float | None, rate: float | None) -> float | None:
    """Money in USD to the cent: a rate times an amount leaves float noise (8408400000.000001)."""
    return round(value * rate, 2) if rate is not None and value is not None else None


def _actor(f: Fact, authority_of: dict[str, str | None]) -> str | None:
    """Who acted, for the timeline's lanes (the README's "How to read the numbers" states the rule):
    the kind block's acting field; a threshold's rule's authority; else the first entity listed."""
    acting = (
        (f.rule.authority if f.rule else None)
        or (f.entity_action.actor if f.entity_action else None)
        or (f.funding.funder if f.funding else None)
        or (f.chip_node.company if f.chip_node else None)
        or (authority_of.get(f.threshold.rule_fact) if f.threshold and f.threshold.rule_fact else None)
    )
    return acting or (f.entities[0] if f.entities else None)


def _resolved(f: Fact, replaced_by: dict[str, str]) -> Fact:
    """The fact with every merged entity id (an entity's `replaces:`) swapped for the entity's own."""
    if not any(ref in replaced_by for _, ref in f.entity_refs()):
        return f
    update: dict = {"entities": [replaced_by.get(e, e) for e in f.entities]}
    block = getattr(f, f.kind, None) if f.kind in KIND_BLOCKS else None
    if block is not None:
        update[f.kind] = block.model_copy(
            update={
                name: replaced_by.get(getattr(block, name), getattr(block, name))
                for name in ENTITY_FIELDS.get(f.kind, ())
            }
        )
    return f.model_copy(update=update)


def build_rows(ann: Annotations) -> dict[str, list[dict]]:
    entities: list[Entity] = sorted((e.model for e in ann.entities), key=lambda e: e.id)
    replaced_by = {old: e.id for e in entities for old in e.replaces}
    facts: list[Fact] = sorted((_resolved(f.model, replaced_by) for f in ann.facts), key=lambda f: f.id)
    sources: list[Source] = sorted((s.model for s in ann.sources), key=lambda s: s.id)
    rates: list[Rate] = sorted((r.model for r in ann.rates), key=lambda r: r.currency)
    usd = {r.currency: r.usd_per_unit for r in rates} | {"USD": 1.0}
    disputed = _disputed_claims(facts, usd)

    rows: dict[str, list[dict]] = defaultdict(list)
    per_source = Counter(f.source for f in facts)
    per_entity: Counter = Counter()

    country_of = {e.id: e.country for e in entities}
    authority_of = {f.id: f.rule.authority for f in facts if f.rule}
    dates = {f.id: _date(f.date) for f in facts}
    newest_first = sorted(facts, key=lambda f: f.id)
    newest_first.sort(key=lambda f: dates[f.id][0] or dt.date.min, reverse=True)  # stable: ties stay by id
    number = {f.id: n for n, f in enumerate(sorted(newest_first, key=lambda f: dates[f.id][0] is None), 1)}
    for f in facts:
        fact_date, precision = dates[f.id]
        actor = _actor(f, authority_of)
        rate = usd.get(f.unit) if f.unit in ann.money_units else None
        named = list(dict.fromkeys(f.entity_refs()))  # as the annotator listed them: the actor first
        entity_ids = list(dict.fromkeys(e for _, e in named))
        amount_usd, amount_usd_high = _usd(f.value, rate), _usd(f.value_high, rate)
        countries = sorted(set(f.countries))
        per_entity.update(entity_ids)
        rows["facts"].append(
            {
                "fact_id": f.id,
                "fact_no": number[f.id],
                "kind": f.kind,
                "topic": f.topic,
                "title": f.title,
                "fact_date": fact_date,
                "date_precision": precision,
                "date_basis": f.date_basis,
                "date_note": f.date_note,
                "value": f.value,
                "value_high": f.value_high,
                "unit": f.unit,
                "amount_usd": amount_usd,
                "amount_usd_high": amount_usd_high,
                "status": f.status,
                "source_id": f.source,
                "source_line": f.line,
                "evidence": f.evidence,
                "entity_ids": entity_ids,
                "countries": countries,
                "claim_id": f.claim,
                "is_disputed": f.claim in disputed,
                "note": f.note,
                "lane_entity_id": actor,
                "lane_country": (country_of.get(actor) if actor else None)
                or (countries[0] if len(countries) == 1 else None),
                "date_qualifier": f.date_qualifier,
                "date_end": period_end(fact_date, precision) if fact_date else None,
                "date_label": date_label(fact_date, precision, f.date_qualifier),
                "value_qualifier": f.value_qualifier,
                "value_label": value_label(f.value, f.value_high, f.unit, f.value_qualifier, ann.money_units),
                "amount_usd_label": value_label(amount_usd, amount_usd_high, "USD", f.value_qualifier, {"USD"})
                if amount_usd is not None
                else None,
            }
        )
        for role, entity_id in dict.fromkeys(named):
            rows["fact_entities"].append(
                {"fact_id": f.id, "fact_no": number[f.id], "entity_id": entity_id, "role": role}
            )
        if f.rule:
            r = f.rule
            rows["rules"].append(
                {
                    "fact_id": f.id,
                    "authority_id": r.authority,
                    "rule_name": r.name,
                    "announced_date": _date(r.announced)[0],
                    "effective_date": _date(r.effective)[0],
                    "announced_label": date_label(*_date(r.announced)),
                    "effective_label": date_label(*_date(r.effective)),
                    "controls": r.controls,
                }
            )
        if f.threshold:
            t = f.threshold
            rows["thresholds"].append(
                {
                    "fact_id": f.id,
                    "parameter": t.parameter,
                    "comparator": t.comparator,
                    "applies_to": t.applies_to,
                    "rule_fact_id": t.rule_fact,
                }
            )
        if f.chip_node:
            c = f.chip_node
            rows["chip_nodes"].append(
                {
                    "fact_id": f.id,
                    "company_id": c.company,
                    "product": c.product,
                    "metric": c.metric,
                    "lithography": c.lithography,
                }
            )
        if f.funding:
            g = f.funding
            rows["funding"].append(
                {
                    "fact_id": f.id,
                    "funder_id": g.funder,
                    "recipient_id": g.recipient,
                    "vehicle": g.vehicle,
                    "funding_type": g.funding_type,
                }
            )
        if f.entity_action:
            a = f.entity_action
            rows["entity_actions"].append(
                {
                    "fact_id": f.id,
                    "action": a.action,
                    "actor_id": a.actor,
                    "target_id": a.target,
                }
            )

    for s in sources:
        published, precision = _date(s.published)
        rows["sources"].append(
            {
                "source_id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "published_date": published,
                "published_precision": precision,
                "published_label": date_label(published, precision),
                "published_basis": s.published_basis,
                "published_note": s.published_note,
                "authors": s.authors,
                "doc_type": s.doc_type,
                "corpus_file": s.corpus_file,
                "line_start": s.line_start,
                "line_end": s.line_end,
                "fact_count": per_source[s.id],
            }
        )
    for e in entities:
        rows["entities"].append(
            {
                "entity_id": e.id,
                "name": e.name,
                "entity_type": e.type,
                "country": e.country,
                "aliases": e.aliases,
                "parent_id": replaced_by.get(e.parent, e.parent) if e.parent else None,
                "fact_count": per_entity[e.id],
            }
        )
        for old in sorted(e.replaces):
            rows["entity_replacements"].append({"old_id": old, "entity_id": e.id})
        for name, canonical in [(e.name, True), *((a, False) for a in e.aliases)]:
            rows["entity_names"].append(
                {
                    "entity_id": e.id,
                    "name": name,
                    "name_folded": name.casefold(),
                    "is_canonical": canonical,
                }
            )
    for cited in rates:
        rows["rates"].append(
            {
                "currency": cited.currency,
                "usd_per_unit": cited.usd_per_unit,
                "source_id": cited.source,
                "source_line": cited.line,
                "evidence": cited.evidence,
                "note": cited.note,
            }
        )
    return rows
