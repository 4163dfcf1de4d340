-- the timeline chart when too many facts are in view to draw one by one: facts per period
-- ($bin: 'month', 'quarter' or 'year') and lane ($lane: 'country' or 'authority'); the
-- $top_lanes busiest lanes are kept and the rest pooled as 'other lanes'. Aggregated before
-- any name is looked up.
with binned as (
    select
        date_trunc($bin, f.fact_date) as fact_date,
        case when $lane = 'country' then coalesce(f.lane_country, 'no single country') else f.lane_entity_id end as lane_key,
        count(*) as fact_count,
        count(*) filter (where f.kind = 'rule') as rules
    from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
    where f.fact_date is not null
    group by all
),
top_lanes as (
    select lane_key, sum(fact_count) as n
    from binned
    group by lane_key
    order by n desc, lane_key
    limit $top_lanes
),
labelled as (
    select
        b.fact_date,
        case
            when t.lane_key is null then 'other lanes'
            when $lane = 'country' then b.lane_key
            else coalesce(short_name(e.name, e.aliases), 'unattributed')
        end as lane,
        b.fact_count,
        b.rules
    from binned as b
    left join top_lanes as t on t.lane_key is not distinct from b.lane_key
    left join entities as e on e.entity_id = b.lane_key and $lane <> 'country'
)
select
    fact_date,
    case $bin when 'month' then fact_date + interval 1 month
              when 'quarter' then fact_date + interval 3 month
              else fact_date + interval 1 year end as period_end,
    lane,
    sum(fact_count) as fact_count,
    sum(rules) as rules
from labelled
group by all
order by fact_date, lane
