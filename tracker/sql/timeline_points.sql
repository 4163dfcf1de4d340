-- one row per dated fact in view, for the timeline chart: its lane by country and by
-- authority, kind, status and a tooltip. The page asks for at most $limit rows.
select
    f.fact_id,
    f.fact_date,
    f.date_end,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.kind,
    f.status,
    f.title,
    f.value_label,
    coalesce(short_name(lane.name, lane.aliases), 'unattributed') as lane_authority,
    coalesce(f.lane_country, 'no single country') as lane_country,
    s.title as source_title,
    f.source_line
from facts_in_view($entity_ids, $date_from, $date_to, $kinds, $topics, $countries, $statuses, $search) as f
join sources as s on s.source_id = f.source_id
left join entities as lane on lane.entity_id = f.lane_entity_id
where f.fact_date is not null
order by f.fact_date desc, f.fact_id
limit $limit
