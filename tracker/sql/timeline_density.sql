-- the timeline chart when too many facts are in view to draw one by one: facts per month,
-- kind and lane ($lane: 'country' or 'authority'); the $top_lanes busiest lanes are kept
-- and the rest pooled as 'other lanes'. Aggregated before any name is looked up.
with monthly as (
    select
        date_trunc('month', f.fact_date) as fact_date,
        f.kind,
        case when $lane = 'country' then coalesce(f.lane_country, 'unknown') else f.lane_entity_id end as lane_key,
        count(*) as fact_count
    from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
    where f.fact_date is not null
    group by all
),
top_lanes as (
    select lane_key, sum(fact_count) as n
    from monthly
    group by lane_key
    order by n desc, lane_key
    limit $top_lanes
),
labelled as (
    select
        m.fact_date,
        m.kind,
        case
            when t.lane_key is null then 'other lanes'
            when $lane = 'country' then m.lane_key
            else coalesce(short_name(e.name, e.aliases), 'unattributed')
        end as lane,
        m.fact_count
    from monthly as m
    left join top_lanes as t on t.lane_key is not distinct from m.lane_key
    left join entities as e on e.entity_id = m.lane_key and $lane <> 'country'
)
select fact_date, kind, lane, sum(fact_count) as fact_count
from labelled
group by all
order by fact_date, lane, kind
