-- the companies with facts on one track in view, most facts first
select
    c.company_id,
    coalesce(short_name(e.name, e.aliases), 'Unattributed (' || array_to_string(f.countries, '/') || ')') as company_name,
    count(*) as fact_count
from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
join chip_nodes as c on c.fact_no = f.fact_no
left join entities as e on e.entity_id = c.company_id
where c.metric = $metric and f.unit is not distinct from $unit
group by all
order by fact_count desc, company_name
limit $limit
