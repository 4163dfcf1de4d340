-- one row per fact in view, with its citation, its lanes and, for a disputed claim, the
-- competing values; newest first, undated last
with lanes as (
    select
        f.fact_id,
        coalesce(short_name(authority.name, authority.aliases), short_name(actor.name, actor.aliases),
                 short_name(first_entity.name, first_entity.aliases), 'unattributed') as lane_authority,
        coalesce(authority.country, actor.country, f.countries[1], 'unknown') as lane_country
    from facts as f
    left join rules as r on r.fact_id = f.fact_id
    left join entity_actions as a on a.fact_id = f.fact_id
    left join entities as authority on authority.entity_id = r.authority_id
    left join entities as actor on actor.entity_id = a.actor_id
    left join entities as first_entity on first_entity.entity_id = f.entity_ids[1]
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
    l.lane_authority,
    l.lane_country,
    f.claim_id,
    f.is_disputed,
    d.claim_values,
    s.title as source_title,
    s.publisher as source_publisher,
    s.published_date as source_published_date,
    f.source_id,
    f.source_line,
    f.evidence
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
join sources as s on s.source_id = f.source_id
join lanes as l on l.fact_id = f.fact_id
left join disputed_claims() as d on d.claim_id = f.claim_id
order by f.fact_date desc nulls last, f.fact_id
