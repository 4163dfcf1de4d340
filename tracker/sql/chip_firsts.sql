-- for the company comparison: per company in $company_ids and level reached, the first
-- dated mass-production fact on the track
select
    coalesce(short_name(e.name, e.aliases), 'Unattributed') as company_name,
    c.metric,
    f.value,
    'mass_production' as status,
    min(f.fact_date) as fact_date
from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
join chip_nodes as c on c.fact_no = f.fact_no
left join entities as e on e.entity_id = c.company_id
where c.metric = $metric and f.unit is not distinct from $unit
  and f.status = 'mass_production' and f.fact_date is not null and f.value is not null
  and list_contains($company_ids, c.company_id)
group by all
