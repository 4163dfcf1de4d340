-- one row per fact in $fact_nos (a page picked by facts_rows.sql: the facts
-- in view, newest first, undated last), with its citation, its lane and, for a disputed
-- claim, the competing values; in the list's order
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
    f.kind,
    f.topic,
    f.status,
    f.title,
    f.value,
    f.value_high,
    f.value_qualifier,
    f.unit,
    f.value_label,
    f.amount_usd,
    f.entity_ids,
    f.countries,
    coalesce(short_name(lane.name, lane.aliases), 'unattributed') as lane_authority,
    coalesce(f.lane_country, 'no single country') as lane_country,
    f.claim_id,
    f.is_disputed,
    d.claim_label,
    d.claim_values,
    s.title as source_title,
    s.publisher as source_publisher,
    s.published_date as source_published_date,
    f.source_id,
    f.source_line,
    f.evidence
from picked as p
join facts as f on f.fact_no = p.fact_no
join sources as s on s.source_id = f.source_id
left join entities as lane on lane.entity_id = f.lane_entity_id
left join claims as d on d.claim_id = f.claim_id
order by p.ord
