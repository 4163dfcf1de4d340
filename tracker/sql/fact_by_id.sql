-- one row: a fact in full, with every field the contract holds for it (its kind's too), its source
-- and, for money, the rate it was converted at
select
    f.fact_id,
    f.kind,
    f.topic,
    f.title,
    f.fact_date,
    f.date_end,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.date_note,
    f.value,
    f.value_high,
    f.value_qualifier,
    f.unit,
    f.value_label,
    f.amount_usd,
    f.amount_usd_high,
    f.amount_usd_label,
    f.status,
    f.countries,
    f.claim_id,
    f.is_disputed,
    claim.claim_label,
    f.note,
    f.lane_country,
    lane.name as lane_name,
    f.source_id,
    f.source_line,
    f.evidence,
    s.title as source_title,
    s.publisher as source_publisher,
    s.published_label as source_published_label,
    s.published_basis as source_published_basis,
    s.url as source_url,
    s.authors as source_authors,
    s.corpus_file,
    r.rule_name,
    authority.name as rule_authority,
    r.announced_label,
    r.effective_label,
    r.controls,
    t.parameter as threshold_parameter,
    t.comparator as threshold_comparator,
    t.applies_to as threshold_applies_to,
    t.rule_fact_id as threshold_rule_fact_id,
    rule_fact.title as threshold_rule_title,
    c.product as chip_product,
    c.metric as chip_metric,
    c.lithography as chip_lithography,
    company.name as chip_company,
    g.vehicle as funding_vehicle,
    g.funding_type,
    funder.name as funding_funder,
    recipient.name as funding_recipient,
    rate.usd_per_unit as rate_usd_per_unit,
    rate.source_id as rate_source_id,
    rate.source_line as rate_source_line,
    rate.evidence as rate_evidence,
    rate.note as rate_note,
    a.action as action,
    actor.name as action_actor,
    target.name as action_target
from facts as f
join sources as s on s.source_id = f.source_id
left join entities as lane on lane.entity_id = f.lane_entity_id
left join rules as r on r.fact_no = f.fact_no
left join entities as authority on authority.entity_id = r.authority_id
left join thresholds as t on t.fact_no = f.fact_no
left join facts as rule_fact on rule_fact.fact_id = t.rule_fact_id
left join chip_nodes as c on c.fact_no = f.fact_no
left join entities as company on company.entity_id = c.company_id
left join funding as g on g.fact_no = f.fact_no
left join entities as funder on funder.entity_id = g.funder_id
left join entities as recipient on recipient.entity_id = g.recipient_id
left join rates as rate on rate.currency = f.unit
left join entity_actions as a on a.fact_no = f.fact_no
left join claims as claim on claim.claim_id = f.claim_id
left join entities as actor on actor.entity_id = a.actor_id
left join entities as target on target.entity_id = a.target_id
where f.fact_id = $fact_id
