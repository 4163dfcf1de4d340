-- one row per funding fact in view, with funder and recipient names and citation; largest
-- USD amount first. $limit/$offset page through it.
with picked as (
    select f.*, g.funder_id, g.recipient_id, g.vehicle, g.funding_type
    from facts_in_view($entity_ids, $date_from, $date_to, null, null, $countries, $statuses, $search) as f
    join funding as g on g.fact_id = f.fact_id
    where ($funding_types is null or list_contains($funding_types, g.funding_type))
    order by f.amount_usd desc nulls last, f.fact_id
    limit $limit offset $offset
)
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.funder_id,
    funder.name as funder_name,
    f.recipient_id,
    recipient.name as recipient_name,
    f.vehicle,
    f.funding_type,
    f.value as amount,
    f.value_high as amount_high,
    f.unit as currency,
    f.amount_usd,
    f.status,
    f.countries,
    f.title,
    f.claim_id,
    f.is_disputed,
    d.claim_values,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from picked as f
left join entities as funder on funder.entity_id = f.funder_id
left join entities as recipient on recipient.entity_id = f.recipient_id
join sources as s on s.source_id = f.source_id
left join disputed_claims() as d on d.claim_id = f.claim_id
order by f.amount_usd desc nulls last, f.fact_id
