-- one row per fact in view, with its citation, its lane and, for a disputed claim, the
-- competing values; newest first, undated last. $limit/$offset page through it (null: all);
-- the sort (fact_no is the newest-first order) and the page are taken on narrow columns
-- before anything is joined, so a page costs the same at
-- any size.
with picked as (
    select f.fact_no
    from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
    where (not $dated_only or f.fact_date is not null)
    order by f.fact_no
    limit $limit offset $offset
)
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_basis,
    f.kind,
    f.topic,
    f.status,
    f.title,
    f.value,
    f.value_high,
    f.unit,
    f.amount_usd,
    f.entity_ids,
    f.countries,
    coalesce(short_name(lane.name, lane.aliases), 'unattributed') as lane_authority,
    coalesce(f.lane_country, 'unknown') as lane_country,
    f.claim_id,
    f.is_disputed,
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
left join disputed_claims() as d on d.claim_id = f.claim_id
order by f.fact_no
