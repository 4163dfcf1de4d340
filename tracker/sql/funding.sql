-- one row per funding fact in $fact_nos (a page picked by funding_rows.sql, largest
-- USD amount first), with funder and recipient names and citation, in the list's order
with picked as (
    select * from listed_rows($fact_nos)
)
select
    f.fact_id,
    f.fact_date,
    f.date_end,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.funder_id,
    funder.name as funder_name,
    f.recipient_id,
    recipient.name as recipient_name,
    f.vehicle,
    f.funding_type,
    f.value as amount,
    f.value_high as amount_high,
    f.value_qualifier,
    f.unit as currency,
    f.value_label as amount_label,
    f.amount_usd,
    f.amount_usd_high,
    f.amount_usd_label,
    f.status,
    f.countries,
    f.title,
    f.claim_id,
    f.is_disputed,
    d.claim_label,
    d.claim_values,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from picked as p
join funding as f on f.fact_no = p.fact_no  -- the fact's columns are in it too
left join entities as funder on funder.entity_id = f.funder_id
left join entities as recipient on recipient.entity_id = f.recipient_id
join sources as s on s.source_id = f.source_id
left join claims as d on d.claim_id = f.claim_id
order by p.ord
